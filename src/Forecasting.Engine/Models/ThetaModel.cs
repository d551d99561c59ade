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
        var season = SeasonalAdjustment.Decide(y, m);
        var x = season.Adjust(y);

        var ses = new EtsModel(new EtsSpec(EtsError.Additive, EtsTrend.None, EtsSeason.None), maxIterations: 1000, tolerance: 1e-9).Fit(x, m);
        double alpha = ses.Parameters["alpha"];
        double b0 = SeriesTools.LinearFit(x).Slope;
        var fitted = season.Restore((double[])ses.FittedValues.Clone());
        return new Fitted(y, fitted, this, ses, alpha, b0, season);
    }

    private sealed class Fitted : FittedBase
    {
        private readonly IFittedForecast _ses;
        private readonly double _alpha, _b0;
        private readonly SeasonalAdjustment _season;
        private readonly int _n;

        public Fitted(double[] y, double[] fitted, IForecastModel model, IFittedForecast ses, double alpha, double b0, SeasonalAdjustment season)
            : base(y, fitted, model, season.Describe("Theta"),
                new Dictionary<string, double> { ["alpha"] = alpha, ["drift"] = b0 / 2, ["sigma2"] = ses.Parameters["sigma2"], ["seasonal"] = season.Seasonal ? 1 : 0 })
        {
            _ses = ses; _alpha = alpha; _b0 = b0; _season = season; _n = y.Length;
        }

        public override double[] Forecast(int h)
        {
            var f = _ses.Forecast(h);
            double c = (1 - Math.Pow(1 - _alpha, _n)) / _alpha;
            for (int k = 1; k <= h; k++) f[k - 1] += 0.5 * _b0 * (k - 1 + c);
            return _season.RestoreForecast(f);
        }

        public override double[] ForecastStdDev(int h) => _season.RestoreStdDev(_ses.ForecastStdDev(h));
    }
}
