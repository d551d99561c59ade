namespace Forecasting.Engine.Tests;

/// <summary>The batch's conformal calibration: the fitted exponent of the volatility ratio, the pooled quantiles and their application, on hand-computed cases.</summary>
[Trait("Category", "unit")]
public class ConformalCalibrationTests
{
    private static IReadOnlyList<ConformalScore> One(params (double Error, double Spread, double Ratio)[] s) =>
        s.Select((v, i) => new ConformalScore(10 + i, 0, v.Error, v.Spread, v.Ratio)).ToList();

    [Fact]
    public void The_exponent_is_the_least_squares_slope_with_every_series_weighing_the_same()
    {
        double e = Math.E;
        // Series A: (log r, log|z|) = (0, 0) and (1, 1), weight 1/2 each; series B: (1, 0), weight 1.
        // Weighted means 0.75 and 0.25; sxy = .5(-.75)(-.25) + .5(.25)(.75) + (.25)(-.25) = 0.125,
        // sxx = .5(.5625) + .5(.0625) + .0625 = 0.375: slope 1/3 (unweighted it would be 1/2).
        var batch = new[] { One((1, 1, 1), (e, 1, e)), One((-2, 2, e)) };
        Assert.Equal(1 / 3.0, ConformalCalibration.FitExponent(batch, 2), 12);
        // Errors exactly proportional to sqrt(ratio): slope 0.5, whatever the spread and sign.
        var exact = Enumerable.Range(0, 3).Select(i => One((3 * Math.Sqrt(1 << i), 1, 1 << i), (-6 * Math.Sqrt(3.0 / (i + 1)), 2, 3.0 / (i + 1)))).ToArray();
        Assert.Equal(0.5, ConformalCalibration.FitExponent(exact, 3), 12);
        // Errors shrinking as the ratio grows are clipped to 0; a slope above 1 to 1.
        Assert.Equal(0, ConformalCalibration.FitExponent(new[] { One((2, 1, 1), (1, 1, 2)), One((4, 1, 0.5)) }, 2));
        Assert.Equal(1, ConformalCalibration.FitExponent(new[] { One((1, 1, 1), (8, 1, 2)), One((0.25, 1, 0.5)) }, 2));
        // Ratios that never vary, or too few series: 0.
        Assert.Equal(0, ConformalCalibration.FitExponent(new[] { One((1, 1, 1.5), (3, 1, 1.5)), One((2, 1, 1.5)) }, 2));
        Assert.Equal(0, ConformalCalibration.FitExponent(batch, 3));
    }

    [Fact]
    public void Pooled_quantiles_and_intervals_match_a_hand_computation()
    {
        // 30 series, one score each at step 1: error (i - 14.5) x r_i over spread 2, r_i = 2 for odd i, 1 for even i.
        // With the exponent fixed at 1 the standardised scores are (i - 14.5) / 2 = -7.25, -6.75, ..., 7.25.
        var batch = Enumerable.Range(0, 30).Select(i =>
            (IReadOnlyList<ConformalScore>)new[] { new ConformalScore(20, 0, (i - 14.5) * (i % 2 == 1 ? 2 : 1), 2, i % 2 == 1 ? 2 : 1) }).ToList();
        var cal = ConformalCalibration.Fit(batch, [80, 95], new IntervalCalibrator(), exponent: 1);
        Assert.Equal(1, cal.Exponent);
        // The single step is pooled with its (absent) neighbours, so each score enters three times with weight 1/3:
        // 90 entries, weight midpoints (j + 0.5) / 90, effective size 30^2 / (90 / 9) = 90. At 80%, the upper tail
        // probability 0.9 x 91/90 = 0.91 falls at j = 81.4, inside the block of i = 27: 6.25; the lower, 0.09, at
        // j = 7.6 (i = 2): -6.25. At 95%, 0.975 x 91/90 at j = 88.23 (i = 29): 7.25; its complement at j = 0.78: -7.25.
        Assert.Equal(-6.25, cal.Quantiles!.At(80, 0).Lo, 12);
        Assert.Equal(6.25, cal.Quantiles.At(80, 0).Hi, 12);
        Assert.Equal(-7.25, cal.Quantiles.At(95, 0).Lo, 12);
        Assert.Equal(7.25, cal.Quantiles.At(95, 0).Hi, 12);
        // Applied at a forecast origin with ratio 2 (scale 2^1) and spread 3: 100 +- 6.25 x 3 x 2, every step alike.
        var iv = ConformalCalibration.Apply([100, 110], [3, 3], 2, [80, 95], cal.Quantiles);
        Assert.Equal(100 - 37.5, iv[0].Lower[0], 12);
        Assert.Equal(110 + 37.5, iv[0].Upper[1], 12);
        Assert.Equal(100 + 43.5, iv[1].Upper[0], 12);
        // Fitted on the batch: |i - 14.5| runs over the same values 0.5, 1.5, ..., 14.5 for odd and even i, so
        // log|error / spread| rises by exactly log 2 where the ratio doubles: exponent 1, the same quantiles.
        var fitted = ConformalCalibration.Fit(batch, [80], new IntervalCalibrator());
        Assert.Equal(1, fitted.Exponent, 9);
        Assert.Equal(6.25, fitted.Quantiles!.At(80, 0).Hi, 6);
        // Scored with the exponent at 0 the odd series' scores double: a wider upper quantile.
        Assert.True(ConformalCalibration.Fit(batch, [80], new IntervalCalibrator(), exponent: 0).Quantiles!.At(80, 0).Hi > 6.25 + 1);
        // Fewer than 30 series are not pooled.
        Assert.Null(ConformalCalibration.Fit(batch.Take(29).ToList(), [80], new IntervalCalibrator()).Quantiles);
    }

