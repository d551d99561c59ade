using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Engine;

/// <summary>A hierarchy's reconciled forecast: means, intervals from the reconciled draws, and the draws themselves.</summary>
/// <param name="Mean">[node][step], the reconciled base means.</param>
/// <param name="Intervals">Per level, [node][step] bounds: quantiles of the same reconciled draws for every node.</param>
/// <param name="Draws">[draw][node][step]; every draw is coherent (each node is the sum of the bottom series under it).</param>
public sealed record ReconciledForecast(Reconciliation Reconciliation, double[][] Mean, IReadOnlyList<ReconciledInterval> Intervals, double[][][] Draws);

public sealed record ReconciledInterval(double Level, double[][] Lower, double[][] Upper);

/// <summary>
/// Reconciles base forecasts of every node of a <see cref="Hierarchy"/> (from <see cref="ForecastOrchestrator"/>) and
/// their sample paths. Each node's base paths keep its calibrated intervals as marginals (a Gaussian copula: a normal
/// score per step, correlated over steps as a <see cref="ForecastPaths"/> level and across nodes with the correlation
/// of their one-step residuals, mapped through the node's quantiles); every draw then goes through the same linear
/// map as the means, so the P10-P90 of the parts and of the whole come from the same draws.
/// </summary>
public static class HierarchicalForecast
{
    /// <param name="baseForecasts">One per node, in <see cref="Hierarchy.Nodes"/> order, with the same horizon and levels.</param>
    /// <param name="nonNegative">Counts: negative bottom values of a draw (and of the mean) are set to 0 and the nodes re-summed, which keeps coherence.</param>
    public static ReconciledForecast Reconcile(Hierarchy hierarchy, IReadOnlyList<ForecastResult> baseForecasts, ReconciliationMethod method,
        bool keepTop = false, int draws = 1000, int seed = 1, bool nonNegative = false)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        ArgumentNullException.ThrowIfNull(baseForecasts);
        var n = hierarchy.Nodes.Count;
        if (baseForecasts.Count != n) throw new ArgumentException($"expected one base forecast per node ({n}), got {baseForecasts.Count}", nameof(baseForecasts));
        if (draws < 10) throw new ArgumentException("at least 10 draws are needed for intervals", nameof(draws));
        var h = baseForecasts[0].Mean.Length;
        if (baseForecasts.Any(f => f.Mean.Length != h)) throw new ArgumentException("every node's forecast needs the same horizon", nameof(baseForecasts));
        var levels = baseForecasts[0].Intervals.Select(i => i.Level).ToArray();
        if (baseForecasts.Any(f => !f.Intervals.Select(i => i.Level).SequenceEqual(levels)))
            throw new ArgumentException("every node's forecast needs the same interval levels", nameof(baseForecasts));

        var residuals = baseForecasts.All(f => f.Residuals.Length > 0) ? baseForecasts.Select(f => f.Residuals).ToList() : null;
        var reconciliation = Reconciliation.Fit(hierarchy, method, residuals, keepTop);

        var mean = reconciliation.ApplySteps(baseForecasts.Select(f => f.Mean).ToList());
        if (nonNegative) Resum(hierarchy, mean);

        // Each node's spread from its interval nearest 80% (the calibrated quantiles' half-width as a normal sd).
        var paths = baseForecasts.Select(f => PathsOf(f)).ToArray();
        var quantiles = baseForecasts.Select(f => Enumerable.Range(0, h).Select(k => QuantileCurve.Of(f, k)).ToArray()).ToArray();
        // Counts with integer bounds (CountIntervals) draw integers, so a bound an actual sits on stays covered.
        var integer = baseForecasts.Select(f => nonNegative && f.Intervals.Count > 0
            && f.Intervals.All(iv => iv.Lower.Concat(iv.Upper).All(b => b == Math.Round(b)))).ToArray();
        var cholesky = JointFactor(reconciliation.ErrorCorrelation, n);
        var rng = new Random(seed);
        var sample = new double[draws][][];
        var eps = new double[n];
        var z = new double[n][];
        for (var i = 0; i < n; i++) z[i] = new double[h];
        var baseDraw = new double[n][];
        for (var d = 0; d < draws; d++)
        {
            for (var k = 0; k < h; k++)
            {
                for (var i = 0; i < n; i++) eps[i] = Normal.Sample(rng, 0, 1);
                for (var i = 0; i < n; i++)
                {
                    double v = 0;
                    for (var j = 0; j <= i; j++) v += cholesky[i, j] * eps[j];
                    z[i][k] = v;
                }
            }
            for (var i = 0; i < n; i++)
            {
                baseDraw[i] = new double[h];
                var row = z[i];
                paths[i].DrawLevel(k => row[k], baseDraw[i]);
                // The path's standardised value at each step (normal, correlated over steps like the model's level),
                // mapped through the node's own calibrated quantiles, so every base draw keeps its interval's marginals.
                for (var k = 0; k < h; k++)
                {
                    var v = paths[i].PersistentVariance[k];
                    var score = v > 0 ? (baseDraw[i][k] - paths[i].Mean[k]) / Math.Sqrt(v) : row[k];
                    baseDraw[i][k] = integer[i] ? Math.Round(quantiles[i][k].At(score)) : quantiles[i][k].At(score);
                }
            }
            var drawn = reconciliation.ApplySteps(baseDraw);
            if (nonNegative) Resum(hierarchy, drawn);
            sample[d] = drawn;
        }

