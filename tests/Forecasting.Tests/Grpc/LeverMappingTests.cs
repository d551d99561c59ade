using System.Text.Json;
using Forecasting.Planning;
using Forecasting.Server.Services;
using Google.Protobuf.Reflection;
using Xunit;
using Proto = Forecasting.Contracts.V1;

namespace Forecasting.Tests.Grpc;

/// <summary>
/// Levers have one representation: the ScenarioLevers message and the planning domain's record name the same
/// fields, and a message converts to the domain and back without loss.
/// </summary>
[Trait("Category", "unit")]
public class LeverMappingTests
{
    public static TheoryData<string, Type> Pairs => new()
    {
        { Proto.ScenarioLevers.Descriptor.FullName, typeof(ScenarioLevers) },
        { Proto.NewScheme.Descriptor.FullName, typeof(NewScheme) },
        { Proto.SchemeSlippage.Descriptor.FullName, typeof(SchemeSlippage) },
        { Proto.SchemeOverride.Descriptor.FullName, typeof(SchemeOverride) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Message_and_domain_record_name_the_same_fields(string message, Type domain)
    {
        var descriptor = Proto.PlanningReflection.Descriptor.MessageTypes.Single(m => m.FullName == message);
        var protoFields = descriptor.Fields.InDeclarationOrder().Select(f => f.Name).Order().ToList();
        var info = ScenarioJson.Options.GetTypeInfo(domain);
        var domainFields = info.Properties.Where(p => p.Get is not null).Select(p => p.Name).Order().ToList();
        Assert.Equal(protoFields, domainFields);
    }

    [Fact]
    public void Unset_optional_levers_are_null_in_the_domain_and_stay_unset_on_the_way_back()
    {
        var domain = PlanningMapping.ToDomain(new Proto.ScenarioLevers());
        Assert.True(domain.SameAs(ScenarioLevers.Baseline));
        Assert.Null(domain.TransitionsCohortMultiplier);
        Assert.Null(domain.StrategyVersion);
        Assert.Equal(1.0, domain.EffectiveCohortMultiplier);

        var back = PlanningMapping.ToProto(domain);
        Assert.False(back.HasTransitionsCohortMultiplier);
        Assert.False(back.HasStrategyVersion);
        Assert.False(back.HasStartFy);
        Assert.Equal(new Proto.ScenarioLevers(), back);
    }

    [Fact]
    public void An_explicit_zero_multiplier_is_kept_apart_from_unset()
    {
        var domain = PlanningMapping.ToDomain(new Proto.ScenarioLevers { TransitionsCohortMultiplier = 0 });
        Assert.Equal(0.0, domain.TransitionsCohortMultiplier);
        Assert.Equal(0.0, domain.EffectiveCohortMultiplier);
        Assert.True(PlanningMapping.ToProto(domain).HasTransitionsCohortMultiplier);
    }

    [Fact]
    public void Every_field_set_survives_message_to_domain_to_message()
    {
        var message = new Proto.ScenarioLevers
        {
            PopulationVariant = "high",
            ExtraPopulationGrowthPct = 1.5,
            AdmissionDiversionPct = 20,
            ResidentialToSlMovesPerYear = 30,
            TransitionsCohortMultiplier = 1.2,
            TransitionsSlShare = 0.4,
            VoidRate = 0.05,
            SharedLivesPlacementsPerYear = 6,
            StrategyId = "sl-2021",
            StrategyVersion = 2,
            IncludeOutOfArea = true,
            NetDeliveredUnits = true,
            StartFy = 2025,
            EndFy = 2030,
            PipelineMinStatus = "planning_approved",
            DirectPaymentShareChange = 0.05,
            DeliveryProbability = { ["in_development"] = 0.5 },
            Slippage = { new Proto.SchemeSlippage { PipelineId = "P1", Months = 12 } },
            NewSchemes =
            {
                new Proto.NewScheme
                {
                    Name = "Elm Court", Units = 8, Category = "supported_living", ClientGroup = "ld_autism",
                    ExpectedDate = "2027-06-01", Status = "confirmed", InArea = false,
                },
            },
            CancelledSchemes = { "P2" },
            SchemeOverrides = { new Proto.SchemeOverride { PipelineId = "P3", Status = "confirmed", Probability = 0.9, Units = 4, ExpectedDate = "2026-10-01" } },
            ClientGroups = { "ld_autism", "mental_health" },
            WeeklyCosts = { ["supported_living"] = 1450.5, ["residential"] = 980, ["inpatient.ld_autism"] = 4100 },
            CostUpliftPct = 3,
            DiscountRatePct = 1.5,
            TargetPipelineMinStatus = "reasonable_confidence",
            LetOutOfAreaUnits = false,
            CountDisplacedNeed = false,
        };
        Assert.All(Proto.ScenarioLevers.Descriptor.Fields.InDeclarationOrder(), f =>
            Assert.True(f.IsRepeated || f.IsMap
                    ? ((System.Collections.ICollection)f.Accessor.GetValue(message)).Count > 0
                    : f.HasPresence ? f.Accessor.HasValue(message) : !Equals(f.Accessor.GetValue(message), DefaultOf(f)),
                $"the test sets every lever; {f.Name} is not set"));

        var domain = PlanningMapping.ToDomain(message);
        Assert.Equal(new DateOnly(2027, 6, 1), domain.NewSchemes![0].ExpectedDate);
        Assert.False(domain.NewSchemes[0].EffectiveInArea);
        Assert.Equal(new DateOnly(2026, 10, 1), domain.SchemeOverrides![0].ExpectedDate);
        Assert.Equal(2, domain.StrategyVersion);
        Assert.Equal(message, PlanningMapping.ToProto(domain));
    }

    [Fact]
    public void Weekly_cost_levers_cross_the_wire_unchanged_and_unset_stays_unset()
    {
        var message = new Proto.ScenarioLevers { WeeklyCosts = { ["extra_care"] = 720.25, ["nursing"] = 1300 }, CostUpliftPct = 2.5 };
        var domain = PlanningMapping.ToDomain(message);
        Assert.Equal(new Dictionary<string, double> { ["extra_care"] = 720.25, ["nursing"] = 1300 }, domain.WeeklyCosts);
        Assert.Equal(2.5, domain.CostUpliftPct);
        Assert.Equal(message, PlanningMapping.ToProto(domain));
        Assert.Contains("\"weekly_costs\":{\"extra_care\":720.25,\"nursing\":1300}", ScenarioJson.Serialize(domain));

        var none = PlanningMapping.ToDomain(new Proto.ScenarioLevers());
        Assert.Null(none.WeeklyCosts);
        Assert.Equal(0, none.CostUpliftPct);
        Assert.Empty(PlanningMapping.ToProto(none).WeeklyCosts);
    }

    [Fact]
    public void A_bad_date_names_the_field()
    {
        var message = new Proto.ScenarioLevers
        {
            NewSchemes = { new Proto.NewScheme { Name = "x", Units = 1, Category = "supported_living", ClientGroup = "ld_autism", ExpectedDate = "2027-13-01" } },
        };
        var e = Assert.Throws<ScenarioValidationException>(() => PlanningMapping.ToDomain(message));
        Assert.Contains("new_schemes[0].expected_date", e.Errors[0].Field);
    }

    [Fact]
    public void Stored_levers_written_when_zero_meant_unset_read_as_unset_but_a_zero_multiplier_stays_zero()
    {
        var json = JsonSerializer.Serialize(new { transitions_cohort_multiplier = 0, strategy_version = 0, start_fy = 0, end_fy = 0, void_rate = 0.1 });
        var levers = ScenarioJson.ReadStoredLevers(json, out var dropped);
        Assert.Empty(dropped);
        // 0 is a real multiplier (no young people); a run with it says so in its warnings.
        Assert.Equal(0.0, levers.TransitionsCohortMultiplier);
        Assert.Null(levers.StrategyVersion);
        Assert.Null(levers.StartFy);
        Assert.Null(levers.EndFy);
        Assert.Equal(0.1, levers.VoidRate);
    }

    private static object? DefaultOf(FieldDescriptor f) => f.FieldType switch
    {
        FieldType.String => "",
        FieldType.Bool => false,
        FieldType.Double => 0.0,
        FieldType.Int32 => 0,
        _ => null,
    };
}
