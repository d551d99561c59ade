using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

[Trait("Category", "unit")]
public class ValidationTests
{
    private static IReadOnlyList<ValidationError> Errors(ScenarioLevers levers) =>
        ScenarioValidator.Validate(levers, TestData.Small(), TestData.ThreeYears);

    [Fact]
    public void Baseline_levers_are_valid()
    {
        Assert.Empty(Errors(ScenarioLevers.Baseline));
    }

    [Fact]
    public void Each_invalid_lever_is_named_with_its_reason()
    {
        var levers = new ScenarioLevers
        {
            PopulationVariant = "medium",
            DeliveryProbability = new() { ["confirmed"] = 1.2, ["maybe"] = 0.5 },
            Slippage = [new SchemeSlippage("nowhere", 6), new SchemeSlippage("PA", -3)],
            NewSchemes =
            [
                new NewScheme("Negative", -5, "supported_living", ClientGroups.LdAutism, new(2026, 1, 1)),
                new NewScheme("Late", 10, "supported_living", "young_adults", new(2031, 1, 1)),
                new NewScheme("Early", 10, "supported_living", ClientGroups.LdAutism, new(2024, 1, 1)),
            ],
            CancelledSchemes = ["PZ"],
            VoidRate = 1.5,
            DirectPaymentShareChange = -1.5,
            SchemeOverrides = [new SchemeOverride("PZ", Status: "maybe", Probability: 2, Units: -1, ExpectedDate: new DateOnly(2024, 1, 1))],
            TransitionsSlShare = 2,
            AdmissionDiversionPct = 150,
            StrategyId = "nope",
            ClientGroups = ["aliens"],
        };
        var errors = Errors(levers);
        void Has(string field, string reason) =>
            Assert.Contains(errors, e => e.Field == field && e.Reason.Contains(reason));
        Has("population_variant", "unknown variant 'medium'");
        Has("delivery_probability.confirmed", "between 0 and 1");
        Has("delivery_probability.maybe", "unknown pipeline status");
        Has("slippage[0].pipeline_id", "unknown scheme 'nowhere'");
        Has("slippage[1].months", "zero or more");
        Has("new_schemes[0].units", "negative units (-5)");
        Has("new_schemes[1].client_group", "unknown client group 'young_adults'");
        Has("new_schemes[1].expected_date", "outside the planning period");
        Has("new_schemes[2].expected_date", "outside the planning period");
        Has("cancelled_schemes[0]", "unknown scheme 'PZ'");
        Has("void_rate", "below 1");
        Has("direct_payment_share_change", "between -1 and 1");
        Has("scheme_overrides[0].pipeline_id", "unknown scheme 'PZ'");
        Has("scheme_overrides[0].status", "unknown pipeline status 'maybe'");
        Has("scheme_overrides[0].probability", "between 0 and 1");
        Has("scheme_overrides[0].units", "negative units (-1)");
        Has("scheme_overrides[0].expected_date", "outside the planning period");
        Has("transitions_sl_share", "between 0 and 1");
        Has("admission_diversion_pct", "between 0 and 100");
        Has("strategy_id", "unknown strategy 'nope'");
        Has("client_groups[0]", "unknown client group 'aliens'");

        var ex = Assert.Throws<ScenarioValidationException>(() => TestData.Project(TestData.Small(), levers));
        Assert.Equal(errors, ex.Errors);
    }

    [Fact]
    public void A_variant_missing_from_the_data_is_rejected()
    {
        var b = TestData.Small() with { Population = [new PopulationPoint("principal", "ONS", 2025, PopulationAgeGroup.WorkingAge, 1000)] };
        var errors = ScenarioValidator.Validate(new ScenarioLevers { PopulationVariant = "high" }, b, TestData.ThreeYears);
        Assert.Contains(errors, e => e.Field == "population_variant" && e.Reason.Contains("no 'high' population projection"));
    }
}

