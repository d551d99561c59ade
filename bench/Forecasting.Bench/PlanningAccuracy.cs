using System.Diagnostics;
using System.Globalization;
using Forecasting.Domain;
using Forecasting.Planning;

namespace Forecasting.Bench;

/// <summary>
/// planning-accuracy [--draws N] [--from yyyy] [--levers json]
/// The sample's baseline as of each 31 March from --from (default 2019) to 2024 against what happened at each later
/// 31 March, beside the naive forecast (the value at the origin carried forward; lettings: the last 12 months'):
/// mean absolute error and bias per measure, all groups and per group, and the share of actuals inside P10-P90.
/// A quick accuracy check of the model; the planning backtest reports the full scores.
/// </summary>
public static class PlanningAccuracy
{
    private const string Council = SampleStore.Council;

    public static int Run(string[] args)
    {
        var draws = 500;
        var from = 2019;
        string? show = null;
        ScenarioLevers levers = ScenarioLevers.Baseline;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--draws": draws = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--from": from = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--show": show = Next(); break;
                case "--levers": levers = ScenarioJson.Deserialize<ScenarioLevers>(Next()); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var ci = CultureInfo.InvariantCulture;
        using var sample = new SampleStore("accuracy");
        var runner = sample.Runner();
        var end = new DateOnly(2025, 3, 31);
        var actual = new Dictionary<int, PlanningBaseline>();
        PlanningBaseline At(DateOnly d) => actual.TryGetValue(d.Year, out var b) ? b : actual[d.Year] = runner.Baseline(Council, d);
        var rows = new List<(string Measure, string Group, int Horizon, double Actual, double Mean, double Naive, double P10, double P90)>();
        if (show is not null)
            for (var year = from; year < end.Year; year++)
            {
                var b = runner.Baseline(Council, new DateOnly(year, 3, 31));
                var h = b.NeedArising[show].Values;
                var blocks = Enumerable.Range(0, h.Length / 12).Select(i => h.Skip(h.Length - (h.Length / 12 - i) * 12).Take(12).Sum());
                var fit = NeedRateProjector.Fit(h);
                Console.WriteLine(string.Format(ci, "{0}: arising by year [{1}] level {2:0.0}/y slope {3:+0.00;-0.00} exit {4:0.000} other removal {5:0.000} mortality {6:0.000} relet {7:0.0} list {8}",
                    year, string.Join(" ", blocks), fit is null ? 0 : Math.Exp(fit.Level), fit?.Slope ?? 0, b.ExitRate(show) * 12, b.OtherRemovalRate(show) * 12,
                    b.Mortality(show) * 12, b.Turnover.GetValueOrDefault(show)?.MeanRelet ?? 0, b.WaitingList.GetValueOrDefault(show)));
            }
        var watch = Stopwatch.StartNew();
        for (var year = from; year < end.Year; year++)
        {
            var origin = new DateOnly(year, 3, 31);
            var result = runner.Run(Council, levers, "accuracy", null, null,
                new RunOptions(draws, ScenarioRunner.DefaultSeed, AsOf: origin, Years: end.Year - year, Save: false));
            var atOrigin = At(origin);
            for (var fy = year; fy < end.Year; fy++)
            {
                var yearEnd = At(new DateOnly(fy + 1, 3, 31));
                foreach (var group in ClientGroups.Known.Append(ClientGroups.All))
                    foreach (var measure in new[] { Measures.Housed, Measures.WaitingList, Measures.Lettings })
                    {
                        var d = result.Simulation!.Measures.SingleOrDefault(m => m.Fy == fy && m.ClientGroup == group && m.Measure == measure);
                        if (d is null) continue;
                        rows.Add((measure, group, fy - year + 1, Value(yearEnd, group, measure), d.Mean, Value(atOrigin, group, measure), d.P10, d.P90));
                    }
            }
        }
        if (show is not null)
            foreach (var r in rows.Where(r => r.Group == show))
                Console.WriteLine(string.Format(ci, "{0,-13} h{1} actual {2,6:0} mean {3,7:0.0} naive {4,6:0} P10 {5,7:0.0} P90 {6,7:0.0}",
                    r.Measure, r.Horizon, r.Actual, r.Mean, r.Naive, r.P10, r.P90));
        Console.WriteLine($"{draws} draws, origins 31 March {from}-{end.Year - 1}, {watch.Elapsed.TotalSeconds.ToString("0.0", ci)} s");
        Console.WriteLine($"{"measure",-13} {"group",-17} {"rows",4} {"MAE",7} {"naive",7} {"bias",7} {"naive",7} {"P10-P90",8}");
        foreach (var measure in new[] { Measures.Housed, Measures.WaitingList, Measures.Lettings })
        {
            void Line(string label, IReadOnlyList<(string Measure, string Group, int Horizon, double Actual, double Mean, double Naive, double P10, double P90)> of) =>
                Console.WriteLine(string.Format(ci, "{0,-13} {1,-17} {2,4} {3,7:0.0} {4,7:0.0} {5,7:+0.0;-0.0} {6,7:+0.0;-0.0} {7,8:P0}", measure, label, of.Count,
                    of.Average(r => Math.Abs(r.Mean - r.Actual)), of.Average(r => Math.Abs(r.Naive - r.Actual)), of.Average(r => r.Mean - r.Actual),
                    of.Average(r => r.Naive - r.Actual), of.Count(r => r.Actual >= r.P10 && r.Actual <= r.P90) / (double)of.Count));
            Line(ClientGroups.All, rows.Where(r => r.Measure == measure && r.Group == ClientGroups.All).ToList());
            Line("per group", rows.Where(r => r.Measure == measure && r.Group != ClientGroups.All).ToList());
            foreach (var g in ClientGroups.Known) Line("  " + g, rows.Where(r => r.Measure == measure && r.Group == g).ToList());
        }
        return 0;
    }

    private static double Value(PlanningBaseline b, string group, string measure)
    {
        bool Of(string g) => group == ClientGroups.All || g == group;
        return measure switch
        {
            Measures.Housed => b.Schemes.Where(s => Of(s.ClientGroup) && s.OpenAt(b.AsOf)).Sum(s => (double)s.Occupied),
            Measures.WaitingList => b.WaitingList.Where(kv => Of(kv.Key)).Sum(kv => (double)kv.Value),
            _ => b.NewTenancies.Where(kv => Of(kv.Key)).Sum(kv => kv.Value.Values.TakeLast(12).Sum()),
        };
    }
}
