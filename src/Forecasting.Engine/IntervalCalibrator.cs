using Forecasting.Engine.Models;
using MathNet.Numerics.Distributions;

namespace Forecasting.Engine;

/// <summary>Lower and upper standardised-error quantiles per level, per step ahead.</summary>
internal sealed record Calibration(Dictionary<double, (double Lo, double Hi)[]> ByLevel, string Source)
{
    public (double Lo, double Hi) At(double level, int k)
    {
        var arr = ByLevel[level];
        return arr[Math.Min(k, arr.Length - 1)];
    }
}

/// <summary>
/// Conformal interval calibration, in the manner of statsforecast's <c>ConformalIntervals(h, n_windows)</c>: forecast
/// errors from rolling origins (<see cref="Scores"/>), divided by the series' local scale (the model's own h-step
/// standard deviation times its volatility ratio to the batch's fitted exponent, <see cref="ConformalCalibration"/>), and
/// their empirical quantiles replace the normal quantiles. The errors come from the backtest origins plus <see cref="CalibrationOrigins"/>
/// further origins spread evenly over the history, at which the chosen model is refitted only for calibration. In a
/// batch of at least <see cref="PoolMinSeries"/> series of one period the quantiles are pooled per step (with the
/// neighbouring steps) across the batch, every series weighing the same at each step when
/// <see cref="EqualSeriesWeights"/>; otherwise each series uses its own errors shrunk towards the normal quantiles.
/// </summary>
internal sealed class IntervalCalibrator
{
    public const int PoolMinSeries = 30;
    /// <summary>Normal pseudo-observations a single series' quantiles are shrunk towards.</summary>
    public const int ShrinkPseudoCount = 20;
    /// <summary>Folds of series for the out-of-sample coverage of pooled calibration.</summary>
    public const int CoverageFolds = 5;

    public int CalibrationOrigins { get; init; } = 12;
    public bool EqualSeriesWeights { get; init; } = true;
    /// <summary>Standardise errors by the series' in-sample naive MAE instead of the model's h-step sd (experiment).</summary>
    public bool NaiveScale { get; init; }

    /// <summary>
    /// Seasons of recent history whose seasonal differences give a seasonal series' volatility ratio (0 = none); see
    /// <see cref="LocalRatio"/>.
    /// </summary>
    public int LocalScaleSeasons { get; init; } = 3;

    /// <summary>
    /// Exponent of the volatility ratio in the local scale, fitted per batch (<see cref="ConformalCalibration.FitExponent"/>);
    /// 0 leaves the model's spread alone.
    /// </summary>
    public double Exponent { get; init; }

    /// <summary>Numerical guard on the volatility ratio (kept within [1/guard, guard]), so one flat stretch cannot dominate the fit of the exponent.</summary>
    public const double RatioGuard = 4;

    /// <summary>
    /// How much more (or less) a seasonal series has moved lately than before origin <paramref name="t"/>: the mean
    /// absolute seasonal difference |y_i - y_(i-m)| over the last <see cref="LocalScaleSeasons"/> seasons before t (at
    /// most half the differences), over the same mean on the earlier history. 1 for non-seasonal series and when fewer
    /// than four seasons precede the origin.
    /// </summary>
    public double LocalRatio(double[] y, int t, int period)
    {
        int m = period;
        if (LocalScaleSeasons <= 0 || m <= 1 || t <= 4 * m || t > y.Length) return 1;
        int count = t - m, recent = Math.Min(count / 2, LocalScaleSeasons * m);
        double before = 0, lately = 0; int nBefore = 0, nLately = 0;
        for (int i = m; i < t; i++)
        {
            double d = Math.Abs(y[i] - y[i - m]);
            if (!double.IsFinite(d)) continue;
            if (i >= t - recent) { lately += d; nLately++; } else { before += d; nBefore++; }
        }
        if (nBefore == 0 || nLately == 0 || before <= 0 || lately <= 0) return 1;
        return Math.Clamp(lately / nLately / (before / nBefore), 1 / RatioGuard, RatioGuard);
    }

