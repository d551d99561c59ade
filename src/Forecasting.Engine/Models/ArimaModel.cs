using MathNet.Numerics.Statistics;
using System.Numerics;
using MathNet.Numerics;

namespace Forecasting.Engine.Models;

/// <summary>ARIMA(p,d,q)(P,D,Q)m order, with a constant (the mean when d + D = 0, the drift when d + D = 1).</summary>
public sealed record ArimaOrder(int P, int D, int Q, int SP = 0, int SD = 0, int SQ = 0, int Period = 1, bool Constant = false)
{
    public override string ToString() =>
        $"ARIMA({P},{D},{Q})" + (Period > 1 && SP + SD + SQ > 0 ? $"({SP},{SD},{SQ})[{Period}]" : "") +
        (Constant ? D + SD == 0 ? " with non-zero mean" : " with drift" : "");
}

/// <summary>
/// Seasonal ARIMA as R's <c>forecast::Arima</c> / <c>stats::arima</c> (method "CSS-ML"): conditional sum of squares
/// for starting values, then exact maximum likelihood by the Kalman filter on R's state-space form (differencing in
/// the state with a diffuse prior of variance 1e6; the stationary ARMA covariance as the initial state variance;
/// AR parameters kept stationary through R's partial-autocorrelation transform; non-invertible MA roots inverted).
/// A constant is the mean (d + D = 0) or a drift on time (d + D = 1), estimated jointly as R's regressors are.
/// Without an order, the order is chosen as R's <c>auto.arima</c> does (Hyndman-Khandakar stepwise search by AICc,
/// d by repeated KPSS tests at 5%, D by a seasonal-strength test); see <see cref="AutoOrder"/>.
/// </summary>
public sealed class ArimaModel : IForecastModel
{
    private readonly ArimaOrder? _order;

    public ArimaModel(ArimaOrder? order = null) => _order = order;

    public string Name => "arima";

    public IFittedForecast Fit(double[] y, int period)
    {
        if (y.Length < 3) throw new ArgumentException($"arima needs at least 3 observations; got {y.Length}.", nameof(y));
        if (y.Any(v => !double.IsFinite(v))) throw new ArgumentException("arima needs a complete series.", nameof(y));
        if (_order != null)
            return FitOrder(y, _order) ?? throw new ArgumentException($"{_order} cannot be fitted to this series.");
        return AutoFit(y, period);
    }

    // ---------------------------------------------------------------- automatic order (auto.arima, stepwise)

    private const int MaxP = 5, MaxQ = 5, MaxSP = 2, MaxSQ = 2, MaxOrder = 5;

