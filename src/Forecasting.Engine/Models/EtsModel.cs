namespace Forecasting.Engine.Models;

public enum EtsError { Additive, Multiplicative }
public enum EtsTrend { None, Additive, Damped }
public enum EtsSeason { None, Additive, Multiplicative }

public sealed record EtsSpec(EtsError Error, EtsTrend Trend, EtsSeason Season)
{
    public override string ToString() =>
        $"ETS({(Error == EtsError.Additive ? "A" : "M")},{Trend switch { EtsTrend.None => "N", EtsTrend.Additive => "A", _ => "Ad" }},{Season switch { EtsSeason.None => "N", EtsSeason.Additive => "A", _ => "M" }})";

    /// <summary>Parses "ANN", "AAdM", "MAN" etc. (R's model strings).</summary>
    public static EtsSpec Parse(string s)
    {
        s = s.Trim().ToUpperInvariant();
        if (s.StartsWith("ETS(")) s = s[4..].TrimEnd(')').Replace(",", "");
        if (s.Length is < 3 or > 4) throw new ArgumentException($"Cannot parse ETS model '{s}'.");
        var e = s[0] == 'M' ? EtsError.Multiplicative : s[0] == 'A' ? EtsError.Additive : throw new ArgumentException($"Bad error type in '{s}'.");
        bool damped = s.Length == 4 && s[2] == 'D';
        var t = s[1] switch { 'N' => EtsTrend.None, 'A' => damped ? EtsTrend.Damped : EtsTrend.Additive, _ => throw new ArgumentException($"Bad trend type in '{s}'.") };
        var se = s[^1] switch { 'N' => EtsSeason.None, 'A' => EtsSeason.Additive, 'M' => EtsSeason.Multiplicative, _ => throw new ArgumentException($"Bad season type in '{s}'.") };
        return new EtsSpec(e, t, se);
    }
}

/// <summary>
/// Exponential smoothing state-space model (Hyndman et al. 2008) fitted by maximum likelihood.
/// With no spec, every admissible form is fitted and the lowest AICc wins, as R's forecast::ets does
/// (multiplicative trend excluded; additive error with multiplicative season excluded).
/// Initial seasonal states come from a classical decomposition and are not optimised, which keeps
/// fitting fast; level, trend and smoothing parameters are optimised with Nelder-Mead.
/// </summary>
public sealed class EtsModel : IForecastModel
{
    private readonly EtsSpec? _spec;
    private readonly IReadOnlyList<EtsSpec>? _candidates;
    // A frozen refit (backtest origin) keeps the form but re-estimates everything from the data it is given,
    // so backtest errors carry no information from later points; it skips the slower seasonal-state stage.
    private readonly bool _frozenRefit;
    private readonly bool _dampedOnly;

    public EtsModel(EtsSpec? spec = null, IReadOnlyList<EtsSpec>? candidates = null, int maxIterations = 1000, double tolerance = 1e-7, string name = "ets", bool dampedOnly = false)
    {
        _spec = spec; _candidates = candidates; _dampedOnly = dampedOnly; MaxIterations = maxIterations; Tolerance = tolerance; Name = name;
    }

    private EtsModel(EtsSpec spec, bool frozenRefit, int maxIterations, double tolerance, string name)
        : this(spec, (IReadOnlyList<EtsSpec>?)null, maxIterations, tolerance, name) => _frozenRefit = frozenRefit;

    /// <summary>ETS restricted to damped-trend forms (any error and season), chosen by AICc.</summary>
    public static EtsModel Damped(string name = "damped") => new(name: name, dampedOnly: true);

    public string Name { get; }
    public int MaxIterations { get; }
    /// <summary>Also optimise the initial seasonal states (as R does) for a fixed form, or for the form AICc chose. Backtest refits skip it.</summary>
    public bool OptimiseSeasonalStates { get; init; } = true;
    public double Tolerance { get; }

    public static IReadOnlyList<EtsSpec> AllSpecs(int period, double[] y)
    {
        bool positive = y.All(v => v > 0);
        bool seasonal = period > 1 && period <= 24 && y.Length >= 2 * period;
        var list = new List<EtsSpec>();
        foreach (var e in positive ? new[] { EtsError.Additive, EtsError.Multiplicative } : new[] { EtsError.Additive })
            foreach (var t in new[] { EtsTrend.None, EtsTrend.Additive, EtsTrend.Damped })
                foreach (var s in seasonal ? (positive ? new[] { EtsSeason.None, EtsSeason.Additive, EtsSeason.Multiplicative } : new[] { EtsSeason.None, EtsSeason.Additive }) : new[] { EtsSeason.None })
                {
                    if (e == EtsError.Additive && s == EtsSeason.Multiplicative) continue;
                    list.Add(new EtsSpec(e, t, s));
                }
        return list;
    }