    /// <summary>This calibrator with another <see cref="Exponent"/> (the batch's).</summary>
    public IntervalCalibrator WithExponent(double exponent) => new()
    {
        CalibrationOrigins = CalibrationOrigins, EqualSeriesWeights = EqualSeriesWeights, NaiveScale = NaiveScale,
        LocalScaleSeasons = LocalScaleSeasons, Exponent = exponent,
    };

    /// <summary>The factor on the model's spread at origin t: <see cref="LocalRatio"/> to the power <see cref="Exponent"/>.</summary>
    public double LocalScale(double[] y, int t, int period) =>
        Exponent == 0 ? 1 : Math.Pow(LocalRatio(y, t, period), Exponent);

    /// <summary>The unit in which errors are standardised: the model's h-step sd, or the series' naive scale.</summary>
    public double Spread(double sd, int k, double scale) =>
        NaiveScale ? scale : sd > 1e-9 * scale && double.IsFinite(sd) ? sd : scale * Math.Sqrt(k + 1);

    /// <summary>A forecast error in the unit the intervals are built from: the spread at step k times the local scale.</summary>
    private double Standardised(double actual, double forecast, double sd, int k, double scale, double local) =>
        (actual - forecast) / (Spread(sd, k, scale) * local);

    /// <summary>Standardised errors per step (<see cref="Scores"/> over the local scale with this calibrator's <see cref="Exponent"/>).</summary>
    public List<double>[] Errors(CandidateRun chosen, IForecastModel? refit, double[] y, int m, int h, BacktestPlan plan, double scale, CancellationToken ct = default) =>
        ConformalCalibration.Standardise(Scores(chosen, refit, y, m, h, plan, scale, ct), Exponent);

    /// <summary>
    /// Conformal scores: the chosen candidate's backtest errors, then those of <paramref name="refit"/> (the chosen
    /// model, refitted) at the calibration origins, each with the model's spread and the series' volatility ratio there.
    /// </summary>
    public List<ConformalScore> Scores(CandidateRun chosen, IForecastModel? refit, double[] y, int m, int h, BacktestPlan plan, double scale, CancellationToken ct = default)
    {
        var res = new List<ConformalScore>();
        for (int j = 0; j < plan.Origins.Length; j++)
        {
            if (chosen.Fc[j] is not { } f) continue;
            var sd = chosen.Sd[j]!;
            int t0 = plan.Origins[j];
            double ratio = LocalRatio(y, t0, m);
            for (int k = 0; k < plan.Hb; k++)
                if (double.IsFinite(y[t0 + k] - f[k])) res.Add(new ConformalScore(t0, k, y[t0 + k] - f[k], Spread(sd[k], k, scale), ratio));
        }
        if (refit == null || CalibrationOrigins <= 0) return res;
        foreach (int t in CalibrationPlan(y.Length, m, CalibrationOrigins, plan))
        {
            // A refit can take a while (a non-seasonal series repeats its order search): stop between them on cancel.
            ct.ThrowIfCancellationRequested();
            int hk = Math.Min(h, y.Length - t);
            try
            {
                var f = refit.Fit(y[..t], m);
                var fc = f.Forecast(hk); var sd = f.ForecastStdDev(hk);
                double ratio = LocalRatio(y, t, m);
                for (int k = 0; k < hk; k++)
                {
                    var score = new ConformalScore(t, k, y[t + k] - fc[k], Spread(sd[k], k, scale), ratio);
                    if (double.IsFinite(score.Error / score.Spread)) res.Add(score);
                }
            }
            catch (ArgumentException) { }
        }
        return res;
    }

    /// <summary>
    /// Origins (points used) for calibration only: up to <paramref name="count"/> evenly spaced over
    /// [minimum training length, n - 1], excluding the backtest origins.
    /// </summary>
    internal static int[] CalibrationPlan(int n, int period, int count, BacktestPlan plan)
    {
        int minTrain = BacktestPlan.MinTrain(period);
        if (count <= 0 || n - 1 < minTrain) return Array.Empty<int>();
        int span = n - 1 - minTrain;
        var set = new SortedSet<int>();
        for (int j = 0; j < count; j++)
            set.Add(count == 1 ? n - 1 : minTrain + (int)Math.Round(span * (double)j / (count - 1)));
        set.ExceptWith(plan.Origins);
        return set.ToArray();
    }

