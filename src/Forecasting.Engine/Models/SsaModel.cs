using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Engine.Models;

/// <summary>
/// Knobs of ML.NET's ForecastBySsa. Null sizes are chosen from the data: WindowSize a whole number of seasons
/// near a third of the training length, TrainSize and SeriesLength the whole series.
/// </summary>
/// <param name="WindowSize">Embedding dimension L (2 &lt;= L &lt; TrainSize).</param>
/// <param name="SeriesLength">Number of most recent points kept to start the recurrence (&gt; WindowSize).</param>
/// <param name="TrainSize">Number of most recent points used to build the trajectory matrix.</param>
/// <param name="Horizon">Default horizon for <see cref="SsaModel.ForecastWithBounds"/>.</param>
/// <param name="ConfidenceLevel">Level (0-1) of the bounds returned by <see cref="SsaModel.ForecastWithBounds"/>.</param>
/// <param name="Rank">Number of eigentriples kept; null chooses it on a hold-out of the last points.</param>
/// <param name="Stabilize">Pull roots of the recurrence outside the unit circle back onto it (as ML.NET does), so forecasts cannot explode.</param>
public sealed record SsaOptions(int? WindowSize = null, int? SeriesLength = null, int? TrainSize = null, int Horizon = 12,
    double ConfidenceLevel = 0.95, int? Rank = null, bool Stabilize = true);

/// <summary>Singular spectrum analysis with recurrent (LRF) forecasting.</summary>
public sealed class SsaModel : IForecastModel
{
    private readonly SsaOptions _o;
    public SsaModel(SsaOptions? options = null) => _o = options ?? new SsaOptions();
    public string Name => "ssa";

    public IFittedForecast Fit(double[] y, int period)
    {
        int n = y.Length;
        int train = Math.Min(n, _o.TrainSize ?? n);
        if (train < 8) throw new ArgumentException($"ssa needs at least 8 training points; got {train}.", nameof(y));
        var x = y[^train..];
        int m = Math.Max(1, period);
        int L = _o.WindowSize ?? DefaultWindow(train, m);
        if (L < 2 || L >= train) throw new ArgumentException($"ssa window size {L} must be between 2 and the train size {train} - 1.");
        int seriesLength = _o.SeriesLength ?? train;
        if (seriesLength <= L) throw new ArgumentException($"ssa series length {seriesLength} must exceed the window size {L}.");

        int rank;
        if (_o.Rank is int r0) rank = Math.Clamp(r0, 1, L - 1);
        else rank = ChooseRank(x, L, m);
        var (recon, coeffs, kept) = Decompose(x, L, rank, _o.Stabilize);

        var fitted = new double[n];
        Array.Fill(fitted, double.NaN);
        Array.Copy(recon, 0, fitted, n - train, train);
        int keep = Math.Min(seriesLength, train);
        return new Fitted(y, fitted, this, recon[^keep..], coeffs, kept, L, _o.ConfidenceLevel);
    }