    public IFittedForecast Fit(double[] y, int period)
    {
        if (y.Length < 3) throw new ArgumentException($"ets needs at least 3 observations; got {y.Length}.", nameof(y));
        if (_spec != null) return FitSpec(y, period, _spec, !_frozenRefit && OptimiseSeasonalStates, Name) ?? throw new ArgumentException($"{_spec} cannot be fitted to this series (too short or non-positive data).");
        var fits = FitForms(y, period, _dampedOnly);
        return Finish(y, period, fits.MinBy(f => f.Aicc), Name);
    }

    /// <summary>
    /// One search over the admissible forms giving both this model's choice (lowest AICc over all forms) and the
    /// choice of <see cref="Damped"/> (lowest AICc over the damped-trend forms), each exactly as a separate
    /// <see cref="Fit"/> would return it, without fitting the damped forms twice. The second fit carries
    /// <paramref name="dampedName"/>.
    /// </summary>
    public (IFittedForecast All, IFittedForecast Damped) FitWithDamped(double[] y, int period, string dampedName = "damped")
    {
        if (y.Length < 3) throw new ArgumentException($"ets needs at least 3 observations; got {y.Length}.", nameof(y));
        if (_spec != null || _dampedOnly) throw new InvalidOperationException("FitWithDamped needs an ETS model that searches every form.");
        var fits = FitForms(y, period, false);
        var best = Finish(y, period, fits.MinBy(f => f.Aicc), Name);
        var bestDampedFirstStage = fits.Where(f => f.Spec.Trend == EtsTrend.Damped).MinBy(f => f.Aicc);
        var damped = bestDampedFirstStage != null && bestDampedFirstStage.Spec == best.Spec
            ? best.Renamed(dampedName)
            : Finish(y, period, bestDampedFirstStage, dampedName);
        return (best, damped);
    }

    private List<EtsFit> FitForms(double[] y, int period, bool dampedOnly)
    {
        var list = new List<EtsFit>();
        foreach (var spec in (_candidates ?? AllSpecs(period, y)).Where(s => Admissible(s, y, period) && (!dampedOnly || s.Trend == EtsTrend.Damped)))
            if (FitSpec(y, period, spec, false, Name) is { } f) list.Add(f);
        return list;
    }

    /// <summary>The chosen first-stage fit (or A,N,N when none), named, with its initial seasonal states optimised when that lowers the AICc.</summary>
    private EtsFit Finish(double[] y, int period, EtsFit? best, string name)
    {
        best = best == null
            ? FitSpec(y, period, new EtsSpec(EtsError.Additive, EtsTrend.None, EtsSeason.None), false, name) ?? throw new ArgumentException("ets could not fit any model form to this series.")
            : best.Renamed(name);
        if (OptimiseSeasonalStates && best.Spec.Season != EtsSeason.None && FitSpec(y, period, best.Spec, true, name) is { } refined && refined.Aicc <= best.Aicc)
            best = refined;
        return best;
    }

    private static bool Admissible(EtsSpec s, double[] y, int m)
    {
        int npars = 2 + (s.Trend != EtsTrend.None ? 2 : 0) + (s.Season != EtsSeason.None ? m : 0) + (s.Trend == EtsTrend.Damped ? 1 : 0);
        if (y.Length <= npars + 4 && !(s.Trend == EtsTrend.None && s.Season == EtsSeason.None)) return false;
        if (s.Season != EtsSeason.None && (m <= 1 || y.Length < 2 * m)) return false;
        if ((s.Error == EtsError.Multiplicative || s.Season == EtsSeason.Multiplicative) && y.Any(v => v <= 0)) return false;
        return true;
    }

    private const double LowerBound = 1e-4, UpperBound = 0.9999, PhiLow = 0.8, PhiHigh = 0.98;

