using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;
using Grpc.Core;

namespace Forecasting.Web.Tests;

/// <summary>Scenario runs from the pages go on in the background with a status page that shows the runner's progress.</summary>
[Trait("Category", "integration")]
public sealed class ScenarioRunTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private async Task<string> CreateScenario(string name)
    {
        using var channel = factory.Channel();
        var created = await new PlanningService.PlanningServiceClient(channel).CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = WebFactory.Council, Name = name,
            Levers = new ScenarioLevers { ResidentialToSlMovesPerYear = 20, AdmissionDiversionPct = 5 },
        }, WebFactory.Key(WebFactory.StrategyLead));
        return created.ScenarioId;
    }

    private static FormUrlEncodedContent Run(string token, string scenarioId) =>
        new([new("scenarioId", scenarioId), new("__RequestVerificationToken", token)]);

    [Fact]
    public async Task The_status_page_shows_the_runners_progress_then_a_result_equal_to_the_APIs_for_the_same_seed()
    {
        var scenarioId = await CreateScenario("Progress on the page");
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var token = WebFactory.Token(await client.GetStringAsync("/scenarios"));

        // Runs on the same data take turns: a long run through the API (100,000 draws) holds the runner while the page's run
        // waits behind it, so the test sees the page's run while it is going, however fast the machine.
        using var blockerChannel = factory.Channel();
        using var stopBlocker = new CancellationTokenSource();
        using var blocker = new PlanningService.PlanningServiceClient(blockerChannel).RunScenario(
            new RunScenarioRequest { CouncilCode = WebFactory.Council, Draws = 100_000 }, WebFactory.Key(WebFactory.Analyst), cancellationToken: stopBlocker.Token);
        while (await blocker.ResponseStream.MoveNext(CancellationToken.None) && blocker.ResponseStream.Current.Done < 3) { }
        Assert.StartsWith("simulating", blocker.ResponseStream.Current.Stage);

        var started = await client.PostAsync("/scenarios?handler=Run", Run(token, scenarioId));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var status = started.Headers.Location!;
        Assert.StartsWith("/scenarios/run?", status.OriginalString);

        // One run per user at a time: a second start while the first goes shows the first.
        var again = await client.PostAsync("/scenarios?handler=Run", Run(token, scenarioId));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var job = Regex.Match(status.OriginalString, "job=([0-9a-f]+)").Groups[1].Value;
        Assert.Contains("job=" + job, again.Headers.Location!.OriginalString);
        Assert.Contains("busy=True", again.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);

        var first = await client.GetStringAsync(status);
        await stopBlocker.CancelAsync();
        var (_, last) = await RunPages.Follow(client, status);
        // While it runs: the page reloads itself and shows the stage and how many of the runner's steps are done.
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"2\" />", first);
        Assert.Contains("data-finished=\"false\"", first);
        Assert.Contains("<span id=\"run-done\">0</span>", first);
        Assert.Contains("<span id=\"run-total\">4</span>", first);
        Assert.Contains("<span id=\"run-stage\">waiting to start (runs on the same data take turns)</span>", first);
        Assert.Contains("<progress id=\"run-progress\" max=\"4\"", first);
        // Finished: no more reloading, the stored result and the link to the comparison.
        Assert.DoesNotContain("http-equiv=\"refresh\"", last);
        Assert.Contains("<span id=\"run-done\">4</span>", last);
        var resultId = RunPages.ResultId(last);
        Assert.Equal($"/scenarios/compare?council={WebFactory.Council}&scenario={scenarioId}", RunPages.ResultLink(last));

        // The same scenario run through the API with its defaults (the same draws and seed) gives the same figures.
        using var channel = factory.Channel();
        var planning = new PlanningService.PlanningServiceClient(channel);
        var key = WebFactory.Key(WebFactory.Commissioner);
        var page = await planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = resultId }, key);
        Assert.Equal(scenarioId, page.ScenarioId);
        using var call = planning.RunScenario(new RunScenarioRequest { ScenarioId = scenarioId }, key);
        ScenarioResult? api = null;
        await foreach (var step in call.ResponseStream.ReadAllAsync()) api = step.Result ?? api;
        Assert.NotNull(api);
        Assert.NotEqual(api.ResultId, page.ResultId);
        Assert.Equal((api.Draws, api.Seed, api.SnapshotId), (page.Draws, page.Seed, page.SnapshotId));
        Assert.Equal(api.Years.Count, page.Years.Count);
        foreach (var (a, p) in api.Years.Zip(page.Years))
        {
            Assert.Equal((a.FyLabel, a.ClientGroup), (p.FyLabel, p.ClientGroup));
            Assert.Equal(a.ShortfallCumulative, p.ShortfallCumulative);
            Assert.Equal(a.ToString(), p.ToString());
        }

        // Audited as the API's run is.
        var events = await new AuditService.AuditServiceClient(channel).ListAuditEventsAsync(
            new ListAuditEventsRequest { Method = "RunScenario" }, WebFactory.Key(WebFactory.Analyst));
        Assert.Single(events.Events, e => e.Target == $"scenario_id={scenarioId} result_id={resultId}" && e.KeyName == "development commissioner" && e.Outcome == "OK");
    }

    [Fact]
    public async Task A_run_is_seen_only_by_the_user_who_started_it()
    {
        var scenarioId = await CreateScenario("Someone else's run");
        var lead = await factory.SignedIn(WebFactory.StrategyLead);
        var started = await lead.PostAsync("/scenarios?handler=Run", Run(WebFactory.Token(await lead.GetStringAsync("/scenarios")), scenarioId));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var other = await factory.SignedIn(WebFactory.Commissioner);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(started.Headers.Location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/scenarios/run?job=0123456789abcdef")).StatusCode);
        await RunPages.Follow(lead, started.Headers.Location!);
    }
}
