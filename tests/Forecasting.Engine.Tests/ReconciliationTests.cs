using Forecasting.Engine;

namespace Forecasting.Engine.Tests;

/// <summary>
/// Reconciliation against base R matrix algebra (reference/reconciliation_reference.R, which prints these numbers),
/// and the coherence of reconciled sample paths.
/// </summary>
[Trait("Category", "unit")]
public sealed class ReconciliationTests
{
    // Total -> A, B; A -> A1, A2; B -> B1, B2, B3.
    private static Hierarchy Tree() => Hierarchy.FromBottomPaths(new[]
    {
        new[] { "A", "A1" }, new[] { "A", "A2" }, new[] { "B", "B1" }, new[] { "B", "B2" }, new[] { "B", "B3" },
    });

    private static readonly double[][] Base =
    {
        new[] { 120.0, 125 }, new[] { 50.0, 52 }, new[] { 66.0, 70 }, new[] { 21.0, 22 }, new[] { 27.0, 28 }, new[] { 20.0, 21 }, new[] { 25.0, 26 }, new[] { 23.0, 24 },
    };

    /// <summary>The fixture's residuals: 24 periods per node from a fixed formula, the total's and A's sharing parts' errors.</summary>
    private static double[][] Residuals()
    {
        const int t = 24, n = 8;
        var e = new double[n][];
        for (var i = 0; i < n; i++)
            e[i] = Enumerable.Range(1, t).Select(s => Math.Sin(1.3 * s + 0.7 * (i + 1)) + 0.4 * Math.Cos(2.1 * s * (i + 1)) + 0.05 * (i + 1) * ((s % 5) - 2)).ToArray();
        for (var s = 0; s < t; s++)
        {
            e[0][s] += e[3][s] + e[5][s];
            e[1][s] += 0.8 * e[3][s];
        }
        return e;
    }

    /// <summary>R prints node values step by step (column-major): step 1's eight nodes, then step 2's.</summary>
    private static void AssertR(double[] r, double[][] actual, string what)
    {
        var flat = Enumerable.Range(0, 2).SelectMany(k => actual.Select(node => node[k])).ToArray();
        TestUtil.Close(r, flat, 1e-8, what);
    }

    [Fact]
    public void Summing_matrix_lists_the_total_then_each_level_in_order_of_appearance()
    {
        var h = Tree();
        Assert.Equal(new[] { "", "A", "B", "A/A1", "A/A2", "B/B1", "B/B2", "B/B3" }, h.Nodes.Select(p => string.Join("/", p)));
        Assert.Equal(new double[] { 1, 1, 1, 1, 1 }, h.Summing.Row(0).ToArray());
        Assert.Equal(new double[] { 1, 1, 0, 0, 0 }, h.Summing.Row(1).ToArray());
        Assert.Equal(new double[] { 0, 0, 1, 1, 1 }, h.Summing.Row(2).ToArray());
        Assert.Equal(5, h.BottomCount);
    }

    [Fact]
    public void Bottom_up_ols_and_structural_wls_match_R()
    {
        var h = Tree();
        AssertR([116, 48, 68, 21, 27, 20, 25, 23, 121, 50, 71, 22, 28, 21, 26, 24],
            Reconciliation.Fit(h, ReconciliationMethod.BottomUp).ApplySteps(Base), "bottom-up");
        AssertR([118.2758620690, 50.4827586207, 67.7931034483, 22.2413793103, 28.2413793103, 19.9310344828, 24.9310344828, 22.9310344828,
                123.5862068966, 52.2758620690, 71.3103448276, 23.1379310345, 29.1379310345, 21.1034482759, 26.1034482759, 24.1034482759],
            Reconciliation.Fit(h, ReconciliationMethod.Ols).ApplySteps(Base), "ols");
        AssertR([117.3333333333, 49.5333333333, 67.8000000000, 21.7666666667, 27.7666666667, 19.9333333333, 24.9333333333, 22.9333333333,
                122.6666666667, 51.4666666667, 71.2000000000, 22.7333333333, 28.7333333333, 21.0666666667, 26.0666666667, 24.0666666667],
            Reconciliation.Fit(h, ReconciliationMethod.WlsStructural).ApplySteps(Base), "wls structural");
    }

    [Fact]
    public void MinT_with_shrinkage_matches_R_shrinkage_intensity_and_forecasts()
    {
        var r = Reconciliation.Fit(Tree(), ReconciliationMethod.MinTShrink, Residuals());
        Assert.Equal(0.0908207979, r.Lambda, 9);
        AssertR([123.0862504311, 54.2265602028, 68.8596902282, 24.3590526503, 29.8675075525, 21.3535109746, 25.0380424143, 22.4681368394,
                127.7019454031, 55.4087229534, 72.2932224497, 24.8472618784, 30.5614610750, 22.3536274426, 26.2461449246, 23.6934500824],
            r.ApplySteps(Base), "mint_shrink");
    }

