using Forecasting.Application.Performance;
using Forecasting.Domain;
using Forecasting.Store.Analytics;
using Forecasting.Store.Performance;

namespace Forecasting.Tests.Performance;

/// <summary>Expected rows read off <see cref="PerformanceStore.Benchmarks"/>.</summary>
[Trait("Category", "integration")]
public sealed class BenchmarkRepositoryTests(PerformanceStore fixture) : IClassFixture<PerformanceStore>
{
    private const string Council = PerformanceStore.Council;
    private BenchmarkRepository Benchmarks => new(fixture.Store);

    [Fact]
    public void The_latest_year_up_to_the_one_asked_with_the_council_itself_left_out()
    {
        var set = Benchmarks.LatestUpTo(Council, "ascof_1g", 2024)!;
        Assert.Equal((Council, "ascof_1g", 2023), (set.CouncilCode, set.Measure, set.FinancialYear));
        // Councils by code, then the region, England and the quartile rows; Alderby's own row (99) is not a comparator.
        Assert.Equal(
            new[]
            {
                new BenchmarkComparatorRow("council", "E06000010", "Alpha", 71, "ASCOF 2023/24"),
                new BenchmarkComparatorRow("council", "E06000011", "Beta", 75, "ASCOF 2023/24"),
                new BenchmarkComparatorRow("region", "E12000004", "East Midlands", 74.5, "ASCOF 2023/24"),
                new BenchmarkComparatorRow("england", "england", "England", 76.1, "ASCOF 2023/24"),
                new BenchmarkComparatorRow("quartile", "median", "Median", 73, "ASCOF 2023/24"),
            },
            set.Comparators);

        Assert.Equal(2023, Benchmarks.LatestUpTo(Council, "ascof_1g", 2023)!.FinancialYear);
        var earlier = Benchmarks.LatestUpTo(Council, "ascof_1g", 2022)!;
        Assert.Equal(2022, earlier.FinancialYear);
        Assert.Equal(70, Assert.Single(earlier.Comparators).Value);
        Assert.Null(Benchmarks.LatestUpTo(Council, "ascof_1g", 2021));
        Assert.Null(Benchmarks.LatestUpTo(Council, "ascof_2a1", 2024));
    }

    [Fact]
    public void A_named_year_only()
    {
        Assert.Equal(2022, Benchmarks.ForYear(Council, "ascof_1g", 2022)!.FinancialYear);
        Assert.Null(Benchmarks.ForYear(Council, "ascof_1g", 2024));
        Assert.Equal(600, Assert.Single(Benchmarks.ForYear(Council, "ascof_2a2", 2024)!.Comparators).Value);
        Assert.Equal(80, Assert.Single(Benchmarks.ForYear(PerformanceStore.OtherCouncil, "ascof_1g", 2024)!.Comparators).Value);
    }

    [Fact]
    public void Invalid_or_unknown_arguments()
    {
        Assert.Equal("measure", Assert.ThrowsAny<InvalidArgumentException>(() => Benchmarks.LatestUpTo(Council, "nope", 2024)).Field);
        Assert.Equal("council_code", Assert.ThrowsAny<InvalidArgumentException>(() => Benchmarks.LatestUpTo("", "ascof_1g", 2024)).Field);
        Assert.Throws<KeyNotFoundException>(() => Benchmarks.LatestUpTo("E09999999", "ascof_1g", 2024));
        Assert.Null(Benchmarks.LatestUpTo(PerformanceStore.EmptyCouncil, "ascof_1g", 2024));
    }

    [Fact]
    public void The_stored_comparators_position_the_council()
    {
        // 2023/24 ASCOF 1G: Alpha 71, Beta 75, this council 73.8; only the median is published, so the boundaries are computed.
        // R-7 of 71, 73.8, 75 (n = 3): h = 1.5, 71 + .5 x 2.8 = 72.4; h = 2, 73.8; h = 2.5, 73.8 + .5 x 1.2 = 74.4.
        // R: quantile(c(71,75,73.8), c(.25,.5,.75), type=7) gives 72.4 73.8 74.4.
        var set = Benchmarks.LatestUpTo(Council, "ascof_1g", 2024)!;
        var p = BenchmarkPositioning.Position(73.8, set.Comparators, MeasureCatalog.Find("ascof_1g").Polarity);
        Assert.Equal((2, 3, 2), (p.Rank, p.Of, p.Quartile));
        Assert.Equal(BenchmarkPositioning.ComputedMethod, p.QuartileMethod);
        Assert.Equal(72.4, p.Boundaries!.Lower, 12);
        Assert.Equal(73.8, p.Boundaries.Median, 12);
        Assert.Equal(74.4, p.Boundaries.Upper, 12);
        Assert.Equal(74.4, p.NextQuartileBoundary, 12);
        Assert.Equal(0.6, p.ChangeToNextQuartile, 9);
    }
}
