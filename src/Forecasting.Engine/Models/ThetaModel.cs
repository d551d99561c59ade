namespace Forecasting.Engine.Models;

/// <summary>
/// The Theta method (Assimakopoulos and Nikolopoulos 2000) in the form of Hyndman and Billah (2003), as R's thetaf:
/// simple exponential smoothing fitted by least squares plus half the slope of the linear trend, after a
/// multiplicative classical seasonal adjustment when the seasonal-lag autocorrelation is significant (90%).
/// Data with zeros or negatives use an additive adjustment instead.
/// </summary>
public sealed class ThetaModel : IForecastModel
{
    public string Name => "theta";

    public IFittedForecast Fit(double[] y, int period)
    {
        int n = y.Length;
        if (n < 3) throw new ArgumentException($"theta needs at least 3 observations; got {n}.", nameof(y));
        int m = Math.Max(1, period);
        bool seasonal = m > 1 && n > 2 * m && SeriesTools.IsSeasonal(y, m);
        bool mult = y.All(v => v > 0);
        double[] fig = seasonal ? SeriesTools.SeasonalFigure(y, m, mult) : Array.Empty<double>();
        if (seasonal && mult && fig.Any(f => Math.Abs(f) < 1e-4)) { mult = false; fig = SeriesTools.SeasonalFigure(y, m, false); }
        var x = new double[n];
        for (int t = 0; t < n; t++) x[t] = !seasonal ? y[t] : mult ? y[t] / fig[t % m] : y[t] - fig[t % m];

        var ses = new EtsModel(new EtsSpec(EtsError.Additive, EtsTrend.None, EtsSeason.None), maxIterations: 1000, tolerance: 1e-9).Fit(x, m);
        double alpha = ses.Parameters["alpha"];
        double b0 = SeriesTools.LinearFit(x).Slope;
        var fitted = new double[n];
        for (int t = 0; t < n; t++)
        {
            double f = ses.FittedValues[t];
            fitted[t] = !seasonal ? f : mult ? f * fig[t % m] : f + fig[t % m];
        }
        return new Fitted(y, fitted, this, ses, alpha, b0, seasonal, mult, fig, n, m);
    }

    private sealed class Fitted : FittedBase
    {
        private readonly IFittedForecast _ses;
        private readonly double _alpha, _b0;
        private readonly bool _seasonal, _mult;
        private readonly double[] _fig;
        private readonly int _n, _m;

        public Fitted(double[] y, double[] fitted, IForecastModel model, IFittedForecast ses, double alpha, double b0, bool seasonal, bool mult, double[] fig, int n, int m)
            : base(y, fitted, model, seasonal ? $"Theta ({(mult ? "multiplicative" : "additive")} seasonal adjustment)" : "Theta",
                new Dictionary<string, double> { ["alpha"] = alpha, ["drift"] = b0 / 2, ["sigma2"] = ses.Parameters["sigma2"], ["seasonal"] = seasonal ? 1 : 0 })
        {
            _ses = ses; _alpha = alpha; _b0 = b0; _seasonal = seasonal; _mult = mult; _fig = fig; _n = n; _m = m;
        }

        private double Seas(int k) => _seasonal ? _fig[(_n + k - 1) % _m] : (_mult ? 1 : 0);

        public override double[] Forecast(int h)
        {
            var f = _ses.Forecast(h);
            double c = (1 - Math.Pow(1 - _alpha, _n)) / _alpha;
            for (int k = 1; k <= h; k++)
            {
                double v = f[k - 1] + 0.5 * _b0 * (k - 1 + c);
                f[k - 1] = !_seasonal ? v : _mult ? v * Seas(k) : v + Seas(k);
            }
            return f;
        }

        public override double[] ForecastStdDev(int h)
        {
            var sd = _ses.ForecastStdDev(h);
            if (_seasonal && _mult) for (int k = 1; k <= h; k++) sd[k - 1] *= Seas(k);
            return sd;
        }
    }
}