    /// <summary>Quantiles pooled across the series' errors (each element one series' errors per step); null below <see cref="PoolMinSeries"/> series.</summary>
    public Calibration? Pool(IReadOnlyList<List<double>[]> series, double[] levels, int minSeries = PoolMinSeries)
    {
        var idx = series.Where(z => z.Length > 0).ToList();
        if (idx.Count == 0 || idx.Count < minSeries) return null;
        int maxK = idx.Max(z => z.Length);
        var byLevel = new Dictionary<double, (double, double)[]>();
        foreach (var level in levels) byLevel[level] = new (double, double)[maxK];
        for (int k = 0; k < maxK; k++)
        {
            // Neighbouring steps are pooled to smooth the quantiles.
            var zs = new List<double>(); var ws = new List<double>();
            foreach (var z in idx)
            {
                int first = zs.Count;
                foreach (int kk in new[] { Math.Max(0, k - 1), k, Math.Min(maxK - 1, k + 1) })
                    if (kk < z.Length) zs.AddRange(z[kk].Where(double.IsFinite));
                int cnt = zs.Count - first;
                for (int c = 0; c < cnt; c++) ws.Add(EqualSeriesWeights ? 1.0 / cnt : 1.0);
            }
            foreach (var level in levels)
                byLevel[level][k] = EqualSeriesWeights ? WeightedQuantiles(zs, ws, level) : Quantiles(zs, level, 0);
        }
        return new Calibration(byLevel, $"intervals calibrated on backtest errors pooled across {idx.Count} series");
    }

    /// <summary>
    /// Pooled quantiles for measuring coverage out of sample: the series are split into <see cref="CoverageFolds"/>
    /// folds (by position) and each fold's quantiles pool only the other folds, so no series is scored against
    /// quantiles that contain its own errors. Element i is the calibration for series i (null where not pooled).
    /// </summary>
    public Calibration?[] PoolHeldOut(IReadOnlyList<List<double>[]> series, double[] levels)
    {
        var result = new Calibration?[series.Count];
        if (series.Count(z => z.Length > 0) < PoolMinSeries) return result;
        for (int fold = 0; fold < CoverageFolds; fold++)
        {
            var others = series.Where((z, i) => i % CoverageFolds != fold).ToList();
            var cal = Pool(others, levels, 1);
            for (int i = fold; i < series.Count; i += CoverageFolds) result[i] = cal;
        }
        return result;
    }

    /// <summary>One series' own errors (all steps together), shrunk towards the normal quantiles.</summary>
    public static Calibration Local(List<double>[] z, double[] levels)
    {
        var all = z.SelectMany(x => x).ToList();
        var byLevel = new Dictionary<double, (double, double)[]>();
        foreach (var level in levels) byLevel[level] = new[] { Quantiles(all, level, ShrinkPseudoCount) };
        return new Calibration(byLevel, $"intervals calibrated on this series' {all.Count} backtest errors");
    }

    /// <summary>Intervals mean + q sd per level, q the calibrated quantiles (normal quantiles without calibration); zero width for a constant series.</summary>
    /// <param name="localScale">The series' <see cref="LocalScale"/> at its end.</param>
    public List<PredictionInterval> Intervals(double[] mean, double[] sd, double scale, double[] levels, Calibration? cal, bool constant, double localScale = 1) =>
        ConformalCalibration.Apply(mean, sd.Select((v, k) => constant ? 0 : Spread(v, k, scale)).ToArray(), localScale, levels, cal);

