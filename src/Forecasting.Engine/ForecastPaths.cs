namespace Forecasting.Engine;

/// <summary>
/// Joint uncertainty of a forecast over its horizon, for drawing sample paths and for the variance of sums of
/// steps (a year of a monthly forecast). The forecast's marginal variance at step h (from its prediction interval)
/// is split into a part independent from step to step (count noise, e.g. a Poisson mean) and a persistent part
/// that accumulates as independent increments, like the level of an exponential-smoothing state:
/// Y_h = mean_h + L_h + e_h, L_h = L_(h-1) + u_h, var(u_h) = V_h - V_(h-1), with V_h the persistent variance made
/// non-decreasing. Every path reproduces the interval's marginal variance (up to the non-decreasing adjustment),
/// and cov(Y_i, Y_j) = V_min(i,j) for i != j, so a yearly sum is far wider than independent months would give.
/// </summary>
public sealed class ForecastPaths
{
    public double[] Mean { get; }
    /// <summary>Standard deviation of the persistent increment at each step.</summary>
    public double[] IncrementSd { get; }
    /// <summary>Variance of the independent part at each step.</summary>
    public double[] IndependentVariance { get; }
    /// <summary>Persistent variance at each step (cumulative, non-decreasing).</summary>
    public double[] PersistentVariance { get; }

    private ForecastPaths(double[] mean, double[] incrementSd, double[] independent, double[] persistent)
    {
        Mean = mean;
        IncrementSd = incrementSd;
        IndependentVariance = independent;
        PersistentVariance = persistent;
    }

    /// <summary>
    /// From a forecast's mean and the upper bound of its central interval at <paramref name="level"/> percent
    /// (a normal interval: sd = (upper - mean) / z). <paramref name="independentVariance"/> (null = none) is the
    /// part of each step's variance that does not persist; the rest persists.
    /// </summary>
    public static ForecastPaths FromInterval(double[] mean, double[] upper, double level, double[]? independentVariance = null)
    {
        if (upper.Length != mean.Length) throw new ArgumentException("mean and upper differ in length", nameof(upper));
        if (level is <= 0 or >= 100) throw new ArgumentOutOfRangeException(nameof(level), "level must be between 0 and 100");
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + level / 200.0);
        var n = mean.Length;
        var independent = new double[n];
        var persistent = new double[n];
        var increments = new double[n];
        var previous = 0.0;
        for (var h = 0; h < n; h++)
        {
            var sd = Math.Max(0, (upper[h] - mean[h]) / z);
            var total = sd * sd;
            independent[h] = Math.Min(total, Math.Max(0, independentVariance?[h] ?? 0));
            persistent[h] = Math.Max(previous, total - independent[h]);
            increments[h] = Math.Sqrt(persistent[h] - previous);
            previous = persistent[h];
        }
        return new ForecastPaths((double[])mean.Clone(), increments, independent, persistent);
    }

    /// <summary>Variance of the sum of steps <paramref name="from"/>..<paramref name="to"/> (inclusive).</summary>
    public double VarianceOfSum(int from, int to)
    {
        double variance = 0;
        for (var i = from; i <= to; i++)
        {
            variance += IndependentVariance[i] + PersistentVariance[i];
            for (var j = i + 1; j <= to; j++) variance += 2 * PersistentVariance[i];
        }
        return variance;
    }

    /// <summary>
    /// Fills <paramref name="path"/> with one sample path of the persistent part (mean plus accumulated increments),
    /// using <paramref name="standardNormal"/> for each step's increment; the independent part is left to the caller
    /// (a count distribution around the path, or <see cref="IndependentVariance"/> as a normal).
    /// </summary>
    public void DrawLevel(Func<int, double> standardNormal, Span<double> path)
    {
        var level = 0.0;
        for (var h = 0; h < path.Length && h < Mean.Length; h++)
        {
            if (IncrementSd[h] > 0) level += IncrementSd[h] * standardNormal(h);
            path[h] = Mean[h] + level;
        }
    }

    /// <summary>
    /// Fills <paramref name="path"/> with one sample path of the persistent part as a positive, mean-preserving
    /// multiplicative level: mean_h x exp(S_h - s2_h / 2), S a random walk with var(S_h) = s2_h = ln(1 + V_h / mean_h^2)
    /// (made non-decreasing). Each step keeps its mean and the persistent variance V_h, and no draw is cut at zero, so
    /// small counts are not pushed up. Steps with a mean of zero or less stay at zero.
    /// </summary>
    public void DrawPositiveLevel(Func<int, double> standardNormal, Span<double> path)
    {
        var (logVariance, logIncrementSd) = LogScale.Value;
        double walk = 0, factor = 1;
        for (var h = 0; h < path.Length && h < Mean.Length; h++)
        {
            // The factor changes only when the walk takes a step (the log variance grows only then).
            if (logIncrementSd[h] > 0)
            {
                walk += logIncrementSd[h] * standardNormal(h);
                factor = Math.Exp(walk - logVariance[h] / 2);
            }
            path[h] = Mean[h] > 0 ? Mean[h] * factor : 0;
        }
    }

    /// <summary>Variance of the log level and the sd of its increments per step, computed once.</summary>
    private Lazy<(double[] Variance, double[] IncrementSd)> LogScale => _logScale ??= new(() =>
    {
        var variance = new double[Mean.Length];
        var increments = new double[Mean.Length];
        var previous = 0.0;
        for (var h = 0; h < Mean.Length; h++)
        {
            var mean = Mean[h];
            var s2 = mean > 0 ? Math.Max(previous, Math.Log(1 + PersistentVariance[h] / (mean * mean))) : previous;
            increments[h] = Math.Sqrt(s2 - previous);
            variance[h] = s2;
            previous = s2;
        }
        return (variance, increments);
    });

    private Lazy<(double[] Variance, double[] IncrementSd)>? _logScale;
}
