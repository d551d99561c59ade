using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;
using Grpc.Core;

namespace Forecasting.Web.Tests;

/// <summary>Scenario forms: who may edit, validation as the API validates, and a run compared with the baseline.</summary>
[Trait("Category", "integration")]
public sealed class ScenarioTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private async Task<int> ScenarioCount()
    {
        using var channel = factory.Channel();
        var list = await new PlanningService.PlanningServiceClient(channel).ListScenariosAsync(
            new ListScenariosRequest { CouncilCode = WebFactory.Council }, WebFactory.Key(WebFactory.Analyst));
        return list.Scenarios.Count;
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    [Fact]
    public async Task A_commissioner_can_neither_open_nor_post_the_edit_form()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var open = await client.GetAsync("/scenarios/edit");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.StartsWith("/denied", open.Headers.Location!.PathAndQuery);
        var denied = await client.GetAsync(open.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        var before = await ScenarioCount();
        var token = WebFactory.Token(await client.GetStringAsync("/scenarios"));
        var post = await client.PostAsync("/scenarios/edit", Form(token, ("Form.Name", "commissioner's scenario"), ("Form.AdmissionDiversionPct", "10")));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/denied", post.Headers.Location!.PathAndQuery);
        Assert.Equal(before, await ScenarioCount());
        Assert.DoesNotContain("/scenarios/edit", await client.GetStringAsync("/scenarios"));
    }

    [Fact]
    public async Task Invalid_levers_are_refused_with_the_reason_the_API_gives()
    {
        var client = await factory.SignedIn(WebFactory.StrategyLead);
        var form = await client.GetStringAsync("/scenarios/edit");
        var before = await ScenarioCount();
        var response = await client.PostAsync("/scenarios/edit", Form(WebFactory.Token(form),
            ("Form.Name", "too much diversion"), ("Form.AdmissionDiversionPct", "150"), ("Form.VoidRate", "lots")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("'lots' is not a number", page);
        Assert.Equal(before, await ScenarioCount());

        response = await client.PostAsync("/scenarios/edit", Form(WebFactory.Token(form),
            ("Form.Name", "too much diversion"), ("Form.AdmissionDiversionPct", "150")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        using var channel = factory.Channel();
        var api = await Assert.ThrowsAsync<RpcException>(async () => await new PlanningService.PlanningServiceClient(channel).CreateScenarioAsync(
            new CreateScenarioRequest { CouncilCode = WebFactory.Council, Name = "too much diversion", Levers = new ScenarioLevers { AdmissionDiversionPct = 150 } },
            WebFactory.Key(WebFactory.StrategyLead)));
        Assert.Equal(StatusCode.InvalidArgument, api.StatusCode);
        var reason = Regex.Match(page, "<span class=\"field-error\" id=\"admission_diversion_pct-error\">([^<]+)</span>").Groups[1].Value;
        Assert.NotEmpty(reason);
        Assert.Contains(reason, api.Status.Detail);
        Assert.Equal(before, await ScenarioCount());
    }

    [Fact]
    public async Task A_strategy_lead_creates_a_scenario_a_commissioner_runs_it_and_sees_it_beside_the_baseline()
    {
        var lead = await factory.SignedIn(WebFactory.StrategyLead);
        var form = await lead.GetStringAsync("/scenarios/edit");
        var created = await lead.PostAsync("/scenarios/edit", Form(WebFactory.Token(form),
            ("Form.Name", "Faster moves out of residential care"), ("Form.ResidentialToSlMovesPerYear", "30"), ("Form.SharedLivesPlacementsPerYear", "5")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        using var channel = factory.Channel();
        var planning = new PlanningService.PlanningServiceClient(channel);
        var key = WebFactory.Key(WebFactory.Commissioner);
        var scenario = (await planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = WebFactory.Council }, key)).Scenarios
            .Single(s => s.Name == "Faster moves out of residential care");
        Assert.Equal(30, scenario.Levers.ResidentialToSlMovesPerYear);
        Assert.Equal(5, scenario.Levers.SharedLivesPlacementsPerYear);
        Assert.Equal("development strategy lead", scenario.Author);
        // The write is in the audit trail beside the API's, under the method that makes the same write.
        var events = await new AuditService.AuditServiceClient(channel).ListAuditEventsAsync(
            new ListAuditEventsRequest { Method = "CreateScenario" }, WebFactory.Key(WebFactory.Analyst));
        var audited = Assert.Single(events.Events, e => e.Target == $"scenario_id={scenario.ScenarioId}");
        Assert.Equal(("development strategy lead", "strategy_lead", "OK", WebFactory.Council), (audited.KeyName, audited.Role, audited.Outcome, audited.CouncilCode));

        var commissioner = await factory.SignedIn(WebFactory.Commissioner);
        var list = await commissioner.GetStringAsync("/scenarios");
        Assert.Contains("30 people a year move from residential care to supported living.", list);
        var run = await commissioner.PostAsync("/scenarios?handler=Run", Form(WebFactory.Token(list), ("scenarioId", scenario.ScenarioId)));
        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        var (_, finished) = await RunPages.Follow(commissioner, run.Headers.Location!);
        var compare = await commissioner.GetAsync(RunPages.ResultLink(finished));
        Assert.Equal(HttpStatusCode.OK, compare.StatusCode);
        var page = await compare.Content.ReadAsStringAsync();
        Assert.Contains("<svg", page);
        var table = Html.Table(page, "comparison");

        var results = (await planning.ListScenarioResultsAsync(new ListScenarioResultsRequest { ScenarioId = scenario.ScenarioId }, key)).Results;
        var stored = await planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = Assert.Single(results).ResultId }, key);
        foreach (var year in stored.Years.Where(y => y.ClientGroup == "all"))
        {
            var row = Assert.Single(table, r => r[0] == year.FyLabel);
            // The scenario's sum of group gaps (the headline) and its net across groups.
            Assert.Equal(Math.Round(year.SumOfGroupGaps, 0, MidpointRounding.AwayFromZero), Html.Number(row[2]));
            Assert.Equal(Math.Round(year.ShortfallCumulative, 0, MidpointRounding.AwayFromZero), Html.Number(row[7]));
        }
    }
}
