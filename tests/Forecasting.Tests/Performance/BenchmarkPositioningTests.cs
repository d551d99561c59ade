using Forecasting.Application.Performance;
using Forecasting.Store.Analytics;
using Forecasting.Store.Performance;

namespace Forecasting.Tests.Performance;

/// <summary>Ranks, quartiles and changes worked by hand; R type-7 boundaries checked with R's quantile(..., type = 7).</summary>
[Trait("Category", "unit")]
public sealed class BenchmarkPositioningTests
{
    private static BenchmarkComparatorRow Council(string code, double value) => new("council", code, code, value, "ASCOF 2023/24");

    private static readonly BenchmarkComparatorRow[] Peers =
    [
        Council("A", 70), Council("B", 75), Council("C", 80), Council("D", 85), Council("E", 90),
        new("region", "E12000004", "East Midlands", 79.5, "ASCOF 2023/24"),
        new("england", "england", "England", 81, "ASCOF 2023/24"),
    ];

    private static readonly BenchmarkComparatorRow[] Published =
    [
        .. Peers,
        new("quartile", "upper_quartile", "Upper quartile", 84, "NHS benchmarking"),
        new("quartile", "lower_quartile", "Lower quartile", 72, "NHS benchmarking"),
        new("quartile", "median", "Median", 77.5, "NHS benchmarking"),
    ];

    [Fact]
    public void Computed_boundaries_higher_is_better()
    {
        // Values with this council: 70, 75, 78, 80, 85, 90 (n = 6). R-7: h = (n - 1)p + 1.
        // p = .25: h = 2.25, 75 + .25 x (78 - 75) = 75.75; p = .5: h = 3.5, 78 + .5 x 2 = 79; p = .75: h = 4.75, 80 + .75 x 5 = 83.75.
        // R: quantile(c(70,75,80,85,90,78), c(.25,.5,.75), type=7) gives 75.75 79.00 83.75.
        var p = BenchmarkPositioning.Position(78, Peers, Polarity.HigherIsBetter);
        Assert.Equal(new QuartileBoundaries(75.75, 79, 83.75), p.Boundaries);
        Assert.Equal(BenchmarkPositioning.ComputedMethod, p.QuartileMethod);
        // Better: 80, 85, 90. Region (79.5) and England (81) are not ranked.
        Assert.Equal(4, p.Rank);
        Assert.Equal(6, p.Of);
        // 75.75 <= 78 < 79: third quarter; the next boundary is the median, 1.0 higher.
        Assert.Equal(3, p.Quartile);
        Assert.Equal(79, p.NextQuartileBoundary);
        Assert.Equal(1.0, p.ChangeToNextQuartile, 12);
        Assert.Equal(Peers, p.Comparators);
        Assert.Equal("ASCOF 2023/24", p.Source);
    }

    [Fact]
    public void Computed_boundaries_lower_is_better()
    {
        var p = BenchmarkPositioning.Position(78, Peers, Polarity.LowerIsBetter);
        Assert.Equal(new QuartileBoundaries(75.75, 79, 83.75), p.Boundaries);
        // Better (lower): 70, 75.
        Assert.Equal(3, p.Rank);
        // 75.75 < 78 <= 79: second quarter; the lower quartile 75.75 is the next boundary, 2.25 lower.
        Assert.Equal(2, p.Quartile);
        Assert.Equal(75.75, p.NextQuartileBoundary);
        Assert.Equal(-2.25, p.ChangeToNextQuartile, 12);
    }

    [Fact]
    public void Ties_share_the_better_rank_and_a_value_on_a_boundary_is_in_the_better_quartile()
    {
        // With 85: values 70, 75, 80, 85, 85, 90. R-7: 75 + .25 x 5 = 76.25; 80 + .5 x 5 = 82.5; 85 + .75 x 0 = 85.
        // R: quantile(c(70,75,80,85,90,85), c(.25,.5,.75), type=7) gives 76.25 82.50 85.00.
        var p = BenchmarkPositioning.Position(85, Peers, Polarity.HigherIsBetter);
        Assert.Equal(new QuartileBoundaries(76.25, 82.5, 85), p.Boundaries);
        // Only 90 is better; D's 85 ties and shares rank 2.
        Assert.Equal(2, p.Rank);
        Assert.Equal(1, p.Quartile);
        Assert.True(double.IsNaN(p.NextQuartileBoundary));
        Assert.True(double.IsNaN(p.ChangeToNextQuartile));

        var best = BenchmarkPositioning.Position(95, Peers, Polarity.HigherIsBetter);
        Assert.Equal(1, best.Rank);
        var worst = BenchmarkPositioning.Position(95, Peers, Polarity.LowerIsBetter);
        Assert.Equal(6, worst.Rank);
        Assert.Equal(4, worst.Quartile);
    }