    [Fact]
    public void The_recent_factor_is_the_levels_quantile_of_the_latest_scores_over_the_pooled_quantiles()
    {
        var cal = new Calibration(new()
        {
            [60] = new[] { (-1.0, 2.0), (-2.0, 4.0) },
            [80] = new[] { (-1.0, 2.0), (-2.0, 4.0) },
        }, "hand");
        var batch = new IReadOnlyList<ConformalScore>[]
        {
            // Latest origin 12: 3 / 2 = 1.5 at step 0, -1 / -2 = 0.5 at step 1, weight 1/2 each; origin 10 is older.
            new[] { new ConformalScore(10, 0, 100, 1, 1), new ConformalScore(12, 0, 3, 1, 1), new ConformalScore(12, 1, -1, 1, 1) },
            new[] { new ConformalScore(20, 0, -0.5, 1, 1) },  // -0.5 / -1 = 0.5
            new[] { new ConformalScore(8, 1, 4, 1, 1) },      // 4 / 4 = 1
            new[] { new ConformalScore(9, 0, 0, 1, 1) },      // 0
        };
        // Sorted ratios 0 (1), 0.5 (1/2), 0.5 (1), 1 (1), 1.5 (1/2): cumulative 1, 1.5, 2.5, 3.5, 4 of 4.
        Assert.Equal(1, ConformalCalibration.RecentFactor(batch, 0, cal, 80), 12);    // 3.2 reached at 3.5
        Assert.Equal(0.5, ConformalCalibration.RecentFactor(batch, 0, cal, 60), 12);  // 2.4 reached at 2.5
        Assert.Equal(1, ConformalCalibration.RecentFactor(Array.Empty<IReadOnlyList<ConformalScore>>(), 0, cal, 80));

        // The 30-series batch above, rescaled: its latest scores |i - 14.5| / 2 over 6.25 are 0.04, 0.04, 0.12, ...,
        // 1.16, 1.16 (pairs); 80% of 30 is reached at the 24th, 11.5 / 12.5 = 0.92, so the 80% bounds are +-5.75.
        var thirty = Enumerable.Range(0, 30).Select(i =>
            (IReadOnlyList<ConformalScore>)new[] { new ConformalScore(20, 0, i - 14.5, 2, 1) }).ToList();
        var rescaled = ConformalCalibration.Fit(thirty, [80], new IntervalCalibrator(), exponent: 0, recent: true);
        Assert.Equal(-5.75, rescaled.Quantiles!.At(80, 0).Lo, 9);
        Assert.Equal(5.75, rescaled.Quantiles.At(80, 0).Hi, 9);
    }
}