    [Fact]
    public void Keeping_the_top_fixed_matches_Rs_constrained_least_squares()
    {
        var mint = Reconciliation.Fit(Tree(), ReconciliationMethod.MinTShrink, Residuals(), keepTop: true).ApplySteps(Base);
        AssertR([120.0000000000, 52.2857664605, 67.7142335395, 23.2190584821, 29.0667079784, 20.7471220861, 24.6786657995, 22.2884456539,
                125.0000000000, 53.7096000703, 71.2903999297, 23.8492216769, 29.8603783935, 21.8227471054, 25.9315184826, 23.5361343417], mint, "mint_shrink top fixed");
        var ols = Reconciliation.Fit(Tree(), ReconciliationMethod.Ols, keepTop: true).ApplySteps(Base);
        AssertR([120.0000000000, 51.2941176471, 68.7058823529, 22.6470588235, 28.6470588235, 20.2352941176, 25.2352941176, 23.2352941176,
                125.0000000000, 52.9411764706, 72.0588235294, 23.4705882353, 29.4705882353, 21.3529411765, 26.3529411765, 24.3529411765], ols, "ols top fixed");
    }

    [Fact]
    public void Invalid_requests_name_the_problem()
    {
        var h = Tree();
        Assert.Contains("bottom-up", Assert.Throws<ArgumentException>(() => Reconciliation.Fit(h, ReconciliationMethod.BottomUp, keepTop: true)).Message);
        Assert.Contains("residuals", Assert.Throws<ArgumentException>(() => Reconciliation.Fit(h, ReconciliationMethod.MinTShrink)).Message);
        var shortResiduals = Residuals().Select(e => e[^3..]).ToArray();
        Assert.Contains("at least 4 periods", Assert.Throws<ArgumentException>(() => Reconciliation.Fit(h, ReconciliationMethod.MinTShrink, shortResiduals)).Message);
        Assert.Throws<ArgumentException>(() => Hierarchy.FromBottomPaths(new[] { new[] { "A", "A1" }, new[] { "A", "A1" } }));
    }

    [Fact]
    public void A_part_fitted_without_error_keeps_its_forecast_under_MinT()
    {
        // B3 is a constant series (no events): zero residuals, base forecast 0. MinT keeps it at 0 and stays coherent.
        var e = Residuals();
        e[7] = new double[e[7].Length];
        var b = Base.Select(x => (double[])x.Clone()).ToArray();
        b[7] = [0, 0];
        var r = Reconciliation.Fit(Tree(), ReconciliationMethod.MinTShrink, e).ApplySteps(b);
        for (var k = 0; k < 2; k++)
        {
            Assert.InRange(r[7][k], -1e-5, 1e-5);
            Assert.Equal(r[5][k] + r[6][k] + r[7][k], r[2][k], 9);
            Assert.Equal(r[1][k] + r[2][k], r[0][k], 9);
        }
    }

    [Fact]
    public void Temporal_hierarchy_sums_months_to_quarters_and_the_year()
    {
        var h = Hierarchy.Temporal(12, 3);
        Assert.Equal(1 + 4 + 12, h.Nodes.Count);
        var months = Enumerable.Range(1, 12).Select(v => (double)v).ToArray();
        var sums = h.Summing * MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(months);
        Assert.Equal(78, sums[0]);
        Assert.Equal(new double[] { 6, 15, 24, 33 }, sums.SubVector(1, 4).ToArray());
    }

    private static ForecastResult Synthetic(double[] mean, double halfWidth80, double[] residuals) =>
        new("test", new Dictionary<string, double>(), mean,
            [new PredictionInterval(80, mean.Select((m, k) => m - halfWidth80 * Math.Sqrt(k + 1)).ToArray(), mean.Select((m, k) => m + halfWidth80 * Math.Sqrt(k + 1)).ToArray())],
            null, [])
        { Residuals = residuals };

