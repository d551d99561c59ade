using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>Levers that used to be ignored or misapplied: each now applies as named, or is refused or warned about.</summary>
[Trait("Category", "integration")]
public class LeverDefectTests
{
    private static double Arrivals(ProjectionResult r, int fy, string group, int cohort) => r.Flow(fy, group, FlowNames.Arrivals(cohort));

    [Fact]
    public void A_cohort_multiplier_of_zero_means_no_young_people_and_stored_scenarios_keep_it()
    {
        var b = TestData.Small();
        // Y1 (0.5, ld_autism) turns 18 in June 2026, Y3 (1.0, complex_needs) in January 2027: both in 2026/27.
        var baseline = TestData.Project(b, ScenarioLevers.Baseline);
        Assert.Equal(1.5, Arrivals(baseline, 2026, ClientGroups.All, WaitingCohorts.Transitions), 9);

        var zero = new ScenarioLevers { TransitionsCohortMultiplier = 0 };
        var r = TestData.Project(b, zero);
        Assert.Equal(0, Arrivals(r, 2026, ClientGroups.All, WaitingCohorts.Transitions), 9);
        Assert.Contains(r.Warnings, w => w.StartsWith("transitions_cohort_multiplier is 0"));

        var stored = ScenarioJson.ReadStoredLevers(ScenarioJson.Serialize(zero), out _);
        Assert.Equal(0.0, stored.TransitionsCohortMultiplier);
        Assert.Equal(1.0, ScenarioJson.ReadStoredLevers("{}", out _).EffectiveCohortMultiplier);
    }

    [Fact]
    public void Levers_on_delivered_or_failed_schemes_are_refused_at_creation_and_warned_at_run_time()
    {
        var b = TestData.Small(); // PB failed, PD delivered
        var levers = new ScenarioLevers
        {
            Slippage = [new SchemeSlippage("PD", 6), new SchemeSlippage("PB", 6)],
            SchemeOverrides = [new SchemeOverride("Done Place", Units: 5), new SchemeOverride("PB", Units: 12)],
            CancelledSchemes = ["PD"],
        };
        var errors = ScenarioValidator.StatusConflicts(levers, b);
        Assert.Equal(["slippage[0].pipeline_id", "slippage[1].pipeline_id", "scheme_overrides[0].pipeline_id", "scheme_overrides[1].pipeline_id", "cancelled_schemes[0]"],
            errors.Select(e => e.Field));
        Assert.Contains("'PD' is delivered", errors[0].Reason);
        Assert.Contains("'PB' has failed", errors[1].Reason);

        // Reviving the failed scheme makes slipping it meaningful.
        var revived = new ScenarioLevers { Slippage = [new SchemeSlippage("PB", 6)], SchemeOverrides = [new SchemeOverride("PB", Status: PipelineStatuses.Confirmed)] };
        Assert.Empty(ScenarioValidator.StatusConflicts(revived, b));

        var prepared = TestData.Prepare(b, new ScenarioLevers { Slippage = [new SchemeSlippage("PD", 6)] });
        Assert.Contains(prepared.Warnings, w => w.StartsWith("levers.slippage[0].pipeline_id: scheme 'PD' is delivered"));
    }

    private static PlanningBaseline TwoGroups() => TestData.Small() with
    {
        StepDownCandidates = new Dictionary<string, int> { [ClientGroups.LdAutism] = 1, [ClientGroups.MentalHealth] = 5 },
        ResidentialMovesPerYear = new Dictionary<string, double> { [ClientGroups.LdAutism] = 2, [ClientGroups.MentalHealth] = 1 },
    };

    [Fact]
    public void Setting_the_moves_to_the_observed_total_reproduces_the_baseline_and_splits_by_candidates_without_observed_moves()
    {
        var b = TwoGroups();
        var baseline = TestData.Project(b, ScenarioLevers.Baseline);
        var observed = TestData.Project(b, new ScenarioLevers { ResidentialToSlMovesPerYear = 3 });
        foreach (var group in new[] { ClientGroups.LdAutism, ClientGroups.MentalHealth })
            Assert.Equal(Arrivals(baseline, 2026, group, WaitingCohorts.StepDown), Arrivals(observed, 2026, group, WaitingCohorts.StepDown), 9);
        Assert.Equal(2, Arrivals(observed, 2026, ClientGroups.LdAutism, WaitingCohorts.StepDown), 9);

        // No observed moves: 6 a year split 1:5 by the candidates.
        var none = b with { ResidentialMovesPerYear = new Dictionary<string, double>() };
        var r = TestData.Project(none, new ScenarioLevers { ResidentialToSlMovesPerYear = 6 });
        Assert.Equal(1, Arrivals(r, 2026, ClientGroups.LdAutism, WaitingCohorts.StepDown), 9);
        Assert.Equal(5, Arrivals(r, 2026, ClientGroups.MentalHealth, WaitingCohorts.StepDown), 9);
    }

