namespace Forecasting.Engine.Models;

/// <summary>
/// The seasonal adjustment the theta family uses (R's thetaf, forecTheta, statsforecast): a classical decomposition
/// when the 90% autocorrelation test at the seasonal lag says the series is seasonal and it has more than two
/// seasons; multiplicative for positive data, additive otherwise (or when a multiplicative index is near 0).
/// The future index repeats the last season's figures (a seasonal naive forecast of the index).
/// </summary>
internal sealed class SeasonalAdjustment
{
    private readonly double[] _figure;
    private readonly int _n, _m;

    private SeasonalAdjustment(bool seasonal, bool multiplicative, double[] figure, int n, int m)
    {
        Seasonal = seasonal; Multiplicative = multiplicative; _figure = figure; _n = n; _m = m;
    }

    public bool Seasonal { get; }
    public bool Multiplicative { get; }

    public static SeasonalAdjustment Decide(double[] y, int period)
    {
        int n = y.Length, m = Math.Max(1, period);
        bool seasonal = m > 1 && n > 2 * m && SeriesTools.IsSeasonal(y, m);
        bool mult = y.All(v => v > 0);
        double[] fig = seasonal ? SeriesTools.SeasonalFigure(y, m, mult) : Array.Empty<double>();
        if (seasonal && mult && fig.Any(f => Math.Abs(f) < 1e-4)) { mult = false; fig = SeriesTools.SeasonalFigure(y, m, false); }
        return new SeasonalAdjustment(seasonal, mult, fig, n, m);
    }

    /// <summary>The seasonally adjusted series (the series itself when not seasonal).</summary>
    public double[] Adjust(double[] y)
    {
        if (!Seasonal) return (double[])y.Clone();
        var x = new double[y.Length];
        for (int t = 0; t < y.Length; t++) x[t] = Multiplicative ? y[t] / _figure[t % _m] : y[t] - _figure[t % _m];
        return x;
    }

    /// <summary>Puts the season back on in-sample values at positions 0..n-1.</summary>
    public double[] Restore(double[] x)
    {
        if (!Seasonal) return x;
        var y = new double[x.Length];
        for (int t = 0; t < x.Length; t++) y[t] = Multiplicative ? x[t] * _figure[t % _m] : x[t] + _figure[t % _m];
        return y;
    }

    /// <summary>Puts the season back on forecasts for steps 1..h after the series end.</summary>
    public double[] RestoreForecast(double[] f)
    {
        if (!Seasonal) return f;
        for (int k = 1; k <= f.Length; k++)
        {
            double s = _figure[(_n + k - 1) % _m];
            f[k - 1] = Multiplicative ? f[k - 1] * s : f[k - 1] + s;
        }
        return f;
    }

    /// <summary>Scales forecast standard deviations by a multiplicative index (additive seasons leave them alone).</summary>
    public double[] RestoreStdDev(double[] sd)
    {
        if (!Seasonal || !Multiplicative) return sd;
        for (int k = 1; k <= sd.Length; k++) sd[k - 1] *= _figure[(_n + k - 1) % _m];
        return sd;
    }

    public string Describe(string model) => Seasonal ? $"{model} ({(Multiplicative ? "multiplicative" : "additive")} seasonal adjustment)" : model;
}