    /// <summary>Point forecasts with symmetric normal bounds at the configured confidence level (as ForecastBySsa returns).</summary>
    public (double[] Forecast, double[] Lower, double[] Upper) ForecastWithBounds(double[] y, int period, int? horizon = null)
    {
        int h = horizon ?? _o.Horizon;
        var f = Fit(y, period);
        var mean = f.Forecast(h);
        var sd = f.ForecastStdDev(h);
        double z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + _o.ConfidenceLevel / 2);
        return (mean, mean.Select((v, i) => v - z * sd[i]).ToArray(), mean.Select((v, i) => v + z * sd[i]).ToArray());
    }

    private static int DefaultWindow(int n, int m)
    {
        int target = Math.Max(2, n / 3);
        if (m > 1 && target >= m) target = Math.Max(m, target / m * m);
        return Math.Min(target, n - 1);
    }

    private static int ChooseRank(double[] x, int L, int m)
    {
        int n = x.Length;
        int v = Math.Max(1, Math.Min(Math.Max(m, 4), n / 5));
        int rmax = Math.Min(L - 1, Math.Max(2, Math.Min(2 * m + 1, 13)));
        var head = x[..(n - v)];
        int Lh = Math.Min(L, head.Length - 1);
        if (Lh < 2) return 1;
        double best = double.PositiveInfinity; int bestR = 1;
        var svd = Trajectory(head, Lh).Svd(true);
        for (int r = 1; r <= Math.Min(rmax, Lh - 1); r++)
        {
            var (recon, coeffs, _) = FromSvd(head, Lh, r, svd, true);
            var f = Recur(recon, coeffs, v);
            double err = 0;
            for (int k = 0; k < v; k++) err += Math.Abs(f[k] - x[n - v + k]);
            if (err < best - 1e-12) { best = err; bestR = r; }
        }
        return bestR;
    }

    private static Matrix<double> Trajectory(double[] x, int L) => Matrix<double>.Build.Dense(L, x.Length - L + 1, (i, j) => x[i + j]);

    private static (double[] Recon, double[] Coeffs, int Rank) Decompose(double[] x, int L, int r, bool stabilize) =>
        FromSvd(x, L, r, Trajectory(x, L).Svd(true), stabilize);

    private static (double[] Recon, double[] Coeffs, int Rank) FromSvd(double[] x, int L, int r, MathNet.Numerics.LinearAlgebra.Factorization.Svd<double> svd, bool stabilize)
    {
        int n = x.Length, K = n - L + 1;
        var U = svd.U; var S = svd.S; var VT = svd.VT;
        r = Math.Min(r, S.Count);
        // Drop trailing components until the verticality coefficient allows a recurrence.
        double nu2;
        while (true)
        {
            nu2 = 0;
            for (int i = 0; i < r; i++) nu2 += U[L - 1, i] * U[L - 1, i];
            if (nu2 < 1 - 1e-9 || r == 1) break;
            r--;
        }
        var recon = new double[n];
        var cnt = new int[n];
        for (int i = 0; i < L; i++)
            for (int j = 0; j < K; j++)
            {
                double v = 0;
                for (int c = 0; c < r; c++) v += U[i, c] * S[c] * VT[c, j];
                recon[i + j] += v; cnt[i + j]++;
            }
        for (int t = 0; t < n; t++) recon[t] /= cnt[t];
        var a = new double[L - 1];
        if (nu2 < 1 - 1e-9)
            for (int j = 0; j < L - 1; j++)
            {
                double s = 0;
                for (int c = 0; c < r; c++) s += U[L - 1, c] * U[j, c];
                a[j] = s / (1 - nu2);
            }
        if (stabilize) a = Stabilize(a);
        return (recon, a, r);
    }

    /// <summary>Roots of z^(L-1) - sum a_j z^j outside the unit circle are moved onto it.</summary>
    private static double[] Stabilize(double[] a)
    {
        int d = a.Length;
        if (d == 0) return a;
        // Ascending coefficients of z^d - a[d-1] z^(d-1) - ... - a[0].
        var c = new double[d + 1];
        for (int j = 0; j < d; j++) c[j] = -a[j];
        c[d] = 1;
        Complex[] roots;
        try { roots = FindRoots.Polynomial(c); } catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException) { return a; }
        // Zero low-order coefficients can make the root finder return fewer roots; leave such recurrences as they are.
        if (roots.Length != d) return a;
        bool changed = false;
        for (int i = 0; i < roots.Length; i++)
            if (roots[i].Magnitude > 1) { roots[i] /= roots[i].Magnitude; changed = true; }
        if (!changed) return a;
        var poly = new Complex[] { Complex.One };
        foreach (var root in roots)
        {
            var next = new Complex[poly.Length + 1];
            for (int k = 0; k < poly.Length; k++) { next[k + 1] += poly[k]; next[k] -= root * poly[k]; }
            poly = next;
        }
        var outA = new double[d];
        for (int j = 0; j < d; j++) outA[j] = -poly[j].Real;
        return outA;
    }

    private static double[] Recur(double[] recon, double[] a, int h)
    {
        int d = a.Length;
        var buf = new List<double>(recon);
        var f = new double[h];
        for (int k = 0; k < h; k++)
        {
            double s = 0;
            int start = buf.Count - d;
            for (int j = 0; j < d; j++) s += a[j] * (start + j >= 0 ? buf[start + j] : buf[0]);
            buf.Add(s); f[k] = s;
        }
        return f;
    }

    private sealed class Fitted : FittedBase
    {
        private readonly double[] _state, _a;
        private readonly double _sigma;

        public Fitted(double[] y, double[] fitted, IForecastModel model, double[] state, double[] a, int rank, int L, double conf)
            : base(y, fitted, model, $"SSA(L={L}, r={rank})", new Dictionary<string, double> { ["window"] = L, ["rank"] = rank, ["confidence"] = conf })
        {
            _state = state; _a = a;
            _sigma = SeriesTools.Rms(Residuals);
            ((Dictionary<string, double>)Parameters)["sigma"] = _sigma;
        }

        public override double[] Forecast(int h) => Recur(_state, _a, h);
        public override double[] ForecastStdDev(int h) => Enumerable.Range(1, h).Select(k => _sigma * Math.Sqrt(k)).ToArray();
    }
}
