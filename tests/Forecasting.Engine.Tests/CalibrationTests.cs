using Forecasting.Engine.Models;

namespace Forecasting.Engine.Tests;

/// <summary>Conformal interval calibration: weighted quantiles, calibration origins, the non-seasonal combination.</summary>
[Trait("Category", "unit")]
public class CalibrationTests
{
    [Fact]
    public void Weighted_quantiles_with_equal_weights_follow_midpoint_rule_and_conformal_correction()
    {
        // Ten errors -4.5 .. 4.5. Level 50: upper tail probability 0.75 x (10 + 1) / 10 = 0.825, which lies a quarter
        // of the way between the midpoints 0.75 (2.5) and 0.85 (3.5): 3.25; the lower one symmetrically -3.25.
        var z = Enumerable.Range(0, 10).Select(i => i - 4.5).ToList();
        var w = Enumerable.Repeat(1.0, 10).ToList();
        var (lo, hi) = IntervalCalibrator.WeightedQuantiles(z, w, 50);
        Assert.Equal(3.25, hi, 10);
        Assert.Equal(-3.25, lo, 10);
    }

    [Fact]
    public void Weighted_quantiles_use_weights_and_effective_sample_size()
    {
        // Errors -1, 1, 5 with weights 1/4, 1/4, 1/2: midpoints 0.125, 0.375, 0.75; effective size 1 / (1/16 + 1/16 + 1/4) = 8/3.
        // Level 20: p = 0.6 x (8/3 + 1) / (8/3) = 0.825 -> beyond the last midpoint: 5. Lower p = 0.175, a fifth of the
        // way from 0.125 to 0.375: -1 + 0.2 x 2 = -0.6.
        var (lo, hi) = IntervalCalibrator.WeightedQuantiles(new[] { 5.0, -1, 1 }, new[] { 0.5, 0.25, 0.25 }, 20);
        Assert.Equal(5, hi, 10);
        Assert.Equal(-0.6, lo, 10);
        // No usable errors: the normal quantiles.
        var (nlo, nhi) = IntervalCalibrator.WeightedQuantiles(new[] { double.NaN }, new[] { 1.0 }, 95);
        Assert.Equal(1.959964, nhi, 5);
        Assert.Equal(-1.959964, nlo, 5);
    }

    [Fact]
    public void Calibration_origins_are_spread_over_the_history_and_skip_backtest_origins()
    {
        // n = 40 quarterly: minimum training 8, span 31; five origins at 8 + 31 j / 4 rounded: 8, 16, 24 (23.5 to even), 31, 39.
        var plan = BacktestPlan.Make(40, 4, 8, 6);
        Assert.Equal(new[] { 27, 28, 29, 30, 31, 32 }, plan.Origins);
        Assert.Equal(new[] { 8, 16, 24, 39 }, IntervalCalibrator.CalibrationPlan(40, 4, 5, plan));
        Assert.Empty(IntervalCalibrator.CalibrationPlan(40, 4, 0, plan));
    }

    [Fact]
    public void Non_seasonal_combination_is_drift_arima_and_ces()
    {
        var y = Enumerable.Range(0, 20).Select(t => 100 + 5.0 * t + (t % 3 == 0 ? 2 : -1)).ToArray();
        var r = new ForecastOrchestrator().Forecast(new TimeSeriesData(y, 1), new ForecastOptions(4, "combination"));
        Assert.Equal("combination", r.Model);
        Assert.Equal(3, r.Parameters["members"]);
        Assert.Contains(r.Parameters.Keys, k => k.StartsWith("drift."));
        Assert.Contains(r.Parameters.Keys, k => k.StartsWith("arima."));
        Assert.Contains(r.Parameters.Keys, k => k.StartsWith("ces."));
        // Seasonal series keep ETS + damped ETS + Theta.
        var s = Enumerable.Range(0, 48).Select(t => 100 + t + 10 * Math.Sin(2 * Math.PI * t / 12) + (t % 5)).ToArray();
        var rs = new ForecastOrchestrator().Forecast(new TimeSeriesData(s, 12), new ForecastOptions(6, "combination"));
        Assert.Equal(3, rs.Parameters["members"]);
    }

    [Fact]
    public void Dispersed_sd_adds_weighted_variance_of_member_forecasts()
    {
        // Step 1: forecasts 0, 2, 4 (mean 2, variance (4 + 0 + 4) / 3 = 8/3), mean sd 1: sqrt(1 + 3 x 8/3) = 3.
        // Step 2: forecasts 0, 4, 8 (variance 32/3), mean sd 2: sqrt(4 + 32) = 6. Agreeing members leave the sd as it is.
        var sd = CombinationModel.Spread(new[] { 1.0, 2.0 }, new[] { new[] { 0.0, 0 }, new[] { 2.0, 4 }, new[] { 4.0, 8 } }, 3);
        Assert.Equal(3, sd[0], 12);
        Assert.Equal(6, sd[1], 12);
        var same = CombinationModel.Spread(new[] { 1.5 }, new[] { new[] { 7.0 }, new[] { 7.0 } }, 3);
        Assert.Equal(1.5, same[0], 12);
    }