    [Fact]
    public void Direct_payments_change_the_share_from_todays_and_leave_explicit_moves_alone()
    {
        // Today 20% of ld_autism need is met by direct payments; +0.10 makes it 30%: need for units x 0.7 / 0.8 = 0.875.
        var b = TestData.Small() with { DirectPaymentShare = new Dictionary<string, double> { [ClientGroups.LdAutism] = 0.2 } };
        var baseline = TestData.Project(b, ScenarioLevers.Baseline);
        var dp = TestData.Project(b, new ScenarioLevers { DirectPaymentShareChange = 0.1 });
        Assert.Equal(0.875 * baseline.Flow(2026, ClientGroups.LdAutism, FlowNames.NeedArising), dp.Flow(2026, ClientGroups.LdAutism, FlowNames.NeedArising), 9);
        // mental_health has no direct payments today (s0 = 0): x 0.9.
        Assert.Equal(0.9 * baseline.Flow(2026, ClientGroups.MentalHealth, FlowNames.NeedArising), dp.Flow(2026, ClientGroups.MentalHealth, FlowNames.NeedArising), 9);
        // The observed pace of moves is need arising on its own (scaled); 30 moves set by the lever stay 30.
        Assert.Equal(0.875 * 2, Arrivals(dp, 2026, ClientGroups.LdAutism, WaitingCohorts.StepDown), 9);
        var moves = TestData.Project(b, new ScenarioLevers { DirectPaymentShareChange = 0.1, ResidentialToSlMovesPerYear = 30 });
        Assert.Equal(30, Arrivals(moves, 2026, ClientGroups.All, WaitingCohorts.StepDown), 9);

        var errors = ScenarioValidator.Validate(new ScenarioLevers { DirectPaymentShareChange = -0.3 }, b, TestData.ThreeYears);
        // 0.2 - 0.3 and, for the groups without direct payments today, 0 - 0.3 are below 0.
        Assert.Equal(ClientGroups.Known.Count, errors.Count);
        Assert.All(errors, e => Assert.Equal("direct_payment_share_change", e.Field));
        Assert.Contains(errors, e => e.Reason.StartsWith("ld_autism: today's share met by direct payments is 0.2, so a change of -0.3 gives -0.1"));
    }

