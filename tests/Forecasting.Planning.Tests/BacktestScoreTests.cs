using Forecasting.Planning;
using MathNet.Numerics.Distributions;

namespace Forecasting.Planning.Tests;

/// <summary>The backtest's scores against hand-computed values and independent formulas.</summary>
[Trait("Category", "unit")]
public sealed class BacktestScoreTests
{
    [Theory]
    [InlineData(15, 10)]       // inside: the width only
    [InlineData(25, 60)]       // 5 above: 10 + 2 / 0.2 x 5
    [InlineData(5, 60)]        // 5 below
    [InlineData(20, 10)]       // on the bound counts as inside
    public void The_interval_score_is_the_width_plus_the_scaled_miss(double actual, double expected) =>
        Assert.Equal(expected, ForecastScores.IntervalScore(10, 20, 0.2, actual), 12);

    [Fact]
    public void The_sample_crps_equals_the_hand_computed_and_the_pairwise_value()
    {
        double[] sample = [8, 1, 4, 3];
        // E|X - 5| = (4 + 2 + 1 + 3) / 4 = 2.5; E|X - X'| = 2 x (2 + 3 + 7 + 1 + 5 + 4) / 16 = 2.75; CRPS = 2.5 - 2.75 / 2.
        Assert.Equal(1.125, ForecastScores.CrpsFromSample(sample, 5), 12);

        var rng = new Random(7);
        var draws = Enumerable.Range(0, 300).Select(_ => rng.NextDouble() * 40).ToArray();
        double pairs = 0;
        foreach (var a in draws)
            foreach (var b in draws)
                pairs += Math.Abs(a - b);
        var bruteForce = draws.Average(x => Math.Abs(x - 17)) - pairs / (2.0 * draws.Length * draws.Length);
        Assert.Equal(bruteForce, ForecastScores.CrpsFromSample(draws, 17), 9);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void The_crps_from_percentiles_approaches_the_closed_form_for_a_normal(double actual)
    {
        const double mu = 0.5, sigma = 2;
        var quantiles = Enumerable.Range(1, 99).Select(p => Normal.InvCDF(mu, sigma, p / 100.0)).ToArray();
        var z = (actual - mu) / sigma;
        var exact = sigma * (z * (2 * Normal.CDF(0, 1, z) - 1) + 2 * Normal.PDF(0, 1, z) - 1 / Math.Sqrt(Math.PI));
        var approx = ForecastScores.CrpsFromQuantiles(quantiles, actual);
        // The 1%-99% grid leaves out the outer tails: within 2% of the exact value.
        Assert.True(Math.Abs(approx - exact) < 0.02 * exact, $"{approx} vs {exact}");
    }

    [Fact]
    public void Scores_average_errors_and_count_coverage_over_rows()
    {
        var d = new DateOnly(2021, 3, 31);
        BacktestRow Row(double actual, double mean, double naive) => new(d, 2021, ClientGroups.LdAutism, Measures.Housed, actual, mean, mean - 5, mean, mean + 5)
        {
            P2_5 = mean - 10, P25 = mean - 2, P75 = mean + 2, P97_5 = mean + 10, Naive = naive, SeasonalNaive = naive + 1,
        };
        // Errors (mean - actual): +1, -4, +12. Inside 50% (|e| <= 2): 1 of 3; 80% (<= 5): 2; 95% (<= 10): 2.
        var rows = new[] { Row(100, 101, 100), Row(100, 96, 103), Row(100, 112, 90) };
        var s = BacktestScore.Of(Measures.Housed, ClientGroups.LdAutism, 0, rows);
        Assert.Equal(3, s.Rows);
        Assert.Equal(17 / 3.0, s.ModelMae, 12);
        Assert.Equal(9 / 3.0, s.ModelBias, 12);
        Assert.Equal(1 / 3.0, s.Coverage50, 12);
        Assert.Equal(2 / 3.0, s.Coverage80, 12);
        Assert.Equal(2 / 3.0, s.Coverage95, 12);
        // Naive errors 0, +3, -10; seasonal naive +1, +4, -9.
        Assert.Equal(13 / 3.0, s.NaiveMae, 12);
        Assert.Equal(-7 / 3.0, s.NaiveBias, 12);
        Assert.Equal(14 / 3.0, s.SeasonalNaiveMae, 12);
        // Interval scores: 10, 10, 10 + 10 x 7 = 80.
        Assert.Equal(100 / 3.0, s.IntervalScore80, 12);
    }

    [Fact]
    public void The_first_supported_origin_is_the_first_quarter_end_with_the_history_the_model_reads()
    {
        // Records from April 2015, 60 months: April 2015 - March 2020.
        Assert.Equal(new DateOnly(2020, 3, 31), PlanningBacktest.FirstSupportedOrigin(new DateOnly(2015, 4, 1), 60));
        Assert.Equal(new DateOnly(2020, 6, 30), PlanningBacktest.FirstSupportedOrigin(new DateOnly(2015, 5, 1), 60));
        Assert.Null(PlanningBacktest.FirstSupportedOrigin(null, 60));
    }

    [Fact]
    public void A_scheme_is_forecast_delivered_by_a_date_with_its_probability_times_the_share_of_slips_by_then()
    {
        var f = new PipelineSchemeForecast(new(2021, 3, 31), "P1", "x", 10, PipelineStatuses.InProcurement, true, 0.75,
            new DateOnly(2024, 1, 15), 6, "open", null);
        // Expected in January, year end in March: slips of 0, 1 or 2 of the 7 equally likely months land by then.
        Assert.Equal(0.75 * 3 / 7, PipelineBacktest.DeliveredBy(f, new DateOnly(2024, 3, 31)), 12);
        Assert.Equal(0.75, PipelineBacktest.DeliveredBy(f, new DateOnly(2025, 3, 31)), 12);
        Assert.Equal(0, PipelineBacktest.DeliveredBy(f, new DateOnly(2023, 12, 31)));
    }
}
