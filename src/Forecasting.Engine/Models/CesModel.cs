namespace Forecasting.Engine.Models;

/// <summary>
/// Complex exponential smoothing, the non-seasonal model (Svetunkov, Kourentzes and Ord 2022; R's smooth::ces with
/// seasonality "none", statsforecast's AutoCES model "N"). The level l and the information potential c follow
/// y_t = l_(t-1) + e_t,
/// l_t = l_(t-1) - (1 - a1) c_(t-1) + (a0 - a1) e_t,
/// c_t = l_(t-1) + (1 - a0) c_(t-1) + (a0 + a1) e_t,
/// with the complex smoothing parameter a0 + i a1. It has no fixed trend or level form: a0 and a1 decide whether the
/// forecasts trend, level off or approach a level slowly. a0 in [0.01, 1.8] and a1 in [0.01, 1.9] (statsforecast's
/// bounds), with the discount matrix stable (both eigenvalues inside the unit circle, as smooth requires), maximise
/// the Gaussian likelihood, i.e. minimise n log(sum of squared one-step errors), by Nelder-Mead from 1.3 + 1i. The
/// initial states are backcast: l = the mean of the first min(10, n) values and c = l / 1.1, run forward through the
/// series, back through it reversed and forward again, each pass starting from the last one's final states
/// (statsforecast's backfit). Seasonal series are fitted after the theta family's seasonal adjustment
/// (<see cref="SeasonalAdjustment"/>) instead of with CES's own seasonal forms.
/// </summary>
public sealed class CesModel : IForecastModel
{
    public const double A0Lower = 0.01, A0Upper = 1.8, A1Lower = 0.01, A1Upper = 1.9;
    private readonly (double A0, double A1)? _fixed;

    public CesModel() { }

    /// <summary>A model with its smoothing parameter given, not estimated (for checks against hand computation).</summary>
    public CesModel(double a0, double a1) => _fixed = (a0, a1);

    public string Name => "ces";

    public IFittedForecast Fit(double[] y, int period)
    {
        int n = y.Length;
        if (n < 4) throw new ArgumentException($"ces needs at least 4 observations; got {n}.", nameof(y));
        var adjustment = SeasonalAdjustment.Decide(y, period);
        var x = adjustment.Adjust(y);
        var (a0, a1) = _fixed ?? Estimate(x);
        var (l, c) = InitialStates(x);
        var f = new double[n];
        (l, c) = Backcast(x, a0, a1, l, c, f);
        var sse = Pass(x, a0, a1, ref l, ref c, f, reversed: false);
        // sigma^2 with the two smoothing parameters and two initial states counted, as statsforecast's sigma2 does.
        double sigma2 = sse / Math.Max(1, n - 3);
        return new Fitted(y, adjustment.Restore(f), this, adjustment, a0, a1, l, c, sigma2);
    }

    /// <summary>The starting states: the mean of the first min(10, n) values, and that over 1.1.</summary>
    internal static (double Level, double Potential) InitialStates(double[] x)
    {
        int k = Math.Min(10, x.Length);
        double mean = 0;
        for (int t = 0; t < k; t++) mean += x[t];
        mean /= k;
        return (mean, mean / 1.1);
    }

    /// <summary>Forward and backward passes from the starting states; returns the states the final forward pass starts from.</summary>
    internal static (double, double) Backcast(double[] x, double a0, double a1, double l, double c, double[] work)
    {
        Pass(x, a0, a1, ref l, ref c, work, reversed: false);
        Pass(x, a0, a1, ref l, ref c, work, reversed: true);
        return (l, c);
    }

    /// <summary>One pass through x (or x reversed): one-step forecasts into f, states updated; returns the sum of squared errors.</summary>
    internal static double Pass(double[] x, double a0, double a1, ref double l, ref double c, double[] f, bool reversed)
    {
        int n = x.Length;
        double sse = 0;
        for (int k = 0; k < n; k++)
        {
            int t = reversed ? n - 1 - k : k;
            f[t] = l;
            double e = x[t] - l;
            sse += e * e;
            double nl = l - (1 - a1) * c + (a0 - a1) * e;
            double nc = l + (1 - a0) * c + (a0 + a1) * e;
            l = nl; c = nc;
        }
        return sse;
    }