    private EtsFit? FitSpec(double[] y, int period, EtsSpec spec, bool optimiseSeasonal, string name)
    {
        int n = y.Length;
        int m = spec.Season == EtsSeason.None ? 1 : period;
        if (spec.Season != EtsSeason.None && n < 2 * m) return null;
        if ((spec.Error == EtsError.Multiplicative || spec.Season == EtsSeason.Multiplicative) && y.Any(v => v <= 0)) return null;
        bool mult = spec.Season == EtsSeason.Multiplicative;
        double[] s0 = spec.Season == EtsSeason.None ? Array.Empty<double>() : SeriesTools.SeasonalFigure(y, m, mult);

        // Initial level/trend: regression on the first few deseasonalised values (as R's initstate).
        int maxn = Math.Min(Math.Max(10, 2 * period), n);
        var ds = new double[maxn];
        for (int t = 0; t < maxn; t++) ds[t] = s0.Length == 0 ? y[t] : mult ? y[t] / s0[t % m] : y[t] - s0[t % m];
        var (a, b) = SeriesTools.LinearFit(ds);
        double l0 = spec.Trend == EtsTrend.None ? SeriesTools.Mean(ds) : a - b;
        double b0 = b;

        double scale = Math.Max(1e-8, y.Average(Math.Abs));
        bool hasB = spec.Trend != EtsTrend.None, hasG = spec.Season != EtsSeason.None, hasPhi = spec.Trend == EtsTrend.Damped;
        var layout = new Layout(hasB, hasG, hasPhi);
        int p = layout.Count;
        var x0 = new double[p];
        var step = new double[p];
        double alpha0 = LowerBound + 0.2 * (UpperBound - LowerBound) / Math.Max(1, period);
        {
            x0[0] = alpha0;
            if (hasB) x0[layout.Beta] = LowerBound + 0.1 * (alpha0 - LowerBound);
            if (hasG) x0[layout.Gamma] = LowerBound + 0.05 * (1 - alpha0 - LowerBound);
            if (hasPhi) x0[layout.Phi] = PhiLow + 0.99 * (PhiHigh - PhiLow);
            x0[layout.L0] = l0 / scale;
            if (hasB) x0[layout.B0] = b0 / scale;
        }
        step[0] = 0.1;
        if (hasB) step[layout.Beta] = 0.01;
        if (hasG) step[layout.Gamma] = 0.05;
        if (hasPhi) step[layout.Phi] = 0.01;
        step[layout.L0] = 0.05;
        if (hasB) step[layout.B0] = 0.01;

        var work = new Workspace(m);
        var sBuf = new double[Math.Max(1, m)];
        // Seasonal initial states, when optimised, follow the core parameters: m-1 free values, the last one normalises.
        double[] Seasonals(double[] x, int extra)
        {
            if (extra == 0) return s0;
            double sum = 0;
            for (int i = 0; i < m - 1; i++) { sBuf[i] = mult ? x[p + i] : x[p + i] * scale; sum += sBuf[i]; }
            sBuf[m - 1] = mult ? m - sum : -sum;
            return sBuf;
        }
        double Lik(double[] x, int extra)
        {
            var (al, be, ga, ph) = Unpack(x, layout);
            if (al < LowerBound || al > UpperBound) return 1e12;
            if (hasB && (be < LowerBound || be > al)) return 1e12;
            if (hasG && (ga < LowerBound || ga > 1 - al)) return 1e12;
            if (hasPhi && (ph < PhiLow || ph > PhiHigh)) return 1e12;
            var ss = Seasonals(x, extra);
            if (mult && extra > 0) for (int i = 0; i < m; i++) if (ss[i] <= 1e-3) return 1e12;
            return Filter(y, m, spec, al, be, ga, ph, x[layout.L0] * scale, hasB ? x[layout.B0] * scale : 0, ss, work, null);
        }
        double[] Optimise(double[] start, double[] steps, int extra, int maxIt, out double value)
        {
            int dim = start.Length;
            double best = Lik(start, extra);
            double[] bx = (double[])start.Clone();
            double Objective(double[] x)
            {
                double val = Lik(x, extra);
                if (val < best) { best = val; Array.Copy(x, bx, dim); }
                return val;
            }
            NelderMead.Minimize(Objective, start, steps, Tolerance, maxIt);
            value = best;
            return bx;
        }

        double bestVal;
        double[] bestX = Optimise(x0, step, 0, MaxIterations, out bestVal);
        if (double.IsFinite(bestVal) && bestVal < 1e11)
        {
            // One restart from the optimum with a fresh simplex: Nelder-Mead often stalls early on these surfaces.
            var again = Optimise(bestX, step, 0, MaxIterations, out double v);
            if (v < bestVal) { bestVal = v; bestX = again; }
        }
        int extraUsed = 0;
        if (optimiseSeasonal && hasG && double.IsFinite(bestVal) && bestVal < 1e11)
        {
            // Second stage: free the seasonal initial states, starting from the first-stage optimum.
            var x1 = new double[p + m - 1];
            var st1 = new double[p + m - 1];
            Array.Copy(bestX, x1, p);
            for (int i = 0; i < p; i++) st1[i] = step[i] * 0.3;
            for (int i = 0; i < m - 1; i++) { x1[p + i] = mult ? s0[i] : s0[i] / scale; st1[p + i] = mult ? 0.02 : 0.02 * Math.Max(1e-3, Math.Abs(s0[i] / scale)); }
            var x2 = Optimise(x1, st1, m - 1, MaxIterations * 3, out double v2);
            if (v2 < bestVal) { bestVal = v2; bestX = x2; extraUsed = m - 1; }
        }
        if (!double.IsFinite(bestVal) || bestVal >= 1e11) return null;
        var sInit = (double[])Seasonals(bestX, extraUsed).Clone();

        var (alpha, beta, gamma, phi) = Unpack(bestX, layout);
        var fitted = new double[n];
        double lik = Filter(y, m, spec, alpha, beta, gamma, phi, bestX[layout.L0] * scale, hasB ? bestX[layout.B0] * scale : 0, sInit, work, fitted);
        int np = p + (hasG ? m - 1 : 0) + 1;
        double aic = lik + 2 * np;
        double aicc = n - np - 1 > 0 ? aic + 2.0 * np * (np + 1) / (n - np - 1) : double.PositiveInfinity;
        double sse = 0;
        for (int t = 0; t < n; t++)
        {
            double e = spec.Error == EtsError.Additive ? y[t] - fitted[t] : (y[t] - fitted[t]) / fitted[t];
            sse += e * e;
        }
        double sigma2 = sse / Math.Max(1, n - np + 1);
        return new EtsFit(y, fitted, spec, period, m, alpha, beta, gamma, phi, work.FinalLevel, work.FinalTrend, (double[])work.FinalSeason.Clone(),
            sigma2, lik, aicc, MaxIterations, Tolerance, name);
    }

