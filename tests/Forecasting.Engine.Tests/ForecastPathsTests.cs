using Forecasting.Engine;

namespace Forecasting.Engine.Tests;

[Trait("Category", "unit")]
public sealed class ForecastPathsTests
{
    private static readonly double Z80 = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.9);

    [Fact]
    public void Variance_of_a_sum_counts_the_persistent_part_between_every_pair_of_steps()
    {
        // Total sd 1, 2, 3 at steps 0..2, independent variance 1 at each step: persistent 0, 3, 8.
        var mean = new[] { 10.0, 10, 10 };
        var upper = new[] { 10 + Z80 * 1, 10 + Z80 * 2, 10 + Z80 * 3 };
        var paths = ForecastPaths.FromInterval(mean, upper, 80, [1, 1, 1]);
        Assert.Equal([0, 3, 8], paths.PersistentVariance.Select(v => Math.Round(v, 9)));
        // var(Y0+Y1+Y2) = sum of marginals (1+4+9) + 2 cov(Y0,Y1) + 2 cov(Y0,Y2) + 2 cov(Y1,Y2) = 14 + 0 + 0 + 2*3 = 20.
        Assert.Equal(20.0, paths.VarianceOfSum(0, 2), 9);
        // Independent months would give 14; fully correlated months (sum of sds squared) 36.
        // var(Y1+Y2) = 4 + 9 + 2*3.
        Assert.Equal(19.0, paths.VarianceOfSum(1, 2), 9);
    }

    [Fact]
    public void Sample_paths_reproduce_the_marginal_interval_and_the_variance_of_sums()
    {
        var mean = Enumerable.Range(0, 12).Select(h => 5.0 + h).ToArray();
        var upper = mean.Select((m, h) => m + Z80 * Math.Sqrt(1 + h)).ToArray();
        var paths = ForecastPaths.FromInterval(mean, upper, 80);
        var random = new Random(7);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        const int draws = 40_000;
        var sums = new double[draws];
        var last = new double[draws];
        var path = new double[12];
        for (var d = 0; d < draws; d++)
        {
            paths.DrawLevel(_ => Normal(), path);
            sums[d] = path.Sum();
            last[d] = path[11];
        }
        // Marginal variance at the last step is 12 (sd^2 = 1 + 11); the sum of the year: sum_i sum_j min(i,j)+1 = 650.
        Assert.Equal(12.0, MathNet.Numerics.Statistics.Statistics.Variance(last), 12.0 * 0.05);
        Assert.Equal(650.0, paths.VarianceOfSum(0, 11), 9);
        Assert.Equal(650.0, MathNet.Numerics.Statistics.Statistics.Variance(sums), 650.0 * 0.05);
        Assert.Equal(mean.Sum(), sums.Average(), 0.5);
    }

    [Fact]
    public void A_narrowing_interval_keeps_the_persistent_variance_from_falling()
    {
        var paths = ForecastPaths.FromInterval([1.0, 1, 1], [1 + Z80 * 2, 1 + Z80 * 1, 1 + Z80 * 3], 80);
        Assert.Equal([4, 4, 9], paths.PersistentVariance.Select(v => Math.Round(v, 9)));
        Assert.Equal(2.0, paths.IncrementSd[0], 12);
        Assert.Equal(0.0, paths.IncrementSd[1], 12);
        Assert.Equal(Math.Sqrt(5), paths.IncrementSd[2], 12);
    }
}
