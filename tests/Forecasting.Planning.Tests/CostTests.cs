using System.Globalization;
using Forecasting.Store.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>The cost arithmetic by hand, costs out of the stock-flow model, and weekly costs from the services table.</summary>
[Trait("Category", "integration")]
public class CostTests
{
    private static readonly DateOnly AsOf = new(2025, 3, 31);

    [Fact]
    public void A_year_costs_person_weeks_times_weekly_cost_times_the_uplift_and_waiting_is_never_free()
    {
        // 100 weeks supported living at 1,500, 10 extra care at 800, 5 Shared Lives at 450, 8 out of area at 2,000;
        // waiting: 30 weeks on the list at home (home care 200), 4 in step-down (residential 1,000), 2 inpatient (4,000);
        // 20 weeks housed of people from residential care; uplift 1.1, discount 0.9.
        var weekly = new Dictionary<string, double>
        {
            ["supported_living"] = 1500, ["extra_care"] = 800, ["shared_lives"] = 450, ["out_of_area"] = 2000, ["home_care"] = 200,
            ["residential"] = 1000, ["inpatient"] = 4000,
        };
        var w = new PersonWeeks(2026, "ld_autism", 100, 10, 5, 20)
        {
            HousedOutOfArea = 8,
            Waiting = new Dictionary<string, double> { ["waiting_list"] = 30, ["residential_step_down"] = 4, ["inpatient"] = 2 },
        };
        var row = CostCalculator.Row(w, s => weekly[s], 1.1, 0.9, previousCumulative: 50_000, previousPresentValue: 40_000);
        Assert.Equal(165_000, row.SupportedLivingCost, 6);
        Assert.Equal(8_800, row.ExtraCareCost, 6);
        Assert.Equal(2_475, row.SharedLivesCost, 6);
        Assert.Equal(17_600, row.OutOfAreaCost, 6);
        Assert.Equal(193_875, row.PlacementsCost, 6);
        // 30 x 200 x 1.1 + 4 x 1,000 x 1.1 + 2 x 4,000 x 1.1 = 6,600 + 4,400 + 8,800.
        Assert.Equal(19_800, row.WaitingCost, 6);
        Assert.Equal(8_800, row.Waiting.Single(x => x.Cohort == "inpatient").Cost, 6);
        Assert.Equal("home_care", row.Waiting.Single(x => x.Cohort == "waiting_list").Setting);
        // The residential care the council pays anyway: (20 housed + 4 waiting) x 1,000 x 1.1.
        Assert.Equal(26_400, row.AvoidedResidentialCost, 6);
        Assert.Equal(193_875 + 19_800 - 26_400, row.NetCost, 6);
        Assert.Equal(50_000 + 187_275, row.NetCostCumulative, 6);
        Assert.Equal(187_275 * 0.9, row.PresentValue, 6);
        Assert.Equal(40_000 + 187_275 * 0.9, row.PresentValueCumulative, 6);
        // Per setting for the budget lines: step-down waiting and the counterfactual cancel on residential.
        Assert.Equal(4_400 - 26_400, row.BySetting["residential"], 6);
        Assert.Equal(row.NetCost, row.BySetting.Values.Sum(), 6);
    }