    /// <summary>The fitted model auto.arima's stepwise search would choose (lowest AICc).</summary>
    internal static ArimaFit AutoFit(double[] y, int period)
    {
        int m = period > 1 && y.Length >= 2 * period ? period : 1;
        int sd = m > 1 ? SeasonalDiffs(y, m) : 0;
        var dx = sd > 0 ? Diff(y, m) : y;
        int d = Ndiffs(dx);
        int n = y.Length;
        int maxP = Math.Min(MaxP, n / 3), maxQ = Math.Min(MaxQ, n / 3);
        int maxSP = m > 1 ? Math.Min(MaxSP, n / 3 / m) : 0, maxSQ = m > 1 ? Math.Min(MaxSQ, n / 3 / m) : 0;
        bool allowConstant = d + sd <= 1;
        var tried = new Dictionary<ArimaOrder, ArimaFit?>();
        ArimaFit? best = null;
        bool Try(int p, int q, int sp, int sq, bool c)
        {
            if (p + q + sp + sq > MaxOrder || p > maxP || q > maxQ || sp > maxSP || sq > maxSQ || p < 0 || q < 0 || sp < 0 || sq < 0) return false;
            var o = new ArimaOrder(p, d, q, sp, sd, sq, m, c && allowConstant);
            if (tried.ContainsKey(o)) return false;
            var f = FitOrder(y, o, checkRoots: true);
            tried[o] = f;
            if (f != null && (best == null || f.Aicc < best.Aicc)) { best = f; return true; }
            return false;
        }
        bool constant = allowConstant;
        int bp = Math.Min(2, maxP), bq = Math.Min(2, maxQ), bP = Math.Min(1, maxSP), bQ = Math.Min(1, maxSQ);
        Try(bp, bq, bP, bQ, constant);
        if (Try(0, 0, 0, 0, constant)) { bp = bq = bP = bQ = 0; }
        if ((maxP > 0 || maxSP > 0) && Try(maxP > 0 ? 1 : 0, 0, m > 1 && maxSP > 0 ? 1 : 0, 0, constant)) { bp = maxP > 0 ? 1 : 0; bP = m > 1 && maxSP > 0 ? 1 : 0; bq = bQ = 0; }
        if ((maxQ > 0 || maxSQ > 0) && Try(0, maxQ > 0 ? 1 : 0, 0, m > 1 && maxSQ > 0 ? 1 : 0, constant)) { bp = bP = 0; bq = maxQ > 0 ? 1 : 0; bQ = m > 1 && maxSQ > 0 ? 1 : 0; }
        if (constant && Try(0, 0, 0, 0, false)) { bp = bq = bP = bQ = 0; constant = false; }
        if (best == null) throw new ArgumentException("arima could not fit any order to this series.");
        bool improved = true;
        int guard = 0;
        while (improved && guard++ < 100)
        {
            improved = false;
            var moves = new List<(int p, int q, int sp, int sq, bool c)>
            {
                (bp, bq, bP - 1, bQ, constant), (bp, bq, bP, bQ - 1, constant), (bp, bq, bP + 1, bQ, constant), (bp, bq, bP, bQ + 1, constant),
                (bp, bq, bP - 1, bQ - 1, constant), (bp, bq, bP - 1, bQ + 1, constant), (bp, bq, bP + 1, bQ - 1, constant), (bp, bq, bP + 1, bQ + 1, constant),
                (bp - 1, bq, bP, bQ, constant), (bp, bq - 1, bP, bQ, constant), (bp + 1, bq, bP, bQ, constant), (bp, bq + 1, bP, bQ, constant),
                (bp - 1, bq - 1, bP, bQ, constant), (bp - 1, bq + 1, bP, bQ, constant), (bp + 1, bq - 1, bP, bQ, constant), (bp + 1, bq + 1, bP, bQ, constant),
            };
            if (allowConstant) moves.Add((bp, bq, bP, bQ, !constant));
            foreach (var mv in moves)
            {
                if (m == 1 && (mv.sp != 0 || mv.sq != 0)) continue;
                if (Try(mv.p, mv.q, mv.sp, mv.sq, mv.c))
                {
                    (bp, bq, bP, bQ, constant) = (mv.p, mv.q, mv.sp, mv.sq, mv.c);
                    improved = true;
                    break;
                }
            }
        }
        return best;
    }

    /// <summary>The order <see cref="AutoFit"/> chooses.</summary>
    public static ArimaOrder AutoOrder(double[] y, int period) => AutoFit(y, period).Order;

    /// <summary>
    /// Number of first differences (0 to 2) as R's <c>ndiffs</c> with the KPSS test (level stationarity, lag
    /// truncation floor(3 sqrt(n) / 13), 5% critical value 0.463): difference while the test rejects.
    /// </summary>
    internal static int Ndiffs(double[] x)
    {
        int d = 0;
        while (d < 2)
        {
            if (x.Length < 3 || x.Max() - x.Min() < 1e-12) break;
            if (Kpss(x) <= 0.463) break;
            d++;
            x = Diff(x, 1);
        }
        return d;
    }

    /// <summary>KPSS level-stationarity statistic (urca's ur.kpss, type "mu", lags floor(3 sqrt(n) / 13)).</summary>
    internal static double Kpss(double[] x)
    {
        int n = x.Length, l = (int)Math.Truncate(3 * Math.Sqrt(n) / 13);
        double mean = x.Average();
        var e = x.Select(v => v - mean).ToArray();
        double s = 0, eta = 0;
        foreach (var v in e) { s += v; eta += s * s; }
        eta /= (double)n * n;
        double s2 = e.Sum(v => v * v) / n;
        for (int i = 1; i <= l; i++)
        {
            double c = 0;
            for (int t = i; t < n; t++) c += e[t] * e[t - i];
            s2 += 2 * (1 - i / (l + 1.0)) * c / n;
        }
        return eta / s2;
    }

    /// <summary>
    /// Seasonal differences (0 or 1): 1 when the seasonal strength 1 - var(remainder) / var(seasonal + remainder)
    /// exceeds 0.64, as R's <c>nsdiffs(test = "seas")</c>, here with a classical additive decomposition (centred
    /// moving-average trend) in place of STL.
    /// </summary>
    internal static int SeasonalDiffs(double[] y, int m)
    {
        int n = y.Length;
        if (n < 2 * m + 1) return 0;
        var trend = new double[n];
        Array.Fill(trend, double.NaN);
        int half = m / 2;
        for (int t = half; t < n - half; t++)
        {
            double s = 0;
            if (m % 2 == 0)
            {
                s = 0.5 * y[t - half] + 0.5 * y[t + half];
                for (int j = -half + 1; j < half; j++) s += y[t + j];
            }
            else for (int j = -half; j <= half; j++) s += y[t + j];
            trend[t] = s / m;
        }
        var detr = Enumerable.Range(0, n).Select(t => y[t] - trend[t]).ToArray();
        var fig = new double[m];
        for (int j = 0; j < m; j++)
        {
            var v = Enumerable.Range(0, n).Where(t => t % m == j && double.IsFinite(detr[t])).Select(t => detr[t]).ToList();
            fig[j] = v.Count > 0 ? v.Average() : 0;
        }
        double fm = fig.Average();
        var seas = new List<double>(); var rem = new List<double>();
        for (int t = 0; t < n; t++)
        {
            if (!double.IsFinite(detr[t])) continue;
            double s = fig[t % m] - fm;
            seas.Add(s + (detr[t] - s)); rem.Add(detr[t] - s);
        }
        double strength = Math.Max(0, Math.Min(1, 1 - rem.Variance() / seas.Variance()));
        return strength > 0.64 ? 1 : 0;
    }

