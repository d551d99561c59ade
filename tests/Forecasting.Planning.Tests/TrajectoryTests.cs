using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

[Trait("Category", "unit")]
public class TrajectoryTests
{
    private static readonly DateTimeOffset At = new(2025, 4, 1, 9, 0, 0, TimeSpan.Zero);

    // Phases as in Domain/docs/planning-model.md ("Strategies and targets"): 196 in 2021/22, 66 over 2022/23-2025/26, 289 over 2026/27-2030/31.
    private static StrategyVersion Phased(string? group = null) => new("sl", 1, "Strategy", 2021, 2030, group, At, "a", "initial",
        [new StrategyPhase("Phase 1", 2021, 2021, 196), new StrategyPhase("Phase 2", 2022, 2025, 66), new StrategyPhase("Phase 3", 2026, 2030, 289)]);

    // ld_autism annual targets 10, 20, 30 and mental_health 30 over the whole period 2025/26-2027/28 (10 a year); 90 in all.
    private static StrategyVersion Grouped() => new("grp", 1, "Group strategy", 2025, 2027, null, At, "a", "per group",
        [new StrategyPhase("Whole", 2025, 2027, 90)])
    {
        Targets =
        [
            new StrategyTarget(ClientGroups.LdAutism, 2025, 10), new StrategyTarget(ClientGroups.LdAutism, 2026, 20),
            new StrategyTarget(ClientGroups.LdAutism, 2027, 30), new StrategyTarget(ClientGroups.MentalHealth, null, 30),
        ],
    };

    private static CountingBasis Basis(bool net, string? minStatus, DateOnly? asOf = null) =>
        CountingBasis.Create(asOf ?? new DateOnly(2025, 3, 31), new ScenarioLevers { NetDeliveredUnits = net, PipelineMinStatus = minStatus },
            new Dictionary<string, double>());

    [Fact]
    public void A_phase_target_accrues_in_a_straight_line_per_financial_year()
    {
        // 66 units over 2022/23-2026/27 (5 years): 13.2 a year.
        var v = new StrategyVersion("s", 1, "S", 2022, 2026, null, At, "a", "r", [new StrategyPhase("P", 2022, 2026, 66)]);
        Assert.Equal([0, 13.2, 26.4, 39.6, 52.8, 66, 66], Enumerable.Range(2021, 7).Select(fy => Math.Round(v.CumulativeTargetDue(fy), 9)));
        Assert.Equal(13.2, v.TargetInYear(ClientGroups.All, 2024), 9);

        // 196 in 2021/22, then 66 / 4 = 16.5 a year, then 289 / 5 = 57.8 a year.
        var p = Phased();
        Assert.Equal([196, 212.5, 229, 245.5, 262, 319.8, 377.6, 435.4, 493.2, 551],
            Enumerable.Range(2021, 10).Select(fy => Math.Round(p.CumulativeTargetDue(fy), 9)));
        Assert.Equal(196, p.PhaseTargetsEnded(2024));
        Assert.Equal(262, p.PhaseTargetsEnded(2025));
    }

    [Fact]
    public void Annual_targets_are_used_as_given_and_whole_period_group_targets_accrue()
    {
        var v = Grouped();
        Assert.Equal([10, 30, 60], new[] { 2025, 2026, 2027 }.Select(fy => v.CumulativeTargetDue(ClientGroups.LdAutism, fy)));
        Assert.Equal([10, 20, 30], new[] { 2025, 2026, 2027 }.Select(fy => Math.Round(v.CumulativeTargetDue(ClientGroups.MentalHealth, fy), 9)));
        Assert.Equal([20, 50, 90], new[] { 2025, 2026, 2027 }.Select(fy => Math.Round(v.CumulativeTargetDue(fy), 9)));
        Assert.Equal(0, v.CumulativeTargetDue(ClientGroups.OlderDementia, 2027));
        Assert.Equal(90, v.TotalTarget);
        Assert.Equal([ClientGroups.LdAutism, ClientGroups.MentalHealth], v.TargetGroups);

        // Annual targets for all groups replace the phase trajectory: 40 + 0 + 50.
        var annual = new StrategyVersion("a", 1, "A", 2025, 2027, null, At, "a", "r", [])
        {
            Targets = [new StrategyTarget(ClientGroups.All, 2025, 40), new StrategyTarget(ClientGroups.All, 2027, 50)],
        };
        Assert.Equal([40, 40, 90], new[] { 2025, 2026, 2027 }.Select(fy => annual.CumulativeTargetDue(fy)));
        Assert.Empty(annual.TargetGroups);
    }

