using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Forecasting.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Forecasting.Bench;

/// <summary>
/// Calls a read-only or careless key could make to exhaust the server, each against a fresh server process on
/// the sample: huge filter lists, endless distinct council codes, abandoned forecasts, oversized comparisons,
/// stored results, and a stop under load. Prints what each cost the server (time, CPU seconds, memory, disk).
/// --server PATH runs another build of Forecasting.Server.dll (for example the previous release) the same way.
/// </summary>
public static class HostileCallsBenchmark
{
    private const string Council = "E06009999";
    private static readonly Metadata Key = new() { { "x-api-key", "dev-analyst-key" } };

    public static int Run(string[] args)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "Forecasting.Server.dll");
        string? only = null;
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--server" when i + 1 < args.Length: serverDll = Path.GetFullPath(args[++i]); break;
                case "--only" when i + 1 < args.Length: only = args[++i]; break;
                default: throw new ArgumentException($"unknown option {args[i]}; options: --server PATH, --only STEP (filters, codes, deadline, compare, storage, sigterm, audit-flood, wrong-keys)");
            }
        Console.WriteLine($"server: {serverDll}");
        var steps = new (string Name, string Title, Action<Server> Body)[]
        {
            ("filters", "100,000 filter values in one GetFlowSeries", FilterValues),
            ("codes", "1,000 GetFlowSeries calls with distinct 100 KB council codes", LongCouncilCodes),
            ("deadline", "a forecast of a 588-month series, once to the end and once abandoned at a 300 ms deadline", AbandonedForecast),
            ("compare", "CompareScenarios with 40 scenarios x 100,000 draws, and a ListStrategies meanwhile", HugeComparison),
            ("storage", "20 forecasts and one comparison: database growth", StoredResults),
            ("sigterm", "SIGTERM while a refresh runs", StopUnderLoad),
            ("audit-flood", "60 s of refused Import calls from another council's read-only key, then the audit trail", AuditFlood),
            ("wrong-keys", "20 s of wrong keys as fast as the server answers, then the audit trail", WrongKeys),
        };
        foreach (var (name, title, body) in steps.Where(s => only is null || s.Name == only)) Step(title, serverDll, body);
        return 0;
    }

    private static void Step(string title, string serverDll, Action<Server> body)
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        using var server = Server.Start(serverDll);
        try { body(server); }
        catch (Exception ex) { Console.WriteLine($"  step failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}"); }
    }

    private static string Outcome(Func<object> call, out double seconds)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            call();
            return "OK";
        }
        catch (RpcException ex)
        {
            return $"{ex.StatusCode}: {Truncate(ex.Status.Detail)}";
        }
        finally
        {
            seconds = watch.Elapsed.TotalSeconds;
        }
    }

    private static string Truncate(string text) => text.Length > 110 ? text[..110] + "..." : text;

    private static void FilterValues(Server server)
    {
        var filter = new Filter { Dimension = "locality" };
        filter.Values.AddRange(Enumerable.Range(0, 100_000).Select(i => $"L{i:D6}"));
        var client = new AnalyticsService.AnalyticsServiceClient(server.Channel);
        var cpu = server.CpuSeconds();
        var outcome = Outcome(() => client.GetFlowSeries(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Filters = { filter } },
        }, Key, deadline: DateTime.UtcNow.AddSeconds(60)), out var seconds);
        Console.WriteLine($"  answer after {seconds:F2} s: {outcome}");
        Thread.Sleep(10_000);
        Console.WriteLine($"  server CPU seconds from the call to 10 s after its answer: {server.CpuSeconds() - cpu:F1}");
    }

    private static void LongCouncilCodes(Server server)
    {
        var client = new AnalyticsService.AnalyticsServiceClient(server.Channel);
        var before = server.RssMegabytes();
        var outcomes = new Dictionary<string, int>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            var code = i.ToString("D6", CultureInfo.InvariantCulture) + new string('E', 100_000);
            var outcome = Outcome(() => client.GetFlowSeries(new FlowSeriesRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = code } }, Key), out _);
            var status = outcome.Split(':')[0];
            outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
        }
        Thread.Sleep(2000);
        Console.WriteLine($"  {watch.Elapsed.TotalSeconds:F1} s; outcomes: {string.Join(", ", outcomes.Select(o => $"{o.Key} x{o.Value}"))}");
        Console.WriteLine($"  server resident memory {before:F0} MB before, {server.RssMegabytes():F0} MB after");
    }

    private static void AbandonedForecast(Server server)
    {
        var client = new ForecastService.ForecastServiceClient(server.Channel);
        // One series stretched over 49 years of months (the longest a forecast accepts; a single contact dated 1800
        // once stretched the default range to 2,700 months): each fit is long, so only checks between fits stop it.
        var request = new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, FromDate = "1976-04-01" },
            Model = "auto", Horizon = 36,
        };
        var full = server.CpuSeconds();
        var fullOutcome = Outcome(() => client.Forecast(request, Key, deadline: DateTime.UtcNow.AddSeconds(300)), out var fullSeconds);
        Console.WriteLine($"  to the end: {fullSeconds:F1} s, {server.CpuSeconds() - full:F1} server CPU seconds ({fullOutcome.Split(':')[0]})");
        var cpu = server.CpuSeconds();
        var outcome = Outcome(() => client.Forecast(request, Key, deadline: DateTime.UtcNow.AddMilliseconds(300)), out var seconds);
        Console.WriteLine($"  abandoned: answer after {seconds:F2} s: {outcome}");
        var afterCall = server.CpuSeconds();
        Thread.Sleep(15_000);
        Console.WriteLine($"  server CPU seconds in the 15 s after the deadline: {server.CpuSeconds() - afterCall:F1} (during the call: {afterCall - cpu:F1})");
    }

    private static void HugeComparison(Server server)
    {
        var planning = new PlanningService.PlanningServiceClient(server.Channel);
        var ids = Enumerable.Range(0, 40).Select(i => planning.CreateScenario(new CreateScenarioRequest
        {
            CouncilCode = Council, Name = $"variant {i}", Levers = new ScenarioLevers { ResidentialToSlMovesPerYear = i },
        }, Key).ScenarioId).ToList();
        // Warm the baseline so the comparison's cost is the simulation.
        planning.CompareScenarios(new CompareScenariosRequest { CouncilCode = Council, ScenarioIds = { ids[0] }, Draws = 100 }, Key);

        foreach (var (count, draws) in new[] { (40, 100_000), (5, 20_000), (5, 20_000) })
        {
            var compare = Task.Run(() => Outcome(() => planning.CompareScenarios(new CompareScenariosRequest
            {
                CouncilCode = Council, ScenarioIds = { ids.Take(count) }, Draws = draws,
            }, Key, deadline: DateTime.UtcNow.AddSeconds(180)), out var s) + $" after {s:F1} s");
            Thread.Sleep(500);
            var outcome = Outcome(() => planning.ListStrategies(new ListStrategiesRequest { CouncilCode = Council }, Key), out var wait);
            Console.WriteLine($"  {count} scenarios x {draws:N0} draws: {compare.Result}");
            Console.WriteLine($"    ListStrategies started 0.5 s into it answered in {wait:F2} s ({outcome})");
        }
    }

    private static void StoredResults(Server server)
    {
        var before = server.DatabaseBytes();
        var forecasts = new ForecastService.ForecastServiceClient(server.Channel);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
            forecasts.Forecast(new ForecastRequest
            {
                Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Breakdown = { "route" } },
                Model = "naive", Horizon = 12 + i,
            }, Key);
        var planning = new PlanningService.PlanningServiceClient(server.Channel);
        var id = planning.CreateScenario(new CreateScenarioRequest { CouncilCode = Council, Name = "one", Levers = new ScenarioLevers() }, Key).ScenarioId;
        planning.CompareScenarios(new CompareScenariosRequest { CouncilCode = Council, ScenarioIds = { id }, Draws = 2000 }, Key);
        Console.WriteLine($"  database and log grew by {(server.DatabaseBytes() - before) / 1e6:F1} MB in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static void StopUnderLoad(Server server)
    {
        var client = new ForecastService.ForecastServiceClient(server.Channel);
        using var refresh = client.Refresh(new RefreshRequest(), Key);
        refresh.ResponseStream.MoveNext(CancellationToken.None).Wait();
        var watch = Stopwatch.StartNew();
        var exited = server.Terminate(TimeSpan.FromSeconds(60));
        Console.WriteLine(exited ? $"  exited {watch.Elapsed.TotalSeconds:F1} s after SIGTERM" : "  still running 60 s after SIGTERM");
    }

    /// <summary>A read-only key of another council (Otherton, not in the sample), configured on every bench server.</summary>
    private const string OthertonCommissionerKey = "bench-otherton-commissioner-key";

    private static readonly string[] OthertonKeySettings =
    [
        "--Auth:Keys:3:Name=otherton commissioner", "--Auth:Keys:3:Role=commissioner", "--Auth:Keys:3:Councils:0=E06000001",
        "--Auth:Keys:3:Sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(OthertonCommissionerKey))),
    ];

    /// <summary>Runs <paramref name="call"/> from 8 loops for <paramref name="duration"/>; counts the outcomes.</summary>
    private static SortedDictionary<string, int> Hammer(TimeSpan duration, Action<int> call)
    {
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var until = DateTime.UtcNow + duration;
        var loops = Enumerable.Range(0, 8).Select(loop => Task.Run(() =>
        {
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                string outcome;
                try { call(loop * 1_000_000 + i); outcome = "OK"; }
                catch (RpcException ex) { outcome = ex.StatusCode.ToString(); }
                counts.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
        })).ToArray();
        Task.WaitAll(loops);
        return new SortedDictionary<string, int>(counts);
    }

    private static string Describe(SortedDictionary<string, int> counts, TimeSpan duration) =>
        $"{counts.Values.Sum():N0} calls ({counts.Values.Sum() / duration.TotalSeconds:N0} a second): " +
        string.Join(", ", counts.Select(c => $"{c.Key} {c.Value:N0}"));

    private static void AuditFlood(Server server)
    {
        // Council A's analyst writes first: a forecast, audited with its run id.
        var runId = new ForecastService.ForecastServiceClient(server.Channel).Forecast(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council }, Model = "naive", Horizon = 3,
        }, Key).RunId;
        var data = new DataService.DataServiceClient(server.Channel);
        var other = new Metadata { { "x-api-key", OthertonCommissionerKey } };
        var duration = TimeSpan.FromSeconds(60);
        var cpu = server.CpuSeconds();
        var counts = Hammer(duration, _ => data.Import(new ImportRequest { Directory = "harbridge" }, other));
        Console.WriteLine($"  refused imports: {Describe(counts, duration)}; server CPU {server.CpuSeconds() - cpu:F1} s");
        var audit = new AuditService.AuditServiceClient(server.Channel);
        var flood = audit.ListAuditEvents(new ListAuditEventsRequest { KeyName = "otherton commissioner", Limit = 1000 }, Key).Events;
        Console.WriteLine($"  audit events of the flooding key: {flood.Count:N0}, standing for {flood.Sum(e => e.Calls):N0} calls " +
                          $"({string.Join(", ", flood.GroupBy(e => e.Outcome).Select(g => $"{g.Key} {g.Count()} events / {g.Sum(e => e.Calls):N0} calls"))})");
        var own = audit.ListAuditEvents(new ListAuditEventsRequest { Method = "Forecast", Limit = 1000 }, Key).Events;
        Console.WriteLine($"  the analyst's forecast {runId} is {(own.Any(e => e.Target.Contains(runId)) ? "still" : "no longer")} in the trail");
    }

    private static void WrongKeys(Server server)
    {
        var data = new DataService.DataServiceClient(server.Channel);
        var duration = TimeSpan.FromSeconds(20);
        var counts = Hammer(duration, i => data.GetStatus(new StatusRequest(), new Metadata { { "x-api-key", $"guess{i:D9}" } }));
        Console.WriteLine($"  wrong keys: {Describe(counts, duration)}");
        var locked = Outcome(() => data.GetStatus(new StatusRequest(), Key), out _);
        Console.WriteLine($"  the analyst's key from the same address during the lockout: {locked}");
        // The lockout (60 s by default) ends before the trail can be read from this address.
        Thread.Sleep(TimeSpan.FromSeconds(61));
        var events = new AuditService.AuditServiceClient(server.Channel)
            .ListAuditEvents(new ListAuditEventsRequest { KeyName = "(unknown key)", Limit = 1000 }, Key).Events;
        Console.WriteLine($"  audit events of unknown keys: {events.Count}, standing for {events.Sum(e => e.Calls):N0} calls");
    }

    /// <summary>A fresh server process on the sample with its own temporary database.</summary>
    private sealed class Server : IDisposable
    {
        private readonly BenchServer _server;
        private readonly string _database;

        private Server(BenchServer server, string database)
        {
            _server = server;
            _database = database;
        }

        public GrpcChannel Channel => _server.Channel;

        public static Server Start(string serverDll)
        {
            var database = Path.Combine(Directory.CreateTempSubdirectory("forecasting-hostile-").FullName, "h.duckdb");
            return new Server(BenchServer.Start(database, SamplePath(), serverDll, settings: OthertonKeySettings), database);
        }

        private static string SamplePath()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "data-samples", "harbridge"))) return Path.Combine(dir.FullName, "data-samples", "harbridge");
            throw new DirectoryNotFoundException("data-samples/harbridge not found above the benchmark");
        }

        public double CpuSeconds() => _server.CpuSeconds();

        public double RssMegabytes() => _server.RssMegabytes();

        public long DatabaseBytes() =>
            new[] { _database, _database + ".wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

        public bool Terminate(TimeSpan timeout) => _server.Terminate(timeout);

        public void Dispose()
        {
            _server.Dispose();
            try { Directory.Delete(Path.GetDirectoryName(_database)!, recursive: true); } catch (IOException) { }
        }
    }
}
