using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forecasting.Engine;

namespace Forecasting.Bench;

/// <summary>
/// accuracy --data FILE [--out FILE] [--method NAME[,NAME...]] [--origins N] [--limit N] [--period YEARLY|QUARTERLY|MONTHLY] [--auto-candidates a,b,c] [--naive-scale-intervals] [--holdout] [--score-all] [--calibration-origins N] [--error-weights] [--calibration-reselect] [--frozen-nonseasonal] [--pool a,b] [--nonseasonal-pool a,b] [--dispersion C] [--local-scale-seasons N] [--local-scale-exponent B] [--no-recent]
/// Forecasts each series h steps from its train values and scores them on the test values.
/// </summary>
public static class AccuracyBenchmark
{
    private sealed record Series(string Id, string Period, int Freq, int H, double[] Train, double[] Test);

    public static int Run(string[] args)
    {
        string? data = null, outFile = null, periodFilter = null;
        var methods = new List<string> { "auto" };
        int origins = new ForecastOptions(1).BacktestOrigins, limit = int.MaxValue;
        string[]? candidates = null;
        bool naiveScale = false, holdout = false, errorWeights = false, reselect = false, frozenNs = false, scoreAll = false;
        int? calOrigins = null;
        double? dispersion = null;
        int? localSeasons = null;
        double? localExponent = null;
        bool noRecent = false;
        string[]? nsPool = null, pool = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = Next(); break;
                case "--out": outFile = Next(); break;
                case "--method": methods = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(); break;
                case "--origins": origins = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--limit": limit = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--period": periodFilter = Next().ToUpperInvariant(); break;
                case "--naive-scale-intervals": naiveScale = true; break;
                case "--holdout": holdout = true; break;
                case "--score-all": scoreAll = true; break;
                case "--calibration-reselect": reselect = true; break;
                case "--frozen-nonseasonal": frozenNs = true; break;
                case "--error-weights": errorWeights = true; break;
                case "--calibration-origins": calOrigins = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--dispersion": dispersion = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--local-scale-seasons": localSeasons = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-recent": noRecent = true; break;
                case "--local-scale-exponent": localExponent = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--nonseasonal-pool": nsPool = Next().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--pool": pool = Next().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--auto-candidates": candidates = Next().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        if (data == null) { Console.Error.WriteLine("accuracy: --data FILE is required"); return 2; }

        var all = Load(data).Where(s => periodFilter == null || s.Period == periodFilter).ToList();
        if (holdout)
        {
            // Validation without the test values: the last h train values become the test, the rest the train.
            // Series left with fewer than max(8, 2 x period) values are dropped.
            all = all.Where(s => s.Train.Length - s.H >= Math.Max(8, 2 * s.Freq))
                     .Select(s => s with { Train = s.Train[..^s.H], Test = s.Train[^s.H..] }).ToList();
            Console.WriteLine($"holdout: last h values of each train series as test ({all.Count} series)");
        }
        var defaults = new ForecastOrchestrator();
        var experiments = defaults.Experiments with
        {
            NaiveScaleIntervals = naiveScale,
            CalibrationOrigins = calOrigins ?? defaults.Experiments.CalibrationOrigins,
            EqualSeriesWeights = !errorWeights && defaults.Experiments.EqualSeriesWeights,
            CalibrationReselect = reselect || defaults.Experiments.CalibrationReselect,
            ReselectNonSeasonal = !frozenNs && defaults.Experiments.ReselectNonSeasonal,
            DispersionWeight = dispersion ?? defaults.Experiments.DispersionWeight,
            LocalScaleSeasons = localSeasons ?? defaults.Experiments.LocalScaleSeasons,
            LocalScaleExponent = localExponent ?? defaults.Experiments.LocalScaleExponent,
            RecentOrigins = !noRecent && defaults.Experiments.RecentOrigins,
        };
        var orch = new ForecastOrchestrator
        {
            AutoCandidates = candidates ?? defaults.AutoCandidates, CombinationPool = pool ?? defaults.CombinationPool,
            NonSeasonalCombinationPool = nsPool ?? defaults.NonSeasonalCombinationPool, Experiments = experiments,
        };
        var csv = new StringBuilder("method,id,fc,lo80,hi80,lo95,hi95\n");
        Console.WriteLine($"{"method",-12} {"period",-10} {"series",6} {"sMAPE",7} {"MASE",7} {"cov80",6} {"cov95",6} {"msis80",7} {"msis95",7} {"time s",7} {"cpu s",7}");
        foreach (var method in methods)
        {
            var totals = new List<(double Smape, double Mase, double C80, double C95, double S80, double S95, int N)>();
            double totalTime = 0, totalCpu = 0;
            foreach (var group in all.GroupBy(s => s.Period).OrderBy(g => Order(g.Key)))
            {
                var list = group.Take(limit).ToList();
                var sw = Stopwatch.StartNew();
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var byId = new Dictionary<Series, ForecastResult>(ReferenceEqualityComparer.Instance);
                // One call per horizon so each batch shares a horizon (M1 has one h per period).
                foreach (var hGroup in list.GroupBy(s => s.H))
                {
                    var batch = hGroup.ToList();
                    var opts = new ForecastOptions(hGroup.Key, method, new double[] { 80, 95 }, origins, Seed: 42, ScoreAllCandidates: scoreAll);
                    var res = orch.ForecastMany(batch.Select(s => new TimeSeriesData(s.Train, s.Freq)).ToList(), opts);
                    for (int i = 0; i < batch.Count; i++) byId[batch[i]] = res[i];
                }
                sw.Stop();
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
                totalTime += sw.Elapsed.TotalSeconds; totalCpu += cpu;
                double smape = 0, mase = 0, c80 = 0, c95 = 0, s80 = 0, s95 = 0; int cells = 0;
                for (int i = 0; i < list.Count; i++)
                {
                    var s = list[i]; var r = byId[s];
                    var i80 = r.Intervals.First(iv => iv.Level == 80); var i95 = r.Intervals.First(iv => iv.Level == 95);
                    // Each series counts once (mean over its horizons), as in the M-competition tables.
                    smape += Accuracy.Smape(s.Test, r.Mean);
                    mase += Accuracy.Mase(s.Train, s.Freq, s.Test, r.Mean);
                    c80 += Accuracy.Coverage(s.Test, i80.Lower, i80.Upper);
                    c95 += Accuracy.Coverage(s.Test, i95.Lower, i95.Upper);
                    s80 += Accuracy.Msis(s.Train, s.Freq, s.Test, i80.Lower, i80.Upper, 80);
                    s95 += Accuracy.Msis(s.Train, s.Freq, s.Test, i95.Lower, i95.Upper, 95);
                    cells++;
                    csv.Append(method).Append(',').Append(s.Id).Append(',').Append(Join(r.Mean)).Append(',')
                       .Append(Join(i80.Lower)).Append(',').Append(Join(i80.Upper)).Append(',')
                       .Append(Join(i95.Lower)).Append(',').Append(Join(i95.Upper)).Append('\n');
                }
                totals.Add((smape, mase, c80, c95, s80, s95, cells));
                Console.WriteLine($"{method,-12} {group.Key,-10} {cells,6} {smape / cells,7:0.00} {mase / cells,7:0.000} {100 * c80 / cells,6:0.0} {100 * c95 / cells,6:0.0} {s80 / cells,7:0.000} {s95 / cells,7:0.000} {sw.Elapsed.TotalSeconds,7:0.0} {cpu,7:0.0}");
                // The exponent of the volatility ratio fitted on this batch's conformal scores (when above 0) and the recent rescaling.
                if (byId.Values.SelectMany(r => r.Notes).Where(n => n.StartsWith("local scale:", StringComparison.Ordinal) || n.Contains("latest origins", StringComparison.Ordinal)).Distinct().ToList() is { Count: > 0 } found)
                    foreach (var note in found) Console.WriteLine($"{"",-12} {group.Key,-10} {note}");
            }
            int n = totals.Sum(t => t.N);
            if (totals.Count > 1)
                Console.WriteLine($"{method,-12} {"ALL",-10} {n,6} {totals.Sum(t => t.Smape) / n,7:0.00} {totals.Sum(t => t.Mase) / n,7:0.000} {100 * totals.Sum(t => t.C80) / n,6:0.0} {100 * totals.Sum(t => t.C95) / n,6:0.0} {totals.Sum(t => t.S80) / n,7:0.000} {totals.Sum(t => t.S95) / n,7:0.000} {totalTime,7:0.0} {totalCpu,7:0.0}");
        }
        if (outFile != null) File.WriteAllText(outFile, csv.ToString());
        return 0;
    }