    [Fact]
    public void Target_validation_names_the_field()
    {
        var errors = StrategyVersion.Check("S", 2025, 2027, null, [new StrategyPhase("P", 2025, 2027, 50)],
        [
            new StrategyTarget(ClientGroups.LdAutism, 2025, 10), new StrategyTarget(ClientGroups.LdAutism, 2025, 5),
            new StrategyTarget("x", 2026, 10), new StrategyTarget(ClientGroups.MentalHealth, 2031, -1),
            new StrategyTarget(ClientGroups.All, 2026, 1),
        ]);
        Assert.Contains(errors, e => e.Field == "targets[1]" && e.Reason.Contains("duplicate"));
        Assert.Contains(errors, e => e.Field == "targets[2].client_group" && e.Reason == "unknown client group 'x'");
        Assert.Contains(errors, e => e.Field == "targets[3].fy" && e.Reason.Contains("outside the strategy period"));
        Assert.Contains(errors, e => e.Field == "targets[3].unit_target");
        Assert.Contains(errors, e => e.Field == "targets" && e.Reason.Contains("not both"));
        Assert.Contains(errors, e => e.Field == "targets" && e.Reason == "targets total 25 units but the phases total 50");

        var single = StrategyVersion.Check("S", 2025, 2027, ClientGroups.LdAutism, [],
            [new StrategyTarget(ClientGroups.MentalHealth, null, 10), new StrategyTarget(ClientGroups.LdAutism, null, 5), new StrategyTarget(ClientGroups.LdAutism, 2026, 5)]);
        Assert.Contains(single, e => e.Field == "targets[0].client_group" && e.Reason.Contains("covers ld_autism only"));
        Assert.Contains(single, e => e.Field == "targets[2].fy" && e.Reason.Contains("both annual targets and a target for the whole period"));
        Assert.Empty(StrategyVersion.Check("S", 2025, 2027, null, [], Grouped().Targets));
        Assert.Contains(StrategyVersion.Check("S", 2025, 2027, null, [], []), e => e.Field == "phases");
    }

    [Fact]
    public void Still_to_find_is_never_negative_and_the_excess_is_a_surplus()
    {
        // 100 units over 2024/25-2028/29: 20 a year. 30 delivered in June 2024, 25 at reasonable confidence due September 2025.
        var v = new StrategyVersion("s", 1, "Five-year plan", 2024, 2028, null, At, "a", "r", [new StrategyPhase("P", 2024, 2028, 100)]);
        PipelineScheme[] pipeline =
        [
            new("D", "Delivered", 30, "supported_living", ClientGroups.LdAutism, true, new(2024, 6, 1), null, PipelineStatuses.Delivered),
            new("R", "Reasonable", 25, "supported_living", ClientGroups.LdAutism, true, new(2025, 9, 1), null, PipelineStatuses.ReasonableConfidence),
        ];
        var basis = Basis(true, PipelineStatuses.ReasonableConfidence);
        // 2024/25: 20 - 30 - 0 = -10; 2025/26: 40 - 30 - 25 = -15; 2026/27: 60 - 55 = 5.
        var r2024 = TargetCalculator.Compute(v, 2024, pipeline, basis);
        Assert.Equal((20.0, 0.0, 10.0), (r2024.CumulativeTargetDue, r2024.RemainingRequirement, r2024.Surplus));
        var r2025 = TargetCalculator.Compute(v, 2025, pipeline, basis);
        Assert.Equal((40.0, 25.0, 0.0, 15.0), (r2025.CumulativeTargetDue, r2025.PipelineCounted, r2025.RemainingRequirement, r2025.Surplus));
        Assert.Equal("Five-year plan v1: 40 units due by the end of 2025/26 - 30 already delivered - 25 in the pipeline " +
                     "(pipeline at reasonable_confidence or firmer, in full, due by then) = surplus of 15, nothing still to find.", r2025.Statement);
        var r2026 = TargetCalculator.Compute(v, 2026, pipeline, basis);
        Assert.Equal((60.0, 5.0, 0.0), (r2026.CumulativeTargetDue, r2026.RemainingRequirement, r2026.Surplus));
        Assert.Contains("= 5 still to find.", r2026.Statement);
        Assert.Equal(20, r2026.TargetInYear, 9);
        Assert.Equal(0, r2026.PhaseTargetsEnded);

        // Not netted: 40 - 25 = 15 still to find.
        var report = TargetCalculator.Compute(v, 2025, pipeline, Basis(false, PipelineStatuses.ReasonableConfidence));
        Assert.Equal((15.0, 0.0), (report.RemainingRequirement, report.Surplus));
    }

