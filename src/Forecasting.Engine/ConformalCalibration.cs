namespace Forecasting.Engine;

/// <summary>
/// One rolling-origin conformal score: the forecast error at step <paramref name="Step"/> (0-based) from origin
/// <paramref name="Origin"/>, the model's spread there (its h-step sd) and the series' local volatility ratio at the
/// origin (<see cref="IntervalCalibrator.LocalRatio"/>).
/// </summary>
internal readonly record struct ConformalScore(int Origin, int Step, double Error, double Spread, double Ratio);

/// <summary>
/// Split-conformal calibration fitted on one batch: every score is the error over the series' local scale,
/// spread x ratio^exponent, and the intervals are mean + q(step) x local scale with q the per-step quantiles of the
/// scores pooled across the batch (each series weighing the same; <see cref="IntervalCalibrator.Pool"/>). The
/// exponent is fitted on the same batch (<see cref="FitExponent"/>), so how much recent volatility widens an interval
/// is decided by the batch in front of it, not by a constant chosen on another collection.
/// </summary>
internal sealed class ConformalCalibration
{
    /// <summary>Exponent of the local volatility ratio in the scale (0: the model's spread alone).</summary>
    public double Exponent { get; }
    /// <summary>Per-step quantiles of the scores, per level; null when the batch is too small to pool.</summary>
    public Calibration? Quantiles { get; }

    private ConformalCalibration(double exponent, Calibration? quantiles) { Exponent = exponent; Quantiles = quantiles; }

    /// <summary>The local scale of a score or a forecast: the model's spread times ratio^exponent.</summary>
    public static double LocalScale(double spread, double ratio, double exponent) =>
        spread * (exponent == 0 || !(ratio > 0) ? 1 : Math.Pow(ratio, exponent));

    /// <summary>Standardised scores per step: error / local scale.</summary>
    public static List<double>[] Standardise(IReadOnlyList<ConformalScore> scores, double exponent)
    {
        int steps = scores.Count == 0 ? 0 : scores.Max(s => s.Step) + 1;
        var z = Enumerable.Range(0, steps).Select(_ => new List<double>()).ToArray();
        foreach (var s in scores)
        {
            double v = s.Error / LocalScale(s.Spread, s.Ratio, exponent);
            if (double.IsFinite(v)) z[s.Step].Add(v);
        }
        return z;
    }

