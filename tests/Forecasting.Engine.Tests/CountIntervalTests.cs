using MathNet.Numerics.Distributions;

namespace Forecasting.Engine.Tests;

/// <summary>Integer count intervals on simulated Poisson and negative-binomial series with known truth.</summary>
[Trait("Category", "unit")]
public class CountIntervalTests
{
    private const int N = 120, H = 12;

    private static (List<TimeSeriesData> Train, List<double[]> Test) Simulate(int seed, int nSeries, Func<Random, double> draw)
    {
        var rnd = new Random(seed);
        var train = new List<TimeSeriesData>(); var test = new List<double[]>();
        for (int i = 0; i < nSeries; i++)
        {
            var y = Enumerable.Range(0, N + H).Select(_ => draw(rnd)).ToArray();
            train.Add(new TimeSeriesData(y[..N], 12, NonNegative: true)); test.Add(y[N..]);
        }
        return (train, test);
    }

    private static double NegBin(Random r, double mean, double size) => TestUtil.Poisson(r, Gamma.Sample(r, size, size / mean));

    public static (double C80, double C95) Coverage(IReadOnlyList<ForecastResult> res, List<double[]> test)
    {
        double in80 = 0, in95 = 0, cells = 0;
        for (int i = 0; i < res.Count; i++)
        {
            var i80 = res[i].Intervals.First(x => x.Level == 80); var i95 = res[i].Intervals.First(x => x.Level == 95);
            for (int k = 0; k < H; k++)
            {
                foreach (var iv in new[] { i80, i95 })
                {
                    Assert.True(iv.Lower[k] >= 0 && iv.Lower[k] == Math.Floor(iv.Lower[k]), $"lower bound {iv.Lower[k]} is not a non-negative integer");
                    Assert.True(iv.Upper[k] == Math.Floor(iv.Upper[k]) && iv.Upper[k] >= iv.Lower[k], $"upper bound {iv.Upper[k]} is not an integer above the lower");
                }
                double a = test[i][k];
                if (a >= i80.Lower[k] && a <= i80.Upper[k]) in80++;
                if (a >= i95.Lower[k] && a <= i95.Upper[k]) in95++;
                cells++;
            }
        }
        return (in80 / cells, in95 / cells);
    }

    /// <summary>Coverage of the interval built by the same rule from the true distribution (the best integer bounds can do).</summary>
    private static double IdealCoverage(double mean, double extra, double level)
    {
        double a = 1 - level / 100;
        int lo = (int)CountIntervals.Quantile(mean, extra, a / 2), hi = (int)CountIntervals.Quantile(mean, extra, 1 - a / 2);
        double p = 0;
        for (int q = lo; q <= hi; q++)
            p += extra > 0 ? NegativeBinomial.PMF(mean * mean / extra, mean / (mean + extra), q) : Poisson.PMF(mean, q);
        return p;
    }

    // 30 series x 12 steps = 360 cells per case; steps of one series share its estimated mean, so the cells are
    // correlated. Integer bounds cover at least the level when the distribution is right, so only under-coverage is
    // a failure: 80% may fall at most 5 points short, 95% at most 3. Over-coverage is bounded by the coverage of the
    // true distribution's own integer interval plus 6 points (too-wide intervals would fail).
    [Theory]
    [InlineData("poisson", 0.5, 101)]
    [InlineData("poisson", 2, 102)]
    [InlineData("poisson", 5, 103)]
    [InlineData("negbin", 3, 104)]
    public void Count_intervals_cover_simulated_counts_near_nominal(string dist, double mean, int seed)
    {
        const double size = 2;
        var (train, test) = Simulate(seed, 30, r => dist == "poisson" ? TestUtil.Poisson(r, mean) : NegBin(r, mean, size));
        // Count intervals do not use the calibration origins; the candidates are the combination's members (and the
        // intermittent models, which auto adds for the Poisson(0.5) series).
        var orch = new ForecastOrchestrator { AutoCandidates = new[] { "ets", "damped", "theta" }, Experiments = new() { CalibrationOrigins = 0 } };
        var res = orch.ForecastMany(train, new ForecastOptions(H));
        var (c80, c95) = Coverage(res, test);
        double extra = dist == "poisson" ? 0 : mean * mean / size;
        double i80 = IdealCoverage(mean, extra, 80), i95 = IdealCoverage(mean, extra, 95);
        string basis = dist == "poisson" ? "Poisson" : "negative binomial";
        int withBasis = res.Count(r => r.Notes.Any(n => n.StartsWith($"count intervals ({basis}")));
        Console.WriteLine($"COVERAGE {dist}({mean}): 80% {c80:P1} (true-distribution interval {i80:P1}), 95% {c95:P1} ({i95:P1}); {withBasis}/30 {basis}; models {string.Join(",", res.GroupBy(r => r.Model).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.True(c80 >= 0.75 && c80 <= i80 + 0.06, $"80% coverage {c80:P1}");
        Assert.True(c95 >= 0.92 && c95 <= Math.Min(1, i95 + 0.06), $"95% coverage {c95:P1}");
        Assert.True(withBasis >= 24, $"{withBasis} of 30 series used the {basis} basis");
    }

    [Fact]
    public void Count_bounds_only_for_flagged_integer_series_with_small_levels()
    {
        var rnd = new Random(3);
        var y = Enumerable.Range(0, 60).Select(_ => (double)TestUtil.Poisson(rnd, 4)).ToArray();
        var orch = new ForecastOrchestrator { AutoCandidates = new[] { "ets", "damped", "theta" } };
        var count = orch.Forecast(new TimeSeriesData(y, 12, NonNegative: true), new ForecastOptions(6));
        Assert.Contains(count.Notes, n => n.StartsWith("count intervals"));
        // Not flagged, non-integer, or a large level: the calibrated intervals stay.
        var notFlagged = orch.Forecast(new TimeSeriesData(y, 12), new ForecastOptions(6));
        var fractional = orch.Forecast(new TimeSeriesData(y.Select(v => v + 0.5).ToArray(), 12, NonNegative: true), new ForecastOptions(6));
        var large = orch.Forecast(new TimeSeriesData(y.Select(v => v + 100).ToArray(), 12, NonNegative: true), new ForecastOptions(6));
        foreach (var r in new[] { notFlagged, fractional, large })
            Assert.DoesNotContain(r.Notes, n => n.StartsWith("count intervals"));
        Assert.Contains(notFlagged.Intervals[0].Lower, v => v != Math.Floor(v));
    }

    [Fact]
    public void Count_quantiles_match_the_distributions()
    {
        // Poisson(2): P(Y <= 0) = 0.135, P(Y <= 4) = 0.947, P(Y <= 5) = 0.983.
        Assert.Equal(0, CountIntervals.Quantile(2, 0, 0.1));
        Assert.Equal(5, CountIntervals.Quantile(2, 0, 0.975));
        Assert.Equal(4, CountIntervals.Quantile(2, 0, 0.9));
        // Negative binomial mean 3, size 2 (variance 7.5), R's pnbinom: P(Y <= 7) = 0.929, P(Y <= 8) = 0.954.
        Assert.Equal(7, CountIntervals.Quantile(3, 4.5, 0.92));
        Assert.Equal(8, CountIntervals.Quantile(3, 4.5, 0.95));
        Assert.Equal(0, CountIntervals.Quantile(0, 0, 0.975));
    }
}
