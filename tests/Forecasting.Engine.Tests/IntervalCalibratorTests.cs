using Forecasting.Engine.Models;

namespace Forecasting.Engine.Tests;

/// <summary>The interval calibrator on its own: errors, pooling, held-out pooling and coverage.</summary>
[Trait("Category", "unit")]
public class IntervalCalibratorTests
{
    private static List<double>[] Errors(Random r, int steps, int perStep, double sd = 1) =>
        Enumerable.Range(0, steps).Select(_ => TestUtil.Normal(r, perStep, sd).ToList()).ToArray();

    [Fact]
    public void Pooled_standard_normal_errors_give_the_normal_quantiles()
    {
        var r = new Random(11);
        var series = Enumerable.Range(0, 200).Select(_ => Errors(r, 3, 40)).ToList();
        var cal = new IntervalCalibrator().Pool(series, new double[] { 80, 95 })!;
        Assert.NotNull(cal);
        for (int k = 0; k < 3; k++)
        {
            Assert.InRange(cal.At(80, k).Hi, 1.2816 - 0.05, 1.2816 + 0.05);
            Assert.InRange(cal.At(80, k).Lo, -1.2816 - 0.05, -1.2816 + 0.05);
            Assert.InRange(cal.At(95, k).Hi, 1.96 - 0.08, 1.96 + 0.08);
        }
        // Steps beyond the calibrated ones reuse the last step's quantiles.
        Assert.Equal(cal.At(95, 2), cal.At(95, 10));
    }

    [Fact]
    public void Too_few_series_are_not_pooled()
    {
        var r = new Random(12);
        var series = Enumerable.Range(0, IntervalCalibrator.PoolMinSeries - 1).Select(_ => Errors(r, 2, 10)).ToList();
        Assert.Null(new IntervalCalibrator().Pool(series, new double[] { 80 }));
        Assert.All(new IntervalCalibrator().PoolHeldOut(series, new double[] { 80 }), c => Assert.Null(c));
    }

    [Fact]
    public void Held_out_pooling_never_uses_the_series_own_errors()
    {
        var r = new Random(13);
        var series = Enumerable.Range(0, 60).Select(_ => Errors(r, 2, 20)).ToList();
        var levels = new double[] { 95 };
        var calibrator = new IntervalCalibrator();
        var before = calibrator.PoolHeldOut(series, levels);
        var pooledBefore = calibrator.Pool(series, levels)!;
        // Series 7's errors become huge: its own held-out quantiles must not move; the full pool's must.
        series[7] = series[7].Select(z => z.Select(v => v * 100).ToList()).ToArray();
        var after = calibrator.PoolHeldOut(series, levels);
        Assert.Equal(before[7]!.At(95, 0), after[7]!.At(95, 0));
        Assert.Equal(before[7]!.At(95, 1), after[7]!.At(95, 1));
        Assert.NotEqual(pooledBefore.At(95, 0), calibrator.Pool(series, levels)!.At(95, 0));
        // Another fold's quantiles do see series 7.
        Assert.NotEqual(before[8]!.At(95, 0), after[8]!.At(95, 0));
    }

