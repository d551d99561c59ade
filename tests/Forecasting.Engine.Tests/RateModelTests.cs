using Forecasting.Engine.Models;

namespace Forecasting.Engine.Tests;

/// <summary>The rate model against R's glm(y ~ t (+ season), family = poisson, offset = log(pop)) (reference/rate_reference.R).</summary>
[Trait("Category", "unit")]
public sealed class RateModelTests
{
    private static readonly double[] Admissions = { 410, 428, 455, 449, 478, 502, 497, 530, 541, 566, 580, 604 };
    private static readonly double[] Population = { 41200, 41900, 42700, 43300, 44100, 45000, 45600, 46500, 47300, 48200, 49000, 49900 };
    private static readonly double[] Projection = { 50800, 51700, 52500, 53400, 54300 };

    private static readonly double[] Quarterly = { 35, 12, 25, 45, 41, 14, 40, 23, 60, 30, 17, 41, 47, 38, 25, 58, 52, 19, 46, 37 };
    private static double[] QuarterlyPopulation(int from, int to) => Enumerable.Range(from, to - from + 1).Select(t => 9000.0 + 35 * t).ToArray();

    [Fact]
    public void Yearly_rate_matches_R_glm_coefficients_errors_deviance_and_forecast()
    {
        var fit = RateModel.Fit(Admissions, Population, 1);
        TestUtil.Close([-4.615113901, 0.01664408969], fit.Coefficients, 1e-7, "coefficients");
        TestUtil.Close([0.02886630448, 0.003742309517], fit.StandardErrors, 1e-6, "standard errors");
        Assert.Equal(0.9870457739, fit.Deviance, 6);
        Assert.Equal(0.09874597244, fit.Dispersion, 6);
        Assert.False(fit.Overdispersed);
        TestUtil.Close([624.4747511, 646.2047569, 667.2173751, 690.0455146, 713.4519776], fit.Forecast(Projection), 1e-7, "forecast");
        Assert.Equal(new[] { "intercept", "trend" }, fit.CoefficientNames);
    }

    [Fact]
    public void Damped_trend_on_the_log_rate_matches_the_formula_computed_in_R()
    {
        var fit = RateModel.Fit(Admissions, Population, 1, new RateModelOptions(Damping: 0.8));
        TestUtil.Close([622.3994444, 640.2096651, 655.6800141, 671.4824513, 686.5336895], fit.Forecast(Projection), 1e-7, "damped forecast");
        // Same exposure, rate levelling off: each step grows less than the last.
        var rate = fit.ForecastRate(30);
        Assert.True(rate[29] / rate[28] < rate[1] / rate[0]);
    }

    [Fact]
    public void Seasonal_overdispersed_rate_matches_R_and_uses_negative_binomial_noise()
    {
        var fit = RateModel.Fit(Quarterly, QuarterlyPopulation(1, 20), 4);
        TestUtil.Close([-5.461725817, 0.01832548276, -0.7542653066, -0.4732688638, -0.2076266035], fit.Coefficients, 1e-7, "coefficients");
        // R stops at a deviance change of 1e-8 and takes its covariance from that iteration's weights: 1e-5 apart.
        TestUtil.Close([0.09204667547, 0.006692006802, 0.1146716663, 0.104738882, 0.09777509382], fit.StandardErrors, 1e-5, "standard errors");
        Assert.Equal(3.561455972, fit.Dispersion, 6);
        Assert.True(fit.Overdispersed);
        TestUtil.Close([60.73937921, 29.20211805, 39.53313424, 52.7028828], fit.Forecast(QuarterlyPopulation(21, 24)), 1e-7, "forecast");

        // Sample paths: integer counts whose mean and variance agree with the model (mean mu, variance ~ dispersion x mu
        // plus the coefficients' uncertainty), within sampling error of 500 draws.
        var paths = fit.SamplePaths(QuarterlyPopulation(21, 24), 500, seed: 11);
        Assert.All(paths.SelectMany(p => p), v => Assert.True(v >= 0 && v == Math.Round(v)));
        var first = paths.Select(p => p[0]).ToArray();
        var mean = first.Average();
        var variance = first.Sum(v => (v - mean) * (v - mean)) / (first.Length - 1);
        Assert.InRange(mean, 60.74 * 0.93, 60.74 * 1.07);
        Assert.InRange(variance / 60.74, 3.56 * 0.75, 3.56 * 1.8);
    }

    [Fact]
    public void Intervals_from_the_paths_bracket_the_forecast_and_widen_with_the_level()
    {
        var fit = RateModel.Fit(Admissions, Population, 1);
        var mean = fit.Forecast(Projection);
        var intervals = fit.Intervals(Projection, [80, 95], draws: 400, seed: 2);
        for (var k = 0; k < Projection.Length; k++)
        {
            Assert.True(intervals[0].Lower[k] < mean[k] && mean[k] < intervals[0].Upper[k]);
            Assert.True(intervals[1].Lower[k] <= intervals[0].Lower[k] && intervals[0].Upper[k] <= intervals[1].Upper[k]);
        }
        // Step 1 is nearly all Poisson noise: the 80% half-width is about 1.28 sqrt(mu) (parameter uncertainty adds a little).
        var half = (intervals[0].Upper[0] - intervals[0].Lower[0]) / 2;
        Assert.InRange(half, 1.28 * Math.Sqrt(mean[0]) * 0.85, 1.28 * Math.Sqrt(mean[0]) * 1.4);
    }

    [Fact]
    public void Damping_chosen_by_rolling_origins_prefers_a_levelling_rate()
    {
        // A rate that grew 4% a year and then stopped growing: the chosen damping is below 1.
        var pop = Enumerable.Range(0, 16).Select(t => 10000.0 + 200 * t).ToArray();
        var rate = Enumerable.Range(0, 16).Select(t => 0.01 * Math.Exp(0.04 * Math.Min(t, 9))).ToArray();
        var counts = rate.Select((r, t) => Math.Round(r * pop[t])).ToArray();
        var fit = RateModel.Fit(counts, pop, 1, new RateModelOptions(Damping: null));
        Assert.True(fit.Damping < 1, $"damping {fit.Damping}");
        Assert.Contains(fit.Damping, RateModel.DampingGrid);
    }

    [Fact]
    public void Bad_input_names_the_argument()
    {
        Assert.Contains("exposure", Assert.Throws<ArgumentException>(() => RateModel.Fit(Admissions, Population[..5], 1)).Message);
        Assert.Contains("exposure", Assert.Throws<ArgumentException>(() => RateModel.Fit(Admissions, Population.Select(p => p - 50000).ToArray(), 1)).Message);
        Assert.Contains("counts", Assert.Throws<ArgumentException>(() => RateModel.Fit(Admissions.Select(v => -v).ToArray(), Population, 1)).Message);
        Assert.Contains("damping", Assert.Throws<ArgumentException>(() => RateModel.Fit(Admissions, Population, 1, new RateModelOptions(Damping: 1.5))).Message);
        var fit = RateModel.Fit(Admissions, Population, 1);
        Assert.Contains("futureExposure", Assert.Throws<ArgumentException>(() => fit.Forecast([])).Message);
    }
}