    [Fact]
    public void Leicester_check_keeps_its_numbers_with_the_trajectory()
    {
        // Phase 2 ends in 2025/26, so the trajectory there is the whole 262; a year earlier 196 + 3 x 16.5 = 245.5.
        var v = Phased();
        PipelineScheme[] pipeline =
        [
            new("D1", "A", 12, "supported_living", ClientGroups.LdAutism, true, new(2021, 11, 1), null, PipelineStatuses.Delivered),
            new("D2", "B", 16, "supported_living", ClientGroups.MentalHealth, true, new(2022, 9, 5), null, PipelineStatuses.Delivered),
            new("D3", "C", 28, "supported_living", ClientGroups.LdAutism, true, new(2024, 2, 1), null, PipelineStatuses.Delivered),
            new("RC", "D", 132, "supported_living", ClientGroups.LdAutism, true, new(2025, 9, 1), null, PipelineStatuses.ReasonableConfidence),
        ];
        var netted = TargetCalculator.Compute(v, 2025, pipeline, Basis(true, PipelineStatuses.ReasonableConfidence));
        Assert.Equal((262.0, 56.0, 132.0, 74.0, 0.0), (netted.CumulativeTargetDue, netted.DeliveredToDate, netted.PipelineCounted, netted.RemainingRequirement, netted.Surplus));
        var early = TargetCalculator.Compute(v, 2024, pipeline, Basis(true, PipelineStatuses.ReasonableConfidence));
        // 245.5 - 56 - 0 (the 132 are due in 2025/26) = 189.5.
        Assert.Equal(189.5, early.RemainingRequirement, 9);
    }

    [Fact]
    public void Group_targets_give_rows_per_group_and_all_and_every_year_row_shows_its_target()
    {
        // Small() pipeline: PA 6 ld_autism confirmed June 2026, PC 4 mental_health in discussion October 2025, PB failed,
        // PD delivered June 2024 (before the strategy). Counted in full at in_discussion or firmer.
        var b = TestData.Small() with { Strategies = [Grouped()] };
        var r = TestData.Project(b, new ScenarioLevers { NetDeliveredUnits = true, PipelineMinStatus = PipelineStatuses.InDiscussion });
        Assert.Equal(9, r.Targets.Count);
        Assert.Equal([ClientGroups.All, ClientGroups.LdAutism, ClientGroups.MentalHealth], r.Targets.Select(t => t.ClientGroup).Distinct());
        (double Due, double Counted, double Remaining)[] Of(string g) =>
            r.Targets.Where(t => t.ClientGroup == g).OrderBy(t => t.Fy)
                .Select(t => (Math.Round(t.CumulativeTargetDue, 9), t.PipelineCounted, Math.Round(t.RemainingRequirement, 9))).ToArray();
        // ld_autism: due 10, 30, 60; pipeline 0, 6, 6; still to find 10, 24, 54.
        Assert.Equal([(10, 0, 10), (30, 6, 24), (60, 6, 54)], Of(ClientGroups.LdAutism));
        // mental_health: due 10, 20, 30; pipeline 4 from 2025/26; still to find 6, 16, 26.
        Assert.Equal([(10, 4, 6), (20, 4, 16), (30, 4, 26)], Of(ClientGroups.MentalHealth));
        // all: the sums: due 20, 50, 90; pipeline 4, 10, 10; still to find 16, 40, 80.
        Assert.Equal([(20, 4, 16), (50, 10, 40), (90, 10, 80)], Of(ClientGroups.All));
        Assert.All(r.Targets, t => Assert.Equal(0, t.DeliveredToDate));
        Assert.Contains("Group strategy v1, mental_health: 20 units due by the end of 2026/27", r.Targets.Single(t => t.ClientGroup == ClientGroups.MentalHealth && t.Fy == 2026).Statement);

        var years = Result(r).Years();
        double? Target(string g, int fy) => years.Single(y => y.ClientGroup == g && y.Fy == fy).TargetCumulative;
        Assert.Equal(30, Target(ClientGroups.LdAutism, 2026));
        Assert.Equal(20, Target(ClientGroups.MentalHealth, 2026)!.Value, 9);
        Assert.Equal(50, Target(ClientGroups.All, 2026)!.Value, 9);
        Assert.Null(Target(ClientGroups.OlderDementia, 2026));
    }