    internal static double[] Diff(double[] x, int lag)
    {
        var r = new double[Math.Max(0, x.Length - lag)];
        for (int t = lag; t < x.Length; t++) r[t - lag] = x[t] - x[t - lag];
        return r;
    }

    // ---------------------------------------------------------------- fitting one order (CSS-ML)

    /// <summary>Fits one order; null when it cannot be fitted (or, with <paramref name="checkRoots"/>, has a root within 1.01 of the unit circle).</summary>
    internal static ArimaFit? FitOrder(double[] y, ArimaOrder o, bool checkRoots = false)
    {
        int n = y.Length, m = Math.Max(1, o.Period);
        int p = o.P, q = o.Q, sp = o.SP, sq = o.SQ;
        var delta = DeltaPoly(o.D, o.SD, m);
        int nUsed = n - delta.Length;
        int narma = p + q + sp + sq;
        if (nUsed < narma + (o.Constant ? 1 : 0) + 2) return null;
        int pFull = p + m * sp, qFull = q + m * sq;
        int ncond = delta.Length + pFull;
        if (ncond >= n) return null;

        // Regressor: 1 (mean) or t = 1..n (drift); starting value from least squares on the differenced data.
        double[]? xreg = o.Constant ? (o.D + o.SD == 0 ? Enumerable.Repeat(1.0, n).ToArray() : Enumerable.Range(1, n).Select(t => (double)t).ToArray()) : null;
        double beta0 = 0, betaScale = 1;
        if (xreg != null)
        {
            var dy = Difference(y, o.D, o.SD, m); var dxr = Difference(xreg, o.D, o.SD, m);
            double sxy = 0, sxx = 0;
            for (int t = 0; t < dy.Length; t++) { sxy += dxr[t] * dy[t]; sxx += dxr[t] * dxr[t]; }
            beta0 = sxx > 0 ? sxy / sxx : 0;
            double rss = 0;
            for (int t = 0; t < dy.Length; t++) rss += Math.Pow(dy[t] - beta0 * dxr[t], 2);
            betaScale = sxx > 0 ? Math.Sqrt(rss / Math.Max(1, dy.Length - 1) / sxx) : 1;
            if (!(betaScale > 0)) betaScale = Math.Max(1e-6, Math.Abs(beta0) * 0.1);
        }
        int np = narma + (xreg != null ? 1 : 0);

        double[] Residual(double[] par)
        {
            if (xreg == null) return y;
            var r = new double[n];
            for (int t = 0; t < n; t++) r[t] = y[t] - par[narma] * xreg[t];
            return r;
        }

        // 1. Conditional sum of squares from zero ARMA coefficients.
        var start = new double[np];
        if (xreg != null) start[narma] = beta0;
        var steps = Enumerable.Range(0, np).Select(i => i < narma ? 0.1 : betaScale).ToArray();
        double Css(double[] par)
        {
            var (phi, theta) = Expand(par, p, q, sp, sq, m);
            double v = CssValue(Residual(par), delta, phi, theta, ncond);
            return double.IsFinite(v) ? v : 1e10;
        }
        var css = np > 0 ? Minimise(Css, start, steps, CssMaxEvaluations) : start;

        // 2. Exact likelihood, AR parts through the stationarity transform, from the CSS estimates when stationary.
        var init = (double[])css.Clone();
        // As R's arima, a non-stationary AR part from CSS fails the fit (auto.arima then skips the order).
        if (!ArStationary(init, 0, p) || !ArStationary(init, p + q, sp)) return null;
        InvTransform(init, 0, p); InvTransform(init, p + q, sp);
        double Ml(double[] raw)
        {
            var par = Transform(raw, p, q, sp);
            var (phi, theta) = Expand(par, p, q, sp, sq, m);
            var like = Likelihood(Residual(par), phi, theta, delta, null, null);
            if (like.Nu == 0 || !(like.Ssq > 0)) return 1e10;
            double v = 0.5 * (Math.Log(like.Ssq / like.Nu) + like.SumLog / like.Nu);
            return double.IsFinite(v) ? v : 1e10;
        }
        var raw = np > 0 ? Minimise(Ml, init, steps, MlMaxEvaluations) : init;
        var coef = Transform(raw, p, q, sp);
        MaInvert(coef, p, q); MaInvert(coef, p + q + sp, sq);

        var (fphi, ftheta) = Expand(coef, p, q, sp, sq, m);
        var x = Residual(coef);
        var pred = new double[n];
        var final = Likelihood(x, fphi, ftheta, delta, null, pred);
        if (final.Nu == 0 || !(final.Ssq > 0)) return null;
        // forecast::Arima's residual variance: sum of squared standardised innovations / (n used - coefficients).
        double sigma2 = final.Ssq / Math.Max(1, nUsed - np);
        double obj = 0.5 * (Math.Log(final.Ssq / final.Nu) + final.SumLog / final.Nu);
        double loglik = -0.5 * (2 * nUsed * obj + nUsed + nUsed * Math.Log(2 * Math.PI));
        int npar = np + 1;
        double aic = -2 * loglik + 2 * npar;
        double aicc = nUsed - npar - 1 > 0 ? aic + 2.0 * npar * (npar + 1) / (nUsed - npar - 1) : double.PositiveInfinity;
        if (!double.IsFinite(loglik)) return null;
        if (checkRoots && (MinRoot(fphi, ar: true) < 1.01 || MinRoot(ftheta, ar: false) < 1.01)) return null;
        double beta = xreg != null ? coef[narma] : 0;
        var fitted = new double[n];
        for (int t = 0; t < n; t++) fitted[t] = t < delta.Length ? double.NaN : pred[t] + (xreg != null ? beta * xreg[t] : 0);
        return new ArimaFit(y, fitted, o, coef, fphi, ftheta, delta, beta, sigma2, loglik, aicc, x);
    }