    [Fact]
    public void Errors_are_backtest_then_calibration_errors_divided_by_the_model_sd()
    {
        // Naive on y_t = t: every h-step error is h, the naive sd at step k is sigma sqrt(k) with sigma = 1 (R's lagwalk).
        var y = Enumerable.Range(0, 30).Select(t => (double)t).ToArray();
        var plan = BacktestPlan.Make(y.Length, 1, 3, 2);
        var full = new NaiveModel().Fit(y, 1);
        var run = Backtest.Run("naive", full, y, 1, plan, 1.0, CancellationToken.None);
        var z = new IntervalCalibrator { CalibrationOrigins = 0 }.Errors(run, full.Frozen, y, 1, 3, plan, 1.0);
        Assert.Equal(3, z.Length);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(plan.Origins.Length, z[k].Count);
            Assert.All(z[k], e => Assert.Equal((k + 1) / Math.Sqrt(k + 1), e, 9));
        }
        var withCal = new IntervalCalibrator { CalibrationOrigins = 4 }.Errors(run, full.Frozen, y, 1, 3, plan, 1.0);
        int extra = IntervalCalibrator.CalibrationPlan(y.Length, 1, 4, plan).Length;
        Assert.True(extra > 0);
        Assert.Equal(plan.Origins.Length + extra, withCal[0].Count);
        // A cancelled call stops before the calibration refits.
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new IntervalCalibrator { CalibrationOrigins = 4 }.Errors(run, full.Frozen, y, 1, 3, plan, 1.0, cts.Token));
    }

    [Fact]
    public void Coverage_with_held_out_pooled_quantiles_counts_the_errors_inside()
    {
        // Errors at the origins are exactly 0.5, 1.5 and 2.5 sd: inside +-2 for two of three steps.
        var y = Enumerable.Range(0, 20).Select(t => 10.0).ToArray();
        var plan = new BacktestPlan(new[] { 17 }, 3);
        var run = new CandidateRun { Name = "x", Full = new NaiveModel().Fit(y, 1), Fc = new[] { new[] { 9.5, 8.5, 7.5 } }, Sd = new[] { new[] { 1.0, 1.0, 1.0 } } };
        var cal = new Calibration(new() { [90] = new[] { (-2.0, 2.0) } }, "test");
        var cov = new IntervalCalibrator().Coverage(run, y, 1, plan, 1.0, new double[] { 90 }, cal);
        Assert.Equal(2 / 3.0, cov[90], 12);
    }

    /// <summary>Quarterly values rising by 1 a year for four years, then by <paramref name="lately"/> a year for three.</summary>
    private static double[] Seasonal(double lately)
    {
        var y = new double[28];
        for (int i = 0; i < 28; i++) y[i] = i < 4 ? 10 * (i + 1) : y[i - 4] + (i < 16 ? 1 : lately);
        return y;
    }

    [Fact]
    public void The_volatility_ratio_is_the_recent_seasonal_change_over_the_earlier_one_and_the_local_scale_its_power()
    {
        var calibrator = new IntervalCalibrator();
        // 24 seasonal differences: the last 3 seasons (12) against the 12 before; narrowing as well as widening.
        Assert.Equal(1.5, calibrator.LocalRatio(Seasonal(1.5), 28, 4), 12);
        Assert.Equal(0.5, calibrator.LocalRatio(Seasonal(0.5), 28, 4), 12);
        Assert.Equal(IntervalCalibrator.RatioGuard, calibrator.LocalRatio(Seasonal(5), 28, 4), 12);
        // Non-seasonal series, too little history before the origin, or the ratio switched off: 1.
        Assert.Equal(1, calibrator.LocalRatio(Seasonal(1.5), 28, 1), 12);
        Assert.Equal(1, calibrator.LocalRatio(Seasonal(1.5), 16, 4), 12);
        Assert.Equal(1, new IntervalCalibrator { LocalScaleSeasons = 0 }.LocalRatio(Seasonal(1.5), 28, 4), 12);
        // At origin 24: 20 differences, the last 10 (i = 14..23; two at 1, eight at 1.5) against the 10 before (all 1).
        Assert.Equal((2 * 1 + 8 * 1.5) / 10, calibrator.LocalRatio(Seasonal(1.5), 24, 4), 12);
        // The scale is ratio^exponent: 1 with the exponent at 0, sqrt(1.5) at 0.5.
        Assert.Equal(1, calibrator.LocalScale(Seasonal(1.5), 28, 4), 12);
        Assert.Equal(Math.Sqrt(1.5), calibrator.WithExponent(0.5).LocalScale(Seasonal(1.5), 28, 4), 12);

        var mean = new double[] { 100, 100 };
        var sd = new double[] { 2, 4 };
        var plain = calibrator.Intervals(mean, sd, 1, [80], null, false);
        var wider = calibrator.Intervals(mean, sd, 1, [80], null, false, 1.5);
        for (int k = 0; k < 2; k++)
            Assert.Equal(1.5 * (plain[0].Upper[k] - plain[0].Lower[k]), wider[0].Upper[k] - wider[0].Lower[k], 9);
    }
}
