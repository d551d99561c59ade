namespace Forecasting.Engine.Models;

/// <summary>Random walk: every forecast equals the last value.</summary>
public sealed class NaiveModel : IForecastModel
{
    public string Name => "naive";

    public IFittedForecast Fit(double[] y, int period)
    {
        if (y.Length < 2) throw new ArgumentException("naive needs at least 2 observations.", nameof(y));
        var fitted = new double[y.Length];
        fitted[0] = double.NaN;
        for (int t = 1; t < y.Length; t++) fitted[t] = y[t - 1];
        return new Fitted(y, fitted, this);
    }

    private sealed class Fitted : FittedBase
    {
        private readonly double _last, _sigma;
        public Fitted(double[] y, double[] f, IForecastModel m) : base(y, f, m, "Naive", new Dictionary<string, double>())
        {
            _last = y[^1];
            _sigma = ResidualRms();
            ((Dictionary<string, double>)Parameters)["sigma"] = _sigma;
        }
        public override double[] Forecast(int h) => Enumerable.Repeat(_last, h).ToArray();
        public override double[] ForecastStdDev(int h) => Enumerable.Range(1, h).Select(k => _sigma * Math.Sqrt(k)).ToArray();
    }
}

/// <summary>Seasonal random walk: each forecast repeats the value one season earlier.</summary>
public sealed class SeasonalNaiveModel : IForecastModel
{
    public string Name => "snaive";

    public IFittedForecast Fit(double[] y, int period)
    {
        int m = Math.Max(1, period);
        if (y.Length <= m) throw new ArgumentException($"snaive needs more than one season ({m}) of observations; got {y.Length}.", nameof(y));
        var fitted = new double[y.Length];
        for (int t = 0; t < y.Length; t++) fitted[t] = t >= m ? y[t - m] : double.NaN;
        return new Fitted(y, fitted, this, m);
    }

    private sealed class Fitted : FittedBase
    {
        private readonly double[] _lastSeason;
        private readonly double _sigma;
        private readonly int _m;
        public Fitted(double[] y, double[] f, IForecastModel model, int m) : base(y, f, model, "Seasonal naive", new Dictionary<string, double>())
        {
            _m = m;
            _lastSeason = y[^m..];
            _sigma = ResidualRms();
            ((Dictionary<string, double>)Parameters)["sigma"] = _sigma;
        }
        public override double[] Forecast(int h) => Enumerable.Range(0, h).Select(k => _lastSeason[k % _m]).ToArray();
        public override double[] ForecastStdDev(int h) => Enumerable.Range(0, h).Select(k => _sigma * Math.Sqrt(k / _m + 1)).ToArray();
    }
}

/// <summary>Random walk with drift: the line through the first and last values, extended.</summary>
public sealed class DriftModel : IForecastModel
{
    public string Name => "drift";

    public IFittedForecast Fit(double[] y, int period)
    {
        int n = y.Length;
        if (n < 3) throw new ArgumentException("drift needs at least 3 observations.", nameof(y));
        double b = (y[^1] - y[0]) / (n - 1);
        var fitted = new double[n];
        fitted[0] = double.NaN;
        for (int t = 1; t < n; t++) fitted[t] = y[t - 1] + b;
        // As R's rwf(drift=TRUE): sigma is the sd of the differences, se(b) = sigma / sqrt(n-1).
        var d = new double[n - 1];
        for (int t = 1; t < n; t++) d[t - 1] = y[t] - y[t - 1];
        double sigma = SeriesTools.StdDev(d);
        return new Fitted(y, fitted, this, b, sigma, sigma / Math.Sqrt(n - 1));
    }

    private sealed class Fitted : FittedBase
    {
        private readonly double _last, _b, _sigma, _seB;
        public Fitted(double[] y, double[] f, IForecastModel m, double b, double sigma, double seB)
            : base(y, f, m, "Random walk with drift", new Dictionary<string, double> { ["drift"] = b, ["sigma"] = sigma })
        { _last = y[^1]; _b = b; _sigma = sigma; _seB = seB; }
        public override double[] Forecast(int h) => Enumerable.Range(1, h).Select(k => _last + k * _b).ToArray();
        public override double[] ForecastStdDev(int h) =>
            Enumerable.Range(1, h).Select(k => Math.Sqrt(_sigma * _sigma * k + k * k * _seB * _seB)).ToArray();
    }
}
