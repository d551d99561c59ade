using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;
using Grpc.Core;

namespace Forecasting.Web.Tests;

/// <summary>
/// The pages and the report show the council's published baseline: an ad-hoc API run never moves them, publishing does,
/// and the report of a past publication keeps that run's figures.
/// </summary>
[Trait("Category", "integration")]
public sealed class PublishedFigureTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private const string Council = WebFactory.Council;

    [Fact]
    public async Task An_API_run_does_not_move_the_pages_publishing_does_and_a_past_report_keeps_its_figures()
    {
        var web = await factory.SignedIn(WebFactory.Commissioner);
        var before = await web.GetStringAsync("/shortfall");
        var firstId = ResultId(before);
        var reportBefore = Paragraph(await web.GetStringAsync("/report"), "report-headline");
        var csvBefore = await web.GetByteArrayAsync("/download/shortfall/csv");
        Assert.Contains("Published figures:", Decoded(Paragraph(before, "published")));

        // An ad-hoc baseline run through the API with few draws: the pages, the report and the download stay as they were.
        using var channel = factory.Channel();
        var planning = new PlanningService.PlanningServiceClient(channel);
        var adhoc = await Run(planning, WebFactory.Commissioner, draws: 20, seed: 7);
        var after = await web.GetStringAsync("/shortfall");
        Assert.Equal(firstId, ResultId(after));
        Assert.Equal(Paragraph(before, "headline"), Paragraph(after, "headline"));
        Assert.Equal(reportBefore, Paragraph(await web.GetStringAsync("/report"), "report-headline"));
        Assert.Equal(csvBefore, await web.GetByteArrayAsync("/download/shortfall/csv"));

        // Publishing needs a strategy lead or an analyst, and a label.
        var denied = await Assert.ThrowsAsync<RpcException>(() => planning.PublishResultAsync(
            new PublishResultRequest { ResultId = adhoc.ResultId, Label = "not allowed" }, WebFactory.Key(WebFactory.Commissioner)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var unlabelled = await Assert.ThrowsAsync<RpcException>(() => planning.PublishResultAsync(
            new PublishResultRequest { ResultId = adhoc.ResultId, Label = " " }, WebFactory.Key(WebFactory.StrategyLead)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unlabelled.StatusCode);
        Assert.Contains("label", unlabelled.Status.Detail);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => planning.PublishResultAsync(
            new PublishResultRequest { ResultId = "res-none", Label = "Cabinet" }, WebFactory.Key(WebFactory.StrategyLead)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        var publication = await planning.PublishResultAsync(new PublishResultRequest { ResultId = adhoc.ResultId, Label = "Cabinet, March 2026" },
            WebFactory.Key(WebFactory.StrategyLead));
        Assert.Equal((adhoc.ResultId, "development strategy lead", 20, 7L), (publication.ResultId, publication.PublishedBy, publication.Draws, publication.Seed));

        // Now the pages show the published run: its figures, its label, who published it, its draws and seed.
        var published = await web.GetStringAsync("/shortfall");
        Assert.Equal(adhoc.ResultId, ResultId(published));
        Assert.NotEqual(Paragraph(before, "headline"), Paragraph(published, "headline"));
        var last = adhoc.Years.Where(y => y.ClientGroup == "all").MaxBy(y => y.Fy)!;
        var row = Html.Table(published, "shortfall").Single(r => r[0] == last.FyLabel && r[1] == "All client groups");
        Assert.Equal(Math.Round(last.SumOfGroupGaps, MidpointRounding.AwayFromZero), Html.Number(row[4]));
        var line = Decoded(Paragraph(published, "published"));
        Assert.Contains("\u201cCabinet, March 2026\u201d, published by development strategy lead", line);
        Assert.Contains("20 simulated futures (seed 7)", line);
        var report = await web.GetStringAsync("/report");
        Assert.NotEqual(reportBefore, Paragraph(report, "report-headline"));
        Assert.Contains("Cabinet, March 2026", Decoded(Paragraph(report, "report-published")));

        // The report of the first publication still shows that run's figures; a run never published has no report.
        var list = await planning.ListPublicationsAsync(new ListPublicationsRequest { CouncilCode = Council }, WebFactory.Key(WebFactory.Commissioner));
        Assert.Equal([adhoc.ResultId, firstId], list.Publications.Take(2).Select(p => p.ResultId));
        var past = await web.GetStringAsync($"/report?result={firstId}");
        Assert.Equal(reportBefore, Paragraph(past, "report-headline"));
        Assert.Contains($"\u201c{list.Publications[1].Label}\u201d", Decoded(Paragraph(past, "report-published")));
        var other = await Run(planning, WebFactory.Commissioner, draws: 20, seed: 8);
        Assert.Contains("is not a published baseline", await web.GetStringAsync($"/report?result={other.ResultId}"));
    }

    [Fact]
    public async Task With_nothing_published_the_first_page_publishes_the_default_baseline_and_says_so()
    {
        using var fresh = new WebFactory();
        var page = await (await fresh.SignedIn(WebFactory.Commissioner)).GetStringAsync("/shortfall");
        using var channel = fresh.Channel();
        var list = await new PlanningService.PlanningServiceClient(channel).ListPublicationsAsync(new ListPublicationsRequest { CouncilCode = Council },
            WebFactory.Key(WebFactory.Commissioner));
        var only = Assert.Single(list.Publications);
        Assert.Equal((ResultId(page), BaselineLabel, Forecasting.Web.Dashboard.BaselineResults.AutomaticPublisher, ""),
            (only.ResultId, only.Label, only.PublishedBy, only.ScenarioId));
        Assert.Contains($"\u201c{BaselineLabel}\u201d", Decoded(Paragraph(page, "published")));
    }

    [Fact]
    public async Task A_strategy_lead_publishes_from_the_page_and_a_commissioner_cannot()
    {
        using var channel = factory.Channel();
        var planning = new PlanningService.PlanningServiceClient(channel);
        var run = await Run(planning, WebFactory.Commissioner, draws: 20, seed: 11);

        var commissioner = await factory.SignedIn(WebFactory.Commissioner);
        var listed = await commissioner.GetStringAsync("/publications");
        Assert.Contains($"data-result=\"{run.ResultId}\"", listed);
        Assert.DoesNotContain("action=\"/publications/publish", listed);
        var refused = await commissioner.PostAsync($"/publications/publish?council={Council}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["resultId"] = run.ResultId, ["label"] = "not allowed", ["__RequestVerificationToken"] = WebFactory.Token(listed),
        }));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.False(refused.Headers.Location?.ToString().StartsWith("/publications?", StringComparison.Ordinal) ?? false);

        var lead = await factory.SignedIn(WebFactory.StrategyLead);
        var page = await lead.GetStringAsync("/publications");
        Assert.Contains($"id=\"label-{run.ResultId}\"", page);
        var posted = await lead.PostAsync($"/publications/publish?council={Council}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["resultId"] = run.ResultId, ["label"] = "Scrutiny, April 2026", ["__RequestVerificationToken"] = WebFactory.Token(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(run.ResultId, ResultId(await lead.GetStringAsync("/shortfall")));

        var list = await planning.ListPublicationsAsync(new ListPublicationsRequest { CouncilCode = Council }, WebFactory.Key(WebFactory.Commissioner));
        Assert.Equal(("Scrutiny, April 2026", "development strategy lead"), (list.Publications[0].Label, list.Publications[0].PublishedBy));
        Assert.DoesNotContain(list.Publications, p => p.Label == "not allowed");
        Assert.Contains("Scrutiny, April 2026", await lead.GetStringAsync("/publications"));
    }

    private const string BaselineLabel = Forecasting.Web.Dashboard.BaselineResults.AutomaticLabel;

    private static async Task<ScenarioResult> Run(PlanningService.PlanningServiceClient planning, string key, int draws, long seed)
    {
        using var call = planning.RunScenario(new RunScenarioRequest { CouncilCode = Council, Draws = draws, Seed = seed }, WebFactory.Key(key));
        ScenarioResult? result = null;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
            if (call.ResponseStream.Current.Result is { } r) result = r;
        return result ?? throw new InvalidOperationException("the run returned no result");
    }

    private static string ResultId(string page) => Regex.Match(page, "<span id=\"result-id\">([^<]+)</span>").Groups[1].Value;

    private static string Paragraph(string page, string id)
    {
        var m = Regex.Match(page, $"<p [^>]*id=\"{id}\">([\\s\\S]*?)</p>");
        Assert.True(m.Success, $"no paragraph #{id}");
        return m.Groups[1].Value;
    }

    private static string Decoded(string html) => WebUtility.HtmlDecode(html);
}
