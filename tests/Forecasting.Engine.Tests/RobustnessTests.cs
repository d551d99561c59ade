namespace Forecasting.Engine.Tests;

[Trait("Category", "unit")]
public class RobustnessTests
{
    [Trait("Category", "slow")]
    [Fact]
    public void Random_council_like_series_give_finite_forecasts_or_a_clear_argument_error()
    {
        var rnd = new Random(99);
        var orch = new ForecastOrchestrator();
        int ok = 0, rejected = 0;
        var valid = new List<TimeSeriesData>();
        for (int i = 0; i < 120; i++)
        {
            int period = new[] { 1, 4, 12 }[rnd.Next(3)];
            int n = rnd.Next(4, 60);
            double lambda = rnd.NextDouble() < 0.5 ? 0.5 + 3 * rnd.NextDouble() : 50 + 200 * rnd.NextDouble();
            var y = Enumerable.Range(0, n).Select(_ => (double)TestUtil.Poisson(rnd, lambda)).ToArray();
            for (int t = 0; t < n; t++) if (rnd.NextDouble() < 0.1) y[t] = double.NaN;
            int? brk = rnd.NextDouble() < 0.3 ? rnd.Next(1, n) : null;
            var data = new TimeSeriesData(y, period, brk, NonNegative: true);
            try
            {
                var r = orch.Forecast(data, new ForecastOptions(rnd.Next(1, 13)));
                Assert.All(r.Mean, v => Assert.True(double.IsFinite(v) && v >= 0, $"series {i}: {v}"));
                Assert.All(r.Intervals, iv => Assert.All(iv.Lower.Zip(iv.Upper), p => Assert.True(p.First <= p.Second && double.IsFinite(p.Second))));
                ok++;
                valid.Add(data);
            }
            catch (ArgumentException e)
            {
                Assert.Matches("too short|missing|BreakIndex", e.Message);
                rejected++;
            }
            catch (AggregateException e) { Assert.Fail($"series {i} n={n} period={period} brk={brk} y={string.Join(",", y)}: {e.InnerException?.GetType().Name}"); }
        }
        Assert.True(ok > 80, $"{ok} forecast, {rejected} rejected");
        // The same series as one batch: global GBM and pooled calibration paths.
        var batch = orch.ForecastMany(valid, new ForecastOptions(6, Seed: 1));
        Assert.All(batch, r => Assert.All(r.Mean, v => Assert.True(double.IsFinite(v) && v >= 0)));
    }

    [Fact]
    public void Trailing_missing_months_are_filled_and_forecasts_start_after_them()
    {
        var y = Enumerable.Range(0, 36).Select(t => 10.0 + t).ToArray();
        y[34] = y[35] = double.NaN;
        var r = new ForecastOrchestrator().Forecast(new TimeSeriesData(y, 1), new ForecastOptions(3, "drift"));
        Assert.Contains(r.Notes, n => n.Contains("2 missing values imputed"));
        // Trailing gaps carry the last value (43) forward, then drift continues from there.
        double drift = (43.0 - 10.0) / 35;
        Assert.Equal(43 + drift, r.Mean[0], 6);
    }
}
