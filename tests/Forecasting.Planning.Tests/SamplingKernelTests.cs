using MathNet.Numerics.Distributions;

namespace Forecasting.Planning.Tests;

/// <summary>The simulation's sampling kernels against a second computation of the same thing.</summary>
[Trait("Category", "unit")]
public class SamplingKernelTests
{
    /// <summary>Poisson inversion as a plain loop: the smallest k whose cumulative probability reaches u.</summary>
    private static double PoissonByLoop(double u, double lambda)
    {
        var p = Math.Exp(-lambda);
        var cumulative = p;
        var k = 0;
        while (u > cumulative && k < 200)
        {
            k++;
            p *= lambda / k;
            cumulative += p;
        }
        return k;
    }

    [Fact]
    public void Poisson_counts_equal_the_plain_inversion_of_the_same_uniform()
    {
        double[] means = [1e-4, 0.05, 0.3, 0.5, 0.99, 1, 2.5, 3, 6.8, 7, 12, 25, 49.9];
        var mismatches = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var lambda = means[i % means.Length];
            ulong draw = (ulong)i * 0x9E3779B97F4A7C15UL, stream = 0xD1B54A32D192ED03UL;
            var u = Rng.Uniform(draw, stream);
            if (Rng.Poisson(draw, stream, lambda) != PoissonByLoop(u, lambda)) mismatches++;
        }
        // The reference divides by k where the kernel multiplies by 1/k: a u within rounding of a boundary may differ.
        Assert.True(mismatches <= 2, $"{mismatches} of 20,000 counts differ from the plain inversion");
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(2.5)]
    [InlineData(9)]
    public void Poisson_counts_have_the_Poisson_distribution(double lambda)
    {
        const int n = 40_000;
        var counts = new int[60];
        for (var i = 0; i < n; i++) counts[(int)Rng.Poisson(Rng.Mix((ulong)i), 0x1234567UL, lambda)]++;
        // Each of the first cells within 4 binomial standard errors of n x P(X = k).
        for (var k = 0; k < 2 * lambda + 3; k++)
        {
            var expected = n * Poisson.PMF(lambda, k);
            Assert.True(Math.Abs(counts[k] - expected) < 4 * Math.Sqrt(expected) + 1, $"P(X = {k}): {counts[k]} against {expected:0.0}");
        }
    }

    [Fact]
    public void A_larger_mean_never_gives_a_smaller_count_for_the_same_draw()
    {
        for (var i = 0; i < 2_000; i++)
        {
            var previous = 0.0;
            for (var lambda = 0.05; lambda < 12; lambda += 0.37)
            {
                var count = Rng.Poisson(Rng.Mix((ulong)i), 77UL, lambda);
                Assert.True(count >= previous, $"draw {i}: {count} at mean {lambda} after {previous}");
                previous = count;
            }
        }
    }

    [Theory]
    [InlineData(10_000, 1)]
    [InlineData(10_000, 2)]
    [InlineData(50, 3)]
    [InlineData(3_000, 4)]
    public void Radix_sorted_draws_equal_a_comparison_sort(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (var i = 0; i < n; i++)
            values[i] = seed switch
            {
                // Mixed signs and magnitudes, negative zero, whole numbers with many ties, and one constant value.
                1 => (float)((random.NextDouble() - 0.4) * Math.Pow(10, random.Next(-3, 6))),
                2 => random.Next(-40, 400),
                3 => i % 7 == 0 ? -0f : (float)(random.NextDouble() - 0.5),
                _ => 17.25f,
            };
        var expected = (float[])values.Clone();
        Array.Sort(expected);
        DrawSort.Sort(values);
        // Equal as numbers (-0 and +0 are the same quantile).
        Assert.Equal(expected.Select(v => (double)v), values.Select(v => (double)v));
    }
}