    [Fact]
    public void Published_boundaries_are_used_when_all_three_are_given()
    {
        // Lower 72, median 77.5, upper 84 (given out of order).
        var p = BenchmarkPositioning.Position(78, Published, Polarity.HigherIsBetter);
        Assert.Equal(BenchmarkPositioning.PublishedMethod, p.QuartileMethod);
        Assert.Equal(new QuartileBoundaries(72, 77.5, 84), p.Boundaries);
        Assert.Equal(4, p.Rank);
        Assert.Equal(6, p.Of);
        // 77.5 <= 78 < 84: second quarter, 6 below the upper quartile.
        Assert.Equal(2, p.Quartile);
        Assert.Equal(84, p.NextQuartileBoundary);
        Assert.Equal(6, p.ChangeToNextQuartile, 12);
        Assert.Equal("ASCOF 2023/24; NHS benchmarking", p.Source);
        Assert.Equal(10, p.Comparators.Count);

        var lower = BenchmarkPositioning.Position(78, Published, Polarity.LowerIsBetter);
        // 77.5 < 78 <= 84: third quarter; the median is 0.5 lower.
        Assert.Equal(3, lower.Quartile);
        Assert.Equal(77.5, lower.NextQuartileBoundary);
        Assert.Equal(-0.5, lower.ChangeToNextQuartile, 12);

        var bottom = BenchmarkPositioning.Position(60, Published, Polarity.HigherIsBetter);
        Assert.Equal((6, 4, 72.0, 12.0), (bottom.Rank, bottom.Quartile, bottom.NextQuartileBoundary, bottom.ChangeToNextQuartile));
        var onBoundary = BenchmarkPositioning.Position(84, Published, Polarity.HigherIsBetter);
        Assert.Equal(1, onBoundary.Quartile);
        var lowerBest = BenchmarkPositioning.Position(72, Published, Polarity.LowerIsBetter);
        Assert.Equal((2, 1), (lowerBest.Rank, lowerBest.Quartile));
    }

    [Fact]
    public void Two_published_boundaries_are_not_enough_and_the_boundaries_are_computed()
    {
        var partial = Peers.Append(new("quartile", "median", "Median", 77.5, "NHS benchmarking")).ToArray();
        var p = BenchmarkPositioning.Position(78, partial, Polarity.HigherIsBetter);
        Assert.Equal(BenchmarkPositioning.ComputedMethod, p.QuartileMethod);
        Assert.Equal(new QuartileBoundaries(75.75, 79, 83.75), p.Boundaries);
    }

    [Fact]
    public void Neutral_measures_and_a_council_without_a_value_are_not_ranked()
    {
        var neutral = BenchmarkPositioning.Position(78, Peers, Polarity.Neutral);
        Assert.Equal((0, 6, 0), (neutral.Rank, neutral.Of, neutral.Quartile));
        Assert.True(double.IsNaN(neutral.ChangeToNextQuartile));
        Assert.Contains("no better direction", neutral.QuartileMethod);
        Assert.Equal(new QuartileBoundaries(75.75, 79, 83.75), neutral.Boundaries);

        var missing = BenchmarkPositioning.Position(double.NaN, Peers, Polarity.HigherIsBetter);
        Assert.Equal((0, 0), (missing.Rank, missing.Quartile));
        // Boundaries of the comparators alone: 70, 75, 80, 85, 90 gives 75, 80, 85 (h = 2, 3, 4).
        Assert.Equal(new QuartileBoundaries(75, 80, 85), missing.Boundaries);
    }
}
