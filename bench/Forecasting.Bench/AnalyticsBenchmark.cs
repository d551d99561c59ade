using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Forecasting.Contracts.V1;
using Forecasting.Store;
using static Forecasting.Store.Analytics.Period;
using Grpc.Core;
using Grpc.Net.Client;
using Forecasting.Server.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Bench;

/// <summary>
/// National-scale analytics: generates a store of 150 councils (10 million contacts, 1 million admissions by
/// default) with seeded set-based SQL, starts the real server on it, and times typical analytics calls through
/// gRPC against the same question asked of DuckDB directly in SQL, printing both and their ratio.
/// </summary>
public static class AnalyticsBenchmark
{
    private const string AnalystKey = "dev-analyst-key";

    public static int Run(string[] args)
    {
        var options = Options.Parse(args);
        Directory.CreateDirectory(options.Directory);
        var database = Path.Combine(options.Directory, "national.duckdb");

        var store = new ForecastingStore(new StoreOptions { Path = database });
        if (options.Regenerate || !HasData(store, options))
        {
            var watch = Stopwatch.StartNew();
            Generate(store, options);
            Console.WriteLine($"generated {options.Contacts:N0} contacts and {options.Admissions:N0} admissions across {options.Councils} councils " +
                              $"in {watch.Elapsed.TotalSeconds:F1} s ({new FileInfo(database).Length / 1e6:F0} MB on disk)");
        }

        var calls = Calls();
        if (options.Server is not null) return MeasureAgainstProcess(store, database, calls, options);
        // One DuckDB instance per file and process: the server's store opens its own.
        store.Dispose();
        return MeasureInProcess(database, calls, options);
    }