    /// <summary>
    /// The exponent b in log|error / spread| = c + b log ratio, by least squares over the batch's scores, each series
    /// weighing the same, kept within [0, 1]: 1 makes the scale proportional to the recent volatility, 0 ignores it
    /// (also when the ratios do not vary or fewer than <paramref name="minSeries"/> series have scores).
    /// </summary>
    public static double FitExponent(IReadOnlyList<IReadOnlyList<ConformalScore>> batch, int minSeries)
    {
        var x = new List<double>(); var y = new List<double>(); var w = new List<double>();
        int series = 0;
        foreach (var scores in batch)
        {
            int first = x.Count;
            foreach (var s in scores)
            {
                double a = Math.Abs(s.Error / s.Spread);
                if (!(a > 0) || !double.IsFinite(a) || !(s.Ratio > 0) || !double.IsFinite(s.Ratio)) continue;
                x.Add(Math.Log(s.Ratio)); y.Add(Math.Log(a));
            }
            int n = x.Count - first;
            if (n > 0) series++;
            for (int i = 0; i < n; i++) w.Add(1.0 / n);
        }
        if (series < Math.Max(1, minSeries)) return 0;
        double sw = w.Sum(), mx = 0, my = 0;
        for (int i = 0; i < x.Count; i++) { mx += w[i] * x[i]; my += w[i] * y[i]; }
        mx /= sw; my /= sw;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.Count; i++) { sxy += w[i] * (x[i] - mx) * (y[i] - my); sxx += w[i] * (x[i] - mx) * (x[i] - mx); }
        if (!(sxx > 1e-12 * sw)) return 0;
        return Math.Clamp(sxy / sxx, 0, 1);
    }

    /// <summary>
    /// Fits the batch: the exponent (or <paramref name="exponent"/> when given), then the pooled per-step quantiles
    /// of the standardised scores (null below <see cref="IntervalCalibrator.PoolMinSeries"/> series), and with
    /// <paramref name="recent"/> each level's quantiles rescaled by <see cref="RecentFactor"/>.
    /// </summary>
    public static ConformalCalibration Fit(IReadOnlyList<IReadOnlyList<ConformalScore>> batch, double[] levels, IntervalCalibrator pooling,
        double? exponent = null, bool recent = false)
    {
        double b = exponent ?? FitExponent(batch, IntervalCalibrator.PoolMinSeries);
        var z = batch.Select(s => Standardise(s, b)).ToList();
        var pooled = pooling.Pool(z, levels);
        if (pooled != null && recent)
        {
            var byLevel = new Dictionary<double, (double Lo, double Hi)[]>();
            var factors = new List<string>();
            foreach (var level in levels)
            {
                double c = RecentFactor(batch, b, pooled, level);
                byLevel[level] = pooled.ByLevel[level].Select(q => (q.Lo * c, q.Hi * c)).ToArray();
                factors.Add($"{level:0.#}% x {c:0.###}");
            }
            pooled = new Calibration(byLevel, $"{pooled.Source}, rescaled to cover the latest origins ({string.Join(", ", factors)})");
        }
        return new ConformalCalibration(b, pooled);
    }

    /// <summary>
    /// How far the pooled quantiles must stretch to cover each series' scores at its latest origin (the one nearest
    /// the forecast origin) at the nominal rate: for each such score z at step k the ratio z / q_hi(k) (z / q_lo(k) below
    /// zero), and the factor is the level's quantile of these ratios, each series weighing the same (the smallest
    /// ratio whose cumulative weight reaches the level). 1 when no ratio can be formed.
    /// </summary>
    public static double RecentFactor(IReadOnlyList<IReadOnlyList<ConformalScore>> batch, double exponent, Calibration pooled, double level)
    {
        var ratios = new List<(double R, double W)>();
        foreach (var scores in batch)
        {
            if (scores.Count == 0) continue;
            int last = scores.Max(s => s.Origin);
            var latest = scores.Where(s => s.Origin == last).ToList();
            foreach (var s in latest)
            {
                double v = s.Error / LocalScale(s.Spread, s.Ratio, exponent);
                var (lo, hi) = pooled.At(level, s.Step);
                double r = v > 0 ? (hi > 0 ? v / hi : double.PositiveInfinity) : v < 0 ? (lo < 0 ? v / lo : double.PositiveInfinity) : 0;
                if (!double.IsNaN(r)) ratios.Add((r, 1.0 / latest.Count));
            }
        }
        if (ratios.Count == 0) return 1;
        ratios.Sort((x, y) => x.R.CompareTo(y.R));
        double total = ratios.Sum(x => x.W), cum = 0;
        foreach (var (r, w) in ratios)
        {
            cum += w;
            if (cum >= level / 100 * total - 1e-12) return double.IsFinite(r) ? r : 1;
        }
        return 1;
    }

    /// <summary>
    /// Intervals mean + q x spread x localScale per level and step, q the calibrated quantiles (the last step's beyond
    /// the calibrated steps), or the normal quantiles without a calibration.
    /// </summary>
    /// <param name="localScale">The series' ratio^exponent at the forecast origin.</param>
    public static List<PredictionInterval> Apply(double[] mean, double[] spread, double localScale, double[] levels, Calibration? quantiles)
    {
        int h = mean.Length;
        var intervals = new List<PredictionInterval>();
        foreach (var level in levels.OrderBy(l => l))
        {
            var lo = new double[h]; var hi = new double[h];
            double zn = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + level / 200);
            for (int k = 0; k < h; k++)
            {
                var (ql, qh) = quantiles != null ? quantiles.At(level, k) : (-zn, zn);
                double s = spread[k] * localScale;
                lo[k] = mean[k] + ql * s; hi[k] = mean[k] + qh * s;
            }
            intervals.Add(new PredictionInterval(level, lo, hi));
        }
        return intervals;
    }
}
