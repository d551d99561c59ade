namespace Forecasting.Engine.Tests;

[Trait("Category", "unit")]
public class YearEndDistributionTests
{
    /// <summary>
    /// Beta-binomial probabilities by the rising-product formula, a second route to the log-beta one: P(0) is the product
    /// of (beta + j) / (alpha + beta + j), and P(x + 1) / P(x) = (m - x) / (x + 1) x (alpha + x) / (beta + m - x - 1).
    /// </summary>
    private static double[] BetaBinomialByProducts(int m, double alpha, double beta)
    {
        var p = new double[m + 1];
        p[0] = 1;
        for (var j = 0; j < m; j++) p[0] *= (beta + j) / (alpha + beta + j);
        for (var x = 0; x < m; x++) p[x + 1] = p[x] * (m - x) / (x + 1) * (alpha + x) / (beta + m - x - 1);
        return p;
    }

    [Fact]
    public void Proportion_year_end_matches_hand_computation()
    {
        // 2 of 3 so far, 2 more cases: Beta(2.5, 1.5); P(X=0) = 1.5 x 2.5 / (4 x 5) = 0.1875, P(1) = 2 x 2.5 x 1.5 / 20 = 0.375, P(2) = 2.5 x 3.5 / 20 = 0.4375.
        var (distribution, mean) = ProportionYearEnd.Estimate(2, 3, 2);
        Assert.Equal([0.4, 0.6, 0.8], distribution.Values);
        Assert.Equal(0.1875, distribution.Cumulative[0], 12);
        Assert.Equal(0.5625, distribution.Cumulative[1], 12);
        Assert.Equal(1.0, distribution.Cumulative[2], 12);
        Assert.Equal(0.65, mean, 12);
        Assert.Equal(0.65, distribution.Mean(), 12);
        Assert.Equal(0.1875, distribution.Cdf(0.5), 12);
        Assert.Equal(0, distribution.Cdf(0.39), 12);
        Assert.Equal(0.6, distribution.Quantile(0.5), 12);
    }

    [Fact]
    public void Proportion_year_end_agrees_with_the_product_formula_for_a_council_sized_year()
    {
        // 551 of 648 at home after 91 days (ASCOF 2B(1) in Domain/docs/calibration.md, "Performance domains") after nine months, 216 more expected.
        var (distribution, mean) = ProportionYearEnd.Estimate(551, 648, 216);
        var expected = BetaBinomialByProducts(216, 551.5, 97.5);
        var running = 0.0;
        for (var x = 0; x <= 216; x++)
        {
            running += expected[x];
            Assert.Equal(running, distribution.Cumulative[x], 9);
        }
        Assert.Equal((551 + 216 * 551.5 / 649) / 864, mean, 12);
        Assert.InRange(mean, 0.84, 0.86);
    }

    [Fact]
    public void The_distribution_of_an_estimate_reproduces_its_intervals()
    {
        var history = Enumerable.Range(0, 36).Select(i => 20.0 + 5 * Math.Sin(i * Math.PI / 6) + i % 5).ToArray();
        var ytd = new double[] { 22, 25, 27, 24, 21, 19 };
        foreach (var estimate in new[] { YearEndEstimator.Estimate(history, 6, ytd, [80, 95]), YearEndEstimator.Estimate([], 6, ytd, [80, 95]) })
        {
            foreach (var interval in estimate.Intervals.Where(i => i.Lower > estimate.YearToDate))
            {
                var inside = estimate.Distribution.Cdf(interval.Upper) - estimate.Distribution.Cdf(interval.Lower);
                Assert.Equal(interval.Level / 100, inside, 6);
            }
            Assert.Equal(0, estimate.Distribution.Cdf(estimate.YearToDate - 1e-9));
            Assert.Equal(0.5, estimate.Distribution.Cdf(estimate.Estimate), 6);
        }
    }

    [Fact]
    public void A_scaled_distribution_is_the_distribution_of_the_scaled_value()
    {
        var estimate = YearEndEstimator.Estimate(Enumerable.Range(0, 24).Select(i => 10.0 + i % 7).ToArray(), 4, [12, 9, 14, 11], [80]);
        var rate = estimate.Distribution.Scaled(100_000 / 41_000.0);
        foreach (var x in new[] { 100.0, 130, 160 })
            Assert.Equal(estimate.Distribution.Cdf(x), rate.Cdf(x * 100_000 / 41_000.0), 12);
    }
}