[Trait("Category", "unit")]
public class ScenarioJsonTests
{
    [Fact]
    public void Levers_round_trip_through_snake_case_json()
    {
        var levers = new ScenarioLevers
        {
            PopulationVariant = "high",
            ExtraPopulationGrowthPct = 1.5,
            AdmissionDiversionPct = 10,
            ResidentialToSlMovesPerYear = 30,
            TransitionsCohortMultiplier = 1.2,
            TransitionsSlShare = 0.4,
            DeliveryProbability = new() { ["in_discussion"] = 0.5 },
            Slippage = [new SchemeSlippage("PA", 12)],
            NewSchemes = [new NewScheme("New build", 20, "extra_care", ClientGroups.OlderDementia, new(2027, 6, 1), "in_procurement", true)],
            CancelledSchemes = ["PC"],
            VoidRate = 0.03,
            SharedLivesPlacementsPerYear = 5,
            DirectPaymentShareChange = 0.1,
            SchemeOverrides = [new SchemeOverride("PA", Status: "in_procurement", Probability: 0.5, Units: 7, ExpectedDate: new DateOnly(2026, 9, 1))],
            StrategyId = "sl-2021",
            StrategyVersion = 2,
            IncludeOutOfArea = true,
            NetDeliveredUnits = true,
            StartFy = 2025,
            EndFy = 2030,
            ClientGroups = [ClientGroups.LdAutism],
            PipelineMinStatus = "reasonable_confidence",
        };
        var json = ScenarioJson.Serialize(new ScenarioDocument("Slip and move 30", levers, "for the cabinet paper"), indented: true);
        Assert.Contains("\"residential_to_sl_moves_per_year\": 30", json);
        Assert.Contains("\"expected_date\": \"2027-06-01\"", json);
        Assert.DoesNotContain("effective", json);
        var back = ScenarioJson.Deserialize<ScenarioDocument>(json);
        Assert.Equal("Slip and move 30", back.Name);
        Assert.True(back.Levers.SameAs(levers));
        Assert.Equal(12, back.Levers.Slippage![0].Months);

        var path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        try
        {
            ScenarioJson.WriteFile(path, back);
            Assert.True(ScenarioJson.ReadFile(path).Levers.SameAs(levers));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_proto_style_file_with_omitted_fields_reads_as_the_baseline_plus_what_it_sets()
    {
        var json = """{"name": "move 30", "levers": {"residential_to_sl_moves_per_year": 30, "new_schemes": [{"name": "x", "units": 5, "category": "supported_living", "client_group": "ld_autism", "expected_date": "2026-01-01"}]}}""";
        var doc = ScenarioJson.Deserialize<ScenarioDocument>(json);
        Assert.Equal(30, doc.Levers.ResidentialToSlMovesPerYear);
        Assert.Equal(1.0, doc.Levers.EffectiveCohortMultiplier);
        Assert.True(doc.Levers.NewSchemes![0].EffectiveInArea);
        Assert.Equal(PipelineStatuses.Confirmed, doc.Levers.NewSchemes[0].EffectiveStatus);
    }

    [Fact]
    public void Retired_levers_of_stored_scenarios_are_dropped_and_named_new_ones_refused()
    {
        var levers = ScenarioJson.ReadStoredLevers("""{"contacts_growth_pct": 2, "conversion_rate": null, "direct_payment_share": 0, "void_rate": 0.02}""", out var dropped);
        Assert.Equal(0.02, levers.VoidRate);
        var one = Assert.Single(dropped);
        Assert.StartsWith("contacts_growth_pct (need arising follows the driver population", one);
        Assert.Throws<ScenarioValidationException>(() => ScenarioJson.Deserialize<ScenarioLevers>("""{"contacts_growth_pct": 2}"""));
    }

    [Fact]
    public void A_population_variant_the_data_holds_is_accepted_even_if_not_low_principal_or_high()
    {
        var b = TestData.Small() with
        {
            Population = [new PopulationPoint("principal", "ONS", 2025, PopulationAgeGroup.WorkingAge, 1000), new PopulationPoint("migration_led", "ONS", 2025, PopulationAgeGroup.WorkingAge, 1010)],
        };
        Assert.Empty(ScenarioValidator.Validate(new ScenarioLevers { PopulationVariant = "migration_led" }, b, TestData.ThreeYears));
        Assert.Contains(ScenarioValidator.Validate(new ScenarioLevers { PopulationVariant = "estimate" }, b, TestData.ThreeYears),
            e => e.Field == "population_variant" && e.Reason.Contains("past years only"));
    }

    [Fact]
    public void Unknown_lever_names_are_rejected_with_the_field()
    {
        var ex = Assert.Throws<ScenarioValidationException>(() =>
            ScenarioJson.Deserialize<ScenarioLevers>("""{"void_rate": 0.02, "voids_target": 0.1}"""));
        Assert.Contains("voids_target", ex.Errors[0].Reason + ex.Errors[0].Field);
    }
}

[Trait("Category", "unit")]
public class StrategyTests
{
    private static StrategyVersion V1 => new("sl", 1, "Strategy", 2021, 2030, null, DateTimeOffset.UnixEpoch, "a", "initial",
        [new StrategyPhase("P1", 2021, 2021, 196), new StrategyPhase("P2", 2022, 2025, 66), new StrategyPhase("P3", 2026, 2030, 289)]);

    [Fact]
    public void A_new_version_needs_author_and_reason_and_keeps_earlier_versions()
    {
        var s = new Strategy([V1]);
        var ex = Assert.Throws<ScenarioValidationException>(() => s.NextVersion("", " ", [new StrategyPhase("R", 2024, 2030, 467)], DateTimeOffset.UnixEpoch));
        Assert.Contains(ex.Errors, e => e.Field == "author");
        Assert.Contains(ex.Errors, e => e.Field == "reason");
        var v2 = s.NextVersion("R. Okafor", "re-based to 467 units for 2024-31", [new StrategyPhase("Refresh", 2024, 2030, 467)], DateTimeOffset.UnixEpoch, startFy: 2024);
        Assert.Equal(2, v2.Version);
        Assert.Equal(467, s.Latest.TotalTarget);
        Assert.Equal(551, s.Get(1)!.TotalTarget);
        Assert.Equal(262, s.Get(1)!.CumulativeTargetDue(2025));
        // The trajectory: 196 + 3 x 66 / 4 = 245.5 by 2024/25; 6 of the 7 years of 467 by 2029/30.
        Assert.Equal(245.5, s.Get(1)!.CumulativeTargetDue(2024));
        Assert.Equal(196, s.Get(1)!.PhaseTargetsEnded(2024));
        Assert.Equal(467 * 6 / 7.0, v2.CumulativeTargetDue(2029), 9);
        Assert.Equal(0, v2.PhaseTargetsEnded(2029));
        Assert.Equal(467, v2.CumulativeTargetDue(2030));
    }

    [Fact]
    public void Phases_outside_the_period_negative_or_overlapping_are_rejected()
    {
        var errors = StrategyVersion.Check("S", 2024, 2030, null,
            [new StrategyPhase("A", 2023, 2025, 10), new StrategyPhase("B", 2025, 2026, -1)]);
        Assert.Contains(errors, e => e.Field == "phases[0]" && e.Reason.Contains("outside the strategy period"));
        Assert.Contains(errors, e => e.Field == "phases[1].unit_target");
        Assert.Contains(errors, e => e.Field == "phases" && e.Reason.Contains("overlap"));
    }
}
