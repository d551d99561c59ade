namespace Forecasting.Bench;

/// <summary>Benchmark entry point: the first argument names the benchmark, the rest are its options.</summary>
public static class Program
{
    private static readonly Dictionary<string, (string Help, Func<string[], int> Run)> Commands = new()
    {
        ["accuracy"] = ("forecast accuracy, interval coverage and speed on an M-competition style CSV", AccuracyBenchmark.Run),
        ["analytics"] = ("national-scale store (150 councils, 10M contacts, 1M admissions): analytics through gRPC against direct SQL", AnalyticsBenchmark.Run),
        ["good-copy"] = ("what crash safety adds to an import: checkpoint and last good copy after the commit, start-up check", GoodCopyBenchmark.Run),
        ["hostile"] = ("calls that could exhaust the server, each against a fresh server process: cost in time, CPU, memory and disk", HostileCallsBenchmark.Run),
        ["hierarchy"] = ("reconciliation on the sample: backtest accuracy of breakdowns and their totals, base forecasts against bottom-up, OLS, WLS and MinT", HierarchyBenchmark.Run),
        ["import"] = ("validated import of an extract directory (default the sample): validation and swap times", ImportBenchmark.Run),
        ["import-memory"] = ("peak memory importing one large invalid contacts.csv: import-memory [MB, default 1024]", ImportMemoryBenchmark.Run),
        ["kill-import"] = ("kills the server at many points of a 1.85M-row contacts import (--kills 100): torn stores, lost snapshots, recoveries", KillImportBenchmark.Run),
        ["performance"] = ("the year's scorecard of every measure on the sample (2024/25, month 9) and the slowest measure series, read cache off", PerformanceBenchmark.Run),
        ["planning-attribution"] = ("what moves the sample 2030/31 shortfall: each v3 choice switched back in turn", PlanningAttribution.Run),
        ["planning"] = ("planning model on the sample: baseline shortfall with P10/P50/P90, 10,000-draw timing, backtest from 2021 and 2022", PlanningBenchmark.Run),
        ["reads"] = ("repeated GetFlowSeries under h2load (nghttp2-client) on the sample: calls/s, mean and p99 latency at 1 and 10 connections", ReadsBenchmark.Run),
        ["simulate"] = ("writes series from known processes (random walks, ARIMA, trends, seasonal ETS, airline) in the M1 layout, for accuracy --data", SimulatedSeriesBenchmark.Run),
        ["cld-import"] = ("CLD import of a generated one-million-row submission (cld-import [rows]): time and peak memory", CldImportBenchmark.Run),
        ["costs"] = ("cost model on the sample: weekly costs per group, baseline costs with P10/P90, cost of cancelling the pipeline, 30 moves, 20 extra units", CostBenchmark.Run),
        ["scenarios"] = ("10-year planning scenario, 10,000 draws, all client groups; time to run and to compare five (and three) with the baseline", ScenarioBenchmark.Run),
        ["web"] = ("web pages on the sample: time to the first full HTML of the overview, shortfall and report pages, then warm", WebBenchmark.Run),
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out var cmd))
        {
            Console.Error.WriteLine("usage: Forecasting.Bench <command> [options]");
            foreach (var (name, c) in Commands) Console.Error.WriteLine($"  {name,-12} {c.Help}");
            return args.Length == 0 ? 1 : 2;
        }
        return cmd.Run(args[1..]);
    }
}
