using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Engine;

/// <summary>How base forecasts of a hierarchy's nodes are made coherent.</summary>
public enum ReconciliationMethod
{
    /// <summary>The bottom series' forecasts, summed up.</summary>
    BottomUp,
    /// <summary>Least squares projection onto the coherent space (W = I).</summary>
    Ols,
    /// <summary>Weighted least squares with W = diag(number of bottom series under each node) (structural scaling).</summary>
    WlsStructural,
    /// <summary>MinT with the Schafer-Strimmer shrinkage covariance of the one-step residuals (hts / fable "mint_shrink").</summary>
    MinTShrink,
}

/// <summary>
/// A fitted reconciliation: the linear map M (nodes x nodes) with reconciled = M x base, built once per hierarchy and
/// applied to means and to every sample path alike, so parts sum to their whole on every draw.
/// M = S G with G = (S' W^-1 S)^-1 S' W^-1 (bottom-up: G picks the bottom rows). Keeping the top level fixed solves the
/// same weighted least squares with the constraint sum(bottom) = base total: G + Q (e_1' - 1' G), Q = A^-1 1 / (1' A^-1 1),
/// A = S' W^-1 S, still linear in the base forecasts.
/// </summary>
public sealed class Reconciliation
{
    public Hierarchy Hierarchy { get; }
    public ReconciliationMethod Method { get; }
    public bool KeepTop { get; }
    /// <summary>The map from base to reconciled node values (nodes x nodes).</summary>
    public Matrix<double> Map { get; }
    /// <summary>The covariance W the weights came from (MinT: the shrunk residual covariance); null for bottom-up.</summary>
    public Matrix<double>? Weights { get; }
    /// <summary>Shrinkage intensity toward the diagonal (MinT only; NaN otherwise).</summary>
    public double Lambda { get; }
    /// <summary>Correlation of the nodes' one-step errors (shrunk), when residuals were given; used to draw joint base paths.</summary>
    public Matrix<double>? ErrorCorrelation { get; }

    private Reconciliation(Hierarchy hierarchy, ReconciliationMethod method, bool keepTop, Matrix<double> map, Matrix<double>? weights, double lambda, Matrix<double>? correlation)
    {
        Hierarchy = hierarchy;
        Method = method;
        KeepTop = keepTop;
        Map = map;
        Weights = weights;
        Lambda = lambda;
        ErrorCorrelation = correlation;
    }

    /// <summary>Fewest common residual periods MinT needs to estimate a covariance.</summary>
    public const int MinResidualPeriods = 4;

    /// <param name="residuals">
    /// Per node (hierarchy order), its one-step in-sample residuals in time order, all ending at the same period (NaN
    /// where undefined). MinT uses the trailing periods where every node has a residual. Optional for the other methods;
    /// when given, their correlation also ties the nodes' sample paths together.
    /// </param>
    /// <param name="keepTop">Keep the total's base forecast unchanged and adjust the rest consistently (not with bottom-up).</param>
    public static Reconciliation Fit(Hierarchy hierarchy, ReconciliationMethod method, IReadOnlyList<double[]>? residuals = null, bool keepTop = false)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        var s = hierarchy.Summing;
        int n = s.RowCount, m = s.ColumnCount;
        if (keepTop && method == ReconciliationMethod.BottomUp)
            throw new ArgumentException("bottom-up keeps the bottom forecasts, so it cannot also keep the top level: choose ols, wls or mint", nameof(keepTop));
        if (residuals is not null && residuals.Count != n)
            throw new ArgumentException($"residuals: expected one series per node ({n}), got {residuals.Count}", nameof(residuals));

        Matrix<double>? covariance = null, correlation = null;
        var lambda = double.NaN;
        if (residuals is not null)
        {
            var e = CommonResiduals(residuals);
            if (e is null)
            {
                if (method == ReconciliationMethod.MinTShrink)
                    throw new ArgumentException($"residuals: MinT needs at least {MinResidualPeriods} periods where every node has a residual", nameof(residuals));
            }
            else
            {
                (covariance, lambda) = ShrinkCovariance(e);
                correlation = ToCorrelation(covariance);
            }
        }
        else if (method == ReconciliationMethod.MinTShrink)
            throw new ArgumentException("residuals: MinT needs the nodes' one-step residuals", nameof(residuals));

