using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>The data as known on an earlier date: pipeline statuses, schemes opened later and population vintages.</summary>
[Trait("Category", "unit")]
public sealed class AsKnownTests
{
    private static readonly PipelineScheme Delivered = new("PL1", "Kingfisher Close", 10, "supported_living", ClientGroups.ComplexNeeds, true,
        new(2023, 7, 3), null, PipelineStatuses.Delivered, new(2023, 7, 3));
    private static readonly PipelineScheme Failed = new("PL2", "Hollins Lane", 85, "supported_living", ClientGroups.LdAutism, true,
        new(2024, 9, 30), null, PipelineStatuses.Failed, new(2024, 2, 20));
    private static readonly SchemeStock Old = new("S1", "Fern Place", "supported_living", ClientGroups.ComplexNeeds, true, new(1998, 3, 4), null, 5, 0, 0, 0);
    private static readonly SchemeStock Kingfisher = new("S2", "Kingfisher  close", "supported_living", ClientGroups.ComplexNeeds, true, new(2023, 7, 3), null, 9, 1, 0, 0);
    private static readonly SchemeStock Unknown = new("S3", "Spot purchase", "supported_living", ClientGroups.LdAutism, false, new(2022, 1, 10), null, 2, 0, 0, 0);

    [Fact]
    public void Before_its_status_date_a_scheme_has_the_lead_time_status_and_a_scheme_opened_later_is_pipeline()
    {
        var (pipeline, schemes, notes) = AsKnown.Supply([Delivered, Failed], [Old, Kingfisher, Unknown], new DateOnly(2021, 3, 31));
        // 28 months to July 2023: reasonable_confidence; 42 months to September 2024: in_discussion (not failed).
        Assert.Equal(PipelineStatuses.ReasonableConfidence, pipeline.Single(p => p.PipelineId == "PL1").Status);
        Assert.Equal(PipelineStatuses.InDiscussion, pipeline.Single(p => p.PipelineId == "PL2").Status);
        Assert.All(pipeline, p => Assert.Null(p.StatusDate));
        Assert.Equal(["S1"], schemes.Select(s => s.SchemeId));
        Assert.Contains(notes, n => n.Contains("(PL1 reasonable_confidence, PL2 in_discussion)"));
        Assert.Contains(notes, n => n.Contains("PL1 = S2"));
        Assert.Contains(notes, n => n.Contains("left out: S3 (2022-01-10)"));

        var (later, laterSchemes, laterNotes) = AsKnown.Supply([Delivered, Failed], [Old, Kingfisher, Unknown], new DateOnly(2024, 3, 31));
        Assert.Equal([PipelineStatuses.Delivered, PipelineStatuses.Failed], later.Select(p => p.Status));
        Assert.Equal(["S1", "S2", "S3"], laterSchemes.Select(s => s.SchemeId));
        Assert.Empty(laterNotes);
    }

    [Fact]
    public void A_delivered_status_recorded_before_the_scheme_opened_is_not_supply_until_it_opens()
    {
        var early = Delivered with { StatusDate = new DateOnly(2023, 1, 1) };
        var (pipeline, schemes, _) = AsKnown.Supply([early], [Old, Kingfisher], new DateOnly(2023, 3, 31));
        // Opens in July: 4 months ahead, so confirmed on 31 March, and Kingfisher is not yet a known scheme.
        Assert.Equal(PipelineStatuses.Confirmed, pipeline.Single().Status);
        Assert.Equal(["S1"], schemes.Select(s => s.SchemeId));
    }

    [Theory]
    [InlineData(0, PipelineStatuses.Confirmed)]
    [InlineData(12, PipelineStatuses.Confirmed)]
    [InlineData(13, PipelineStatuses.InProcurement)]
    [InlineData(36, PipelineStatuses.ReasonableConfidence)]
    [InlineData(60, PipelineStatuses.InDiscussion)]
    [InlineData(61, PipelineStatuses.Identified)]
    public void The_lead_time_rule_reads_the_months_to_the_expected_date(int months, string status) =>
        Assert.Equal(status, AsKnown.StatusByLeadTime(months));

    [Fact]
    public void Before_a_projection_is_published_the_principal_variant_is_the_named_trend_of_the_known_estimates()
    {
        var rows = new List<PopulationPoint>();
        for (var y = 2015; y <= 2024; y++)
            rows.Add(new PopulationPoint(PopulationVariants.Estimate, "ONS MYE 2024", y, PopulationAgeGroup.Aged85Plus, 1000 + 10 * (y - 2015)));
        for (var y = 2022; y <= 2035; y++)
            rows.Add(new PopulationPoint(PopulationVariants.Principal, "ONS 2022-based SNPP", y, PopulationAgeGroup.Aged85Plus, 5000));

        var (early, notes) = AsKnown.Population(rows, new DateOnly(2021, 3, 31));
        // Estimates of mid-2015 to mid-2019 are published by then (mid-2020 in July 2021); the 2022-based projection is not (July 2024).
        Assert.Equal(2019, early.Where(r => r.Variant == PopulationVariants.Estimate).Max(r => r.Year));
        Assert.DoesNotContain(early, r => r.Source == "ONS 2022-based SNPP");
        var trend = early.Where(r => r.Variant == PopulationVariants.Principal).ToDictionary(r => r.Year, r => r.Population);
        // The estimates are a straight line (+10 a year), so the trend continues it exactly: 2025 = 1,100.
        Assert.Equal(1100, trend[2025], 9);
        Assert.Contains(notes, n => n.Contains("ONS 2022-based SNPP was not published by 2021-03-31") && n.Contains("trend of ONS MYE 2024 2015-2019 (substitute)"));

        var (late, lateNotes) = AsKnown.Population(rows, new DateOnly(2025, 3, 31));
        Assert.Contains(late, r => r.Source == "ONS 2022-based SNPP");
        Assert.DoesNotContain(late, r => r.Source.Contains("trend"));
        Assert.DoesNotContain(lateNotes, n => n.Contains("projection"));
    }
}
