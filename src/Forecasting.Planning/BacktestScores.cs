namespace Forecasting.Planning;

/// <summary>Proper scores of a forecast against one actual value.</summary>
public static class ForecastScores
{
    /// <summary>
    /// Interval score of a central (1 - alpha) interval [lower, upper] (Gneiting and Raftery 2007, the Winkler
    /// score): its width plus 2/alpha times the distance by which the actual falls outside it. Lower is better.
    /// </summary>
    public static double IntervalScore(double lower, double upper, double alpha, double actual)
    {
        if (alpha is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be between 0 and 1");
        var score = upper - lower;
        if (actual < lower) score += 2 / alpha * (lower - actual);
        if (actual > upper) score += 2 / alpha * (actual - upper);
        return score;
    }

    /// <summary>Pinball (quantile) loss of quantile <paramref name="q"/> at level <paramref name="tau"/>.</summary>
    public static double Pinball(double q, double tau, double actual) =>
        actual >= q ? tau * (actual - q) : (1 - tau) * (q - actual);

    /// <summary>
    /// CRPS from the quantiles at equally spaced levels (e.g. 1%..99%): twice the mean pinball loss over the levels,
    /// the quantile decomposition of CRPS = 2 ∫ pinball_τ dτ. The tails beyond the outer levels are left out, so it
    /// slightly understates the CRPS of wide-tailed forecasts.
    /// </summary>
    public static double CrpsFromQuantiles(IReadOnlyList<double> quantiles, double actual)
    {
        if (quantiles.Count == 0) throw new ArgumentException("no quantiles", nameof(quantiles));
        var n = quantiles.Count;
        double sum = 0;
        for (var i = 0; i < n; i++) sum += Pinball(quantiles[i], (i + 1.0) / (n + 1), actual);
        return 2 * sum / n;
    }

    /// <summary>
    /// Exact CRPS of the empirical distribution of a sample: E|X - y| - E|X - X'|/2, with the second term from the
    /// sorted sample in O(n log n).
    /// </summary>
    public static double CrpsFromSample(IReadOnlyList<double> sample, double actual)
    {
        if (sample.Count == 0) throw new ArgumentException("empty sample", nameof(sample));
        var x = sample.Order().ToArray();
        var n = x.Length;
        double absolute = 0, spread = 0;
        for (var i = 0; i < n; i++)
        {
            absolute += Math.Abs(x[i] - actual);
            spread += (2.0 * (i + 1) - n - 1) * x[i];
        }
        return absolute / n - spread / ((double)n * n);
    }
}

/// <summary>
/// Scores of one measure over a set of backtest rows: the model's MAE, bias (mean of forecast - actual), coverage of
/// its 50%, 80% and 95% central intervals, mean 80% interval score and mean CRPS; the naive and seasonal-naive
/// forecasts' MAE and bias (they have no interval). <see cref="ClientGroup"/> is a group, "all" (the total) or
/// <see cref="PlanningBacktest.PooledGroups"/> (every group's rows pooled); <see cref="Horizon"/> 0 = every horizon.
/// </summary>
public sealed record BacktestScore(
    string Measure, string ClientGroup, int Horizon, int Rows,
    double ModelMae, double ModelBias, double Coverage50, double Coverage80, double Coverage95, double IntervalScore80, double Crps,
    double NaiveMae, double NaiveBias, double SeasonalNaiveMae, double SeasonalNaiveBias)
{
    public static BacktestScore Of(string measure, string group, int horizon, IReadOnlyList<BacktestRow> rows)
    {
        double Mean(Func<BacktestRow, double> f) => rows.Count == 0 ? double.NaN : rows.Average(f);
        return new BacktestScore(measure, group, horizon, rows.Count,
            Mean(r => Math.Abs(r.Error)), Mean(r => r.Error),
            Mean(r => r.Inside50 ? 1 : 0), Mean(r => r.Inside80 ? 1 : 0), Mean(r => r.Inside95 ? 1 : 0),
            Mean(r => r.IntervalScore80), Mean(r => r.Crps),
            Mean(r => Math.Abs(r.Naive - r.Actual)), Mean(r => r.Naive - r.Actual),
            Mean(r => Math.Abs(r.SeasonalNaive - r.Actual)), Mean(r => r.SeasonalNaive - r.Actual));
    }
}
