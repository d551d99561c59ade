namespace Forecasting.Planning;

/// <summary>
/// DerSimonian-Laird random-effects pooling of estimates with known sampling variances: the precision-weighted mean,
/// the between-estimate variance tau^2 beyond sampling noise (method of moments, floored at zero), and each
/// estimate shrunk towards the mean by its precision against tau^2. The planning model uses it wherever small
/// groups or years borrow strength from the others (need-arising slopes, year-to-year rate variation, exit rates).
/// </summary>
public sealed record RandomEffects(double Mean, double Tau2, double MeanVariance)
{
    /// <summary>Pools <paramref name="estimates"/> with sampling <paramref name="variances"/> (all positive); null with fewer than two.</summary>
    public static RandomEffects? Fit(IReadOnlyList<double> estimates, IReadOnlyList<double> variances)
    {
        if (estimates.Count != variances.Count) throw new ArgumentException("one variance per estimate");
        if (estimates.Count < 2) return null;
        var w = variances.Select(v => 1 / v).ToArray();
        var sw = w.Sum();
        var mean = estimates.Select((y, i) => w[i] * y).Sum() / sw;
        var q = estimates.Select((y, i) => w[i] * (y - mean) * (y - mean)).Sum();
        var c = sw - w.Sum(x => x * x) / sw;
        var tau2 = c > 0 ? Math.Max(0, (q - (estimates.Count - 1)) / c) : 0;
        return new RandomEffects(mean, tau2, 1 / sw);
    }

    /// <summary>
    /// An estimate shrunk towards the mean and its variance: the mean itself when tau^2 is zero (the estimates differ by
    /// no more than their noise), else the precision-weighted blend of the estimate and the mean.
    /// </summary>
    public (double Estimate, double Variance) Shrink(double estimate, double variance)
    {
        if (Tau2 <= 0) return (Mean, MeanVariance);
        var precision = 1 / variance + 1 / Tau2;
        return ((estimate / variance + Mean / Tau2) / precision, 1 / precision);
    }
}