    private readonly record struct Layout(bool HasB, bool HasG, bool HasPhi)
    {
        public int Beta => 1;
        public int Gamma => HasB ? 2 : 1;
        public int Phi => 1 + (HasB ? 1 : 0) + (HasG ? 1 : 0);
        public int L0 => 1 + (HasB ? 1 : 0) + (HasG ? 1 : 0) + (HasPhi ? 1 : 0);
        public int B0 => L0 + 1;
        public int Count => L0 + 1 + (HasB ? 1 : 0);
    }

    private static (double Alpha, double Beta, double Gamma, double Phi) Unpack(double[] x, Layout l) =>
        (x[0], l.HasB ? x[l.Beta] : 0, l.HasG ? x[l.Gamma] : 0, l.HasPhi ? x[l.Phi] : (l.HasB ? 1 : 0));

    private sealed class Workspace
    {
        public Workspace(int m) { Season = new double[m]; FinalSeason = new double[m]; }
        public readonly double[] Season, FinalSeason;
        public double FinalLevel, FinalTrend;
    }

    /// <summary>Runs the state recursion; returns R's -2 log-likelihood up to a constant (n log SSE [+ 2 sum log|yhat|]).</summary>
    private static double Filter(double[] y, int m, EtsSpec spec, double alpha, double beta, double gamma, double phi,
        double l0, double b0, double[] s0, Workspace w, double[]? fitted)
    {
        int n = y.Length;
        bool hasG = spec.Season != EtsSeason.None, multS = spec.Season == EtsSeason.Multiplicative;
        bool hasB = spec.Trend != EtsTrend.None;
        bool multE = spec.Error == EtsError.Multiplicative;
        var s = w.Season;
        if (hasG) Array.Copy(s0, s, m);
        double l = l0, b = hasB ? b0 : 0, sse = 0, sumLog = 0;
        for (int t = 0; t < n; t++)
        {
            int j = t % m;
            double phib = hasB ? phi * b : 0;
            double q = l + phib;
            double st = hasG ? s[j] : (multS ? 1 : 0);
            double yhat = !hasG ? q : multS ? q * st : q + st;
            if (fitted != null) fitted[t] = yhat;
            double e;
            if (multE)
            {
                if (Math.Abs(yhat) < 1e-10) return 1e12;
                e = (y[t] - yhat) / yhat;
                sumLog += Math.Log(Math.Abs(yhat));
            }
            else e = y[t] - yhat;
            sse += e * e;
            double pp = !hasG ? y[t] : multS ? (Math.Abs(st) < 1e-10 ? 1e10 : y[t] / st) : y[t] - st;
            double lNew = q + alpha * (pp - q);
            if (hasB) b = phib + beta / alpha * (lNew - l - phib);
            if (hasG)
            {
                double tt = multS ? (Math.Abs(q) < 1e-10 ? 1e10 : y[t] / q) : y[t] - q;
                s[j] = st + gamma * (tt - st);
            }
            l = lNew;
            if (multE && l <= 0) return 1e12;
        }
        w.FinalLevel = l; w.FinalTrend = b;
        if (hasG) Array.Copy(s, w.FinalSeason, m);
        if (!(sse > 0)) sse = 1e-300;
        return n * Math.Log(sse) + 2 * sumLog;
    }