    [Fact]
    public void Combination_intervals_include_member_disagreement_when_weighted()
    {
        // Without a backtest the intervals use normal quantiles, so the 95% half-width is 1.959964 x the spread, which
        // is recomputed here from the four members fitted directly: sqrt(mean sd^2 + c x variance of the forecasts).
        var y = Enumerable.Range(0, 24).Select(t => 50 + 2.0 * t + 6 * Math.Sin(t * 1.3) + (t % 4 == 0 ? 5 : 0)).ToArray();
        var opts = new ForecastOptions(5, "combination", BacktestOrigins: 0);
        var pool = new[] { "ets", "damped", "theta", "drift" };
        var r = new ForecastOrchestrator { NonSeasonalCombinationPool = pool, Experiments = new() { DispersionWeight = 3 } }.Forecast(new TimeSeriesData(y, 1), opts);
        var fits = new IForecastModel[] { new EtsModel(), EtsModel.Damped(), new ThetaModel(), new DriftModel() }.Select(m => m.Fit(y, 1)).ToList();
        var iv = r.Intervals.First(i => i.Level == 95);
        for (int k = 0; k < 5; k++)
        {
            double meanSd = fits.Average(f => f.ForecastStdDev(5)[k]);
            var fc = fits.Select(f => f.Forecast(5)[k]).ToArray();
            double mu = fc.Average(), v = fc.Sum(x => (x - mu) * (x - mu)) / fc.Length;
            Assert.Equal(mu, r.Mean[k], 9);
            Assert.Equal(1.959964 * Math.Sqrt(meanSd * meanSd + 3 * v), iv.Upper[k] - r.Mean[k], 4);
        }
        // By default the weight is 0: the spread is the mean member sd.
        var r0 = new ForecastOrchestrator { NonSeasonalCombinationPool = pool }.Forecast(new TimeSeriesData(y, 1), opts);
        var iv0 = r0.Intervals.First(i => i.Level == 95);
        for (int k = 0; k < 5; k++)
            Assert.Equal(1.959964 * fits.Average(f => f.ForecastStdDev(5)[k]), iv0.Upper[k] - r0.Mean[k], 4);
    }

    [Trait("Category", "slow")]
    [Fact]
    public void Non_seasonal_candidates_choose_their_order_again_at_every_backtest_origin()
    {
        // A series whose first half is white noise and second half a random walk: ARIMA's order on all of it differs
        // from the orders chosen on the shorter data before the backtest origins. The backtest MAE must be that of
        // auto.arima refitted (order chosen anew) at each origin, recomputed here origin by origin.
        var rng = new Random(11);
        var e = TestUtil.Normal(rng, 40, 1);
        var y = new double[40];
        for (int t = 0; t < 40; t++) y[t] = t < 20 ? 50 + 3 * e[t] : y[t - 1] + 1.5 + 2 * e[t];
        var opts = new ForecastOptions(4, "arima");
        var r = new ForecastOrchestrator().Forecast(new TimeSeriesData(y, 1), opts);
        var plan = BacktestPlan.Make(y.Length, 1, 4, opts.BacktestOrigins);
        double Mae(Func<double[], IFittedForecast> fit)
        {
            double sum = 0; int c = 0;
            foreach (int t in plan.Origins)
            {
                var f = fit(y[..t]).Forecast(plan.Hb);
                for (int k = 0; k < plan.Hb; k++) { sum += Math.Abs(y[t + k] - f[k]); c++; }
            }
            return sum / c;
        }
        var full = new ArimaModel().Fit(y, 1);
        double reselected = Mae(prefix => new ArimaModel().Fit(prefix, 1));
        double frozen = Mae(prefix => full.Frozen.Fit(prefix, 1));
        var orders = plan.Origins.Select(t => ArimaModel.AutoOrder(y[..t], 1)).ToList();
        Assert.Contains(orders, o => o != ((ArimaModel.ArimaFit)full).Order);
        Assert.NotEqual(frozen, reselected, 6);
        Assert.Equal(reselected, r.Backtest!.Chosen.Mae, 9);
        // With the experiment switch off, the order chosen on all the data is kept.
        var kept = new ForecastOrchestrator { Experiments = new() { ReselectNonSeasonal = false } }.Forecast(new TimeSeriesData(y, 1), opts);
        Assert.Equal(frozen, kept.Backtest!.Chosen.Mae, 9);
    }
}
