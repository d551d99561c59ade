namespace Forecasting.Engine.Models;

/// <summary>
/// The dynamic optimised Theta model (DOTM; Fiorucci, Pellegrini, Louzada, Petropoulos and Koehler 2016), as R's
/// forecTheta::dotm and statsforecast's DynamicOptimizedTheta. After the theta family's seasonal adjustment
/// (<see cref="SeasonalAdjustment"/>), the one-step forecast is
/// mu_(t+1) = l_t + (1 - 1/theta) (A_t (1 - alpha)^t + B_t (1 - (1 - alpha)^(t+1)) / alpha),
/// with l the simple exponential smoothing level and A_t, B_t the least-squares intercept and slope of the values
/// up to t, updated one value at a time ("dynamic"), so the trend line moves with the data instead of being fixed
/// on the whole series. l_0, alpha in [0.1, 0.99] and theta &gt;= 1 minimise the squared one-step errors from the
/// third value on (Nelder-Mead from l_0 = y_1 / 2, alpha 0.5, theta 2). Forecasts continue the recursion with each
/// forecast standing in for the value. theta = 1 is simple exponential smoothing; theta = 2 with the line fixed on
/// the whole series is the standard Theta method.
/// </summary>
public sealed class DynamicThetaModel : IForecastModel
{
    public const double AlphaLower = 0.1, AlphaUpper = 0.99, ThetaLower = 1.0;
    private readonly (double Level0, double Alpha, double Theta)? _fixed;

    public DynamicThetaModel() { }

    /// <summary>A model with its parameters given, not estimated (for checks against hand computation).</summary>
    public DynamicThetaModel(double level0, double alpha, double theta)
    {
        if (!(alpha >= AlphaLower && alpha <= AlphaUpper)) throw new ArgumentException($"alpha must be within [{AlphaLower}, {AlphaUpper}]; got {alpha}.", nameof(alpha));
        if (!(theta >= ThetaLower)) throw new ArgumentException($"theta must be at least {ThetaLower}; got {theta}.", nameof(theta));
        _fixed = (level0, alpha, theta);
    }

    public string Name => "dotm";

    public IFittedForecast Fit(double[] y, int period)
    {
        int n = y.Length;
        if (n < 4) throw new ArgumentException($"dotm needs at least 4 observations; got {n}.", nameof(y));
        var adjustment = SeasonalAdjustment.Decide(y, period);
        var x = adjustment.Adjust(y);
        double level0, alpha, theta;
        if (_fixed is { } p) (level0, alpha, theta) = p;
        else (level0, alpha, theta) = Estimate(x);
        var mu = Run(x, level0, alpha, theta, 0);
        var fitted = adjustment.Restore(mu);
        // The standard deviation of the one-step errors counted in the fit (from the third value on).
        double ss = 0; int cnt = 0;
        for (int t = 2; t < n; t++) { double e = x[t] - mu[t]; ss += e * e; cnt++; }
        double sigma = Math.Sqrt(ss / Math.Max(1, cnt - 1));
        return new Fitted(y, x, fitted, this, adjustment, level0, alpha, theta, sigma);
    }

    /// <summary>Least-squares estimates of (l_0, alpha, theta) on the adjusted series.</summary>
    private static (double, double, double) Estimate(double[] x)
    {
        int n = x.Length;
        // Errors are divided by the mean absolute value, as forecTheta does, so the tolerance is scale-free.
        double scale = x.Average(Math.Abs);
        if (!(scale > 0)) scale = 1;
        // In sample the line's intercept and slope depend on the values only, not on the parameters: computed once,
        // each evaluation is then a pass of the smoothing alone (the same arithmetic as Recurse, so the same numbers).
        var (lineA, lineB) = Lines(x);
        double Sse(double[] p)
        {
            double l0 = p[0], alpha = p[1], theta = p[2];
            if (alpha < AlphaLower || alpha > AlphaUpper || theta < ThetaLower || !double.IsFinite(l0)) return 1e300;
            double w = 1 - 1 / theta, beta = 1 - alpha, level = alpha * x[0] + beta * l0, decay = 1, s = 0;
            for (int i = 1; i < n; i++)
            {
                decay *= beta;
                double mu = level + w * (lineA[i] * decay + lineB[i] * (1 - decay * beta) / alpha);
                if (i >= 2) { double e = (x[i] - mu) / scale; s += e * e; }
                level = alpha * x[i] + beta * level;
            }
            return double.IsFinite(s) ? s : 1e300;
        }
        var start = new[] { x[0] / 2, 0.5, 2.0 };
        var steps = new[] { Math.Abs(x[0]) > 0 ? 0.1 * Math.Abs(x[0]) : 0.1, 0.1, 0.5 };
        // R's optim defaults: relative tolerance 1.49e-8, 500 evaluations.
        var r = NelderMead.Minimize(Sse, start, steps, 1.49e-8, 500);
        return (r.X[0], r.X[1], r.X[2]);
    }