    /// <summary>Both eigenvalues of the discount matrix D = F - g w' inside the unit circle.</summary>
    internal static bool Stable(double a0, double a1)
    {
        // D = [[1 - a0 + a1, a1 - 1], [1 - a0 - a1, 1 - a0]]: trace and determinant decide the eigenvalues.
        double tr = (1 - a0 + a1) + (1 - a0), det = (1 - a0 + a1) * (1 - a0) - (a1 - 1) * (1 - a0 - a1);
        double disc = tr * tr - 4 * det;
        if (disc >= 0)
        {
            double s = Math.Sqrt(disc);
            return Math.Abs((tr + s) / 2) < 1 && Math.Abs((tr - s) / 2) < 1;
        }
        return det < 1;   // complex pair: |lambda|^2 = det
    }

    private static (double, double) Estimate(double[] x)
    {
        int n = x.Length;
        var (l0, c0) = InitialStates(x);
        var f = new double[n];
        double Objective(double[] p)
        {
            double a0 = p[0], a1 = p[1];
            if (a0 < A0Lower || a0 > A0Upper || a1 < A1Lower || a1 > A1Upper || !Stable(a0, a1)) return 1e300;
            var (l, c) = Backcast(x, a0, a1, l0, c0, f);
            double sse = Pass(x, a0, a1, ref l, ref c, f, reversed: false);
            if (!double.IsFinite(sse)) return 1e300;
            return n * Math.Log(Math.Max(sse, 1e-300));
        }
        var r = NelderMead.Minimize(Objective, new[] { 1.3, 1.0 }, new[] { 0.1, 0.1 }, 1e-8, 500);
        return (r.X[0], r.X[1]);
    }

    private sealed class Fitted : FittedBase
    {
        private readonly SeasonalAdjustment _adjustment;
        private readonly double _a0, _a1, _level, _potential, _sigma2;

        public Fitted(double[] y, double[] fitted, IForecastModel model, SeasonalAdjustment adjustment, double a0, double a1, double level, double potential, double sigma2)
            : base(y, fitted, model, adjustment.Describe("CES(N)"),
                new Dictionary<string, double> { ["a0"] = a0, ["a1"] = a1, ["level"] = level, ["potential"] = potential, ["sigma2"] = sigma2, ["seasonal"] = adjustment.Seasonal ? 1 : 0 })
        {
            _adjustment = adjustment; _a0 = a0; _a1 = a1; _level = level; _potential = potential; _sigma2 = sigma2;
        }

        public override double[] Forecast(int h)
        {
            var f = new double[h];
            double l = _level, c = _potential;
            for (int k = 0; k < h; k++)
            {
                f[k] = l;
                double nl = l - (1 - _a1) * c, nc = l + (1 - _a0) * c;
                l = nl; c = nc;
            }
            return _adjustment.RestoreForecast(f);
        }

        /// <summary>sigma^2 (1 + sum over j &lt; k of (w' F^(j-1) g)^2), the state-space model's k-step variance.</summary>
        public override double[] ForecastStdDev(int h)
        {
            var sd = new double[h];
            double acc = 1;
            // v = F^(j-1) g, starting at g = (a0 - a1, a0 + a1); w'v is its first element.
            double v1 = _a0 - _a1, v2 = _a0 + _a1;
            for (int k = 1; k <= h; k++)
            {
                sd[k - 1] = Math.Sqrt(_sigma2 * acc);
                acc += v1 * v1;
                double n1 = v1 - (1 - _a1) * v2, n2 = v1 + (1 - _a0) * v2;
                v1 = n1; v2 = n2;
            }
            return _adjustment.RestoreStdDev(sd);
        }
    }
}