    private static int Order(string p) => p switch { "MONTHLY" => 0, "QUARTERLY" => 1, "YEARLY" => 2, _ => 3 };

    private static string Join(double[] v) => string.Join(' ', v.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));

    private static List<Series> Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = SplitCsv(lines[0]);
        int Col(string name) => Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i : throw new InvalidDataException($"column {name} missing in {path}");
        int cId = Col("id"), cPeriod = Col("period"), cFreq = Col("freq"), cH = Col("h"), cTrain = Col("train"), cTest = Col("test");
        var list = new List<Series>();
        foreach (var line in lines.Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var f = SplitCsv(line);
            list.Add(new Series(f[cId], f[cPeriod].ToUpperInvariant(), int.Parse(f[cFreq], CultureInfo.InvariantCulture), int.Parse(f[cH], CultureInfo.InvariantCulture), Numbers(f[cTrain]), Numbers(f[cTest])));
        }
        return list;
    }

    private static double[] Numbers(string s) =>
        s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => x == "NA" ? double.NaN : double.Parse(x, CultureInfo.InvariantCulture)).ToArray();

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>(); var cur = new StringBuilder(); bool q = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (q) { if (c == '"') { if (i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; } else q = false; } else cur.Append(c); }
            else if (c == '"') q = true;
            else if (c == ',') { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        fields.Add(cur.ToString());
        return fields.ToArray();
    }
}