    /// <summary>
    /// Relative tolerance of the minimiser: R's <c>optim</c> default (reltol 1e-8), 1e-10 for the restart. The
    /// conditional sum of squares only gives starting values, so its search stops after
    /// <see cref="CssMaxEvaluations"/> evaluations (R's CSS step stops after 100 BFGS iterations); ill-conditioned
    /// orders (MA roots near the unit circle) otherwise ran to the limit without improving the likelihood fit.
    /// </summary>
    private const double Tolerance = 1e-8;
    private const int CssMaxEvaluations = 200, MlMaxEvaluations = 2000;

    /// <summary>Nelder-Mead from <paramref name="start"/>, restarted once from its optimum (as the ETS fits do).</summary>
    private static double[] Minimise(Func<double[], double> f, double[] start, double[] steps, int maxEvaluations)
    {
        var r = NelderMead.Minimize(f, start, steps, Tolerance, maxEvaluations);
        var r2 = NelderMead.Minimize(f, r.X, steps.Select(s => s * 0.1).ToArray(), Tolerance / 100, maxEvaluations);
        return r2.Value <= r.Value ? r2.X : r.X;
    }

    /// <summary>Coefficients of (1 - B)^d (1 - B^m)^D as y_t = sum delta_i y_{t-i} + w_t.</summary>
    internal static double[] DeltaPoly(int d, int sd, int m)
    {
        var poly = new List<double> { 1 };
        void Mul(int lag)
        {
            var r = new double[poly.Count + lag];
            for (int i = 0; i < poly.Count; i++) { r[i] += poly[i]; r[i + lag] -= poly[i]; }
            poly = r.ToList();
        }
        for (int i = 0; i < d; i++) Mul(1);
        for (int i = 0; i < sd; i++) Mul(m);
        return poly.Skip(1).Select(c => -c).ToArray();
    }

    private static double[] Difference(double[] x, int d, int sd, int m)
    {
        for (int i = 0; i < d; i++) x = Diff(x, 1);
        for (int i = 0; i < sd; i++) x = Diff(x, m);
        return x;
    }

    /// <summary>Full AR and MA polynomials (R's signs: phi as y_t = sum phi_i y_{t-i} + ..., theta as e_t + sum theta_j e_{t-j}).</summary>
    private static (double[] Phi, double[] Theta) Expand(double[] par, int p, int q, int sp, int sq, int m)
    {
        var phi = new double[p + m * sp];
        var theta = new double[q + m * sq];
        for (int i = 0; i < p; i++) phi[i] = par[i];
        for (int i = 0; i < q; i++) theta[i] = par[p + i];
        for (int j = 0; j < sp; j++)
        {
            double s = par[p + q + j];
            phi[(j + 1) * m - 1] += s;
            for (int i = 0; i < p; i++) phi[(j + 1) * m + i] -= par[i] * s;
        }
        for (int j = 0; j < sq; j++)
        {
            double s = par[p + q + sp + j];
            theta[(j + 1) * m - 1] += s;
            for (int i = 0; i < q; i++) theta[(j + 1) * m + i] += par[p + i] * s;
        }
        return (phi, theta);
    }