    [Fact]
    public void Every_reconciled_draw_is_coherent_and_the_intervals_come_from_the_draws()
    {
        var h = Tree();
        var e = Residuals();
        var widths = new[] { 9.0, 5, 6, 3, 3, 2.5, 3, 2.5 };
        var forecasts = Base.Select((b, i) => Synthetic(b, widths[i], e[i])).ToList();
        var result = HierarchicalForecast.Reconcile(h, forecasts, ReconciliationMethod.MinTShrink, draws: 400, seed: 3);
        Assert.Equal(400, result.Draws.Length);
        foreach (var draw in result.Draws)
            for (var k = 0; k < 2; k++)
            {
                Assert.Equal(draw[3][k] + draw[4][k], draw[1][k], 9);
                Assert.Equal(draw[5][k] + draw[6][k] + draw[7][k], draw[2][k], 9);
                Assert.Equal(draw[1][k] + draw[2][k], draw[0][k], 9);
            }
        // The means are the reconciled base means (R's mint_shrink above), not an average of the draws.
        Assert.Equal(123.0862504311, result.Mean[0][0], 8);
        // The P10 of the total is the 10th percentile of the totals of the same draws.
        var totals = result.Draws.Select(d => d[0][1]).Order().ToArray();
        Assert.Equal(SeriesTools.Quantile(totals, 0.1), result.Intervals[0].Lower[0][1], 9);
        Assert.True(result.Intervals[0].Lower[0][1] < result.Mean[0][1] && result.Mean[0][1] < result.Intervals[0].Upper[0][1]);
    }

    [Fact]
    public void Keeping_the_top_fixed_leaves_the_totals_draws_as_the_base_forecast_gave_them()
    {
        var h = Tree();
        var e = Residuals();
        var forecasts = Base.Select((b, i) => Synthetic(b, i == 0 ? 10 : 3, e[i])).ToList();
        var result = HierarchicalForecast.Reconcile(h, forecasts, ReconciliationMethod.MinTShrink, keepTop: true, draws: 500, seed: 5);
        Assert.Equal(120, result.Mean[0][0], 9);
        Assert.Equal(125, result.Mean[0][1], 9);
        // The total's draws are its own base draws (mean 120, 80% half-width 10 at step 1): their interval is the base one, to sampling error.
        Assert.InRange(result.Intervals[0].Upper[0][0] - 120, 8.5, 11.5);
        Assert.InRange(120 - result.Intervals[0].Lower[0][0], 8.5, 11.5);
        foreach (var draw in result.Draws) Assert.Equal(draw[1][0] + draw[2][0], draw[0][0], 9);
    }

    [Fact]
    public void Bottom_up_draws_keep_each_parts_own_skewed_or_integer_intervals()
    {
        // Two parts: a skewed continuous forecast (80%: 8-15 around 10; 95%: 6-21) and a small count with integer
        // bounds (80%: 0-3 around 1.2; 95%: 0-5). Bottom-up leaves the parts' distributions as they were.
        var h = Hierarchy.FromBottomPaths(new[] { new[] { "x" }, new[] { "y" } });
        ForecastResult Part(double mean, double lo80, double hi80, double lo95, double hi95) =>
            new("test", new Dictionary<string, double>(), [mean], [new PredictionInterval(80, [lo80], [hi80]), new PredictionInterval(95, [lo95], [hi95])], null, []);
        var forecasts = new[] { Part(11.2, 9, 17, 7, 24), Part(10, 8, 15, 6, 21), Part(1.2, 0, 3, 0, 5) };
        var result = HierarchicalForecast.Reconcile(h, forecasts, ReconciliationMethod.BottomUp, draws: 2000, seed: 9, nonNegative: true);
        Assert.InRange(result.Intervals[0].Lower[1][0], 7.7, 8.3);
        Assert.InRange(result.Intervals[0].Upper[1][0], 14.5, 15.5);
        Assert.InRange(result.Intervals[1].Upper[1][0], 20, 22);
        // The count's draws are whole numbers, so its bounds are its base bounds exactly.
        Assert.All(result.Draws, d => Assert.Equal(Math.Round(d[2][0]), d[2][0]));
        Assert.Equal(0, result.Intervals[0].Lower[2][0]);
        Assert.Equal(3, result.Intervals[0].Upper[2][0]);
        Assert.Equal(5, result.Intervals[1].Upper[2][0]);
    }

    [Fact]
    public void Counts_stay_non_negative_and_coherent()
    {
        var h = Hierarchy.FromBottomPaths(new[] { new[] { "x" }, new[] { "y" } });
        var e = Residuals();
        var forecasts = new[] { Synthetic([3.0], 3, e[0]), Synthetic([1.0], 2, e[3]), Synthetic([2.0], 2, e[5]) };
        var result = HierarchicalForecast.Reconcile(h, forecasts, ReconciliationMethod.Ols, draws: 300, nonNegative: true);
        foreach (var draw in result.Draws)
        {
            Assert.True(draw[1][0] >= 0 && draw[2][0] >= 0);
            Assert.Equal(draw[1][0] + draw[2][0], draw[0][0], 9);
        }
    }
}
