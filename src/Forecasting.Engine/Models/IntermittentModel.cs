namespace Forecasting.Engine.Models;

/// <summary>Variants of the intermittent-demand model.</summary>
public enum IntermittentMethod
{
    /// <summary>Croston (1972) as R's forecast::croston: size / interval, both by simple exponential smoothing.</summary>
    Croston,
    /// <summary>Syntetos-Boylan approximation: Croston's ratio times (1 - alpha / 2), removing its upward bias.</summary>
    Sba,
    /// <summary>Teunter-Syntetos-Babai: demand probability smoothed every period, size at demand periods; forecast p x z.</summary>
    Tsb,
}

/// <summary>
/// Intermittent demand (many zero periods): Croston, SBA or TSB with fixed smoothing parameters (default 0.1, as R's
/// croston). Croston and SBA follow R's croston: sizes and inter-demand intervals (the first counted from the start
/// of the series) are smoothed by SES started at their first value; fitted values are the one-step forecasts from
/// each prefix (0 before the first demand). TSB starts with the first demand's size and probability 1 / (its
/// interval) and updates every period after it.
/// Forecasts are flat. The h-step standard deviation is sigma x sqrt(1 + (h - 1) alpha^2), sigma the root mean square
/// of the one-step in-sample errors (as for SES, whose level the estimates follow).
/// </summary>
public sealed class IntermittentModel : IForecastModel
{
    public IntermittentModel(IntermittentMethod method = IntermittentMethod.Sba, double alpha = 0.1, double beta = 0.1)
    {
        if (!(alpha > 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be in (0, 1].");
        if (!(beta > 0 && beta <= 1)) throw new ArgumentOutOfRangeException(nameof(beta), "beta must be in (0, 1].");
        Method = method; Alpha = alpha; Beta = beta;
    }

    public IntermittentMethod Method { get; }
    public double Alpha { get; }
    public double Beta { get; }

    /// <summary>"croston" is the SBA form (the bias-corrected Croston); "tsb"; "croston-classic" for R's croston.</summary>
    public string Name => Method switch { IntermittentMethod.Sba => "croston", IntermittentMethod.Tsb => "tsb", _ => "croston-classic" };

    /// <summary>Syntetos-Boylan classification: average inter-demand interval above this marks a series intermittent.</summary>
    public const double AdiThreshold = 1.32;

    /// <summary>Average inter-demand interval: length / number of non-zero periods (infinity when there are none).</summary>
    public static double Adi(IReadOnlyList<double> y)
    {
        int nz = y.Count(v => v != 0);
        return nz == 0 ? double.PositiveInfinity : y.Count / (double)nz;
    }

    /// <summary>Non-negative, with at least two demands, and ADI above <see cref="AdiThreshold"/>.</summary>
    public static bool IsIntermittent(IReadOnlyList<double> y) =>
        y.All(v => v >= 0) && y.Count(v => v > 0) >= 2 && Adi(y) > AdiThreshold;

    public IFittedForecast Fit(double[] y, int period)
    {
        int n = y.Length;
        if (n < 2) throw new ArgumentException($"{Name} needs at least 2 observations; got {n}.", nameof(y));
        if (y.Any(v => v < 0 || !double.IsFinite(v))) throw new ArgumentException($"{Name} needs non-negative values.", nameof(y));
        var fitted = new double[n];
        double level;
        var p = new Dictionary<string, double> { ["alpha"] = Alpha };
        if (Method == IntermittentMethod.Tsb)
        {
            p["beta"] = Beta;
            double z = double.NaN, prob = double.NaN;
            int first = -1;
            for (int t = 0; t < n; t++)
            {
                fitted[t] = first < 0 ? (t == 0 ? double.NaN : 0) : prob * z;
                if (first < 0)
                {
                    if (y[t] > 0) { first = t; z = y[t]; prob = 1.0 / (t + 1); }
                    continue;
                }
                if (y[t] > 0) { prob += Beta * (1 - prob); z += Alpha * (y[t] - z); }
                else prob -= Beta * prob;
            }
            level = first < 0 ? 0 : prob * z;
            p["size"] = first < 0 ? 0 : z; p["probability"] = first < 0 ? 0 : prob;
        }
        else
        {
            double factor = Method == IntermittentMethod.Sba ? 1 - Alpha / 2 : 1;
            double z = double.NaN, q = double.NaN;
            int demands = 0, last = -1;
            fitted[0] = double.NaN;
            for (int t = 0; t < n; t++)
            {
                if (t > 0) fitted[t] = demands == 0 ? 0 : factor * z / q;
                if (y[t] <= 0) continue;
                int interval = t - last;
                last = t;
                if (demands == 0) { z = y[t]; q = interval; }
                else { z += Alpha * (y[t] - z); q += Alpha * (interval - q); }
                demands++;
            }
            level = demands == 0 ? 0 : factor * z / q;
            p["size"] = demands == 0 ? 0 : z; p["interval"] = demands == 0 ? double.NaN : q;
        }
        return new Fitted(y, fitted, this, level, p);
    }

    private sealed class Fitted : FittedBase
    {
        private readonly double _level, _sigma, _alpha;
        public Fitted(double[] y, double[] f, IntermittentModel m, double level, Dictionary<string, double> p)
            : base(y, f, m, m.Method switch
            {
                IntermittentMethod.Sba => $"Croston-SBA (alpha {m.Alpha:0.###})",
                IntermittentMethod.Tsb => $"TSB (alpha {m.Alpha:0.###}, beta {m.Beta:0.###})",
                _ => $"Croston (alpha {m.Alpha:0.###})",
            }, p)
        {
            _level = level;
            _alpha = m.Alpha;
            _sigma = ResidualRms();
            p["sigma"] = _sigma;
        }
        public override double[] Forecast(int h) => Enumerable.Repeat(_level, h).ToArray();
        public override double[] ForecastStdDev(int h) =>
            Enumerable.Range(1, h).Select(k => _sigma * Math.Sqrt(1 + (k - 1) * _alpha * _alpha)).ToArray();
    }
}