    [Fact]
    public void The_uplift_compounds_and_the_discount_divides_from_the_price_year()
    {
        Assert.Equal(1.0, CostCalculator.UpliftFactor(3, 0));
        Assert.Equal(1.03, CostCalculator.UpliftFactor(3, 1), 12);
        Assert.Equal(1.0609, CostCalculator.UpliftFactor(3, 2), 12);
        Assert.Equal(1.092727, CostCalculator.UpliftFactor(3, 3), 12);
        Assert.Equal(1 / 1.035, CostCalculator.DiscountFactor(3.5, 1), 12);
        Assert.Equal(1 / (1.035 * 1.035), CostCalculator.DiscountFactor(3.5, 2), 12);

        // As of 31 March 2025 prices are 2024/25's: 2025/26 is uplifted (and discounted) once, 2026/27 twice.
        var b = new PlanningBaseline { CouncilCode = "E06000001", AsOf = AsOf };
        var weekly = CostCalculator.Resolve(b, new ScenarioLevers { WeeklyCosts = new() { ["supported_living"] = 1000, ["residential"] = 800 } });
        var warnings = new List<string>();
        var costs = CostCalculator.Compute(
            [new PersonWeeks(2025, "ld_autism", 52, 0, 0, 10), new PersonWeeks(2026, "ld_autism", 52, 0, 0, 10), new PersonWeeks(2025, "mental_health", 10, 0, 0, 0),
             new PersonWeeks(2026, "mental_health", 10, 0, 0, 0)],
            weekly, 3, 3.5, AsOf, [new BudgetLine(2025, "supported_living", 100_000, null, null), new BudgetLine(2025, "day_care", 5_000, null, null)], warnings)!;
        Assert.Empty(warnings);
        Assert.Equal(2024, costs.PriceFy);
        var ld1 = costs.At(2025, "ld_autism")!;
        var ld2 = costs.At(2026, "ld_autism")!;
        Assert.Equal(52 * 1000 * 1.03, ld1.PlacementsCost, 6);
        Assert.Equal(10 * 800 * 1.03, ld1.AvoidedResidentialCost, 6);
        Assert.Equal((52 * 1000 - 10 * 800) * 1.0609, ld2.NetCost, 6);
        Assert.Equal(ld2.NetCost / (1.035 * 1.035), ld2.PresentValue, 6);
        Assert.Equal(ld1.NetCost + ld2.NetCost, ld2.NetCostCumulative, 6);
        // "all" is the sum of the groups, and net = placements + waiting - avoided in every row.
        var all2 = costs.At(2026)!;
        Assert.Equal(ld2.NetCost + 10 * 1000 * 1.0609, all2.NetCost, 6);
        Assert.Equal(costs.Rows.Where(r => r.ClientGroup != ClientGroups.All).Sum(r => r.NetCost), costs.At(2026)!.NetCostCumulative, 6);
        Assert.All(costs.Rows, r => Assert.Equal(r.PlacementsCost + r.WaitingCost - r.AvoidedResidentialCost, r.NetCost, 6));
        Assert.Equal(CostSources.Lever, costs.WeeklyCosts.Single(c => c.Setting == "supported_living" && c.ClientGroup == "all").Source);
        Assert.Equal(CostSources.Missing, costs.WeeklyCosts.Single(c => c.Setting == "extra_care" && c.ClientGroup == "all").Source);
        // The budget line of supported living in 2025/26: both groups' supported-living cost; no line for day care's budget.
        var line = Assert.Single(costs.Budgets);
        Assert.Equal(("supported_living", 62 * 1000 * 1.03), (line.ServiceLine, line.ModelledCost));
        Assert.Equal(62 * 1000 * 1.03 / 100_000, line.Share, 9);
    }

    [Fact]
    public void Weekly_costs_per_group_fall_back_to_all_groups_below_ten_services_and_assumptions_and_levers_win()
    {
        var b = new PlanningBaseline
        {
            CouncilCode = "E06000001",
            AsOf = AsOf,
            Costs = new CostData(
            [
                new("supported_living", "all", null, 1300, 60), new("supported_living", "ld_autism", null, 1400, 40),
                new("supported_living", "physical_sensory", null, 900, 9), new("home_care", "all", null, 150, 500),
                new("inpatient", "all", null, 9_999, 3),
            ],
            [
                new("inpatient", "all", 3850, "stated", new(2024, 4, 1)), new("inpatient", "all", 3000, "older", new(2020, 4, 1)),
                new("inpatient", "all", 5000, "not yet in force", new(2025, 4, 1)), new("temporary_accommodation", "mental_health", 500, "stated", new(2024, 4, 1)),
            ], []),
        };
        var costs = CostCalculator.Resolve(b, new ScenarioLevers { WeeklyCosts = new() { ["home_care.older_dementia"] = 210 } });
        double? W(string s, string g) => CostCalculator.Weekly(costs, s, g);
        Assert.Equal(1400, W("supported_living", "ld_autism"));          // 40 services: the group's own median
        Assert.Equal(1300, W("supported_living", "physical_sensory"));   // 9 services: fewer than 10, all groups
        Assert.Contains("physical_sensory has 9, fewer than 10", costs.Single(c => c is { Setting: "supported_living", ClientGroup: "physical_sensory" }).Description);
        Assert.Equal(1300, W("supported_living", "complex_needs"));
        Assert.Equal(3850, W("inpatient", "ld_autism"));                  // the assumption in force on the as-of date beats the data
        Assert.Equal(500, W("temporary_accommodation", "mental_health"));
        Assert.Null(W("temporary_accommodation", "ld_autism"));
        Assert.Equal(210, W("home_care", "older_dementia"));             // a lever for one group
        Assert.Equal(150, W("home_care", "ld_autism"));
        Assert.Equal(1300, W("out_of_area", "complex_needs"));            // the stated rule: as in-area supported living
        Assert.Equal(CostSources.Rule, costs.Single(c => c is { Setting: "out_of_area", ClientGroup: "complex_needs" }).Source);
        Assert.Equal(210, W("displaced", "older_dementia"));             // displaced need as home care
    }

