using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

[Trait("Category", "unit")]
public class TargetTests
{
    // The domain example: 262 units due by 2026 (phases 196 + 66), 56 already delivered, 173 in discussion of which
    // 132 with reasonable confidence, and a failed 155-unit procurement.
    private static readonly StrategyVersion Strategy2021 = new("sl-2021", 1, "Supported living strategy", 2021, 2030, null,
        new DateTimeOffset(2021, 3, 16, 10, 0, 0, TimeSpan.Zero), "R. Okafor", "Initial strategy",
        [new StrategyPhase("Phase 1", 2021, 2021, 196), new StrategyPhase("Phase 2", 2022, 2025, 66), new StrategyPhase("Phase 3", 2026, 2030, 289)]);

    private static readonly PipelineScheme[] Pipeline =
    [
        new("D1", "Ashcombe Road", 12, "supported_living", ClientGroups.LdAutism, true, new(2021, 11, 1), "Phase 1", PipelineStatuses.Delivered),
        new("D2", "Millbrook House", 16, "supported_living", ClientGroups.MentalHealth, true, new(2022, 9, 5), "Phase 2", PipelineStatuses.Delivered),
        new("D3", "Three Sites", 28, "supported_living", ClientGroups.LdAutism, true, new(2024, 2, 1), "Phase 2", PipelineStatuses.Delivered),
        new("RC", "Reasonable confidence sites", 132, "supported_living", ClientGroups.LdAutism, true, new(2025, 9, 1), "Phase 2", PipelineStatuses.ReasonableConfidence),
        new("ID", "Other discussions", 41, "supported_living", ClientGroups.LdAutism, true, new(2025, 12, 1), "Phase 2", PipelineStatuses.InDiscussion),
        new("F", "Two-site procurement", 155, "supported_living", ClientGroups.LdAutism, true, new(2024, 10, 1), "Phase 2", PipelineStatuses.Failed),
    ];

    private static CountingBasis Basis(bool net, string? minStatus) =>
        CountingBasis.Create(new DateOnly(2025, 3, 31), new ScenarioLevers { NetDeliveredUnits = net, PipelineMinStatus = minStatus },
            new Dictionary<string, double>());

    [Fact]
    public void Netting_delivered_units_gives_262_minus_56_minus_132_equals_74()
    {
        Assert.Equal(262, Strategy2021.CumulativeTargetDue(2025));
        var netted = TargetCalculator.Compute(Strategy2021, 2025, Pipeline, Basis(true, PipelineStatuses.ReasonableConfidence));
        Assert.Equal(56, netted.DeliveredToDate);
        Assert.Equal(132, netted.PipelineCounted);
        Assert.True(netted.DeliveredNetted);
        Assert.Equal(74, netted.RemainingRequirement);
        Assert.Contains("262 units due by the end of 2025/26 - 56 already delivered - 132 in the pipeline (pipeline at reasonable_confidence or firmer, in full, due by then) = 74", netted.Statement);

        var report = TargetCalculator.Compute(Strategy2021, 2025, Pipeline, Basis(false, PipelineStatuses.ReasonableConfidence));
        Assert.Equal(130, report.RemainingRequirement);
        Assert.False(report.DeliveredNetted);
        Assert.Contains("the 56 units already delivered are not netted", report.Statement);
        Assert.Contains("NOT netted", Basis(false, PipelineStatuses.ReasonableConfidence).Description);
        Assert.Contains("are netted from its requirement", Basis(true, PipelineStatuses.ReasonableConfidence).Description);
    }

    [Fact]
    public void Probability_weighted_basis_counts_units_times_probability()
    {
        var r = TargetCalculator.Compute(Strategy2021, 2025, Pipeline, Basis(true, null));
        Assert.Equal(132 * 0.6 + 41 * 0.35, r.PipelineCounted, 9);
        Assert.Equal(262 - 56 - 132 * 0.6 - 41 * 0.35, r.RemainingRequirement, 9);
        Assert.Contains("reasonable_confidence 0.6", Basis(true, null).Description);
    }

    [Fact]
    public void Projection_compares_with_the_strategy_version_and_says_so()
    {
        var b = TestData.Small() with { Pipeline = Pipeline, Strategies = [Strategy2021] };
        var levers = new ScenarioLevers { NetDeliveredUnits = true, PipelineMinStatus = PipelineStatuses.ReasonableConfidence };
        var r = TestData.Project(b, levers, new ProjectionPeriod(2025, 2030));
        Assert.Equal("sl-2021", r.StrategyId);
        Assert.Equal(1, r.StrategyVersion);
        var t2025 = r.Targets.Single(t => t.Fy == 2025);
        Assert.Equal(74, t2025.RemainingRequirement, 9);
        Assert.Equal("Phase 2", t2025.Phase);
        Assert.Equal(r.ShortfallAt(2025).Shortfall, t2025.DemandShortfall, 9);
        var t2030 = r.Targets.Single(t => t.Fy == 2030);
        Assert.Equal(551 - 56 - 173 + 41, t2030.RemainingRequirement, 9);
        // The pipeline component of the demand-based supply uses the same basis: 132 in full, 41 in discussion not at all.
        Assert.Equal(132, r.SupplyComponent(2025, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
    }
}