    [Fact]
    public void Group_targets_of_groups_not_reported_are_left_out_of_the_rows_and_of_all()
    {
        var b = TestData.Small() with { Strategies = [Grouped()] };
        var r = TestData.Project(b, new ScenarioLevers { PipelineMinStatus = PipelineStatuses.InDiscussion, ClientGroups = [ClientGroups.MentalHealth] });
        Assert.Equal([ClientGroups.All, ClientGroups.MentalHealth], r.Targets.Select(t => t.ClientGroup).Distinct());
        Assert.Equal([10, 20, 30], r.Targets.Where(t => t.ClientGroup == ClientGroups.All).Select(t => Math.Round(t.CumulativeTargetDue, 9)));
    }

    [Fact]
    public void A_single_group_strategy_has_rows_for_all_and_its_group()
    {
        // ld_autism only, 90 over 2025/26-2027/28 (30 a year); ld_autism pipeline: PA 6 confirmed June 2026.
        var v = new StrategyVersion("ld", 1, "LD strategy", 2025, 2027, ClientGroups.LdAutism, At, "a", "r", [new StrategyPhase("P", 2025, 2027, 90)]);
        var b = TestData.Small() with { Strategies = [v] };
        var r = TestData.Project(b, new ScenarioLevers { PipelineMinStatus = PipelineStatuses.Confirmed });
        foreach (var g in new[] { ClientGroups.All, ClientGroups.LdAutism })
            Assert.Equal([(30.0, 30.0), (60.0, 54.0), (90.0, 84.0)],
                r.Targets.Where(t => t.ClientGroup == g).OrderBy(t => t.Fy).Select(t => (Math.Round(t.CumulativeTargetDue, 9), Math.Round(t.RemainingRequirement, 9))));
        var years = Result(r).Years();
        Assert.Equal(60, years.Single(y => y.ClientGroup == ClientGroups.LdAutism && y.Fy == 2026).TargetCumulative!.Value, 9);
        Assert.Equal(60, years.Single(y => y.ClientGroup == ClientGroups.All && y.Fy == 2026).TargetCumulative!.Value, 9);
    }

    [Fact]
    public void Rows_stored_before_groups_were_recorded_belong_to_the_strategy_group()
    {
        var b = TestData.Small() with { Strategies = [Phased()] };
        var r = TestData.Project(b, ScenarioLevers.Baseline);
        var old = r with { Targets = r.Targets.Select(t => t with { ClientGroup = null }).ToList() };
        var years = Result(old).Years();
        Assert.Equal(262, years.Single(y => y.ClientGroup == ClientGroups.All && y.Fy == 2025).TargetCumulative);
        Assert.Null(years.Single(y => y.ClientGroup == ClientGroups.LdAutism && y.Fy == 2025).TargetCumulative);
    }

    private static PlanningResult Result(ProjectionResult p) => new()
    {
        ResultId = "r", CouncilCode = "E1", ScenarioName = "test", Levers = ScenarioLevers.Baseline, ForecastRunId = "f",
        AsOf = TestData.AsOf, Seed = 1, Draws = 0, CreatedAt = At, Projection = p,
    };
}
