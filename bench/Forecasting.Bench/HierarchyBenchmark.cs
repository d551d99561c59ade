using System.Globalization;
using Forecasting.Domain;
using Forecasting.Engine;
using Forecasting.Store.Analytics;

namespace Forecasting.Bench;

/// <summary>
/// hierarchy [--origins N] [--horizon H]
/// Backtest of reconciliation on the Harbridge sample's monthly breakdowns (each metric by a dimension, with its total):
/// at each origin (the last N years, one a year) every node is forecast with "auto" in one batch (as a reconciled
/// forecast request does), then reconciled. MASE (scaled by the in-sample seasonal naive error) and 80% / 95% coverage
/// of the next H months, averaged over the nodes of each level, for the base forecasts and each reconciliation.
/// </summary>
public static class HierarchyBenchmark
{
    private static readonly (string Metric, string[] Breakdown)[] Hierarchies =
    [
        ("contacts", ["route"]),
        ("contacts", ["age_group", "locality"]),
        ("admissions", ["age_group"]),
        ("admissions", ["setting"]),
        ("new_tenancies", ["client_group"]),
        ("waiting_list_additions", ["client_group"]),
    ];

    private sealed record Method(string Name, ReconciliationMethod? How, bool KeepTop);

    private static readonly Method[] Methods =
    [
        new("base", null, false),
        new("bottom-up", ReconciliationMethod.BottomUp, false),
        new("OLS", ReconciliationMethod.Ols, false),
        new("WLS", ReconciliationMethod.WlsStructural, false),
        new("MinT", ReconciliationMethod.MinTShrink, false),
        new("MinT, top kept", ReconciliationMethod.MinTShrink, true),
    ];

    public static int Run(string[] args)
    {
        var origins = 3;
        var h = 12;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--origins": origins = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--horizon": h = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        using var sample = new SampleStore("hierarchy");
        var analytics = new AnalyticsQueries(sample.Store);
        var orchestrator = new ForecastOrchestrator();
        // (method, level) -> per node and origin: MASE, covered80, covered95 (fractions of the horizon)
        var scores = new Dictionary<(string Method, string Level), List<(double Mase, double C80, double C95)>>();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var (metric, breakdown) in Hierarchies)
        {
            var nodes = new List<(string[] Path, int Depth, double[] Values)>();
            for (var depth = 0; depth <= breakdown.Length; depth++)
            {
                var query = new SeriesQuery(metric, SampleStore.Council, Period.Month, Breakdown: breakdown.Take(depth).ToList());
                foreach (var g in analytics.ForecastableSeries(query).Groups)
                    nodes.Add((breakdown.Take(depth).Select(d => g.Key[d]).ToArray(), depth, g.Points.Select(p => p.Value).ToArray()));
            }
            var length = nodes[0].Values.Length;
            if (nodes.Any(n => n.Values.Length != length)) throw new InvalidOperationException($"{metric}: series of different lengths");
            var hierarchy = Hierarchy.FromBottomPaths(nodes.Where(n => n.Depth == breakdown.Length).Select(n => (IReadOnlyList<string>)n.Path).ToList());
            var ordered = hierarchy.Nodes.Select(path => nodes.Single(n => n.Path.SequenceEqual(path))).ToList();
            var name = $"{metric} by {string.Join(" x ", breakdown)}";
            Console.WriteLine($"{name}: {ordered.Count} series of {length} months");
            for (var o = origins; o >= 1; o--)
            {
                var cut = length - o * 12;
                var train = ordered.Select(n => new TimeSeriesData(n.Values[..cut], 12, NonNegative: true)).ToList();
                var results = orchestrator.ForecastMany(train, new ForecastOptions(h, Seed: 1));
                foreach (var m in Methods)
                {
                    double[][] mean;
                    IReadOnlyList<(double[] Lo80, double[] Hi80, double[] Lo95, double[] Hi95)> bounds;
                    if (m.How is null)
                    {
                        mean = results.Select(r => r.Mean).ToArray();
                        bounds = results.Select(r => (r.Intervals[0].Lower, r.Intervals[0].Upper, r.Intervals[1].Lower, r.Intervals[1].Upper)).ToList();
                    }
                    else
                    {
                        var rec = HierarchicalForecast.Reconcile(hierarchy, results, m.How.Value, m.KeepTop, draws: 1000, seed: 1, nonNegative: true);
                        mean = rec.Mean;
                        bounds = Enumerable.Range(0, ordered.Count)
                            .Select(i => (rec.Intervals[0].Lower[i], rec.Intervals[0].Upper[i], rec.Intervals[1].Lower[i], rec.Intervals[1].Upper[i])).ToList();
                    }
                    for (var i = 0; i < ordered.Count; i++)
                    {
                        var actual = ordered[i].Values[cut..(cut + h)];
                        var scale = SeriesTools.NaiveScale(ordered[i].Values[..cut], 12);
                        if (!(scale > 0)) continue;
                        var mase = actual.Select((a, k) => Math.Abs(a - mean[i][k])).Average() / scale;
                        var c80 = actual.Select((a, k) => a >= bounds[i].Lo80[k] && a <= bounds[i].Hi80[k] ? 1.0 : 0).Average();
                        var c95 = actual.Select((a, k) => a >= bounds[i].Lo95[k] && a <= bounds[i].Hi95[k] ? 1.0 : 0).Average();
                        var level = ordered[i].Depth == 0 ? "total" : ordered[i].Depth == breakdown.Length ? "bottom" : "middle";
                        foreach (var key in new[] { (m.Name, level), (m.Name, $"{name}: {level}") })
                        {
                            if (!scores.TryGetValue(key, out var list)) scores[key] = list = [];
                            list.Add((mase, c80, c95));
                        }
                    }
                }
            }
        }
        var seconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var levels = scores.Keys.Select(k => k.Level).Distinct().OrderBy(l => l.Contains(':') ? 1 : 0).ThenBy(l => l, StringComparer.Ordinal).ToList();
        Console.WriteLine();
        Console.WriteLine($"| level | {string.Join(" | ", Methods.Select(m => m.Name))} |");
        Console.WriteLine($"|---|{string.Concat(Methods.Select(_ => "---|"))}");
        foreach (var level in levels)
        {
            var cells = Methods.Select(m => scores.TryGetValue((m.Name, level), out var l)
                ? $"{l.Average(x => x.Mase):0.000} ({100 * l.Average(x => x.C80):0.0} / {100 * l.Average(x => x.C95):0.0})" : "");
            Console.WriteLine($"| {level} (n={scores[(Methods[0].Name, level)].Count}) | {string.Join(" | ", cells)} |");
        }
        Console.WriteLine($"\nMASE (80% / 95% coverage, percent); {origins} origins, {h} months ahead; CPU {seconds:0.0} s");
        return 0;
    }
}
