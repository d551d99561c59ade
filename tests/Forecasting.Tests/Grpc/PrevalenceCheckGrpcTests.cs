using System.Globalization;
using Forecasting.Contracts.V1;
using Forecasting.Tests.Rest;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>
/// GetPrevalenceCheck on the Harbridge sample: every figure recomputed here from the CSVs (rates, shares, population,
/// schemes, units, unit statuses and pipeline) and from the checked result's own demand.
/// </summary>
[Trait("Category", "integration")]
public sealed class PrevalenceCheckGrpcTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private static readonly DateOnly AsOf = new(2025, 3, 31);
    private PlanningService.PlanningServiceClient Planning => new(factory.Channel());

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The principal projection of a band at 31 March ending <paramref name="fy"/>: a quarter of mid-year fy and three quarters of fy + 1.</summary>
    private static double Population(string band, int fy)
    {
        double Mid(int year) => D(Csv.Sample("population").Records()
            .Single(r => r["variant"] == "principal" && r["age_band"] == band && r["year"] == year.ToString(CultureInfo.InvariantCulture))["population"]);
        return 0.25 * Mid(fy) + 0.75 * Mid(fy + 1);
    }

    [Fact]
    public async Task The_baseline_check_matches_the_csvs_and_the_results_demand()
    {
        var check = await Planning.GetPrevalenceCheckAsync(new GetPrevalenceCheckRequest { CouncilCode = Council, Draws = 200, Seed = 5 }, Key(CommissionerKey));
        var result = await Planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = check.ResultId }, Key(CommissionerKey));
        Assert.Equal("principal", check.PopulationVariant);
        Assert.Equal("2025-03-31", check.AsOf);
        Assert.Equal(result.SnapshotId, check.SnapshotId);

        var rates = Csv.Sample("prevalence_rates").Records().ToList();
        var shares = Csv.Sample("accommodation_benchmarks").Records().Where(r => r["measure"] == "unit_need_share").ToDictionary(r => r["client_group"], r => D(r["value"]));
        var checkedGroups = check.Rows.Select(r => r.ClientGroup).Distinct().ToList();
        Assert.Equal(rates.Select(r => r["client_group"]).Distinct().Order(), checkedGroups.Order());
        Assert.Contains(check.Warnings, w => w.StartsWith("complex_needs: no prevalence rate", StringComparison.Ordinal));
        foreach (var row in check.Rows)
        {
            var people = rates.Where(r => r["client_group"] == row.ClientGroup)
                .Sum(r => D(r["rate"]) / (r["unit"] == "per_100" ? 100 : 1000) * Population(r["age_band"], row.Fy));
            Assert.Equal(people, row.PrevalentPeople, 6);
            Assert.Equal(people * shares[row.ClientGroup], row.PrevalenceNeed, 6);
            var year = result.Years.Single(y => y.Fy == row.Fy && y.ClientGroup == row.ClientGroup);
            Assert.Equal(year.Demand, row.FlowDemand, 9);
            Assert.Equal(year.Demand - row.PrevalenceNeed, row.Difference, 9);
            var demand = year.Measures.Single(m => m.Measure == "demand");
            Assert.Equal(demand.P10, row.FlowDemandP10, 9);
            Assert.Equal(demand.P90, row.FlowDemandP90, 9);
            Assert.True(row.HasPrevalenceNeedLow && row.PrevalenceNeedLow < row.PrevalenceNeed && row.PrevalenceNeed < row.PrevalenceNeedHigh);
            Assert.StartsWith(row.FyLabel + ": the flow model needs", row.Explanation);
        }

        // Extra care: in-area extra-care units not offline on the as-of date, plus the extra-care pipeline by 31 March x its default probability.
        var schemes = Csv.Sample("schemes").Records().Where(s => s["category"] == "extra_care" && s["in_area"] == "true").ToList();
        var offline = Csv.Sample("unit_status").Records()
            .Where(s => s["status"] == "offline" && Csv.Date(s["valid_from"]) <= AsOf && (Csv.OptionalDate(s["valid_to"]) is not { } to || to > AsOf))
            .Select(s => s["unit_id"]).ToHashSet();
        var units = Csv.Sample("units").Records().ToList();
        var probability = new Dictionary<string, double> { ["confirmed"] = 0.95, ["in_procurement"] = 0.75, ["reasonable_confidence"] = 0.6, ["in_discussion"] = 0.35, ["identified"] = 0.15 };
        var ratio = D(Csv.Sample("accommodation_benchmarks").Records().Single(r => r["measure"] == "extra_care_units_per_1000_75plus")["value"]);
        Assert.Equal(result.Years.Select(y => y.Fy).Distinct(), check.ExtraCare.Select(e => e.Fy));
        foreach (var e in check.ExtraCare)
        {
            var end = new DateOnly(e.Fy + 1, 3, 31);
            var aged75 = Population("75-84", e.Fy) + Population("85+", e.Fy);
            Assert.Equal(aged75, e.PopulationAged75Plus, 6);
            Assert.Equal(aged75 * ratio / 1000, e.UnitsNeeded, 6);
            var open = schemes.Where(s => Csv.Date(s["opened_date"]) <= end && (Csv.OptionalDate(s["decommission_date"]) is not { } d || d > end))
                .Select(s => s["scheme_id"]).ToHashSet();
            Assert.Equal(units.Count(u => open.Contains(u["scheme_id"]) && !offline.Contains(u["unit_id"])), e.ExistingUnits, 9);
            var pipeline = Csv.Sample("pipeline").Records()
                .Where(p => p["category"] == "extra_care" && p["in_area"] == "true" && Csv.Date(p["expected_date"]) <= end && probability.ContainsKey(p["status"]))
                .Sum(p => D(p["units"]) * probability[p["status"]]);
            Assert.Equal(pipeline, e.PipelineUnits, 9);
            Assert.Equal(e.UnitsNeeded - e.ExistingUnits - e.PipelineUnits, e.Gap, 6);
            var older = result.Years.Single(y => y.Fy == e.Fy && y.ClientGroup == "older_dementia");
            Assert.Equal(older.ShortfallCumulative, e.FlowOlderShortfall, 9);
            if (e.Gap > 0 && e.FlowOlderShortfall < 0) Assert.Contains("The two views disagree", e.Explanation);
        }
        Assert.Contains("Housing LIN", check.Summary);
        Assert.Contains(check.Sources, s => s.StartsWith("population.csv variant principal: ONS 2022-based SNPP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stored_result_is_checked_as_it_was_run_and_bad_arguments_are_invalid()
    {
        var first = await Planning.GetPrevalenceCheckAsync(new GetPrevalenceCheckRequest { CouncilCode = Council, Draws = 200, Seed = 7 }, Key(CommissionerKey));
        var again = await Planning.GetPrevalenceCheckAsync(new GetPrevalenceCheckRequest { ResultId = first.ResultId }, Key(CommissionerKey));
        Assert.Equal(first, again);

        var badDate = await Assert.ThrowsAsync<RpcException>(() => Planning.GetPrevalenceCheckAsync(
            new GetPrevalenceCheckRequest { CouncilCode = Council, AsOf = "31/03/2025" }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badDate.StatusCode);
        Assert.Contains("as_of", badDate.Status.Detail);
        var missing = await Assert.ThrowsAsync<RpcException>(() => Planning.GetPrevalenceCheckAsync(
            new GetPrevalenceCheckRequest { ResultId = "no-such-result" }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Over_rest_the_check_of_a_result_equals_grpc_and_a_bad_date_is_400()
    {
        var grpc = await Planning.GetPrevalenceCheckAsync(new GetPrevalenceCheckRequest { CouncilCode = Council, Draws = 200, Seed = 9 }, Key(CommissionerKey));
        var rest = new RestClient(factory.CreateClient());
        var json = await rest.PostAsync<PrevalenceCheck>("/v1/prevalence-checks", CommissionerKey, $$"""{"resultId":"{{grpc.ResultId}}"}""");
        Assert.Equal(grpc, json);
        var (status, body) = await rest.SendAsync(HttpMethod.Post, "/v1/prevalence-checks", CommissionerKey, $$"""{"councilCode":"{{Council}}","asOf":"2025-13-01"}""");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status);
        Assert.Contains("as_of", body);
    }
}