    [Fact]
    public void The_loader_takes_todays_direct_payment_share_from_services_of_the_groups_age_against_people_housed()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn); // housed on 31 March 2025: 1 in ld_autism (Oak Court), 1 in mental_health (Far House)
        TestStore.Exec(conn, """
            INSERT INTO services VALUES
              ('E00000001', 'D1', 'Q1', 'direct_payment', '2024-01-01', NULL, NULL, 300, 'direct_payment', 'learning_disability', '25-64', NULL, NULL),
              ('E00000001', 'D2', 'Q1', 'direct_payment', '2024-06-01', NULL, NULL, 200, 'direct_payment', 'learning_disability', '25-64', NULL, NULL),
              ('E00000001', 'D3', 'Q2', 'direct_payment', '2023-01-01', NULL, NULL, 300, 'direct_payment', 'autism', '18-24', NULL, NULL),
              ('E00000001', 'D4', 'Q3', 'direct_payment', '2023-01-01', NULL, NULL, 300, 'direct_payment', 'learning_disability', '25-64', NULL, NULL),
              ('E00000001', 'D5', 'Q4', 'direct_payment', '2023-01-01', '2025-03-31', NULL, 300, 'direct_payment', 'learning_disability', '25-64', NULL, NULL),
              ('E00000001', 'D6', 'Q5', 'direct_payment', '2023-01-01', NULL, NULL, 300, 'direct_payment', 'learning_disability', '65-74', NULL, NULL),
              ('E00000001', 'D7', 'Q6', 'direct_payment', '2023-01-01', NULL, NULL, 300, 'direct_payment', 'mental_health', '18-24', NULL, NULL),
              ('E00000001', 'D8', 'Q7', 'direct_payment', '2023-01-01', NULL, NULL, 300, 'direct_payment', 'memory_and_cognition', '85+', NULL, NULL),
              ('E00000001', 'D9', 'Q8', 'home_care', '2023-01-01', NULL, 5, 300, 'direct_payment', 'mental_health', '25-64', NULL, NULL)
            """);
        var b = new Forecasting.Store.Planning.PlanningDataLoader(conn).Load(TestStore.Council, TestData.AsOf);
        // ld_autism: Q1 (two services, one person), Q2, Q3 = 3 (Q4 ended on the as-of date, Q5 is 65+) against 1 housed.
        Assert.Equal(3.0 / 4, b.DirectPaymentShareOf(ClientGroups.LdAutism), 9);
        Assert.Equal(1.0 / 2, b.DirectPaymentShareOf(ClientGroups.MentalHealth), 9); // Q6; Q8's home care is not a direct-payment service
        Assert.Equal(1.0, b.DirectPaymentShareOf(ClientGroups.OlderDementia), 9);    // Q7, nobody housed
        Assert.Equal(0, b.DirectPaymentShareOf(ClientGroups.ComplexNeeds));
    }

    [Fact]
    public void A_mid_year_as_of_date_labels_the_first_year_as_partial()
    {
        Assert.Equal((6, "2025/26 from October 2025"), (PlanningResult.MonthsCovered(new(2025, 9, 30), 2025), PlanningResult.YearLabel(new(2025, 9, 30), 2025)));
        // 15 October: the last complete month is September, so flows run from October.
        Assert.Equal("2025/26 from October 2025", PlanningResult.YearLabel(new(2025, 10, 15), 2025));
        Assert.Equal((12, "2026/27"), (PlanningResult.MonthsCovered(new(2025, 9, 30), 2026), PlanningResult.YearLabel(new(2025, 9, 30), 2026)));
        Assert.Equal((12, "2025/26"), (PlanningResult.MonthsCovered(new(2025, 3, 31), 2025), PlanningResult.YearLabel(new(2025, 3, 31), 2025)));
    }
}

/// <summary>What members read: the sum of the groups' gaps with surpluses beside it, and the target basis apart from the simulation.</summary>
[Trait("Category", "unit")]
public class MembersReadTests
{
    private static readonly StrategyVersion Strategy2021 = new("sl-2021", 1, "Supported living strategy", 2021, 2030, null,
        new DateTimeOffset(2021, 3, 16, 10, 0, 0, TimeSpan.Zero), "R. Okafor", "Initial strategy",
        [new StrategyPhase("Phase 1", 2021, 2021, 196), new StrategyPhase("Phase 2", 2022, 2025, 66), new StrategyPhase("Phase 3", 2026, 2030, 289)]);

    // 56 delivered, 36 confirmed and 132 at reasonable confidence due in 2025/26.
    private static readonly PipelineScheme[] Pipeline =
    [
        new("D1", "A", 12, "supported_living", ClientGroups.LdAutism, true, new(2021, 11, 1), null, PipelineStatuses.Delivered),
        new("D2", "B", 16, "supported_living", ClientGroups.MentalHealth, true, new(2022, 9, 5), null, PipelineStatuses.Delivered),
        new("D3", "C", 28, "supported_living", ClientGroups.LdAutism, true, new(2024, 2, 1), null, PipelineStatuses.Delivered),
        new("CF", "D", 36, "supported_living", ClientGroups.LdAutism, true, new(2025, 8, 1), null, PipelineStatuses.Confirmed),
        new("RC", "E", 132, "supported_living", ClientGroups.LdAutism, true, new(2025, 9, 1), null, PipelineStatuses.ReasonableConfidence),
    ];