    /// <summary>
    /// Share of a candidate's backtest actuals inside its calibrated intervals, each origin scored out of sample: with
    /// <paramref name="pooledHeldOut"/> (quantiles pooled over other series only), otherwise with the quantiles of the
    /// candidate's errors at the other origins.
    /// </summary>
    public IReadOnlyDictionary<double, double> Coverage(CandidateRun r, double[] y, int period, BacktestPlan plan, double scale, double[] levels,
        Calibration? pooledHeldOut)
    {
        var cov = new Dictionary<double, double>();
        var localAt = plan.Origins.Select(t => LocalScale(y, t, period)).ToArray();
        foreach (var level in levels)
        {
            int inside = 0, total = 0;
            for (int j = 0; j < plan.Origins.Length; j++)
            {
                if (r.Fc[j] == null) continue;
                (double Lo, double Hi) q = (0, 0);
                if (pooledHeldOut == null)
                {
                    var others = new List<double>();
                    for (int jj = 0; jj < plan.Origins.Length; jj++)
                    {
                        if (jj == j || r.Fc[jj] is not { } f) continue;
                        for (int k = 0; k < plan.Hb; k++) others.Add(Standardised(y[plan.Origins[jj] + k], f[k], r.Sd[jj]![k], k, scale, localAt[jj]));
                    }
                    q = Quantiles(others, level, ShrinkPseudoCount);
                }
                for (int k = 0; k < plan.Hb; k++)
                {
                    var (lo, hi) = pooledHeldOut != null ? pooledHeldOut.At(level, k) : q;
                    double e = Standardised(y[plan.Origins[j] + k], r.Fc[j]![k], r.Sd[j]![k], k, scale, localAt[j]);
                    if (e >= lo && e <= hi) inside++;
                    total++;
                }
            }
            cov[level] = total == 0 ? double.NaN : inside / (double)total;
        }
        return cov;
    }

    /// <summary>Empirical quantiles of standardised errors, shrunk towards the normal quantiles with weight n0 pseudo-observations.</summary>
    internal static (double Lo, double Hi) Quantiles(List<double> z, double level, int n0)
    {
        double a = 1 - level / 100, zn = Normal.InvCDF(0, 1, 1 - a / 2);
        var finite = z.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return (-zn, zn);
        Array.Sort(finite);
        int n = finite.Length;
        // Split-conformal style finite-sample correction of the tail probabilities.
        double pHi = Math.Min(1, (1 - a / 2) * (n + 1) / n), pLo = Math.Max(0, 1 - pHi);
        double lo = SeriesTools.Quantile(finite, pLo), hi = SeriesTools.Quantile(finite, pHi);
        double w = n / (double)(n + n0);
        lo = w * lo + (1 - w) * -zn; hi = w * hi + (1 - w) * zn;
        return (Math.Min(lo, 0), Math.Max(hi, 0));
    }

    /// <summary>
    /// Weighted empirical quantiles (lower, upper) of standardised errors for a central interval of the given level.
    /// Each error stands for the weight interval it occupies in the sorted order; the quantile at probability p is
    /// interpolated linearly between the weight midpoints (for equal weights: (i + 0.5) / n). The tail probability is
    /// corrected for the sample size as in split conformal prediction, with the effective size (sum w)^2 / sum w^2.
    /// </summary>
    internal static (double Lo, double Hi) WeightedQuantiles(IReadOnlyList<double> z, IReadOnlyList<double> w, double level)
    {
        double a = 1 - level / 100, zn = Normal.InvCDF(0, 1, 1 - a / 2);
        var pairs = Enumerable.Range(0, z.Count).Where(i => double.IsFinite(z[i]) && w[i] > 0).Select(i => (Z: z[i], W: w[i])).OrderBy(p => p.Z).ToArray();
        if (pairs.Length == 0) return (-zn, zn);
        double total = pairs.Sum(p => p.W), nEff = total * total / pairs.Sum(p => p.W * p.W);
        var mid = new double[pairs.Length];
        double cum = 0;
        for (int i = 0; i < pairs.Length; i++) { mid[i] = (cum + pairs[i].W / 2) / total; cum += pairs[i].W; }
        double Q(double p)
        {
            if (p <= mid[0]) return pairs[0].Z;
            if (p >= mid[^1]) return pairs[^1].Z;
            int hi = Array.FindIndex(mid, m => m >= p), lo = hi - 1;
            double t = (p - mid[lo]) / (mid[hi] - mid[lo]);
            return pairs[lo].Z + t * (pairs[hi].Z - pairs[lo].Z);
        }
        double pHi = Math.Min(1, (1 - a / 2) * (nEff + 1) / nEff), pLo = Math.Max(0, 1 - pHi);
        return (Math.Min(Q(pLo), 0), Math.Max(Q(pHi), 0));
    }
}
