using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;
using Grpc.Core;

namespace Forecasting.Web.Tests;

/// <summary>The scenario form's list levers: slipped and cancelled schemes, delivery chances per status, client groups to report.</summary>
[Trait("Category", "integration")]
public sealed class LeverListTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    /// <summary>The council's pipeline schemes not yet delivered or failed, from the sample CSV.</summary>
    private static List<string> PlannedSchemes() => Csv.Sample("pipeline").Records()
        .Where(r => r["council_code"] == WebFactory.Council && r["status"] is not ("delivered" or "failed"))
        .Select(r => r["pipeline_id"]).ToList();

    [Fact]
    public async Task A_strategy_lead_saves_slipped_and_cancelled_schemes_and_the_API_returns_the_same_levers()
    {
        var lead = await factory.SignedIn(WebFactory.StrategyLead);
        var form = await lead.GetStringAsync("/scenarios/edit");
        // Every scheme still to come is offered by its name, type and size, in the slippage rows and as a cancellation; a
        // delivered or failed scheme cannot slip and is not offered.
        var schemes = Csv.Sample("pipeline").Records().Where(r => r["council_code"] == WebFactory.Council).ToList();
        Assert.Contains(schemes, r => r["status"] is "delivered");
        foreach (var r in schemes)
        {
            var id = r["pipeline_id"];
            if (r["status"] is "delivered" or "failed")
            {
                Assert.DoesNotContain($"<option value=\"{id}\">", form);
                Assert.DoesNotContain($"id=\"cancel-{id}\"", form);
                continue;
            }
            var words = $"{System.Net.WebUtility.HtmlEncode(r["name"])} ({r["category"].Replace('_', ' ')}, {r["units"]} units) for ";
            Assert.Contains($"<option value=\"{id}\">{words}", form);
            Assert.Contains($"{r["status"].Replace('_', ' ')}, due ", form);
            Assert.Contains($"id=\"cancel-{id}\"", form);
        }
        Assert.Contains("<label for=\"slip-0-scheme\">", form);
        Assert.Contains("<label for=\"dp-confirmed\">", form);
        Assert.Contains("<legend>Client groups to report</legend>", form);

        var planned = PlannedSchemes();
        var (slipped, cancelled) = (planned[0], planned[3]);
        var saved = await lead.PostAsync("/scenarios/edit", Form(WebFactory.Token(form),
            ("Form.Name", "Slip and cancel"),
            ("Form.Slips[0].PipelineId", ""), ("Form.Slips[0].Months", ""),
            ("Form.Slips[1].PipelineId", slipped), ("Form.Slips[1].Months", "12"),
            ("Form.Cancelled", cancelled),
            ("Form.DeliveryProbability[confirmed]", "0.8"), ("Form.DeliveryProbability[identified]", ""),
            ("Form.ClientGroups", "mental_health"), ("Form.ClientGroups", "ld_autism")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var channel = factory.Channel();
        var planning = new PlanningService.PlanningServiceClient(channel);
        var scenario = (await planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = WebFactory.Council }, WebFactory.Key(WebFactory.Commissioner)))
            .Scenarios.Single(s => s.Name == "Slip and cancel");
        var levers = scenario.Levers;
        var slip = Assert.Single(levers.Slippage);
        Assert.Equal((slipped, 12), (slip.PipelineId, slip.Months));
        Assert.Equal([cancelled], levers.CancelledSchemes);
        Assert.Equal(new Dictionary<string, double> { ["confirmed"] = 0.8 }, levers.DeliveryProbability);
        Assert.Equal(["mental_health", "ld_autism"], levers.ClientGroups);

        // The form shows them back, and saving it unchanged keeps them.
        var edit = await lead.GetStringAsync($"/scenarios/edit?id={scenario.ScenarioId}");
        Assert.Matches($"<select id=\"slip-0-scheme\"[\\s\\S]*?<option value=\"{slipped}\" selected=\"selected\">", edit);
        Assert.Contains("name=\"Form.Slips[0].Months\" value=\"12\"", edit);
        Assert.Matches($"id=\"cancel-{cancelled}\" name=\"Form.Cancelled\" value=\"{cancelled}\"\\s+checked=\"checked\"", edit);
        Assert.Contains("name=\"Form.DeliveryProbability[confirmed]\" value=\"0.8\"", edit);
        var again = await lead.PostAsync($"/scenarios/edit?id={scenario.ScenarioId}", Form(WebFactory.Token(edit),
            ("Form.Name", "Slip and cancel"), ("Form.Slips[0].PipelineId", slipped), ("Form.Slips[0].Months", "12"), ("Form.Cancelled", cancelled),
            ("Form.DeliveryProbability[confirmed]", "0.8"), ("Form.ClientGroups", "mental_health"), ("Form.ClientGroups", "ld_autism")));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var latest = await planning.GetScenarioAsync(new GetScenarioRequest { ScenarioId = scenario.ScenarioId }, WebFactory.Key(WebFactory.Commissioner));
        Assert.Equal(levers, latest.Levers);
        Assert.Equal(2, latest.Revision);

        // The list of scenarios explains them in words.
        var list = WebUtility.HtmlDecode(await lead.GetStringAsync("/scenarios"));
        Assert.Contains($"Scheme {slipped} opens 12 months later than planned.", list);
    }

    [Fact]
    public async Task An_unknown_scheme_is_refused_with_the_reason_the_API_gives()
    {
        var lead = await factory.SignedIn(WebFactory.StrategyLead);
        var form = await lead.GetStringAsync("/scenarios/edit");
        var response = await lead.PostAsync("/scenarios/edit", Form(WebFactory.Token(form),
            ("Form.Name", "Unknown scheme"), ("Form.Slips[0].PipelineId", "PL99"), ("Form.Slips[0].Months", "6"),
            ("Form.DeliveryProbability[confirmed]", "1.5"), ("Form.Slips[1].PipelineId", PlannedSchemes()[0]), ("Form.Slips[1].Months", "soon")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("'soon' is not a whole number of months", page);

        response = await lead.PostAsync("/scenarios/edit", Form(WebFactory.Token(form),
            ("Form.Name", "Unknown scheme"), ("Form.Slips[0].PipelineId", "PL99"), ("Form.Slips[0].Months", "6"), ("Form.Cancelled", "PL98"),
            ("Form.DeliveryProbability[confirmed]", "1.5")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var slipReason = Regex.Match(page, "<span class=\"field-error\" id=\"slippage-0-error\">([^<]+)</span>").Groups[1].Value;
        var probabilityReason = Regex.Match(page, "<span class=\"field-error\" id=\"dp-confirmed-error\">([^<]+)</span>").Groups[1].Value;
        Assert.Equal("unknown scheme 'PL99'", slipReason);
        Assert.NotEmpty(probabilityReason);
        Assert.Contains("unknown scheme 'PL98'", page);
        // The posted values stay in the form.
        Assert.Matches("<option value=\"PL99\" selected(=\"selected\")?>PL99 \\(delivered, failed or not in the council's pipeline\\)</option>", await response.Content.ReadAsStringAsync());

        using var channel = factory.Channel();
        var api = await Assert.ThrowsAsync<RpcException>(async () => await new PlanningService.PlanningServiceClient(channel).CreateScenarioAsync(
            new CreateScenarioRequest
            {
                CouncilCode = WebFactory.Council, Name = "Unknown scheme",
                Levers = new ScenarioLevers
                {
                    Slippage = { new SchemeSlippage { PipelineId = "PL99", Months = 6 } }, CancelledSchemes = { "PL98" },
                    DeliveryProbability = { ["confirmed"] = 1.5 },
                },
            }, WebFactory.Key(WebFactory.StrategyLead)));
        Assert.Equal(StatusCode.InvalidArgument, api.StatusCode);
        Assert.Contains(slipReason, api.Status.Detail);
        Assert.Contains(probabilityReason, api.Status.Detail);
        Assert.Contains("unknown scheme 'PL98'", api.Status.Detail);
        var list = await new PlanningService.PlanningServiceClient(channel).ListScenariosAsync(
            new ListScenariosRequest { CouncilCode = WebFactory.Council }, WebFactory.Key(WebFactory.Commissioner));
        Assert.DoesNotContain(list.Scenarios, s => s.Name == "Unknown scheme");
    }
}