    [Fact]
    public void The_target_basis_is_its_own_lever_and_leaves_the_simulation_unchanged()
    {
        var b = TestData.Small() with { Pipeline = Pipeline, Strategies = [Strategy2021] };
        var period = new ProjectionPeriod(2025, 2027);
        var simulation = TestData.Project(b, new ScenarioLevers { NetDeliveredUnits = true }, period);
        var counted = TestData.Project(b, new ScenarioLevers { NetDeliveredUnits = true, TargetPipelineMinStatus = PipelineStatuses.ReasonableConfidence }, period);

        Assert.Equal(simulation.Shortfall.Select(s => s.Shortfall), counted.Shortfall.Select(s => s.Shortfall));
        var weighted = simulation.Targets.Single(t => t.Fy == 2025 && t.ClientGroup == ClientGroups.All);
        Assert.Equal(36 * 0.95 + 132 * 0.6, weighted.PipelineCounted, 9);
        var target = counted.Targets.Single(t => t.Fy == 2025 && t.ClientGroup == ClientGroups.All);
        // 262 due - 56 delivered - (36 + 132) at reasonable confidence or firmer = 38.
        Assert.Equal((262.0, 56.0, 168.0, 38.0), (target.CumulativeTargetDue, target.DeliveredToDate, target.PipelineCounted, target.RemainingRequirement));
        Assert.Contains("pipeline at reasonable_confidence or firmer, in full", target.Statement);
        Assert.Contains("this is the target arithmetic only", counted.Basis.Description);

        // Both levers at once: the target's own threshold wins over the simulation's.
        var basis = CountingBasis.Create(TestData.AsOf,
            new ScenarioLevers { NetDeliveredUnits = true, PipelineMinStatus = PipelineStatuses.Confirmed, TargetPipelineMinStatus = PipelineStatuses.ReasonableConfidence },
            new Dictionary<string, double>());
        Assert.Equal(262 - 56 - 168, TargetCalculator.Compute(Strategy2021, 2025, Pipeline, basis).RemainingRequirement, 9);
        Assert.Equal(0, basis.PipelineWeight(PipelineStatuses.ReasonableConfidence));
    }

    [Fact]
    public void A_scheme_for_a_group_in_surplus_moves_the_net_figure_but_not_the_sum_of_gaps()
    {
        // mental_health: 8 units and 2 waiting + 8 housed - the closing Elm House (2026/27) puts it short later; in
        // 2025/26 it is in balance or surplus, ld_autism short. 20 extra mental_health units make a surplus only.
        var b = TestData.Small();
        var period = new ProjectionPeriod(2025, 2025);
        var baseline = Result(b, ScenarioLevers.Baseline, period);
        var extra = Result(b, new ScenarioLevers
        {
            NewSchemes = [new NewScheme("More", 20, "supported_living", ClientGroups.MentalHealth, new(2025, 4, 30))],
        }, period);
        var mhBefore = baseline.Projection.ShortfallAt(2025, ClientGroups.MentalHealth).Shortfall;
        var ldBefore = baseline.Projection.ShortfallAt(2025, ClientGroups.LdAutism).Shortfall;
        Assert.True(ldBefore > 0);

        var all = ScenarioComparer.Compare(baseline, [extra]).Rows.Single(r => r.ScenarioName == "extra" && r.ClientGroup == ClientGroups.All);
        var mhAfter = extra.Projection.ShortfallAt(2025, ClientGroups.MentalHealth).Shortfall;
        Assert.True(mhAfter < 0);
        // Net falls by the whole change of mental_health; the sum of gaps only by the part of it that was a gap.
        Assert.Equal(mhAfter - mhBefore, all.DeltaVsBaseline, 9);
        Assert.Equal(-Math.Max(0, mhBefore), all.SumOfGroupGapsDeltaVsBaseline, 9);
        Assert.Equal(-mhAfter + Math.Max(0, -extra.Projection.ShortfallAt(2025, ClientGroups.PhysicalSensory).Shortfall)
                                + Math.Max(0, -extra.Projection.ShortfallAt(2025, ClientGroups.OlderDementia).Shortfall)
                                + Math.Max(0, -extra.Projection.ShortfallAt(2025, ClientGroups.ComplexNeeds).Shortfall),
            all.SumOfGroupSurpluses, 9);
        var year = extra.Years().Single(y => y.ClientGroup == ClientGroups.All);
        Assert.Equal(all.SumOfGroupSurpluses, year.SumOfGroupSurpluses, 9);
        Assert.Equal(year.SumOfGroupGaps - year.SumOfGroupSurpluses, year.ShortfallCumulative, 9);
    }

    private static PlanningResult Result(PlanningBaseline b, ScenarioLevers levers, ProjectionPeriod period) => new()
    {
        ResultId = "r",
        CouncilCode = b.CouncilCode,
        ScenarioName = levers.SameAs(ScenarioLevers.Baseline) ? "baseline" : "extra",
        Levers = levers,
        ForecastRunId = "f",
        AsOf = b.AsOf,
        Seed = 1,
        Draws = 0,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Projection = TestData.Project(b, levers, period),
    };
}