    private static readonly ScenarioLevers Priced = new()
    {
        WeeklyCosts = new()
        {
            ["supported_living"] = 1200, ["supported_living.mental_health"] = 1100, ["extra_care"] = 500, ["residential"] = 900, ["shared_lives"] = 450,
            ["home_care"] = 150, ["inpatient"] = 3000, ["temporary_accommodation"] = 400, ["out_of_area"] = 1600, ["displaced"] = 250,
        },
        CostUpliftPct = 2, SharedLivesPlacementsPerYear = 2, ResidentialToSlMovesPerYear = 4,
    };

    [Fact]
    public void The_per_draw_cost_weights_give_the_headline_arithmetic_on_the_zero_variance_path()
    {
        // Two routes to a year's net cost: the simulation's per-draw weights on every quantity of the path, and CostCalculator.Row
        // on the person-weeks. With zero variance the one draw is the headline, so its range must collapse onto the row.
        var outcome = ShortfallSimulator.Run(TestData.Prepare(TestData.Small(), Priced), new SimulationOptions(Draws: 1, ZeroVariance: true));
        var costs = outcome.Projection.Costs!;
        var measures = outcome.Summary.Measures.Where(m => m.Measure == Measures.NetCost).ToList();
        Assert.Equal(costs.Rows.Count, measures.Count);
        foreach (var m in measures)
        {
            var row = costs.At(m.Fy, m.ClientGroup)!;
            Assert.Equal(row.NetCost, m.P10, Math.Max(1e-3, 1e-6 * Math.Abs(row.NetCost)));
            Assert.Equal(row.NetCost, m.P90, Math.Max(1e-3, 1e-6 * Math.Abs(row.NetCost)));
        }
        // The path has people waiting in several places and housed out of area, so every part of the weights is exercised.
        var ld = costs.Rows.Where(r => r.ClientGroup == ClientGroups.LdAutism).ToList();
        Assert.All(ld, r => Assert.True(r.Weeks.HousedOutOfArea > 0 && r.WaitingCost > 0));
        Assert.Contains(costs.Rows.SelectMany(r => r.Waiting), w => w is { Cohort: "inpatient", Cost: > 0 });
        Assert.Contains(costs.Rows.SelectMany(r => r.Waiting), w => w is { Cohort: "residential_step_down", Weeks: > 0 });
    }

    [Fact]
    public void The_headline_net_cost_is_the_mean_of_two_draws()
    {
        // Type-7 P10 and P90 of two values lie 0.1 and 0.9 of the way between them: their midpoint is the mean of the two draws.
        var outcome = ShortfallSimulator.Run(TestData.Prepare(TestData.Small(), Priced, sd: 0.5), new SimulationOptions(Draws: 2, Seed: 3));
        var costs = outcome.Projection.Costs!;
        var spread = 0.0;
        foreach (var m in outcome.Summary.Measures.Where(m => m.Measure == Measures.NetCost))
        {
            var row = costs.At(m.Fy, m.ClientGroup)!;
            Assert.Equal(row.NetCost, (m.P10 + m.P90) / 2, Math.Max(1e-2, 1e-6 * Math.Abs(row.NetCost)));
            spread = Math.Max(spread, m.P90 - m.P10);
        }
        Assert.True(spread > 0, "the two draws are the same path");
    }