    /// <summary>
    /// The server hosted in this process on a loopback port (Kestrel, HTTP/2, protobuf, interceptors: the wire path
    /// a client uses) and the direct SQL on a connection to the same database, taken in turns: each repeat times the
    /// SQL and then the call, so both see the same load on a shared machine.
    /// </summary>
    private static int MeasureInProcess(string database, List<Call> calls, Options options)
    {
        var port = FreePort();
        var args = new[]
        {
            "--urls", $"http://127.0.0.1:{port}", $"--Store:Path={database}", "--Store:SeedDirectory=",
            "--Logging:LogLevel:Default=Warning", "--Limits:ReadCacheMegabytes=0",
        };
        var builder = WebApplication.CreateBuilder(StartupChecks.Options(args));
        builder.AddApplicationServices();
        using var app = builder.Build();
        app.MapApplicationEndpoints();
        app.StartAsync().GetAwaiter().GetResult();
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
            var analytics = new AnalyticsService.AnalyticsServiceClient(channel);
            var headers = new Metadata { { "x-api-key", AnalystKey } };
            using var connection = app.Services.GetRequiredService<ForecastingStore>().Open();

            Console.WriteLine();
            Console.WriteLine($"{"call",-52} {"gRPC ms",9} {"SQL ms",9} {"ratio",7}  points   (in process, {options.Repeats} repeats taken in turns)");
            foreach (var call in calls)
            {
                Scalar(connection, call.Sql); // warm-up: JIT, connection, DuckDB caches
                var points = call.Grpc(analytics, headers);
                var sqlTimes = new List<double>();
                var grpcTimes = new List<double>();
                for (var r = 0; r < options.Repeats; r++)
                {
                    sqlTimes.Add(Time(() => Scalar(connection, call.Sql)));
                    grpcTimes.Add(Time(() => call.Grpc(analytics, headers)));
                }
                var (sqlMs, grpcMs) = (MedianOf(sqlTimes), MedianOf(grpcTimes));
                Console.WriteLine($"{call.Name,-52} {grpcMs,9:F1} {sqlMs,9:F1} {grpcMs / sqlMs,7:F2}  {points}");
            }
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
        }
        return 0;
    }

    /// <summary>
    /// Another build of the server as its own process: DuckDB locks the file to one process, so the direct SQL is
    /// timed first and the file then handed to the server.
    /// </summary>
    private static int MeasureAgainstProcess(ForecastingStore store, string database, List<Call> calls, Options options)
    {
        var sqlTimes = new List<double>();
        using (var connection = store.Open())
            foreach (var call in calls)
            {
                Scalar(connection, call.Sql); // warm-up
                sqlTimes.Add(Median(options.Repeats, () => Scalar(connection, call.Sql)));
            }
        store.Dispose();

        // Answers computed each time: the read cache would answer the repeats without a query.
        using var server = BenchServer.Start(database, serverDll: options.Server, settings: ["--Limits:ReadCacheMegabytes=0"]);
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        var analytics = new AnalyticsService.AnalyticsServiceClient(channel);
        var headers = new Metadata { { "x-api-key", AnalystKey } };

        Console.WriteLine();
        Console.WriteLine($"{"call",-52} {"gRPC ms",9} {"SQL ms",9} {"ratio",7}  points");
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            var points = call.Grpc(analytics, headers); // warm-up: JIT, connection, DuckDB caches
            var grpcMs = Median(options.Repeats, () => call.Grpc(analytics, headers));
            Console.WriteLine($"{call.Name,-52} {grpcMs,9:F1} {sqlTimes[i],9:F1} {grpcMs / sqlTimes[i],7:F2}  {points}");
        }
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Time(Func<int> action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double MedianOf(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }

    private sealed record Call(string Name, Func<AnalyticsService.AnalyticsServiceClient, Metadata, int> Grpc, string Sql);

    private static string Bucket(string column, Forecasting.Store.Analytics.Period period) => Forecasting.Store.Analytics.FinancialCalendar.PeriodStartSql(column, period);

    /// <summary>Typical calls, each beside the SQL that answers the same question with the same period expressions.</summary>
    private static List<Call> Calls()
    {
        var calls = new List<Call>();
        const string council = "E06000001";
        calls.Add(new("contacts by month, one council, 10 years",
            (client, headers) => client.GetFlowSeries(new FlowSeriesRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = council } }, headers)
                .Groups.Sum(g => g.Points.Count),
            $"SELECT {Bucket("contact_date", Month)}, count(*) FROM contacts WHERE council_code = '{council}' GROUP BY ALL"));
        calls.Add(new("contacts by FY and route, all councils",
            (client, headers) => client.GetFlowSeries(new FlowSeriesRequest
            {
                Selector = new SeriesSelector { Metric = "contacts", Period = Period.FinancialYear, Breakdown = { "route" } },
            }, headers).Groups.Sum(g => g.Points.Count),
            $"SELECT {Bucket("contact_date", FinancialYear)}, route, count(*) FROM contacts GROUP BY ALL"));
        calls.Add(new("contacts by quarter and council, long-term support",
            (client, headers) => client.GetFlowSeries(new FlowSeriesRequest
            {
                Selector = new SeriesSelector
                {
                    Metric = "contacts", Period = Period.Quarter, Breakdown = { "council_code" },
                    Filters = { new Filter { Dimension = "outcome", Values = { "long_term_support" } } },
                },
            }, headers).Groups.Sum(g => g.Points.Count),
            $"SELECT {Bucket("contact_date", Quarter)}, council_code, count(*) FROM contacts WHERE outcome = 'long_term_support' GROUP BY ALL"));
        calls.Add(new("65+ admissions per 100,000 by council and FY",
            (client, headers) => client.GetRates(new RateRequest
            {
                Selector = new SeriesSelector { Metric = "admissions", Breakdown = { "council_code" } }, AgeGroup = "65+",
            }, headers).Groups.Sum(g => g.Points.Count),
            $"""
            SELECT a.council_code, a.fy, a.n * 100000.0 / p.people FROM (
                SELECT council_code, year({Bucket("admission_date", FinancialYear)}) AS fy, count(*) AS n
                FROM admissions WHERE age_at_admission >= 65 AND admission_date >= DATE '2015-04-01' GROUP BY ALL) a
            JOIN (SELECT council_code, year, sum(population) AS people FROM population
                  WHERE variant = 'estimate' AND age_band IN ('65-74', '75-84', '85+') GROUP BY ALL) p
              ON p.council_code = a.council_code AND p.year = a.fy
            """));
        calls.Add(new("people in residential care at a date, by council and PSR",
            (client, headers) => client.GetStockSnapshot(new StockRequest
            {
                Measure = "residential_care", AsOf = "2025-03-31", Breakdown = { "council_code", "psr" },
            }, headers).Rows.Count,
            """
            SELECT x.council_code, x.psr, count(*) FROM admissions x
            LEFT JOIN leavers y ON y.council_code = x.council_code AND y.admission_id = x.admission_id
            WHERE x.admission_date <= DATE '2025-03-31' AND (y.leave_date IS NULL OR y.leave_date > DATE '2025-03-31')
            GROUP BY ALL
            """));
        return calls;
    }

    private static double Median(int repeats, Func<int> action) =>
        MedianOf(Enumerable.Range(0, repeats).Select(_ => Time(action)).ToList());

    private static int Scalar(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = 0;
        while (reader.Read()) rows++;
        return rows;
    }

    private static bool HasData(ForecastingStore store, Options options)
    {
        using var connection = store.Open();
        return Scalar(connection, $"SELECT 1 FROM contacts HAVING count(*) = {options.Contacts}") == 1;
    }

    /// <summary>
    /// Seeded set-based generation straight into the store tables: plausible mixes (routes, outcomes, ages,
    /// PSRs) with winter seasonality, spread over April 2015 to March 2025.
    /// </summary>
    private static void Generate(ForecastingStore store, Options o)
    {
        using var connection = store.Open();
        ForecastingStore.Execute(connection, "SELECT setseed(0.20250331)");
        foreach (var table in new[] { "councils", "localities", "contacts", "admissions", "leavers", "population" })
            ForecastingStore.Execute(connection, $"DELETE FROM {table}");
        string Pick(string list, string weightsSql = "random()") => $"list_extract({list}, 1 + CAST(floor({weightsSql} * len({list})) AS INTEGER))";
        var day = "DATE '2015-04-01' + CAST(floor(random() * 3653) AS INTEGER)";
        var council = $"'E06' || lpad(CAST(1 + i % {o.Councils} AS VARCHAR), 6, '0')";
        ForecastingStore.Execute(connection, $"""
            INSERT INTO councils SELECT 'E06' || lpad(CAST(i AS VARCHAR), 6, '0'), 'Council ' || i, 'England'
            FROM range(1, {o.Councils + 1}) t(i);
            INSERT INTO contacts
            SELECT {council}, 'C' || i, d,
                   CASE WHEN r < 0.818 THEN 'community' WHEN r < 0.995 THEN 'hospital_discharge' WHEN r < 0.998 THEN 'transition'
                        WHEN r < 0.999 THEN 'hospital_diversion' ELSE 'prison' END,
                   {Pick("['phone', 'online', 'email', 'professional_referral']")},
                   CASE WHEN random() < 0.02 THEN NULL ELSE {Pick("['18-24', '25-64', '25-64', '65-74', '75-84', '75-84', '85+']")} END,
                   CASE WHEN random() < 0.16 THEN NULL ELSE {Pick("['physical_support', 'physical_support', 'sensory_support', 'memory_and_cognition', 'learning_disability', 'mental_health', 'social_support']")} END,
                   NULL,
                   {Pick("['information_advice', 'information_advice', 'no_further_action', 'no_further_action', 'short_term_support', 'long_term_support', 'ongoing_low_level']")},
                   random() < 0.1
            FROM (SELECT i, random() AS r,
                         -- winter months are kept more often, giving Q4 its peak
                         {day} AS d FROM range({o.Contacts * 12 / 10}) t(i))
            WHERE month(d) IN (1, 2, 3) OR random() < 0.88
            LIMIT {o.Contacts};
            INSERT INTO admissions
            SELECT {council}, 'A' || i, 'P' || i, {day},
                   CASE WHEN random() < 0.45 THEN 'nursing' ELSE 'residential' END,
                   CASE WHEN random() < 0.12 THEN 18 + CAST(floor(random() * 47) AS INTEGER) ELSE 65 + CAST(floor(random() * 35) AS INTEGER) END,
                   {Pick("['physical_support', 'memory_and_cognition', 'memory_and_cognition', 'learning_disability', 'mental_health']")},
                   NULL, CASE WHEN random() < 0.2 THEN 'former_self_funder' ELSE 'council' END,
                   CASE WHEN random() < 0.6 THEN 'hospital' ELSE 'community' END, random() < 0.02
            FROM range({o.Admissions}) t(i);
            INSERT INTO leavers
            SELECT council_code, admission_id, admission_date + CAST(floor(random() * 1500) AS INTEGER),
                   CASE WHEN random() < 0.72 THEN 'deceased' ELSE 'community_support' END
            FROM admissions WHERE random() < 0.75 AND admission_date + 1500 < DATE '2025-03-31';
            INSERT INTO population
            SELECT 'E06' || lpad(CAST(c AS VARCHAR), 6, '0'), y, band, 'estimate', 'synthetic', CAST(base * (1 + 0.01 * (y - 2015)) AS INTEGER)
            FROM range(1, {o.Councils + 1}) t(c), range(2015, 2025) u(y),
                 (VALUES ('18-24', 25000), ('25-64', 150000), ('65-74', 22000), ('75-84', 14000), ('85+', 5000)) v(band, base);
            """);
        // Recorded as an import records it: a store whose tables hold rows no snapshot accounts for is treated as
        // torn at start-up and restored from its last good copy.
        StoreIntegrity.RecordSnapshot(connection, "generated: national analytics benchmark", new DateOnly(2025, 3, 31));
        StoreIntegrity.AfterCommit(store, connection);
    }

    private sealed record Options(string Directory, int Councils, long Contacts, long Admissions, int Repeats, bool Regenerate, string? Server = null)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options(Path.Combine(Path.GetTempPath(), "forecasting-bench"), 150, 10_000_000, 1_000_000, 5, false);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                o = args[i] switch
                {
                    "--dir" => o with { Directory = Next() },
                    "--councils" => o with { Councils = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--contacts" => o with { Contacts = long.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--admissions" => o with { Admissions = long.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--repeats" => o with { Repeats = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--regenerate" => o with { Regenerate = true },
                    "--server" => o with { Server = Path.GetFullPath(Next()) },
                    _ => throw new ArgumentException($"unknown option {args[i]}; options: --dir --councils --contacts --admissions --repeats --regenerate --server PATH"),
                };
            }
            return o;
        }
    }
}