    /// <summary>The intercept and slope of the least-squares line through values 0..i-1, as the one-step mean at i uses them.</summary>
    private static (double[] A, double[] B) Lines(double[] x)
    {
        int n = x.Length;
        var la = new double[n];
        var lb = new double[n];
        double mean = x[0], a = x[0], b = 0;
        for (int i = 1; i < n; i++)
        {
            la[i] = a; lb[i] = b;
            double v = x[i];
            b = ((i - 1) * b + 6 * (v - mean) / (i + 1)) / (i + 2);
            mean = (i * mean + v) / (i + 1);
            a = mean - b * (i + 2) / 2;
        }
        return (la, lb);
    }

    /// <summary>One-step means mu for positions 0..n+h-1: in-sample from the values, then from the forecasts.</summary>
    internal static double[] Run(double[] x, double level0, double alpha, double theta, int h)
    {
        var mu = new double[x.Length + h];
        Recurse(x, level0, alpha, theta, mu);
        return mu;
    }

    private static void Recurse(double[] x, double level0, double alpha, double theta, double[] mu)
    {
        int n = x.Length, total = mu.Length;
        double w = 1 - 1 / theta, beta = 1 - alpha;
        double level = alpha * x[0] + beta * level0, mean = x[0], a = x[0], b = 0;
        mu[0] = x[0];
        double decay = 1;   // (1 - alpha)^i
        for (int i = 1; i < total; i++)
        {
            decay *= beta;
            mu[i] = level + w * (a * decay + b * (1 - decay * beta) / alpha);
            double v = i < n ? x[i] : mu[i];
            level = alpha * v + beta * level;
            // Recursive least squares of the values on time 1..i+1: slope, then intercept.
            b = ((i - 1) * b + 6 * (v - mean) / (i + 1)) / (i + 2);
            mean = (i * mean + v) / (i + 1);
            a = mean - b * (i + 2) / 2;
        }
    }

    private sealed class Fitted : FittedBase
    {
        private readonly double[] _x;
        private readonly SeasonalAdjustment _adjustment;
        private readonly double _level0, _alpha, _theta, _sigma;

        public Fitted(double[] y, double[] x, double[] fitted, IForecastModel model, SeasonalAdjustment adjustment, double level0, double alpha, double theta, double sigma)
            : base(y, fitted, model, adjustment.Describe("DOTM"),
                new Dictionary<string, double> { ["level0"] = level0, ["alpha"] = alpha, ["theta"] = theta, ["sigma"] = sigma, ["seasonal"] = adjustment.Seasonal ? 1 : 0 })
        {
            _x = x; _adjustment = adjustment; _level0 = level0; _alpha = alpha; _theta = theta; _sigma = sigma;
        }

        public override double[] Forecast(int h)
        {
            var mu = Run(_x, _level0, _alpha, _theta, h);
            return _adjustment.RestoreForecast(mu[_x.Length..]);
        }

        /// <summary>
        /// The simple exponential smoothing approximation sigma sqrt(1 + (k - 1) alpha^2): the forecasts feed back
        /// into the level as SES's do, and the slowly moving line adds little within the horizon. Used as the local
        /// scale of the conformal intervals, which replace its normal quantiles.
        /// </summary>
        public override double[] ForecastStdDev(int h)
        {
            var sd = new double[h];
            for (int k = 1; k <= h; k++) sd[k - 1] = _sigma * Math.Sqrt(1 + (k - 1) * _alpha * _alpha);
            return _adjustment.RestoreStdDev(sd);
        }
    }
}
