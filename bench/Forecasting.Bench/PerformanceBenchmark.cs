using System.Diagnostics;
using System.Globalization;
using Forecasting.Contracts.V1;
using Grpc.Core;

namespace Forecasting.Bench;

/// <summary>
/// performance [--repeat N]
/// The year's scorecard on the sample through a server process with the read cache off: every measure with data for
/// 2024/25 at month 9 (year-end estimates, stock forecasts, month-by-month status, benchmarks), then the slowest
/// single measures' series, each the median of N calls.
/// </summary>
public static class PerformanceBenchmark
{
    public static int Run(string[] args)
    {
        var repeat = 5;
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--repeat" when i + 1 < args.Length: repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        var work = Directory.CreateTempSubdirectory("forecasting-performance-bench-");
        try
        {
            var seeded = Stopwatch.StartNew();
            using var server = BenchServer.Start(Path.Combine(work.FullName, "performance.duckdb"), GoodCopyBenchmark.FindSample(),
                settings: ["--Limits:ReadCacheMegabytes=0"]);
            Console.WriteLine($"server started and sample imported in {seeded.Elapsed.TotalSeconds:0.0} s");
            var client = new PerformanceService.PerformanceServiceClient(server.Channel);
            var key = new Metadata { { "x-api-key", "dev-commissioner-key" } };

            double Median(Action call)
            {
                var times = new List<double>();
                for (var r = 0; r < repeat; r++)
                {
                    var watch = Stopwatch.StartNew();
                    call();
                    times.Add(watch.Elapsed.TotalSeconds);
                }
                times.Sort();
                return times[times.Count / 2];
            }

            PerformanceReport? report = null;
            var scorecard = Median(() => report = client.GetPerformance(new PerformanceRequest
            {
                CouncilCode = "E06009999", FinancialYear = "2024/25", MonthsElapsed = 9,
            }, key));
            Console.WriteLine($"scorecard, {report!.Measures.Count} measures, 2024/25 month 9: median {scorecard:0.00} s of {repeat}");
            foreach (var name in new[] { "lts_caseload", "reviews_in_12_months", "home_care_hours", "ascof_2a2", "waiting_for_assessment" })
            {
                var seconds = Median(() => client.GetMeasureSeries(new MeasureSeriesRequest { Measure = name, CouncilCode = "E06009999" }, key));
                Console.WriteLine($"  series {name,-24} monthly since its start: median {seconds * 1000:0} ms");
            }
            return 0;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
