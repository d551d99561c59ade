using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>
/// The stock-flow model on hand-computed cases (zero-variance path). <see cref="One"/> is one client group with
/// 10 people housed in 10 units (no voids), 4 waiting, need arising 1 a month, exit rate 0.5/10 = 0.05 and
/// waiting-list removal rate 0.2/4 = 0.05 a month. Each month: W + 1 arrive, 0.5 leave their tenancy, 0.05 (W + 1)
/// leave the list, and the 0.5 freed units are let: W' = 0.95 W + 0.45, so W_n = 9 - 5 x 0.95^n and H stays 10.
/// </summary>
[Trait("Category", "unit")]
public class PlanningModelTests
{
    private static readonly ScenarioLevers None = ScenarioLevers.Baseline;
    private static readonly double Q12 = Math.Pow(0.95, 12);

    private static PlanningBaseline One() => new()
    {
        CouncilCode = "E06000001",
        AsOf = TestData.AsOf,
        Schemes = [new SchemeStock("S1", "Oak Court", "supported_living", ClientGroups.LdAutism, true, new(2010, 1, 1), null, 10, 0, 0, 0)],
        WaitingList = new Dictionary<string, int> { [ClientGroups.LdAutism] = 4 },
        NeedArising = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(1) },
        TenancyEnds = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(0.5) },
        HousedAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(10) },
        WaitingRemovals = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(0.2) },
        WaitingAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(4) },
    };

    [Fact]
    public void Waiting_list_housing_exits_and_removals_match_the_hand_computed_recursion()
    {
        var r = TestData.Project(One(), None);
        const string ld = ClientGroups.LdAutism;
        for (var k = 0; k < 3; k++)
        {
            var n = 12 * (k + 1);
            var waiting = 9 - 5 * Math.Pow(0.95, n);
            // People removed from the list (no deaths here) stay in demand as displaced need: the sum of 0.05 (W_i + 1)
            // over i < n, and nobody houses them while the list is never empty.
            var displaced = 0.05 * (10 * n - 5 * (1 - Math.Pow(0.95, n)) / 0.05);
            Assert.Equal(waiting, r.DemandComponent(2025 + k, ld, DemandComponents.WaitingList), 9);
            Assert.Equal(displaced, r.DemandComponent(2025 + k, ld, DemandComponents.DisplacedNeed), 9);
            Assert.Equal(10, r.DemandComponent(2025 + k, ld, DemandComponents.HousedInArea), 9);
            Assert.Equal(10 + waiting + displaced, r.ShortfallAt(2025 + k, ld).Demand, 9);
            Assert.Equal(10, r.ShortfallAt(2025 + k, ld).Supply, 9);
            Assert.Equal(waiting + displaced, r.ShortfallAt(2025 + k, ld).Shortfall, 9);
        }
        Assert.Equal(12, r.Flow(2025, ld, FlowNames.NeedArising), 9);
        Assert.Equal(6, r.Flow(2025, ld, FlowNames.Lettings), 9);
        Assert.Equal(6, r.Flow(2025, ld, FlowNames.Exits), 9);
        // sum over n = 0..11 of 0.05 (W_n + 1) = 0.05 (120 - 5 (1 - 0.95^12) / 0.05)
        Assert.Equal(6 - 5 * (1 - Q12), r.Flow(2025, ld, FlowNames.WaitingRemovals), 9);
        Assert.Equal(0, r.Flow(2025, ld, FlowNames.DeathsWaiting), 9);

        // Removals move inside demand: opening 14 + arrivals 12 - exits 6 = 20.
        var demand = r.Reconciliation.Single(x => x.Fy == 2025 && x.ClientGroup == ld && x.Stock == Stocks.Demand);
        Assert.Equal(14, demand.Opening, 9);
        Assert.Equal(12, demand.Inflows, 9);
        Assert.Equal(20, demand.Closing, 9);
        Assert.Equal(0, demand.Residual, 9);
        Assert.Equal("zero-variance path", r.Headline);

        // Not counting displaced need: removals leave demand as before (19 - 5 x 0.95^12 at the year end).
        var evaporating = TestData.Project(One(), None with { CountDisplacedNeed = false });
        Assert.Equal(19 - 5 * Q12, evaporating.ShortfallAt(2025, ld).Demand, 9);
        Assert.Equal(0, evaporating.DemandComponent(2025, ld, DemandComponents.DisplacedNeed), 9);
    }

    [Fact]
    public void Units_that_come_free_limit_housing_and_a_new_scheme_is_let_from_its_month()
    {
        // A confirmed 6-unit scheme in September 2025 counts 6 x 0.95 = 5.7 units from month 5 (April = 0).
        var b = One() with { Pipeline = [new PipelineScheme("PA", "Birch View", 6, "supported_living", ClientGroups.LdAutism, true, new(2025, 9, 30), null, PipelineStatuses.Confirmed)] };
        var r = TestData.Project(b, None);
        var (housed, waiting, lettings) = Reference(b, months: 12, pipeline: m => m >= 5 ? 5.7 : 0);
        Assert.Equal(housed, r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.HousedInArea), 9);
        Assert.Equal(waiting, r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.WaitingList), 9);
        Assert.Equal(lettings, r.Flow(2025, ClientGroups.LdAutism, FlowNames.Lettings), 9);
        Assert.Equal(5.7, r.SupplyComponent(2025, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
        Assert.Equal(15.7, r.ShortfallAt(2025, ClientGroups.LdAutism).Supply, 9);
        // From September more people are housed than the 10 units of the as-of date.
        Assert.True(housed > 10);
    }

    /// <summary>A second implementation of the documented monthly rules for <see cref="One"/> (one group, zero variance).</summary>
    private static (double Housed, double Waiting, double Lettings) Reference(PlanningBaseline b, int months, Func<int, double> pipeline,
        double stepDownPerMonth = 0, double sharedLivesPerMonth = 0)
    {
        double h = 10, w = 4, s = 0, displaced = 0, lettings = 0;
        for (var m = 0; m < months; m++)
        {
            w += 1;
            s += stepDownPerMonth;
            h -= 0.05 * h;
            // Removals from the list become displaced need, housed only when nobody else waits.
            displaced += 0.05 * w;
            w -= 0.05 * w;
            var total = w + s;
            var placed = Math.Min(sharedLivesPerMonth, total);
            if (total > 0) { w *= 1 - placed / total; s *= 1 - placed / total; total -= placed; }
            var let = Math.Min(Math.Max(0, 10 + pipeline(m) - h), total + displaced);
            var fromCohorts = Math.Min(let, total);
            if (total > 0) { w *= 1 - fromCohorts / total; s *= 1 - fromCohorts / total; }
            displaced -= let - fromCohorts;
            h += let;
            lettings += let;
        }
        return (h, w + s, lettings);
    }

    [Fact]
    public void Step_down_moves_and_shared_lives_follow_the_documented_rules()
    {
        var b = One() with
        {
            StepDownCandidates = new Dictionary<string, int> { [ClientGroups.LdAutism] = 6, [ClientGroups.MentalHealth] = 2 },
            ResidentialMovesPerYear = new Dictionary<string, double>(),
        };
        // 8 moves a year for the council; no observed moves, so split by candidates: 6/8 to ld_autism = 6 a year, 0.5 a month.
        var r = TestData.Project(b, None with { ResidentialToSlMovesPerYear = 8, SharedLivesPlacementsPerYear = 3 });
        Assert.Equal(6, r.Flow(2025, ClientGroups.LdAutism, FlowNames.Arrivals(WaitingCohorts.StepDown)), 9);
        Assert.Equal(2, r.Flow(2025, ClientGroups.MentalHealth, FlowNames.Arrivals(WaitingCohorts.StepDown)), 9);
        // Shared Lives: 3 a year, all to ld_autism (the only group on the waiting list).
        Assert.Equal(3, r.Flow(2025, ClientGroups.LdAutism, FlowNames.SharedLives), 9);
        var (housed, waiting, lettings) = Reference(b, 12, _ => 0, stepDownPerMonth: 0.5, sharedLivesPerMonth: 0.25);
        Assert.Equal(housed, r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.HousedInArea), 9);
        Assert.Equal(waiting, r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.WaitingList)
                              + r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.StepDown), 9);
        Assert.Equal(lettings, r.Flow(2025, ClientGroups.LdAutism, FlowNames.Lettings), 9);
        // Mental health has no units: its step-down arrivals wait, 2 a year.
        Assert.Equal(2, r.DemandComponent(2025, ClientGroups.MentalHealth, DemandComponents.StepDown), 9);
        Assert.Equal(6, r.DemandComponent(2027, ClientGroups.MentalHealth, DemandComponents.StepDown), 9);
    }

    [Fact]
    public void Cohorts_arrive_when_they_need_a_unit_and_direct_payments_scale_new_arrivals_only()
    {
        var b = One() with
        {
            Schemes = [],
            WaitingList = new Dictionary<string, int> { [ClientGroups.LdAutism] = 4, [ClientGroups.MentalHealth] = 1 },
            ResidentialAdmissionsPerYear = new Dictionary<string, double> { [ClientGroups.LdAutism] = 10 },
            Transitions =
            [
                new TransitionPerson("Y1", new(2008, 6, 1), "learning_disability", "supported_living", false, 0.5), // 18 in June 2026
                new TransitionPerson("Y2", new(2007, 5, 1), "autism", "family_home", false, 0.9),               // not supported living
                new TransitionPerson("Y3", new(2009, 1, 10), "pmld", "supported_living", true, 1.0),            // 18 in January 2027
            ],
            AccommodationNeeds =
            [
                new AccommodationNeed("inpatient", ClientGroups.MentalHealth, new(2025, 1, 1), 1),                // overdue: waiting now
                new AccommodationNeed("temporary_accommodation", ClientGroups.LdAutism, new(2027, 6, 1), 2),
            ],
            TenancyEnds = new Dictionary<string, MonthlySeries>(),
            WaitingRemovals = new Dictionary<string, MonthlySeries>(),
        };
        var r = TestData.Project(b, None with { AdmissionDiversionPct = 20 });
        // No units, no exits, no removals: everyone who arrives waits.
        Assert.Equal(4 + 12, r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.WaitingList), 9);
        Assert.Equal(2, r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.AdmissionDiversion), 9);
        Assert.Equal(6, r.DemandComponent(2027, ClientGroups.LdAutism, DemandComponents.AdmissionDiversion), 9);
        Assert.Equal(0, r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.Transitions), 9);
        Assert.Equal(0.5, r.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.Transitions), 9);
        Assert.Equal(1, r.DemandComponent(2026, ClientGroups.ComplexNeeds, DemandComponents.Transitions), 9);
        Assert.Equal(0, r.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.TemporaryAccommodation), 9);
        Assert.Equal(2, r.DemandComponent(2027, ClientGroups.LdAutism, DemandComponents.TemporaryAccommodation), 9);
        Assert.Equal(1, r.DemandComponent(2025, ClientGroups.MentalHealth, DemandComponents.Inpatient), 9);
        var opening = r.Reconciliation.Single(x => x.Fy == 2025 && x.ClientGroup == ClientGroups.MentalHealth && x.Stock == Stocks.Waiting);
        Assert.Equal(2, opening.Opening, 9);

        // 10% more of new need met by direct payments: arrivals after the as-of date x 0.9; people waiting today unchanged.
        var dp = TestData.Project(b, None with { AdmissionDiversionPct = 20, DirectPaymentShareChange = 0.1 });
        Assert.Equal(4 + 12 * 0.9, dp.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.WaitingList), 9);
        Assert.Equal(0.5 * 0.9, dp.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.Transitions), 9);
        Assert.Equal(2 * 0.9, dp.DemandComponent(2027, ClientGroups.LdAutism, DemandComponents.TemporaryAccommodation), 9);
        Assert.Equal(1, dp.DemandComponent(2025, ClientGroups.MentalHealth, DemandComponents.Inpatient), 9);
    }

    [Fact]
    public void Population_and_extra_growth_scale_need_arising_through_the_driver()
    {
        var points = new List<PopulationPoint>();
        foreach (var (variant, growth) in new[] { ("principal", 0.0), ("high", 0.12) })
            for (var y = 2020; y <= 2035; y++)
                points.Add(new PopulationPoint(variant, "ONS SNPP", y, PopulationAgeGroup.WorkingAge, y <= 2024 ? 1000 : 1000 * (1 + growth * (y - 2024))));
        var b = One() with { Population = points };
        Assert.Equal(12, TestData.Project(b, None).Flow(2025, ClientGroups.LdAutism, FlowNames.NeedArising), 9);
        var high = TestData.Project(b, None with { PopulationVariant = "high" });
        // Mid-year interpolation: month h (April 2025 = 1) sits at 2025 + (h + 2.5)/12 - 0.5; the index is relative to March 2025.
        var expected = 0.0;
        var uBase = 2025 + (3 - 0.5) / 12.0 - 0.5;
        for (var h = 1; h <= 12; h++)
        {
            var u = 2025 + (h + 3 - 0.5) / 12.0 - 0.5;
            expected += (1 + 0.12 * (u - 2024)) / (1 + 0.12 * (uBase - 2024));
        }
        Assert.Equal(expected, high.Flow(2025, ClientGroups.LdAutism, FlowNames.NeedArising), 9);

        // 10% a year extra growth of the driver population, compounded monthly from the as-of date (elasticity 1).
        var extra = TestData.Project(One(), None with { ExtraPopulationGrowthPct = 10 });
        Assert.Equal(Enumerable.Range(1, 12).Sum(h => Math.Pow(1.1, h / 12.0)), extra.Flow(2025, ClientGroups.LdAutism, FlowNames.NeedArising), 9);

        // Older people and dementia follow the population aged 85 and over.
        Assert.Equal(PopulationAgeGroup.Aged85Plus, ClientGroups.DriverAgeGroup(ClientGroups.OlderDementia));
        Assert.Equal(PopulationAgeGroup.WorkingAge, ClientGroups.DriverAgeGroup(ClientGroups.MentalHealth));
    }

    [Fact]
    public void Out_of_area_tenants_are_demand_and_the_basis_says_so()
    {
        var r = TestData.Project(TestData.Small(), None);
        // 5 people out of area leave at the exit rate 0.05 a month and their units are let again to people waiting (the
        // behaviour today), so 5 stay housed out of area; the units are not counted as supply (the reporting choice).
        Assert.Equal(5, r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.HousedOutOfArea), 9);
        // When the council stops placing out of area, no one replaces them.
        var stopped = TestData.Project(TestData.Small(), None with { LetOutOfAreaUnits = false });
        Assert.Equal(5 * Q12, stopped.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.HousedOutOfArea), 9);
        Assert.False(r.Supply.Single(s => s.Fy == 2026 && s.ClientGroup == ClientGroups.LdAutism && s.Component == SupplyComponents.ExistingOutOfArea).Counted);
        Assert.Contains("The 5 people housed out of area on 2025-03-31 count as demand but their units do not count as supply", r.Basis.Description);
        var included = TestData.Project(TestData.Small(), None with { IncludeOutOfArea = true });
        Assert.Contains("count as demand and their units as supply", included.Basis.Description);
        // (12 + 5) units not offline; no void spells in the data, so units are let in the month they come free and the void
        // allowance is 0: 17 counted units.
        Assert.Equal(17.0, included.ShortfallAt(2025, ClientGroups.LdAutism).Supply, 9);
    }

    [Fact]
    public void Voids_are_turnover_and_a_void_target_only_lowers_a_groups_rate()
    {
        // Exit rate 0.05 a month; 60 void unit-months over 10 re-let spells = 6 months to re-let: the void allowance is
        // e T / (1 + e T) = 0.3 / 1.3 of the units, and the 2 void units of the as-of date are let only as they turn over.
        var b = TestData.Small() with
        {
            Turnover = new Dictionary<string, UnitTurnover> { [ClientGroups.LdAutism] = new(60, 10, 0, 0) },
        };
        var r = TestData.Project(b, None);
        Assert.Equal(0.3 / 1.3, r.Basis.VoidRates[ClientGroups.LdAutism], 9);
        Assert.Equal(12 * (1 - 0.3 / 1.3), r.ShortfallAt(2025, ClientGroups.LdAutism).Supply, 9);
        // A 10% target re-lets faster (T = 0.1 / (0.9 x 0.05) = 2.22 months); a 40% target leaves 23.1% alone, with a warning.
        var faster = TestData.Project(b, None with { VoidRate = 0.10 });
        Assert.Equal(0.10, faster.Basis.VoidRates[ClientGroups.LdAutism], 9);
        Assert.True(faster.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.HousedInArea)
                    > r.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.HousedInArea));
        var slower = TestData.Project(b, None with { VoidRate = 0.40 });
        Assert.Equal(0.3 / 1.3, slower.Basis.VoidRates[ClientGroups.LdAutism], 9);
        Assert.Contains(slower.Warnings, w => w.Contains("already below it and unchanged") && w.Contains(ClientGroups.LdAutism));
    }

    [Fact]
    public void People_are_matched_to_free_units_at_the_housing_rate_and_units_still_bind_when_short()
    {
        // One group: 20 units, 5 occupied, 15 free; 10 on the list; no exits, removals or need arising. The data had 1 new
        // tenancy a month over 4 people waiting a month: h = 0.25, so each month a share 1 - exp(-0.25) of those waiting
        // is housed and the list is 10 exp(-0.25 x 12) = 0.498 at the first year end, 9.502 let in the year.
        PlanningBaseline Council(int occupied, int free) => new()
        {
            CouncilCode = "E06000001",
            AsOf = TestData.AsOf,
            Schemes = [new SchemeStock("S1", "Oak Court", "supported_living", ClientGroups.LdAutism, true, new(2010, 1, 1), null, occupied, 0, 0, free)],
            WaitingList = new Dictionary<string, int> { [ClientGroups.LdAutism] = 10 },
            NewTenancies = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(1.0) },
            WaitingAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(4) },
            HousedAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(occupied) },
        };
        var slack = TestData.Project(Council(5, 15), None);
        Assert.Equal(10 * Math.Exp(-3), slack.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.WaitingList), 9);
        Assert.Equal(10 * (1 - Math.Exp(-3)), slack.Flow(2025, ClientGroups.LdAutism, FlowNames.Lettings), 9);
        // Two free units: 10 x (1 - exp(-0.25)) = 2.21 would be matched in the first month, so the units bind: 2 let, 8 wait.
        var short_ = TestData.Project(Council(18, 2), None);
        Assert.Equal(8.0, short_.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.WaitingList), 9);
        Assert.Equal(2.0, short_.Flow(2025, ClientGroups.LdAutism, FlowNames.Lettings), 9);
    }

    [Fact]
    public void Delivered_pipeline_is_never_counted_again()
    {
        var r = TestData.Project(TestData.Small(), None);
        Assert.Equal(0.0, r.SupplyComponent(2025, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
        Assert.Contains("already delivered by the as-of date are part of the existing units", r.Basis.Description);
    }

    [Fact]
    public void Scheme_overrides_change_status_probability_units_and_date()
    {
        var b = TestData.Small();
        var firmer = TestData.Project(b, None with { SchemeOverrides = [new SchemeOverride("PC", Status: PipelineStatuses.Confirmed, Units: 8)] });
        Assert.Equal(8 * 0.95, firmer.SupplyComponent(2025, ClientGroups.MentalHealth, SupplyComponents.Pipeline), 9);
        var probability = TestData.Project(b, None with { SchemeOverrides = [new SchemeOverride("Maple Rise", Probability: 0.5)] });
        Assert.Equal(2, probability.SupplyComponent(2025, ClientGroups.MentalHealth, SupplyComponents.Pipeline), 9);
        var later = TestData.Project(b, None with { SchemeOverrides = [new SchemeOverride("PC", ExpectedDate: new DateOnly(2026, 5, 1))] });
        Assert.Equal(0, later.SupplyComponent(2025, ClientGroups.MentalHealth, SupplyComponents.Pipeline), 9);
        Assert.Equal(4 * 0.35, later.SupplyComponent(2026, ClientGroups.MentalHealth, SupplyComponents.Pipeline), 9);
        var cancel = TestData.Project(b, None with { CancelledSchemes = ["PA"] });
        Assert.Equal(0.0, cancel.SupplyComponent(2026, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
        var slip = TestData.Project(b, None with { Slippage = [new SchemeSlippage("Birch View", 12)] });
        Assert.Equal(0.0, slip.SupplyComponent(2026, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
        Assert.Equal(5.7, slip.SupplyComponent(2027, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
    }

    [Fact]
    public void The_all_row_reports_the_net_shortfall_and_the_sum_of_group_gaps()
    {
        var r = TestData.Project(TestData.Small(), None);
        foreach (var fy in r.Period.FinancialYears)
        {
            var groups = r.Shortfall.Where(s => s.Fy == fy && s.ClientGroup != ClientGroups.All).ToList();
            var all = r.ShortfallAt(fy);
            Assert.Equal(groups.Sum(g => g.Shortfall), all.Shortfall, 9);
            Assert.Equal(groups.Sum(g => Math.Max(0, g.Shortfall)), all.SumOfGroupGaps, 9);
            Assert.Equal(groups.Sum(g => g.Demand), all.Demand, 9);
        }
    }

    [Fact]
    public void Client_groups_lever_restricts_rows_and_the_total()
    {
        var r = TestData.Project(TestData.Small(), None with { ClientGroups = [ClientGroups.MentalHealth] });
        Assert.DoesNotContain(r.Shortfall, s => s.ClientGroup == ClientGroups.LdAutism);
        Assert.Equal(r.ShortfallAt(2026, ClientGroups.MentalHealth).Shortfall, r.ShortfallAt(2026).Shortfall, 9);
    }

    [Fact]
    public void A_zero_probability_or_failed_scheme_changes_nothing()
    {
        var b = TestData.Small();
        var scheme = new NewScheme("maybe", 25, "extra_care", ClientGroups.OlderDementia, new(2026, 1, 1), "identified");
        var zero = None with { DeliveryProbability = new() { ["identified"] = 0 } };
        Assert.Equal(TestData.Project(b, zero).Shortfall, TestData.Project(b, zero with { NewSchemes = [scheme] }).Shortfall);
        var failed = None with { NewSchemes = [scheme with { Status = "failed" }] };
        Assert.Equal(TestData.Project(b, None).Shortfall, TestData.Project(b, failed).Shortfall);

        var s1 = ShortfallSimulator.Run(TestData.Prepare(b, None, sd: 1), new SimulationOptions(2000, Seed: 3));
        var s2 = ShortfallSimulator.Run(TestData.Prepare(b, failed, sd: 1), new SimulationOptions(2000, Seed: 3));
        Assert.Equal(s1.Summary.Rows, s2.Summary.Rows);
    }

    [Fact]
    public void Explicit_default_levers_reproduce_the_baseline()
    {
        var b = TestData.Small();
        var explicitDefaults = new ScenarioLevers
        {
            PopulationVariant = "principal",
            TransitionsCohortMultiplier = 1,
            DeliveryProbability = new(PipelineStatuses.DefaultProbabilities),
            Slippage = [new SchemeSlippage("PA", 0)],
            CancelledSchemes = [],
            SchemeOverrides = [new SchemeOverride("PA")],
        };
        Assert.Equal(TestData.Project(b, None).Shortfall, TestData.Project(b, explicitDefaults).Shortfall);
    }
}
