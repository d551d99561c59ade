using System.Diagnostics;
using System.Globalization;
using Forecasting.Domain;
using Forecasting.Planning;
using Forecasting.Store.Planning;

namespace Forecasting.Bench;

/// <summary>
/// planning [--draws N] [--seed N] [--origins DATE,DATE...] [--rows MEASURE[:GROUP]] [--backtest-only]
/// The planning model on the Harbridge sample: the baseline shortfall per client group in every year with P10/P50/P90,
/// the time of one 10,000-draw run, and the backtest to 31 March 2025 (default: every quarter end the data supports).
/// </summary>
public static class PlanningBenchmark
{
    private const string Council = "E06009999";

    public static int Run(string[] args)
    {
        var draws = 2000;
        long seed = ScenarioRunner.DefaultSeed;
        List<DateOnly> origins = [];
        string? rowsOf = null;
        var backtestOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--draws": draws = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--origins": origins = Next().Split(',').Select(o => DateOnly.Parse(o, CultureInfo.InvariantCulture)).ToList(); break;
                case "--rows": rowsOf = Next(); break;
                case "--backtest-only": backtestOnly = true; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var ci = CultureInfo.InvariantCulture;
        using var sample = new SampleStore("planning");
        var connection = sample.Connection;
        var runner = new ScenarioRunner(new PlanningDataLoader(connection), new ScenarioRepository(connection), new NeedRateProjector());

        var watch = Stopwatch.StartNew();
        if (backtestOnly) return RunBacktest(runner, origins, draws, seed, rowsOf);
        var baseline = runner.RunBaseline(Council, new RunOptions(draws, seed, Save: false));
        Console.WriteLine($"baseline as of {baseline.AsOf:yyyy-MM-dd}, {draws} draws, first run {watch.Elapsed.TotalSeconds.ToString("0.00", ci)} s " +
                          "(need-arising projection by the engine included)");
        Console.WriteLine(baseline.Projection.Headline + "; " + baseline.Simulation!.Method);
        Console.WriteLine($"{"year",-8} {"group",-17} {"demand",8} {"supply",8} {"shortfall",9} {"P10",8} {"P50",8} {"P90",8} {"P(>0)",6} {"gaps",8}");
        foreach (var row in baseline.Projection.Shortfall)
        {
            var sim = baseline.SimulationAt(row.Fy, row.ClientGroup)!;
            Console.WriteLine(string.Format(ci, "{0,-8} {1,-17} {2,8:0.0} {3,8:0.0} {4,9:0.0} {5,8:0.0} {6,8:0.0} {7,8:0.0} {8,6:0.00} {9,8:0.0}",
                FinancialYear.Label(row.Fy), row.ClientGroup, row.Demand, row.Supply, row.Shortfall, sim.P10, sim.P50, sim.P90,
                sim.ProbabilityAboveZero, row.SumOfGroupGaps));
        }
        var flows = baseline.Projection;
        Console.WriteLine();
        Console.WriteLine($"{"year",-8} {"group",-17} {"arising",8} {"cohorts",8} {"lettings",9} {"exits",8} {"removals",9} {"housed",8} {"waiting",8}");
        foreach (var group in ClientGroups.Known.Append(ClientGroups.All))
            foreach (var fy in baseline.Projection.Period.FinancialYears)
            {
                var rec = flows.Reconciliation.Single(r => r.Fy == fy && r.ClientGroup == group && r.Stock == Stocks.Demand);
                var housed = flows.Reconciliation.Single(r => r.Fy == fy && r.ClientGroup == group && r.Stock == Stocks.Housed);
                var arising = flows.Flow(fy, group, FlowNames.NeedArising);
                Console.WriteLine(string.Format(ci, "{0,-8} {8,-17} {1,8:0.0} {2,8:0.0} {3,9:0.0} {4,8:0.0} {5,9:0.0} {6,8:0.0} {7,8:0.0}",
                    FinancialYear.Label(fy), arising, rec.Inflows - arising, flows.Flow(fy, group, FlowNames.Lettings),
                    flows.Flow(fy, group, FlowNames.Exits), flows.Flow(fy, group, FlowNames.WaitingRemovals),
                    housed.Closing, rec.Closing - housed.Closing, group));
            }

        var timings = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < 3; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            watch.Restart();
            runner.RunBaseline(Council, new RunOptions(10_000, seed, Save: false));
            timings.Add(watch.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        Console.WriteLine();
        // CPU seconds mean something on a shared machine; wall time only when it is otherwise idle.
        Console.WriteLine($"one baseline run of 10,000 draws (flows cached): {string.Join(", ", timings.Select(t => t.ToString("0.00", ci)))} s wall, " +
                          $"{string.Join(", ", cpu.Select(t => t.ToString("0.00", ci)))} CPU s, {Environment.ProcessorCount} cores, " +
                          $"load average {LoadAverage()}");

        return RunBacktest(runner, origins, draws, seed, rowsOf);
    }

    private static int RunBacktest(ScenarioRunner runner, List<DateOnly> origins, int draws, long seed, string? rowsOf)
    {
        var ci = CultureInfo.InvariantCulture;
        // Without --origins, the default backtest: every quarter end the data supports, to one year before the last 31 March.
        var watch = Stopwatch.StartNew();
        var backtest = PlanningBacktest.Run(runner, Council, origins, null, draws, seed);
        Console.WriteLine();
        Console.WriteLine($"{(origins.Count == 0 ? "default backtest" : "backtest")} ({backtest.Origins.Count} origins, {watch.Elapsed.TotalSeconds.ToString("0.0", ci)} s):");
        Console.WriteLine(PlanningBacktest.Format(backtest));
        if (rowsOf is not null) PrintRows(backtest, rowsOf);
        return 0;
    }

    /// <summary>Every backtest row of one measure (all groups, or the group after a colon): origin, horizon, actual, model, naive.</summary>
    private static void PrintRows(PlanningBacktestResult backtest, string rowsOf)
    {
        var parts = rowsOf.Split(':');
        var group = parts.Length > 1 ? parts[1] : ClientGroups.All;
        Console.WriteLine();
        Console.WriteLine($"{parts[0]}, {group}: origin, horizon, actual, model mean (P10-P90), naive");
        foreach (var r in backtest.Rows.Where(r => r.Measure == parts[0] && r.ClientGroup == group))
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd} h{1} {2,7:0.0} {3,7:0.0} ({4:0.0}-{5:0.0}) {6,7:0.0}",
                r.Origin, r.Horizon, r.Actual, r.Mean, r.P10, r.P90, r.Naive));
    }

    /// <summary>The one-minute load average (Linux), or "n/a".</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