    private sealed class EtsFit : FittedBase
    {
        private readonly EtsSpec _spec;
        private readonly int _m, _n;
        private readonly double _alpha, _beta, _gamma, _phi, _l, _b, _sigma2;
        private readonly double[] _s;

        public EtsFit(double[] y, double[] fitted, EtsSpec spec, int period, int m, double alpha, double beta, double gamma, double phi,
            double l, double b, double[] s, double sigma2, double lik, double aicc, int maxIt, double tol, string name)
            : base(y, fitted, new EtsModel(spec, true, maxIt, tol, name), spec.ToString(), new Dictionary<string, double>())
        {
            _y = y; _period = period; _lik = lik; _maxIt = maxIt; _tol = tol; _name = name;
            _spec = spec; _m = m; _n = y.Length; _alpha = alpha; _beta = beta; _gamma = gamma; _phi = phi; _l = l; _b = b; _s = s; _sigma2 = sigma2;
            Aicc = aicc;
            var p = (Dictionary<string, double>)Parameters;
            p["alpha"] = alpha;
            if (spec.Trend != EtsTrend.None) p["beta"] = beta;
            if (spec.Season != EtsSeason.None) p["gamma"] = gamma;
            if (spec.Trend == EtsTrend.Damped) p["phi"] = phi;
            p["sigma2"] = sigma2; p["aicc"] = aicc; p["loglik"] = -0.5 * lik;
        }

        private readonly double[] _y;
        private readonly int _period, _maxIt;
        private readonly double _lik, _tol;
        private readonly string _name;

        public EtsSpec Spec => _spec;
        public double Aicc { get; }

        /// <summary>The same fit under another model name (the name its frozen refits carry).</summary>
        public EtsFit Renamed(string name) => name == _name ? this
            : new EtsFit(_y, FittedValues, _spec, _period, _m, _alpha, _beta, _gamma, _phi, _l, _b, _s, _sigma2, _lik, Aicc, _maxIt, _tol, name);

        public override double[] Forecast(int h)
        {
            var f = new double[h];
            double phiSum = 0, phiPow = 1;
            for (int k = 1; k <= h; k++)
            {
                if (_spec.Trend == EtsTrend.Damped) { phiPow *= _phi; phiSum += phiPow; } else phiSum = k;
                double q = _l + (_spec.Trend == EtsTrend.None ? 0 : phiSum * _b);
                // Season for time n+k-1 sits at position (n+k-1) mod m in the circular buffer.
                double s = _spec.Season == EtsSeason.None ? 0 : _s[(_n + k - 1) % _m];
                f[k - 1] = _spec.Season switch { EtsSeason.None => q, EtsSeason.Additive => q + s, _ => q * s };
            }
            return f;
        }

        public override double[] ForecastStdDev(int h)
        {
            // Class-1 (linear) variance; multiplicative-error forms use it on the relative scale.
            var sd = new double[h];
            var mean = _spec.Error == EtsError.Multiplicative ? Forecast(h) : null;
            double acc = 1, phiSum = 0, phiPow = 1;
            for (int k = 1; k <= h; k++)
            {
                sd[k - 1] = Math.Sqrt(_sigma2 * acc) * (mean != null ? Math.Abs(mean[k - 1]) : 1);
                double c = _alpha;
                if (_spec.Trend == EtsTrend.Additive) c += _beta * k;
                else if (_spec.Trend == EtsTrend.Damped) { phiPow *= _phi; phiSum += phiPow; c += _beta * phiSum; }
                if (_spec.Season != EtsSeason.None && k % _m == 0) c += _gamma;
                acc += c * c;
            }
            return sd;
        }
    }
}