    [Fact]
    public void Costs_are_not_computed_when_a_weekly_cost_needed_is_missing()
    {
        var result = TestData.Project(TestData.Small(), ScenarioLevers.Baseline);
        Assert.Null(result.Costs);
        Assert.Contains(result.Warnings, w => w.StartsWith("no services data for this council", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith("costs not computed: no weekly cost for ", StringComparison.Ordinal) && w.Contains("supported_living (ld_autism)"));

        // Levers provide them; a setting with no person-weeks (extra care here) needs no cost.
        var levers = new ScenarioLevers
        {
            WeeklyCosts = new()
            {
                ["supported_living"] = 1200, ["residential"] = 900, ["shared_lives"] = 450, ["home_care"] = 150, ["inpatient"] = 3000,
                ["temporary_accommodation"] = 400,
            },
        };
        var priced = TestData.Project(TestData.Small(), levers);
        Assert.NotNull(priced.Costs);
        Assert.All(priced.Costs!.Rows, r => Assert.Equal(0, r.Weeks.ExtraCare));
    }

    /// <summary>
    /// One client group, 1,000 free units, no need arising and no exits: every person moved from residential care is
    /// housed in the month they arrive, so with 12 moves a year, m + 1 people (from residential care) are housed at the
    /// end of month m and the month's person-weeks are (m + m + 1) / 2 x days / 7.
    /// </summary>
    [Fact]
    public void Residential_placements_avoided_by_moving_twelve_people_a_year()
    {
        var b = new PlanningBaseline
        {
            CouncilCode = "E06000001",
            AsOf = AsOf,
            Schemes = [new SchemeStock("S1", "Oak Court", "supported_living", ClientGroups.LdAutism, true, new(2010, 1, 1), null, 0, 0, 0, 1000)],
            StepDownCandidates = new Dictionary<string, int> { [ClientGroups.LdAutism] = 20 },
            NeedArising = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(0) },
            WeeklyCosts = new Dictionary<string, WeeklyCostObservation>
            {
                ["supported_living"] = new("supported_living", 1400, 7), ["residential"] = new("residential", 1000, 5),
            },
            ServiceEpisodes = 12,
        };
        var levers = new ScenarioLevers { ResidentialToSlMovesPerYear = 12, CostUpliftPct = 2 };
        var p = TestData.Project(b, levers, new ProjectionPeriod(2025, 2026));
        var costs = p.Costs!;

        double Weeks(int firstPeople, int year)
        {
            var total = 0.0;
            for (var i = 0; i < 12; i++)
            {
                var month = new DateOnly(2025 + year, 4, 1).AddMonths(i);
                total += (firstPeople + i + 0.5) * DateTime.DaysInMonth(month.Year, month.Month) / 7.0;
            }
            return total;
        }
        var y1 = costs.At(2025, ClientGroups.LdAutism)!;
        var y2 = costs.At(2026, ClientGroups.LdAutism)!;
        Assert.Equal(Weeks(0, 0), y1.Weeks.AvoidedResidential, 6);
        Assert.Equal(Weeks(12, 1), y2.Weeks.AvoidedResidential, 6);
        Assert.Equal(y1.Weeks.AvoidedResidential, y1.Weeks.SupportedLiving, 6);
        Assert.Equal(Weeks(0, 0) * 1000 * 1.02, y1.AvoidedResidentialCost, 4);
        Assert.Equal(Weeks(12, 1) * 1000 * 1.02 * 1.02, y2.AvoidedResidentialCost, 4);
        Assert.Equal(Weeks(12, 1) * (1400 - 1000) * 1.0404, y2.NetCost, 4);
        Assert.Equal(y1.NetCost + y2.NetCost, costs.At(2026)!.NetCostCumulative, 4);
        Assert.Contains("median of 7 open supported_living services on 2025-03-31", costs.Description);

        // Diverting half of 24 residential admissions a year is the same flow of people.
        var diverted = TestData.Project(b with { ResidentialAdmissionsPerYear = new Dictionary<string, double> { [ClientGroups.LdAutism] = 24 } },
            new ScenarioLevers { AdmissionDiversionPct = 50, ResidentialToSlMovesPerYear = 0 }, new ProjectionPeriod(2025, 2026));
        Assert.Equal(Weeks(0, 0), diverted.Costs!.At(2025)!.Weeks.AvoidedResidential, 6);
    }

    [Fact]
    public void Person_weeks_in_extra_care_follow_the_extra_care_share_of_the_units()
    {
        var b = new PlanningBaseline
        {
            CouncilCode = "E06000001",
            AsOf = AsOf,
            Schemes =
            [
                new SchemeStock("S1", "Oak Court", "supported_living", ClientGroups.OlderDementia, true, new(2010, 1, 1), null, 30, 0, 0, 0),
                new SchemeStock("S2", "Ash Court", "extra_care", ClientGroups.OlderDementia, true, new(2010, 1, 1), null, 10, 0, 0, 0),
            ],
            WeeklyCosts = new Dictionary<string, WeeklyCostObservation>
            {
                ["supported_living"] = new("supported_living", 1400, 7), ["extra_care"] = new("extra_care", 600, 3),
            },
            ServiceEpisodes = 10,
        };
        var y = TestData.Project(b, ScenarioLevers.Baseline, new ProjectionPeriod(2025, 2025)).Costs!.At(2025, ClientGroups.OlderDementia)!;
        // 40 people housed all year (no exits, no arrivals), a quarter of the units extra care.
        Assert.Equal(40 * 365 / 7.0, y.Weeks.SupportedLiving + y.Weeks.ExtraCare, 6);
        Assert.Equal(10 * 365 / 7.0, y.Weeks.ExtraCare, 6);
        Assert.Equal(30 * 365 / 7.0 * 1400 + 10 * 365 / 7.0 * 600, y.PlacementsCost, 4);
    }

