using Forecasting.Engine.Models;

namespace Forecasting.Engine;

/// <summary>Rolling origins (number of points used at each origin) and the backtest horizon.</summary>
internal sealed record BacktestPlan(int[] Origins, int Hb)
{
    public static int MinTrain(int period) => Math.Max(Preparation.MinimumLength, period > 1 ? 2 * period : 6);

    public static BacktestPlan Make(int n, int period, int h, int origins)
    {
        int minTrain = MinTrain(period);
        int avail = n - minTrain;
        if (origins <= 0 || avail < 2) return new BacktestPlan(Array.Empty<int>(), 0);
        int hb = Math.Min(h, Math.Max(1, avail * 2 / 3));
        int span = n - hb - minTrain;
        int step = origins > 1 ? Math.Max(1, Math.Min(period > 1 ? Math.Max(1, period / 4) : 1, span / (origins - 1))) : 1;
        var list = new List<int>();
        for (int j = 0; j < origins; j++)
        {
            int t = n - hb - j * step;
            if (t < minTrain) break;
            list.Add(t);
        }
        list.Reverse();
        return new BacktestPlan(list.ToArray(), hb);
    }
}

/// <summary>A candidate: its fit on all the data, its forecasts and spreads from each backtest origin, and its score.</summary>
internal sealed class CandidateRun
{
    public required string Name;
    public required IFittedForecast Full;
    /// <summary>Forecasts (steps 1..Hb) from each origin of the plan; null where the refit failed.</summary>
    public double[]?[] Fc = Array.Empty<double[]?>();
    public double[]?[] Sd = Array.Empty<double[]?>();
    public ModelScore? Score;
    /// <summary>Member names, for the combination.</summary>
    public IReadOnlyList<string> Members = Array.Empty<string>();
}

/// <summary>Rolling-origin backtest: refits at each origin and MAE / RMSE / sMAPE / MASE over the origins.</summary>
internal static class Backtest
{
    /// <summary>
    /// Backtests a fitted candidate: its frozen form refitted on the data before each origin, or
    /// <paramref name="refit"/> (the model with its own selection) when given.
    /// </summary>
    public static CandidateRun Run(string name, IFittedForecast full, double[] y, int m, BacktestPlan plan, double scale, CancellationToken ct,
        IForecastModel? refit = null)
    {
        var run = new CandidateRun { Name = name, Full = full };
        if (plan.Origins.Length == 0) return run;
        run.Fc = new double[]?[plan.Origins.Length];
        run.Sd = new double[]?[plan.Origins.Length];
        for (int j = 0; j < plan.Origins.Length; j++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var f = (refit ?? full.Frozen).Fit(y[..plan.Origins[j]], m);
                run.Fc[j] = f.Forecast(plan.Hb);
                run.Sd[j] = f.ForecastStdDev(plan.Hb);
            }
            catch (ArgumentException) { }
        }
        run.Score = Score(run, y, plan, scale);
        return run;
    }

    /// <summary>
    /// The equal-weight combination of backtested members: its forecasts at each origin are the members' mean and its
    /// spread is the combination's (<see cref="CombinationModel.Spread"/>), so nothing is refitted.
    /// </summary>
    public static CandidateRun Combine(IReadOnlyList<CandidateRun> members, double[] y, BacktestPlan plan, double scale, double dispersionWeight)
    {
        var comb = new CandidateRun
        {
            Name = "combination",
            Full = CombinationModel.Combine(members.Select(r => r.Full).ToList(), dispersionWeight),
            Members = members.Select(r => r.Name).ToList(),
        };
        if (plan.Origins.Length == 0) return comb;
        comb.Fc = new double[]?[plan.Origins.Length];
        comb.Sd = new double[]?[plan.Origins.Length];
        for (int j = 0; j < plan.Origins.Length; j++)
        {
            if (members.Any(r => r.Fc[j] == null)) continue;
            comb.Fc[j] = Enumerable.Range(0, plan.Hb).Select(k => members.Average(r => r.Fc[j]![k])).ToArray();
            var meanSd = Enumerable.Range(0, plan.Hb).Select(k => members.Average(r => r.Sd[j]![k])).ToArray();
            comb.Sd[j] = CombinationModel.Spread(meanSd, members.Select(r => r.Fc[j]!).ToList(), dispersionWeight);
        }
        comb.Score = Score(comb, y, plan, scale);
        return comb;
    }

    public static ModelScore Score(CandidateRun r, double[] y, BacktestPlan plan, double scale)
    {
        double ae = 0, se = 0, sm = 0; int c = 0;
        for (int j = 0; j < plan.Origins.Length; j++)
        {
            if (r.Fc[j] is not { } f) continue;
            for (int k = 0; k < plan.Hb; k++)
            {
                double a = y[plan.Origins[j] + k], e = a - f[k];
                if (!double.IsFinite(e)) { ae = double.PositiveInfinity; continue; }
                ae += Math.Abs(e); se += e * e; sm += Accuracy.SmapeTerm(a, f[k]); c++;
            }
        }
        if (c == 0) return new ModelScore(r.Name, double.NaN, double.NaN, double.NaN, double.NaN, new Dictionary<double, double>());
        return new ModelScore(r.Name, ae / c, Math.Sqrt(se / c), sm / c, ae / c / scale, new Dictionary<double, double>());
    }
}

/// <summary>Model selection for "auto" and "combination".</summary>
internal static class ModelSelection
{
    /// <summary>
    /// The combination when it exists and has a finite backtest MASE (or there is no backtest); otherwise the candidate
    /// with the lowest backtest MASE (without a backtest: ETS, else the first). A few backtest origins are a noisy
    /// guide: on M1 choosing a single model over the combination by backtest MASE lost accuracy at every margin
    /// tried (bench/README.md). For intermittent series an intermittent-demand model replaces the choice when its
    /// backtest MASE is lower (no margin: these models are built for such series, the others are not).
    /// </summary>
    public static CandidateRun Choose(IReadOnlyList<CandidateRun> runs, bool combinationOnly, bool backtested, IReadOnlyCollection<string> intermittentModels)
    {
        var pool = combinationOnly && runs.Any(r => r.Name == "combination") ? runs.Where(r => r.Name == "combination").ToList() : runs.ToList();
        var comb = pool.FirstOrDefault(r => r.Name == "combination");
        var bestSingle = pool.Where(Scored).OrderBy(r => r.Score!.Mase).FirstOrDefault();
        CandidateRun chosen;
        if (!backtested || bestSingle == null) chosen = comb ?? pool.FirstOrDefault(r => r.Name == "ets") ?? pool[0];
        else if (comb != null && Scored(comb)) chosen = comb;
        else chosen = bestSingle;
        if (backtested && intermittentModels.Count > 0
            && pool.Where(r => intermittentModels.Contains(r.Name) && Scored(r)).OrderBy(r => r.Score!.Mase).FirstOrDefault() is { } im
            && (!Scored(chosen) || im.Score!.Mase < chosen.Score!.Mase))
            chosen = im;
        return chosen;
    }

    public static bool Scored(CandidateRun r) => r.Score is { } s && double.IsFinite(s.Mase);
}