    /// <summary>R's ARIMA_CSS objective: 0.5 log(mean squared conditional residual) after differencing.</summary>
    private static double CssValue(double[] x, double[] delta, double[] phi, double[] theta, int ncond)
    {
        int n = x.Length;
        var w = (double[])x.Clone();
        // Differencing by the delta polynomial: w_t = x_t - sum delta_i x_{t-i}.
        if (delta.Length > 0)
            for (int t = n - 1; t >= delta.Length; t--)
            {
                double v = x[t];
                for (int i = 0; i < delta.Length; i++) v -= delta[i] * x[t - i - 1];
                w[t] = v;
            }
        var resid = new double[n];
        double ssq = 0; int nu = 0;
        for (int l = ncond; l < n; l++)
        {
            double tmp = w[l];
            for (int j = 0; j < phi.Length; j++) tmp -= phi[j] * w[l - j - 1];
            for (int j = 0; j < Math.Min(l - ncond, theta.Length); j++) tmp -= theta[j] * resid[l - j - 1];
            resid[l] = tmp;
            ssq += tmp * tmp; nu++;
        }
        return 0.5 * Math.Log(ssq / nu);
    }

    private readonly record struct Like(double Ssq, double SumLog, int Nu);

    /// <summary>
    /// R's ARIMA_Like: Kalman filter on the state (ARMA states of dimension r = max(p, q + 1), then the last
    /// differencing values), initial ARMA covariance the stationary one, differencing states diffuse (1e6);
    /// observations whose prediction variance is 1e4 or more are left out of the likelihood.
    /// <paramref name="finalState"/> receives the filtered state and covariance at the end (a, then P row-major),
    /// <paramref name="pred"/> the one-step predictions.
    /// </summary>
    private static Like Likelihood(double[] y, double[] phi, double[] theta, double[] delta, Action<double[]>? finalState, double[]? pred)
    {
        int p = phi.Length, q = theta.Length, r = Math.Max(p, q + 1), d = delta.Length, rd = r + d;
        var b = KalmanBuffers.For(r, rd);
        var a = b.A; var P = b.P; var Pn = b.Pn; var V = b.V; var R = b.R;
        var anew = b.Anew; var M = b.M; var Pw = b.Pw; var mm = b.Mm;
        Array.Clear(a);
        Array.Clear(P);
        Array.Clear(Pn);
        R[0] = 1;
        for (int i = 1; i < r; i++) R[i] = i - 1 < q ? theta[i - 1] : 0;
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) V[i, j] = R[i] * R[j];
        var Pnew = StationaryCovariance(phi, r, b);
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) Pn[i, j] = Pnew[i, j];
        for (int i = r; i < rd; i++) Pn[i, i] = 1e6;
        double ssq = 0, sumlog = 0; int nu = 0;
        for (int l = 0; l < y.Length; l++)
        {
            for (int i = 0; i < r; i++)
            {
                double tmp = i < r - 1 ? a[i + 1] : 0;
                if (i < p) tmp += phi[i] * a[0];
                anew[i] = tmp;
            }
            if (d > 0)
            {
                for (int i = r + 1; i < rd; i++) anew[i] = a[i - 1];
                double tmp = a[0];
                for (int i = 0; i < d; i++) tmp += delta[i] * a[r + i];
                anew[r] = tmp;
            }
            if (l > 0)
            {
                // Pw = T P T' + V (V on the ARMA block).
                for (int i = 0; i < rd; i++)
                    for (int j = 0; j < rd; j++)
                        mm[i, j] = TRow(i, j, P, phi, delta, r, d, p);
                for (int i = 0; i < rd; i++)
                    for (int j = 0; j < rd; j++)
                        Pw[i, j] = TRowT(i, j, mm, phi, delta, r, d, p) + (i < r && j < r ? V[i, j] : 0);
            }
            else Array.Copy(Pn, Pw, Pn.Length);

            double resid0 = y[l] - anew[0];
            for (int i = 0; i < d; i++) resid0 -= delta[i] * anew[r + i];
            if (pred != null) pred[l] = y[l] - resid0;
            for (int i = 0; i < rd; i++)
            {
                double tmp = Pw[i, 0];
                for (int j = 0; j < d; j++) tmp += Pw[i, r + j] * delta[j];
                M[i] = tmp;
            }
            double gain = M[0];
            for (int j = 0; j < d; j++) gain += delta[j] * M[r + j];
            if (gain < 1e4) { nu++; ssq += resid0 * resid0 / gain; sumlog += Math.Log(gain); }
            for (int i = 0; i < rd; i++) a[i] = anew[i] + M[i] * resid0 / gain;
            for (int i = 0; i < rd; i++)
                for (int j = 0; j < rd; j++)
                    P[i, j] = Pw[i, j] - M[i] * M[j] / gain;
        }
        if (finalState != null)
        {
            var s = new double[rd + rd * rd];
            Array.Copy(a, s, rd);
            for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++) s[rd + i * rd + j] = P[i, j];
            finalState(s);
        }
        return new Like(ssq, sumlog, nu);
    }

    /// <summary>(T P)[i, j] for R's transition T.</summary>
    private static double TRow(int i, int j, double[,] P, double[] phi, double[] delta, int r, int d, int p)
    {
        if (i < r)
        {
            double v = i < p ? phi[i] * P[0, j] : 0;
            if (i < r - 1) v += P[i + 1, j];
            return v;
        }
        if (i == r)
        {
            double v = P[0, j];
            for (int k = 0; k < d; k++) v += delta[k] * P[r + k, j];
            return v;
        }
        return P[i - 1, j];
    }

    /// <summary>(M T')[i, j] = (T M')'[i, j] for R's transition T.</summary>
    private static double TRowT(int i, int j, double[,] mm, double[] phi, double[] delta, int r, int d, int p)
    {
        if (j < r)
        {
            double v = j < p ? phi[j] * mm[i, 0] : 0;
            if (j < r - 1) v += mm[i, j + 1];
            return v;
        }
        if (j == r)
        {
            double v = mm[i, 0];
            for (int k = 0; k < d; k++) v += delta[k] * mm[i, r + k];
            return v;
        }
        return mm[i, j - 1];
    }

    /// <summary>
    /// Stationary covariance of the ARMA state (P = T P T' + R R'), by the doubling iteration
    /// P &lt;- P + A P A', A &lt;- A A, from P = R R', A = T; R is the caller's, in <c>b.R</c>.
    /// </summary>
    private static double[,] StationaryCovariance(double[] phi, int r, KalmanBuffers b)
    {
        var R = b.R;
        var P = b.CovP; var A = b.CovA;
        Array.Clear(A);
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) P[i, j] = R[i] * R[j];
        for (int i = 0; i < r; i++)
        {
            if (i < phi.Length) A[i, 0] = phi[i];
            if (i < r - 1) A[i, i + 1] = 1;
        }
        if (phi.Length == 0)
        {
            // Pure MA: T is nilpotent, r steps give the exact sum.
            for (int it = 0; it < 6 && (1 << it) < r; it++) Double(ref P, ref A, b, r);
        }
        else
            for (int it = 0; it < 40; it++)
            {
                Double(ref P, ref A, b, r);
                double norm = 0;
                foreach (var v in A) norm = Math.Max(norm, Math.Abs(v));
                if (norm < 1e-18) break;
            }
        b.CovP = P; b.CovA = A;
        return P;

        // P <- P + A P A', A <- A A, into the spare buffers, which then swap with the current ones.
        static void Double(ref double[,] P, ref double[,] A, KalmanBuffers b, int r)
        {
            var AP = b.CovAP; var next = b.CovSpareP; var AA = b.CovSpareA;
            Mul(A, P, AP, r);
            for (int i = 0; i < r; i++)
                for (int j = 0; j < r; j++)
                {
                    double s = 0;
                    for (int k = 0; k < r; k++) s += AP[i, k] * A[j, k];
                    next[i, j] = P[i, j] + s;
                }
            Mul(A, A, AA, r);
            b.CovSpareP = P; b.CovSpareA = A;
            P = next; A = AA;
        }
        static void Mul(double[,] X, double[,] Y, double[,] Z, int r)
        {
            Array.Clear(Z);
            for (int i = 0; i < r; i++)
                for (int k = 0; k < r; k++)
                {
                    double x = X[i, k];
                    if (x == 0) continue;
                    for (int j = 0; j < r; j++) Z[i, j] += x * Y[k, j];
                }
        }
    }

    /// <summary>Per-thread work arrays of the Kalman filter for one state size: the likelihood runs thousands of times per fit.</summary>
    private sealed class KalmanBuffers
    {
        [ThreadStatic] private static Dictionary<(int, int), KalmanBuffers>? _cached;

        private KalmanBuffers(int r, int rd)
        {
            A = new double[rd]; Anew = new double[rd]; M = new double[rd]; R = new double[r];
            P = new double[rd, rd]; Pn = new double[rd, rd]; Pw = new double[rd, rd]; Mm = new double[rd, rd]; V = new double[r, r];
            CovP = new double[r, r]; CovA = new double[r, r]; CovAP = new double[r, r]; CovSpareP = new double[r, r]; CovSpareA = new double[r, r];
        }

        public readonly double[] A, Anew, M, R;
        public readonly double[,] P, Pn, Pw, Mm, V, CovAP;
        public double[,] CovP, CovA, CovSpareP, CovSpareA;

        public static KalmanBuffers For(int r, int rd)
        {
            _cached ??= new Dictionary<(int, int), KalmanBuffers>();
            if (!_cached.TryGetValue((r, rd), out var b)) _cached[(r, rd)] = b = new KalmanBuffers(r, rd);
            return b;
        }
    }

    // ---------------------------------------------------------------- parameter transforms (R's partrans)

    private static double[] Transform(double[] raw, int p, int q, int sp)
    {
        var par = (double[])raw.Clone();
        PacfToAr(par, 0, p);
        PacfToAr(par, p + q, sp);
        return par;
    }

    private static void PacfToAr(double[] par, int off, int p)
    {
        if (p == 0) return;
        var nw = new double[p];
        for (int j = 0; j < p; j++) nw[j] = Math.Tanh(par[off + j]);
        var work = (double[])nw.Clone();
        for (int j = 1; j < p; j++)
        {
            double a = nw[j];
            for (int k = 0; k < j; k++) work[k] -= a * nw[j - k - 1];
            Array.Copy(work, nw, j);
        }
        Array.Copy(nw, 0, par, off, p);
    }

    private static void InvTransform(double[] par, int off, int p)
    {
        if (p == 0) return;
        var nw = new double[p];
        Array.Copy(par, off, nw, 0, p);
        var work = (double[])nw.Clone();
        for (int j = p - 1; j > 0; j--)
        {
            double a = nw[j];
            for (int k = 0; k < j; k++) work[k] = (nw[k] + a * nw[j - k - 1]) / (1 - a * a);
            Array.Copy(work, nw, j);
        }
        for (int j = 0; j < p; j++) par[off + j] = Math.Atanh(Math.Clamp(nw[j], -0.999999, 0.999999));
    }

    private static bool ArStationary(double[] par, int off, int p)
    {
        if (p == 0) return true;
        var phi = new double[p];
        Array.Copy(par, off, phi, 0, p);
        return MinRoot(phi, ar: true) > 1;
    }

    /// <summary>Smallest modulus of the roots of 1 - sum phi_i z^i (AR) or 1 + sum theta_i z^i (MA); infinity without roots.</summary>
    private static double MinRoot(double[] c, bool ar)
    {
        int last = c.Length - 1;
        while (last >= 0 && Math.Abs(c[last]) < 1e-12) last--;
        if (last < 0) return double.PositiveInfinity;
        var poly = new double[last + 2];
        poly[0] = 1;
        for (int i = 0; i <= last; i++) poly[i + 1] = ar ? -c[i] : c[i];
        try { return FindRoots.Polynomial(poly).Min(z => z.Magnitude); }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException) { return 0; }
    }

    /// <summary>R's maInvert: MA roots inside the unit circle replaced by their inverses (for a seasonal MA, in B^m).</summary>
    private static void MaInvert(double[] par, int off, int q)
    {
        if (q == 0) return;
        var ma = new double[q];
        Array.Copy(par, off, ma, 0, q);
        int q0 = q;
        while (q0 > 0 && ma[q0 - 1] == 0) q0--;
        if (q0 == 0) return;
        var poly = new double[q0 + 1];
        poly[0] = 1;
        for (int i = 0; i < q0; i++) poly[i + 1] = ma[i];
        Complex[] roots;
        try { roots = FindRoots.Polynomial(poly); } catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException) { return; }
        if (roots.All(z => z.Magnitude >= 1)) return;
        for (int i = 0; i < roots.Length; i++) if (roots[i].Magnitude < 1) roots[i] = 1 / roots[i];
        // Rebuild prod (1 - z / root_i) and read the coefficients.
        var x = new Complex[] { 1 };
        foreach (var root in roots)
        {
            var nx = new Complex[x.Length + 1];
            for (int i = 0; i < x.Length; i++) { nx[i] += x[i]; nx[i + 1] -= x[i] / root; }
            x = nx;
        }
        for (int i = 0; i < q0; i++) par[off + i] = x[i + 1].Real;
    }

    // ---------------------------------------------------------------- the fit

    internal sealed class ArimaFit : FittedBase
    {
        private readonly double[] _y, _phi, _theta, _delta, _coef, _x;
        private readonly double _beta;
        private readonly double _sigma2;

        public ArimaFit(double[] y, double[] fitted, ArimaOrder order, double[] coef, double[] phi, double[] theta, double[] delta, double beta, double sigma2, double loglik, double aicc, double[] x)
            : base(y, fitted, new ArimaModel(order), order.ToString(), new Dictionary<string, double>())
        {
            _y = y; _coef = coef; _phi = phi; _theta = theta; _delta = delta; _beta = beta; _sigma2 = sigma2; _x = x;
            Order = order; Loglik = loglik; Aicc = aicc;
            var pr = (Dictionary<string, double>)Parameters;
            int k = 0;
            for (int i = 0; i < order.P; i++) pr[$"ar{i + 1}"] = coef[k++];
            for (int i = 0; i < order.Q; i++) pr[$"ma{i + 1}"] = coef[k++];
            for (int i = 0; i < order.SP; i++) pr[$"sar{i + 1}"] = coef[k++];
            for (int i = 0; i < order.SQ; i++) pr[$"sma{i + 1}"] = coef[k++];
            if (order.Constant) pr[order.D + order.SD == 0 ? "intercept" : "drift"] = beta;
            pr["sigma2"] = sigma2; pr["loglik"] = loglik; pr["aicc"] = aicc;
        }

        public ArimaOrder Order { get; }
        public double Loglik { get; }
        public double Aicc { get; }
        public double Sigma2 => _sigma2;
        /// <summary>Coefficients in R's order: ar, ma, sar, sma, then intercept or drift.</summary>
        public IReadOnlyList<double> Coefficients => _coef;

        public override double[] Forecast(int h) => (double[])Predict(h).Mean.Clone();

        public override double[] ForecastStdDev(int h) => (double[])Predict(h).Sd.Clone();

        // Forecast and ForecastStdDev are asked for in turn with the same h: the filter runs once for both.
        // (A reference, so that a fit read from two threads never sees half of an update.)
        private sealed record Prediction(int H, double[] Mean, double[] Sd);
        private Prediction? _last;

        private Prediction Predict(int h)
        {
            if (_last is { } last && last.H == h) return last;
            var (mean, sd) = KalmanForecast(h);
            return _last = new Prediction(h, mean, sd);
        }

        /// <summary>R's KalmanForecast from the filtered end state, plus the regression term.</summary>
        private (double[] Mean, double[] Sd) KalmanForecast(int h)
        {
            int p = _phi.Length, q = _theta.Length, r = Math.Max(p, q + 1), d = _delta.Length, rd = r + d;
            double[] state = Array.Empty<double>();
            Likelihood(_x, _phi, _theta, _delta, s => state = s, null);
            var a = state[..rd];
            var P = new double[rd, rd];
            for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++) P[i, j] = state[rd + i * rd + j];
            var R = new double[r];
            R[0] = 1;
            for (int i = 1; i < r; i++) R[i] = i - 1 < q ? _theta[i - 1] : 0;
            var mean = new double[h]; var sd = new double[h];
            var anew = new double[rd]; var mm = new double[rd, rd]; var Pw = new double[rd, rd];
            int n = _y.Length;
            for (int k = 0; k < h; k++)
            {
                for (int i = 0; i < r; i++)
                {
                    double tmp = i < r - 1 ? a[i + 1] : 0;
                    if (i < p) tmp += _phi[i] * a[0];
                    anew[i] = tmp;
                }
                if (d > 0)
                {
                    for (int i = r + 1; i < rd; i++) anew[i] = a[i - 1];
                    double tmp = a[0];
                    for (int i = 0; i < d; i++) tmp += _delta[i] * a[r + i];
                    anew[r] = tmp;
                }
                Array.Copy(anew, a, rd);
                for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++) mm[i, j] = TRow(i, j, P, _phi, _delta, r, d, p);
                for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++) Pw[i, j] = TRowT(i, j, mm, _phi, _delta, r, d, p) + (i < r && j < r ? R[i] * R[j] : 0);
                Array.Copy(Pw, P, Pw.Length);
                double f = a[0], v = 0;
                for (int i = 0; i < d; i++) f += _delta[i] * a[r + i];
                var z = new double[rd];
                z[0] = 1;
                for (int i = 0; i < d; i++) z[r + i] = _delta[i];
                for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++) v += z[i] * P[i, j] * z[j];
                double reg = Order.Constant ? _beta * (Order.D + Order.SD == 0 ? 1 : n + k + 1) : 0;
                mean[k] = f + reg;
                sd[k] = Math.Sqrt(Math.Max(0, v * _sigma2));
            }
            return (mean, sd);
        }
    }
}
