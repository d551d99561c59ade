namespace Forecasting.Engine.Tests;

/// <summary>Calibrated intervals hold their nominal coverage on held-out simulated data.</summary>
[Trait("Category", "unit")]
public class IntervalCoverageTests
{
    [Trait("Category", "slow")]
    [Fact]
    public void Pooled_intervals_cover_held_out_values_near_nominal()
    {
        // Local level + noise series with varied signal-to-noise: the truth is known, so held-out coverage is testable.
        const int nSeries = 120, n = 48, h = 6;
        var rnd = new Random(21);
        var train = new List<TimeSeriesData>(); var test = new List<double[]>();
        for (int i = 0; i < nSeries; i++)
        {
            double level = 100, q = 0.5 + 2 * rnd.NextDouble(), noise = 1 + 3 * rnd.NextDouble();
            var y = new double[n + h];
            var e1 = TestUtil.Normal(rnd, n + h, q); var e2 = TestUtil.Normal(rnd, n + h, noise);
            for (int t = 0; t < n + h; t++) { level += e1[t]; y[t] = level + e2[t]; }
            train.Add(new TimeSeriesData(y[..n], 1)); test.Add(y[n..]);
        }
        var res = new ForecastOrchestrator().ForecastMany(train, new ForecastOptions(h, "ets", BacktestOrigins: 8));
        double in80 = 0, in95 = 0, cells = 0;
        for (int i = 0; i < nSeries; i++)
            for (int k = 0; k < h; k++)
            {
                var a = test[i][k];
                var i80 = res[i].Intervals.First(x => x.Level == 80); var i95 = res[i].Intervals.First(x => x.Level == 95);
                if (a >= i80.Lower[k] && a <= i80.Upper[k]) in80++;
                if (a >= i95.Lower[k] && a <= i95.Upper[k]) in95++;
                cells++;
            }
        // 720 correlated cells: a +-6 point band is about three standard errors.
        Assert.InRange(in80 / cells, 0.74, 0.86);
        Assert.InRange(in95 / cells, 0.90, 0.99);
        Assert.Contains(res[0].Notes, x => x.Contains("pooled across 120 series"));
    }

    [Fact]
    public void Single_series_intervals_shrink_to_normal_with_few_errors_and_widen_with_errors()
    {
        // Few standardised errors: quantiles stay close to the normal ones.
        var few = new List<double> { 0.1, -0.2 };
        var (lo, hi) = IntervalCalibrator.Quantiles(few, 95, 20);
        Assert.InRange(hi, 1.6, 1.96);
        // Many heavy-tailed errors: the empirical quantile dominates.
        var rnd = new Random(3);
        var heavy = Enumerable.Range(0, 2000).Select(_ => 3 * TestUtil.Normal(rnd, 1)[0]).ToList();
        var (lo2, hi2) = IntervalCalibrator.Quantiles(heavy, 80, 20);
        Assert.InRange(hi2, 3 * 1.2816 * 0.9, 3 * 1.2816 * 1.1);
        Assert.InRange(lo2, -3 * 1.2816 * 1.1, -3 * 1.2816 * 0.9);
        Assert.True(lo < 0);
    }
}