    [Fact]
    public void Weekly_cost_levers_are_validated()
    {
        var errors = ScenarioValidator.Validate(
            new ScenarioLevers
            {
                WeeklyCosts = new() { ["hotel"] = 10, ["residential"] = -1, ["inpatient.aliens"] = 10, ["home_care.ld_autism"] = 300 }, CostUpliftPct = 80,
                DiscountRatePct = 25,
            }, TestData.Small(), TestData.ThreeYears);
        Assert.Contains(errors, e => e.Field == "weekly_costs.hotel" && e.Reason.StartsWith("unknown setting", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "weekly_costs.inpatient.aliens" && e.Reason == "unknown client group 'aliens'");
        Assert.DoesNotContain(errors, e => e.Field == "weekly_costs.home_care.ld_autism");
        Assert.Contains(errors, e => e.Field == "discount_rate_pct");
        Assert.Contains(errors, e => e.Field == "weekly_costs.residential");
        Assert.Contains(errors, e => e.Field == "cost_uplift_pct");
    }

    private sealed record Service(string Council, string Id, string Type, string Start, string? End, double WeeklyCost);

    [Fact]
    public void The_loader_takes_the_median_weekly_cost_of_the_services_open_on_the_as_of_date()
    {
        Service[] services =
        [
            new("E00000001", "V1", "supported_living", "2020-01-01", null, 1000),
            new("E00000001", "V2", "supported_living", "2024-05-01", null, 1700),
            new("E00000001", "V3", "supported_living", "2023-01-01", "2025-04-01", 1200),
            new("E00000001", "V4", "supported_living", "2025-03-31", null, 1500),
            new("E00000001", "V5", "supported_living", "2022-01-01", "2025-03-31", 9_000),   // ended: the day before end_date is its last
            new("E00000001", "V6", "supported_living", "2025-04-01", null, 9_000),           // starts after the as-of date
            new("E00000002", "V7", "supported_living", "2020-01-01", null, 9_000),           // another council
            new("E00000001", "V8", "residential", "2019-01-01", null, 800),
            new("E00000001", "V9", "residential", "2021-01-01", null, 1100),
            new("E00000001", "V10", "residential", "2022-01-01", null, 900),
            new("E00000001", "V11", "nursing", "2022-01-01", null, 1300),
            new("E00000001", "V12", "home_care", "2022-01-01", null, 300),
        ];
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        var rows = string.Join(",\n", services.Select(s =>
            $"('{s.Council}', '{s.Id}', 'P{s.Id}', '{s.Type}', '{s.Start}', {(s.End is null ? "NULL" : $"'{s.End}'")}, " +
            $"{(s.Type == "home_care" ? "10" : "NULL")}, {s.WeeklyCost.ToString(CultureInfo.InvariantCulture)}, 'council_managed', NULL, '25-64', NULL, NULL)"));
        TestStore.Exec(conn, "INSERT INTO services VALUES " + rows);

        var b = new PlanningDataLoader(conn).Load(TestStore.Council, AsOf);

        // Expected, from the list: open on the as-of date = started by it and not ended by it.
        var asOf = AsOf.ToString("yyyy-MM-dd");
        foreach (var setting in CostSettings.Known)
        {
            var open = services.Where(s => s.Council == TestStore.Council && s.Type == setting && string.CompareOrdinal(s.Start, asOf) <= 0
                                           && (s.End is null || string.CompareOrdinal(s.End, asOf) > 0))
                .Select(s => s.WeeklyCost).Order().ToArray();
            if (open.Length == 0) { Assert.False(b.WeeklyCosts.ContainsKey(setting)); continue; }
            var median = open.Length % 2 == 1 ? open[open.Length / 2] : (open[open.Length / 2 - 1] + open[open.Length / 2]) / 2;
            Assert.Equal(median, b.WeeklyCosts[setting].MedianWeeklyCost, 6);
            Assert.Equal(open.Length, b.WeeklyCosts[setting].Services);
        }
        Assert.Equal(1350, b.WeeklyCosts["supported_living"].MedianWeeklyCost, 6);   // 1000, 1200, 1500, 1700
        Assert.Equal(900, b.WeeklyCosts["residential"].MedianWeeklyCost, 6);
        Assert.Equal(11, b.ServiceEpisodes);

        // A council without services data: no weekly costs, and the run says so.
        using var empty = TestStore.Open();
        TestStore.Seed(empty);
        var none = new PlanningDataLoader(empty).Load(TestStore.Council, AsOf);
        Assert.Empty(none.WeeklyCosts);
        Assert.Equal(0, none.ServiceEpisodes);
    }
}