        Matrix<double> g;
        Matrix<double>? w = null;
        if (method == ReconciliationMethod.BottomUp)
        {
            g = Matrix<double>.Build.Dense(m, n);
            for (var j = 0; j < m; j++) g[j, n - m + j] = 1;
        }
        else
        {
            w = method switch
            {
                ReconciliationMethod.Ols => Matrix<double>.Build.DenseIdentity(n),
                ReconciliationMethod.WlsStructural => Matrix<double>.Build.DenseOfDiagonalArray(s.RowSums().ToArray()),
                _ => covariance!,
            };
            var wInverseS = w.Solve(s);                       // W^-1 S
            var a = s.TransposeThisAndMultiply(wInverseS);   // S' W^-1 S
            g = a.Solve(wInverseS.Transpose());             // (S' W^-1 S)^-1 S' W^-1
            if (keepTop)
            {
                var ones = Vector<double>.Build.Dense(m, 1);
                var q = a.Solve(ones);
                q /= ones.DotProduct(q);
                var top = Vector<double>.Build.Dense(n);
                top[0] = 1;
                // G + q (e_1' - 1' G): the bottom forecasts sum to the base total.
                g += q.OuterProduct(top - g.ColumnSums());
            }
            if (method != ReconciliationMethod.MinTShrink) lambda = double.NaN;
        }
        return new Reconciliation(hierarchy, method, keepTop, s * g, w, method == ReconciliationMethod.MinTShrink ? lambda : double.NaN, correlation);
    }

    /// <summary>Reconciled node values from base node values (hierarchy order).</summary>
    public double[] Apply(IReadOnlyList<double> baseValues)
    {
        if (baseValues.Count != Map.ColumnCount) throw new ArgumentException($"expected {Map.ColumnCount} node values, got {baseValues.Count}", nameof(baseValues));
        return (Map * Vector<double>.Build.DenseOfEnumerable(baseValues)).ToArray();
    }

    /// <summary>Reconciles every step: <paramref name="baseByNode"/>[node][step] -> [node][step].</summary>
    public double[][] ApplySteps(IReadOnlyList<double[]> baseByNode)
    {
        if (baseByNode.Count != Map.ColumnCount) throw new ArgumentException($"expected {Map.ColumnCount} nodes, got {baseByNode.Count}", nameof(baseByNode));
        var steps = baseByNode[0].Length;
        if (baseByNode.Any(b => b.Length != steps)) throw new ArgumentException("every node needs the same number of steps", nameof(baseByNode));
        var x = Matrix<double>.Build.Dense(baseByNode.Count, steps, (i, j) => baseByNode[i][j]);
        var r = Map * x;
        return Enumerable.Range(0, r.RowCount).Select(i => r.Row(i).ToArray()).ToArray();
    }

    /// <summary>The trailing rows (periods x nodes) where every node has a residual; null when fewer than <see cref="MinResidualPeriods"/>.</summary>
    internal static Matrix<double>? CommonResiduals(IReadOnlyList<double[]> residuals)
    {
        var length = residuals.Min(r => r.Length);
        var rows = new List<double[]>();
        for (var k = 1; k <= length; k++)
        {
            var row = residuals.Select(r => r[r.Length - k]).ToArray();
            if (row.All(double.IsFinite)) rows.Add(row);
        }
        if (rows.Count < MinResidualPeriods) return null;
        rows.Reverse();
        return Matrix<double>.Build.DenseOfRowArrays(rows);
    }

    /// <summary>
    /// Schafer-Strimmer shrinkage of the uncentred residual covariance toward its diagonal, as hts' shrink.estim and
    /// fable's min_trace(method = "mint_shrink"): lambda = sum of var(r_ij) / sum of r_ij^2 over i != j, kept in [0, 1].
    /// </summary>
    internal static (Matrix<double> Covariance, double Lambda) ShrinkCovariance(Matrix<double> e)
    {
        int t = e.RowCount, n = e.ColumnCount;
        var cov = e.TransposeThisAndMultiply(e) / t;
        // A node fitted without error (a constant series, e.g. a part with no events) gets a tiny variance instead of
        // none: MinT then all but keeps its forecast, and the weights stay invertible.
        var floor = Math.Max(1e-8 * Enumerable.Range(0, n).Max(i => cov[i, i]), 1e-12);
        for (var i = 0; i < n; i++) cov[i, i] = Math.Max(cov[i, i], floor);
        var sd = Vector<double>.Build.Dense(n, i => Math.Sqrt(cov[i, i]));
        var xs = Matrix<double>.Build.Dense(t, n, (r, c) => e[r, c] / sd[c]);
        var xs2 = xs.PointwisePower(2);
        var cross = xs.TransposeThisAndMultiply(xs);
        var v = (xs2.TransposeThisAndMultiply(xs2) - cross.PointwisePower(2) / t) / (t * (t - 1.0));
        double sumV = 0, sumD = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                if (i == j) continue;
                sumV += v[i, j];
                var r = cov[i, j] / (sd[i] * sd[j]);
                sumD += r * r;
            }
        var lambda = sumD > 0 ? Math.Clamp(sumV / sumD, 0, 1) : 1;
        var shrunk = cov * (1 - lambda);
        for (var i = 0; i < n; i++) shrunk[i, i] = cov[i, i];
        return (shrunk, lambda);
    }

    private static Matrix<double> ToCorrelation(Matrix<double> cov) =>
        Matrix<double>.Build.Dense(cov.RowCount, cov.ColumnCount, (i, j) => cov[i, j] / Math.Sqrt(cov[i, i] * cov[j, j]));
}
