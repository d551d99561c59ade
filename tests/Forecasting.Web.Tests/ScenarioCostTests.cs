using System.Net;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>Weekly costs and the cost uplift set in the scenario form, and the costs beside the shortfall on the comparison page.</summary>
[Trait("Category", "integration")]
public sealed class ScenarioCostTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    [Fact]
    public async Task A_scenario_with_weekly_costs_shows_its_costs_beside_the_shortfall()
    {
        var lead = await factory.SignedIn(WebFactory.StrategyLead);
        var form = await lead.GetStringAsync("/scenarios/edit");
        Assert.Contains("<label for=\"wc-residential\">", form);
        Assert.Contains("<label for=\"cost_uplift_pct\">", form);

        var bad = await lead.PostAsync("/scenarios/edit", Form(WebFactory.Token(form),
            ("Form.Name", "Costly moves"), ("Form.WeeklyCosts[residential]", "-5")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("id=\"wc-residential-error\"", await bad.Content.ReadAsStringAsync());

        var created = await lead.PostAsync("/scenarios/edit", Form(WebFactory.Token(form),
            ("Form.Name", "Costly moves"), ("Form.ResidentialToSlMovesPerYear", "30"), ("Form.CostUpliftPct", "3"),
            ("Form.WeeklyCosts[supported_living]", "1500"), ("Form.WeeklyCosts[extra_care]", "700"), ("Form.WeeklyCosts[shared_lives]", "450"),
            ("Form.WeeklyCosts[residential]", "£1,100".Replace(",", "")), ("Form.WeeklyCosts[nursing]", "")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        using var channel = factory.Channel();
        var planning = new PlanningService.PlanningServiceClient(channel);
        var key = WebFactory.Key(WebFactory.Commissioner);
        var scenario = (await planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = WebFactory.Council }, key)).Scenarios
            .Single(s => s.Name == "Costly moves");
        Assert.Equal(new Dictionary<string, double> { ["supported_living"] = 1500, ["extra_care"] = 700, ["shared_lives"] = 450, ["residential"] = 1100 },
            scenario.Levers.WeeklyCosts);
        Assert.Equal(3, scenario.Levers.CostUpliftPct);
        var edit = await lead.GetStringAsync($"/scenarios/edit?id={scenario.ScenarioId}");
        Assert.Contains("name=\"Form.WeeklyCosts[residential]\" value=\"1100\"", edit);

        var commissioner = await factory.SignedIn(WebFactory.Commissioner);
        var list = await commissioner.GetStringAsync("/scenarios");
        Assert.Contains("Costs rise 3% a year.", list);
        Assert.Contains("residential GBP 1,100.00", list);
        var run = await commissioner.PostAsync("/scenarios?handler=Run", Form(WebFactory.Token(list), ("scenarioId", scenario.ScenarioId)));
        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        var (_, finished) = await RunPages.Follow(commissioner, run.Headers.Location!);
        var page = WebUtility.HtmlDecode(await commissioner.GetStringAsync(RunPages.ResultLink(finished)));

        var results = (await planning.ListScenarioResultsAsync(new ListScenarioResultsRequest { ScenarioId = scenario.ScenarioId }, key)).Results;
        var stored = await planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = Assert.Single(results).ResultId }, key);
        Assert.True(stored.CostBasis.Computed);
        var costs = Html.Table(page, "costs-scenario");
        var comparison = Html.Table(page, "comparison");
        foreach (var year in stored.Years.Where(y => y.ClientGroup == "all"))
        {
            var row = Assert.Single(costs, r => r[0] == year.FyLabel);
            Assert.Equal(Thousands(year.Costs.PlacementsCost), Pounds(row[4]));
            Assert.Equal(Thousands(year.Costs.AvoidedResidentialCost), Pounds(row[6]));
            Assert.Equal(Thousands(year.Costs.NetCost), Pounds(row[7]));
            // Beside the shortfall: the baseline's and the scenario's net cost and the difference.
            var compared = Assert.Single(comparison, r => r[0] == year.FyLabel);
            // Money reads to the thousand pounds there too, so the difference of two rounded costs is within £1,000 of the rounded difference.
            Assert.Equal(Thousands(year.Costs.NetCost), Pounds(compared[12]));
            Assert.InRange(Pounds(compared[13]) - (Pounds(compared[12]) - Pounds(compared[11])), -1000, 1000);
        }
        Assert.Contains("supported living GBP 1,500.00 a week (lever weekly_costs.supported_living)", page);
        // The baseline is priced from the services open on the as-of date (services.csv).
        // Supported-living services without a locality are out-of-area placements, priced on their own.
        var open = Csv.Sample("services").Records().Count(r => r["council_code"] == WebFactory.Council && r["service_type"] == "supported_living" && r["locality"] != ""
            && string.CompareOrdinal(r["start_date"], "2025-03-31") <= 0 && (r["end_date"] == "" || string.CompareOrdinal(r["end_date"], "2025-03-31") > 0));
        Assert.Contains($"(median of {open} open supported_living services on 2025-03-31)", page);
    }

    // The cost tables show money to the nearest thousand pounds (£1,235,000).
    private static double Thousands(double pounds) => Math.Round(pounds / 1000, MidpointRounding.AwayFromZero) * 1000;

    private static double Pounds(string shown) => (shown.StartsWith('-') ? -1 : 1) * Html.Number(shown.TrimStart('-').TrimStart('£'))!.Value;
}