        var m = hierarchy.BottomCount;
        // A node whose bottom series are all counts is a count: its bounds are whole numbers (bottom-up draws are
        // already integers; other maps give fractions of a count, rounded to the nearest).
        var wholeCount = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, m).Where(j => hierarchy.Summing[i, j] > 0).All(j => integer[n - m + j])).ToArray();
        var intervals = levels.Select(level =>
        {
            var lower = new double[n][];
            var upper = new double[n][];
            var column = new double[draws];
            for (var i = 0; i < n; i++)
            {
                lower[i] = new double[h];
                upper[i] = new double[h];
                for (var k = 0; k < h; k++)
                {
                    for (var d = 0; d < draws; d++) column[d] = sample[d][i][k];
                    Array.Sort(column);
                    lower[i][k] = SeriesTools.Quantile(column, 0.5 - level / 200);
                    upper[i][k] = SeriesTools.Quantile(column, 0.5 + level / 200);
                    if (wholeCount[i]) (lower[i][k], upper[i][k]) = (Math.Round(lower[i][k]), Math.Round(upper[i][k]));
                }
            }
            return new ReconciledInterval(level, lower, upper);
        }).ToList();
        return new ReconciledForecast(reconciliation, mean, intervals, sample);
    }

    private static ForecastPaths PathsOf(ForecastResult f)
    {
        if (f.Intervals.Count == 0) return ForecastPaths.FromInterval(f.Mean, f.Mean, 80);
        var interval = f.Intervals.MinBy(i => Math.Abs(i.Level - 80))!;
        var upper = f.Mean.Select((m, k) => m + Math.Max(0, (interval.Upper[k] - interval.Lower[k]) / 2)).ToArray();
        return ForecastPaths.FromInterval(f.Mean, upper, interval.Level);
    }

    /// <summary>
    /// A node's forecast distribution at one step as a function of a standard normal score: piecewise linear through
    /// (0, mean) and (+-z_L, the level-L bounds) for each interval level, extended beyond the widest level with the
    /// slope of the outermost segment, so the draws reproduce the calibrated (possibly skewed, integer) bounds.
    /// </summary>
    private sealed class QuantileCurve(double[] scores, double[] values)
    {
        public static QuantileCurve Of(ForecastResult f, int k)
        {
            var knots = new List<(double Z, double V)> { (0, f.Mean[k]) };
            foreach (var iv in f.Intervals)
            {
                var z = Normal.InvCDF(0, 1, 0.5 + iv.Level / 200);
                knots.Add((-z, Math.Min(iv.Lower[k], f.Mean[k])));
                knots.Add((z, Math.Max(iv.Upper[k], f.Mean[k])));
            }
            knots.Sort((a, b) => a.Z.CompareTo(b.Z));
            var values = new double[knots.Count];
            // Bounds that cross (a wider level's bound inside a narrower one's) are made monotone.
            for (var j = 0; j < knots.Count; j++) values[j] = j == 0 ? knots[j].V : Math.Max(values[j - 1], knots[j].V);
            return new QuantileCurve(knots.Select(x => x.Z).ToArray(), values);
        }

        public double At(double z)
        {
            var last = scores.Length - 1;
            if (last == 0) return values[0];
            if (z <= scores[0]) return values[0] + (z - scores[0]) * Slope(0, 1);
            if (z >= scores[last]) return values[last] + (z - scores[last]) * Slope(last - 1, last);
            var j = Array.BinarySearch(scores, z);
            if (j >= 0) return values[j];
            j = ~j;
            return values[j - 1] + (z - scores[j - 1]) * Slope(j - 1, j);
        }

        private double Slope(int a, int b) => scores[b] > scores[a] ? (values[b] - values[a]) / (scores[b] - scores[a]) : 0;
    }

    /// <summary>Lower Cholesky factor of the error correlation (identity without one); a little ridge if it is singular.</summary>
    private static Matrix<double> JointFactor(Matrix<double>? correlation, int n)
    {
        if (correlation is null) return Matrix<double>.Build.DenseIdentity(n);
        for (var ridge = 0.0; ridge < 1; ridge = ridge == 0 ? 1e-8 : ridge * 10)
        {
            var c = correlation + Matrix<double>.Build.DenseIdentity(n) * ridge;
            try { return c.Cholesky().Factor; }
            catch (ArgumentException) { }
        }
        return Matrix<double>.Build.DenseIdentity(n);
    }

    /// <summary>Sets negative bottom values to 0 and re-sums every node from the bottom: [node][step] in place.</summary>
    private static void Resum(Hierarchy hierarchy, double[][] values)
    {
        var n = hierarchy.Nodes.Count;
        var m = hierarchy.BottomCount;
        var s = hierarchy.Summing;
        for (var k = 0; k < values[0].Length; k++)
        {
            var any = false;
            for (var j = 0; j < m; j++)
                if (values[n - m + j][k] < 0) { values[n - m + j][k] = 0; any = true; }
            if (!any) continue;
            for (var i = 0; i < n - m; i++)
            {
                double sum = 0;
                for (var j = 0; j < m; j++) sum += s[i, j] * values[n - m + j][k];
                values[i][k] = sum;
            }
        }
    }
}
