using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

// Hand-computed expectations for TestData.Small(), as-of 31 March 2025, years 2025/26-2027/28 (t = 1, 2, 3 years):
// ld_autism demand = housed 10 + housed out of area 5 + waiting 4 + step-down min(6, 2t) + transitions (Y1 0.5 from 2026)
//   + temporary accommodation (1 from 2027) + new starts 12t - exits 6t  => 27, 35.5, 44.5
// ld_autism supply = (12 available in area + 6 x 0.95 from 2026) x (1 - 2/12 observed void)   => 10, 14.75, 14.75
// mental_health demand = 8 + 2 + 1 = 11; supply = 8 (decommissioned in 2026/27) + 4 x 0.35 from 2025 => 9.4, 1.4, 1.4
// complex_needs demand = Y3 (pmld, 18 in Jan 2027) => 0, 1, 1; supply 0.
public class PlanningModelTests
{
    private static readonly ScenarioLevers None = ScenarioLevers.Baseline;

    [Fact]
    public void Baseline_matches_hand_computed_ld_autism()
    {
        var r = TestData.Project(TestData.Small(), None);
        var expectedDemand = new[] { 27.0, 35.5, 44.5 };
        var expectedSupply = new[] { 10.0, 14.75, 14.75 };
        for (var k = 0; k < 3; k++)
        {
            var row = r.ShortfallAt(2025 + k, ClientGroups.LdAutism);
            Assert.Equal(expectedDemand[k], row.Demand, 9);
            Assert.Equal(expectedSupply[k], row.Supply, 9);
            Assert.Equal(expectedDemand[k] - expectedSupply[k], row.Shortfall, 9);
        }
        Assert.Equal(17.0, r.ShortfallAt(2025, ClientGroups.LdAutism).InYear, 9);
        Assert.Equal(20.75 - 17.0, r.ShortfallAt(2026, ClientGroups.LdAutism).InYear, 9);
        Assert.Equal(4.0, r.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.StepDown), 9);
        Assert.Equal(0.5, r.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.Transitions), 9);
        Assert.Equal(24.0, r.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.NewStarts), 9);
        Assert.Equal(-12.0, r.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.Exits), 9);
        Assert.Equal(5.7, r.SupplyComponent(2026, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
        Assert.Equal(5.0, r.SupplyComponent(2026, ClientGroups.LdAutism, SupplyComponents.ExistingOutOfArea), 9);
        Assert.False(r.Supply.Single(s => s.Fy == 2026 && s.ClientGroup == ClientGroups.LdAutism && s.Component == SupplyComponents.ExistingOutOfArea).Counted);
    }

    [Fact]
    public void Baseline_matches_hand_computed_other_groups_and_total()
    {
        var r = TestData.Project(TestData.Small(), None);
        Assert.Equal(11 - 9.4, r.ShortfallAt(2025, ClientGroups.MentalHealth).Shortfall, 9);
        Assert.Equal(11 - 1.4, r.ShortfallAt(2026, ClientGroups.MentalHealth).Shortfall, 9);
        Assert.Equal(-8.0, r.SupplyComponent(2026, ClientGroups.MentalHealth, SupplyComponents.Decommissions), 9);
        Assert.Equal(0.0, r.ShortfallAt(2025, ClientGroups.ComplexNeeds).Shortfall, 9);
        Assert.Equal(1.0, r.ShortfallAt(2026, ClientGroups.ComplexNeeds).Shortfall, 9);
        Assert.Equal(17 + 1.6 + 0, r.ShortfallAt(2025).Shortfall, 9);
        Assert.Equal(29.75 + 9.6 + 1, r.ShortfallAt(2027).Shortfall, 9);
        Assert.Equal(r.Shortfall.Where(s => s.Fy == 2027 && s.ClientGroup != ClientGroups.All).Sum(s => s.Demand), r.ShortfallAt(2027).Demand, 9);
    }

    [Fact]
    public void Including_out_of_area_counts_those_units_and_their_voids()
    {
        var r = TestData.Project(TestData.Small(), None with { IncludeOutOfArea = true });
        // (12 + 5) available, void rate 2 / (15 + 2) => 15 effective units.
        Assert.Equal(15.0, r.ShortfallAt(2025, ClientGroups.LdAutism).Supply, 9);
        Assert.Equal(27 - 15.0, r.ShortfallAt(2025, ClientGroups.LdAutism).Shortfall, 9);
        Assert.Contains("in-area and out-of-area units", r.Basis.Description);
    }

    [Fact]
    public void Delivered_pipeline_before_as_of_is_not_counted_again()
    {
        var r = TestData.Project(TestData.Small(), None);
        Assert.Equal(0.0, r.SupplyComponent(2025, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
        Assert.Contains("already delivered by the as-of date are part of the existing units", r.Basis.Description);
    }

    [Fact]
    public void Levers_change_the_components_they_name()
    {
        var b = TestData.Small();
        var baseline = TestData.Project(b, None);

        var moves = TestData.Project(b, None with { ResidentialToSlMovesPerYear = 5 });
        Assert.Equal(new[] { 5.0, 6.0, 6.0 }, Enumerable.Range(2025, 3).Select(fy => moves.DemandComponent(fy, ClientGroups.LdAutism, DemandComponents.StepDown)));

        var divert = TestData.Project(b, None with { AdmissionDiversionPct = 20 });
        Assert.Equal(6.0, divert.DemandComponent(2027, ClientGroups.LdAutism, DemandComponents.AdmissionDiversion), 9);
        Assert.Equal(baseline.ShortfallAt(2027, ClientGroups.LdAutism).Shortfall + 6, divert.ShortfallAt(2027, ClientGroups.LdAutism).Shortfall, 9);

        var share = TestData.Project(b, None with { TransitionsSlShare = 0.5, TransitionsCohortMultiplier = 2 });
        // Y2 (autism, 18 in May 2025) 0.9 x 0.5 x 2 = 0.9 from 2025; Y1 0.5 x 0.5 x 2 = 0.5 from 2026.
        Assert.Equal(0.9, share.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.Transitions), 9);
        Assert.Equal(1.4, share.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.Transitions), 9);

        var cancel = TestData.Project(b, None with { CancelledSchemes = ["PA"] });
        Assert.Equal(0.0, cancel.SupplyComponent(2026, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);

        var slip = TestData.Project(b, None with { Slippage = [new SchemeSlippage("Birch View", 12)] });
        Assert.Equal(0.0, slip.SupplyComponent(2026, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);
        Assert.Equal(5.7, slip.SupplyComponent(2027, ClientGroups.LdAutism, SupplyComponents.Pipeline), 9);

        var voids = TestData.Project(b, None with { VoidRate = 0.0 });
        Assert.Equal(12.0, voids.ShortfallAt(2025, ClientGroups.LdAutism).Supply, 9);

        // Shared Lives: 3 a year split by the waiting list (ld 4/6, mh 2/6).
        var shared = TestData.Project(b, None with { SharedLivesPlacementsPerYear = 3 });
        Assert.Equal(-2.0 * 2, shared.DemandComponent(2026, ClientGroups.LdAutism, DemandComponents.SharedLives), 9);
        Assert.Equal(-1.0 * 2, shared.DemandComponent(2026, ClientGroups.MentalHealth, DemandComponents.SharedLives), 9);

        // Direct payments: 10% of new need (waiting 4 + step-down 2 + starts 12) in 2025/26.
        var dp = TestData.Project(b, None with { DirectPaymentShare = 0.1 });
        Assert.Equal(-1.8, dp.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.DirectPayments), 9);

        // Growth: 10% a year extra on new starts (monthly compounding from the as-of date).
        var growth = TestData.Project(b, None with { ExtraPopulationGrowthPct = 10 });
        var expected = Enumerable.Range(1, 12).Sum(h => Math.Pow(1.1, h / 12.0));
        Assert.Equal(expected, growth.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.NewStarts), 9);

        var conversion = TestData.Project(b, None with { ConversionRate = 0.075 });
        Assert.Equal(18.0, conversion.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.NewStarts), 9);
    }

    [Fact]
    public void Population_variant_scales_new_starts_by_the_driver_index()
    {
        var points = new List<PopulationPoint>();
        foreach (var (variant, growth) in new[] { ("principal", 0.0), ("high", 0.12) })
            for (var y = 2020; y <= 2035; y++)
                points.Add(new PopulationPoint(variant, "ONS SNPP", y, PopulationAgeGroup.WorkingAge, y <= 2024 ? 1000 : 1000 * (1 + growth * (y - 2024))));
        var b = TestData.Small() with { Population = points };
        var principal = TestData.Project(b, None);
        var high = TestData.Project(b, None with { PopulationVariant = "high" });
        Assert.Equal(12.0, principal.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.NewStarts), 9);
        // Mid-year interpolation: month h (Apr 2025 = 1) sits at 2025 + (h + 2.5)/12 - 0.5 in mid-years; the index is relative to March 2025.
        var expected = 0.0;
        for (var h = 1; h <= 12; h++)
        {
            var u = 2025 + (h + 3 - 0.5) / 12.0 - 0.5;
            var pop = u <= 2024 ? 1000 : 1000 * (1 + 0.12 * (u - 2024));
            var uBase = 2025 + (3 - 0.5) / 12.0 - 0.5; // March 2025, the last month of history
            var basePop = 1000 * (1 + 0.12 * (uBase - 2024));
            expected += pop / basePop;
        }
        Assert.Equal(expected, high.DemandComponent(2025, ClientGroups.LdAutism, DemandComponents.NewStarts), 9);
        Assert.True(high.ShortfallAt(2027).Shortfall > principal.ShortfallAt(2027).Shortfall);
    }

    [Fact]
    public void Client_groups_lever_restricts_rows_and_the_total()
    {
        var r = TestData.Project(TestData.Small(), None with { ClientGroups = [ClientGroups.MentalHealth] });
        Assert.DoesNotContain(r.Shortfall, s => s.ClientGroup == ClientGroups.LdAutism);
        Assert.Equal(r.ShortfallAt(2026, ClientGroups.MentalHealth).Shortfall, r.ShortfallAt(2026).Shortfall, 9);
    }

    [Fact]
    public void More_pipeline_never_increases_the_shortfall()
    {
        var b = TestData.Small();
        var rng = new Random(7);
        var statuses = PipelineStatuses.Ordered;
        for (var trial = 0; trial < 40; trial++)
        {
            var basis = rng.Next(2) == 0 ? null : statuses[rng.Next(statuses.Count - 1)];
            var levers = None with { PipelineMinStatus = basis, IncludeOutOfArea = rng.Next(2) == 0 };
            var before = TestData.Project(b, levers);
            var scheme = new NewScheme($"extra {trial}", rng.Next(0, 40), "supported_living", ClientGroups.Known[rng.Next(5)],
                new DateOnly(2025, 4, 1).AddDays(rng.Next(0, 1000)), statuses[rng.Next(statuses.Count)], rng.Next(3) > 0);
            var after = TestData.Project(b, levers with { NewSchemes = [scheme] });
            foreach (var row in after.Shortfall)
                Assert.True(row.Shortfall <= before.Shortfall.Single(s => s.Fy == row.Fy && s.ClientGroup == row.ClientGroup).Shortfall + 1e-9);
            var sBefore = ShortfallSimulator.Run(TestData.Prepare(b, levers), new SimulationOptions(500, Seed: trial));
            var sAfter = ShortfallSimulator.Run(TestData.Prepare(b, levers with { NewSchemes = [scheme] }), new SimulationOptions(500, Seed: trial));
            foreach (var row in sAfter.Rows)
            {
                var old = sBefore.Rows.Single(s => s.Fy == row.Fy && s.ClientGroup == row.ClientGroup);
                Assert.True(row.Mean <= old.Mean + 1e-9, $"{row.Fy} {row.ClientGroup}: {row.Mean} > {old.Mean}");
            }
        }
    }

    [Fact]
    public void A_zero_probability_scheme_changes_nothing()
    {
        var b = TestData.Small();
        var before = TestData.Project(b, None with { DeliveryProbability = new() { ["identified"] = 0 } });
        var scheme = new NewScheme("maybe", 25, "extra_care", ClientGroups.OlderDementia, new(2026, 1, 1), "identified");
        var after = TestData.Project(b, None with { DeliveryProbability = new() { ["identified"] = 0 }, NewSchemes = [scheme] });
        Assert.Equal(before.Shortfall, after.Shortfall);
        var failed = TestData.Project(b, None with { NewSchemes = [scheme with { Status = "failed" }] });
        Assert.Equal(TestData.Project(b, None).Shortfall, failed.Shortfall);

        var s1 = ShortfallSimulator.Run(TestData.Prepare(b, None, sd: 1), new SimulationOptions(2000, Seed: 3));
        var s2 = ShortfallSimulator.Run(TestData.Prepare(b, None with { NewSchemes = [scheme with { Status = "failed" }] }, sd: 1), new SimulationOptions(2000, Seed: 3));
        Assert.Equal(s1.Rows, s2.Rows);
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
        };
        Assert.Equal(TestData.Project(b, None).Shortfall, TestData.Project(b, explicitDefaults).Shortfall);
    }
}
