using Forecasting.Engine.Models;

namespace Forecasting.Engine.Tests;

/// <summary>Models recover known structure from simulated series.</summary>
[Trait("Category", "unit")]
public class ModelStructureTests
{
    private static double[] Sim(int n, Func<int, double> signal, double noise, int seed)
    {
        var e = TestUtil.Normal(new Random(seed), n, noise);
        return Enumerable.Range(0, n).Select(t => signal(t) + e[t]).ToArray();
    }

    [Theory]
    [InlineData("ets")]
    [InlineData("theta")]
    [InlineData("ssa")]
    public void Level_is_recovered(string name)
    {
        var y = Sim(80, _ => 100, 2, 1);
        var f = ForecastOrchestrator.Create(name, 1)!.Fit(y, 1).Forecast(6);
        // The mean of 80 noisy points has sd 0.22; smoothing models use fewer, so allow 2.
        Assert.All(f, v => Assert.InRange(v, 98, 102));
    }

    [Fact]
    public void Linear_trend_is_recovered_by_ets_drift_and_theta()
    {
        var y = Sim(60, t => 10 + 2 * t, 1, 2);
        var ets = new EtsModel(EtsSpec.Parse("AAN")).Fit(y, 1).Forecast(10);
        var drift = new DriftModel().Fit(y, 1).Forecast(10);
        var auto = new EtsModel().Fit(y, 1);
        for (int k = 1; k <= 10; k++)
        {
            double truth = 10 + 2 * (59 + k);
            Assert.InRange(ets[k - 1], truth - 3, truth + 3);
            Assert.InRange(drift[k - 1], truth - 3, truth + 3);
        }
        Assert.Contains("A", auto.Description.Split(',')[1]);  // AICc picks a trend form
        // Theta extrapolates half the regression slope on top of SES: slope of forecasts is about 1 per step.
        var th = new ThetaModel().Fit(y, 1).Forecast(10);
        Assert.InRange(th[9] - th[0], 9 * 0.8, 9 * 1.2);
    }

    [Fact]
    public void Seasonal_pattern_is_recovered_by_ets_snaive_theta_and_ssa()
    {
        var pattern = new double[] { 10, 5, 0, -5, -10, -8, -3, 2, 6, 9, 4, -10 };
        double mean = pattern.Average();
        var y = Sim(96, t => 200 + pattern[t % 12] - mean, 1, 3);
        foreach (var model in new IForecastModel[] { new EtsModel(), new SeasonalNaiveModel(), new ThetaModel(), new SsaModel() })
        {
            var f = model.Fit(y, 12).Forecast(12);
            for (int k = 0; k < 12; k++)
            {
                double truth = 200 + pattern[(96 + k) % 12] - mean;
                Assert.True(Math.Abs(f[k] - truth) < 4, $"{model.Name} step {k + 1}: {f[k]:0.0} vs {truth:0.0}");
            }
        }
        Assert.EndsWith("A)", new EtsModel().Fit(y, 12).Description);
    }

    [Fact]
    public void Multiplicative_seasonality_with_trend_is_chosen_for_growing_swings()
    {
        var pattern = new double[] { 1.2, 1.1, 0.9, 0.8, 0.9, 1.0, 1.1, 1.2, 1.0, 0.9, 0.8, 1.1 };
        var y = Sim(120, t => (100 + 3 * t) * pattern[t % 12], 0, 4).Select((v, t) => v * (1 + 0.01 * TestUtil.Normal(new Random(t), 1)[0])).ToArray();
        var fit = new EtsModel().Fit(y, 12);
        Assert.EndsWith("M)", fit.Description);
        var f = fit.Forecast(12);
        for (int k = 0; k < 12; k++)
        {
            double truth = (100 + 3 * (120 + k)) * pattern[(120 + k) % 12];
            Assert.InRange(f[k], truth * 0.95, truth * 1.05);
        }
    }

    [Fact]
    public void Ssa_recurrence_continues_a_sum_of_sines_exactly()
    {
        // A noise-free sum of two sinusoids has rank 4; the recurrence continues it.
        Func<int, double> s = t => 3 * Math.Sin(2 * Math.PI * t / 12) + Math.Cos(2 * Math.PI * t / 5);
        var y = Enumerable.Range(0, 100).Select(s).ToArray();
        var f = new SsaModel(new SsaOptions(WindowSize: 30, Rank: 4)).Fit(y, 12).Forecast(24);
        for (int k = 0; k < 24; k++) Assert.Equal(s(100 + k), f[k], 6);
    }

    [Fact]
    public void Ssa_forecast_with_bounds_uses_confidence_level()
    {
        var y = Sim(60, t => 50 + 5 * Math.Sin(2 * Math.PI * t / 12), 1, 5);
        var (f, lo, hi) = new SsaModel(new SsaOptions(Horizon: 6, ConfidenceLevel: 0.9)).ForecastWithBounds(y, 12);
        Assert.Equal(6, f.Length);
        var sd = new SsaModel().Fit(y, 12).ForecastStdDev(6);
        for (int k = 0; k < 6; k++) Assert.Equal(1.6448536, (hi[k] - f[k]) / sd[k], 4);
        Assert.Throws<ArgumentException>(() => new SsaModel(new SsaOptions(WindowSize: 60)).Fit(y, 12));
    }

    [Fact]
    public void Global_gbm_learns_a_shared_seasonal_shape_across_series()
    {
        var shape = new double[] { 1.3, 1.0, 0.7, 1.0 };
        var rnd = new Random(6);
        var batch = Enumerable.Range(0, 40).Select(i =>
        {
            double level = 50 + 100 * rnd.NextDouble();
            return Enumerable.Range(0, 40).Select(t => level * shape[t % 4] * (1 + 0.02 * (rnd.NextDouble() - 0.5))).ToArray();
        }).ToList();
        var trained = GbmModel.Train(batch, 4, 4, 1);
        var fc = trained.Predict(batch, 4);
        for (int i = 0; i < batch.Count; i++)
        {
            double level = batch[i].Average();
            for (int k = 0; k < 4; k++)
                Assert.InRange(fc[i][k] / level, shape[(40 + k) % 4] * 0.9, shape[(40 + k) % 4] * 1.1);
        }
    }

    [Fact]
    public void Combination_is_the_mean_of_its_members()
    {
        var y = Sim(40, t => 20 + 0.5 * t, 1, 7);
        var comb = new CombinationModel(new IForecastModel[] { new NaiveModel(), new DriftModel() }).Fit(y, 1).Forecast(5);
        var a = new NaiveModel().Fit(y, 1).Forecast(5);
        var b = new DriftModel().Fit(y, 1).Forecast(5);
        for (int k = 0; k < 5; k++) Assert.Equal((a[k] + b[k]) / 2, comb[k], 10);
    }
}
