using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>
/// A page whose scorecard is not ready says so and reloads itself (no script) instead of keeping the reader waiting; the
/// scorecard is computed once per data snapshot and set of targets, then served from memory; a new target is a new one.
/// </summary>
[Trait("Category", "slow")]
public sealed class PreparingPageTests : IDisposable
{
    private readonly WebFactory _factory = new() { ScorecardWaitSeconds = "0" };

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_performance_page_shows_it_is_preparing_then_the_scorecard_and_a_new_target_is_worked_out_again()
    {
        var client = await _factory.SignedIn(WebFactory.Commissioner);
        var first = await client.GetStringAsync("/performance?fy=2024/25&months=6");
        Assert.Contains("id=\"preparing\"", first);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"2\" />", first);
        Assert.DoesNotContain("table-scorecard", first);
        Assert.DoesNotContain("<script", first);

        var page = await UntilReady(client, "/performance?fy=2024/25&months=6");
        Assert.DoesNotContain("http-equiv=\"refresh\"", page);
        // The figures are the API's (its own computation, through its read cache).
        using var channel = _factory.Channel();
        var api = new PerformanceService.PerformanceServiceClient(channel);
        var answer = await api.GetPerformanceAsync(new PerformanceRequest { CouncilCode = WebFactory.Council, FinancialYear = "2024/25", MonthsElapsed = 6 },
            WebFactory.Key(WebFactory.Commissioner));
        Assert.Equal(answer.Measures.Count, Regex.Matches(page, "<tr id=\"row-").Count);
        var waiting = answer.Measures.Single(m => m.Measure.Name == "waiting_for_assessment");
        Assert.Equal(waiting.YearEnd.Estimate, Html.Value(page, "year-end-waiting_for_assessment"), 9);

        // Kept: the same request again is served at once, with no preparing step.
        var watch = Stopwatch.StartNew();
        Assert.DoesNotContain("id=\"preparing\"", await client.GetStringAsync("/performance?fy=2024/25&months=6"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed.TotalSeconds:0.0} s");

        // A new target version is a new scorecard: its status follows the target.
        await api.SetTargetAsync(new SetTargetRequest
        {
            CouncilCode = WebFactory.Council, Measure = "waiting_for_assessment", FinancialYear = "2024/25", Target = 1, AmberMargin = 0,
            Reason = "preparing test: a target far below the estimate",
        }, WebFactory.Key(WebFactory.StrategyLead));
        var after = await UntilReady(client, "/performance?fy=2024/25&months=6");
        Assert.Equal("1", Regex.Match(after, "id=\"target-waiting_for_assessment\" data-value=\"([^\"]*)\"").Groups[1].Value);
        Assert.Contains("data-rag=\"red\"", Regex.Match(after, "id=\"rag-waiting_for_assessment\"[^>]*>").Value);
    }

    [Fact]
    public async Task The_overview_shows_its_other_figures_while_the_targets_are_prepared()
    {
        var client = await _factory.SignedIn(WebFactory.Commissioner);
        var first = await client.GetStringAsync("/?council=" + WebFactory.Council);
        if (first.Contains("id=\"preparing\"", StringComparison.Ordinal))
        {
            Assert.Contains("id=\"targets-preparing\"", first);
            Assert.Contains("<meta http-equiv=\"refresh\" content=\"2\" />", first);
        }
        // The contacts card is there either way.
        Assert.Contains("id=\"contacts\"", first);
        var ready = await UntilReady(client, "/");
        Assert.Contains("id=\"target-counts\"", ready);
    }

    /// <summary>Follows the page's own reload (every two seconds) until it no longer says it is preparing.</summary>
    private static async Task<string> UntilReady(HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var page = await client.GetStringAsync(path);
            if (!page.Contains("id=\"preparing\"", StringComparison.Ordinal)) return page;
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(5), "the scorecard was still being prepared after 5 minutes");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}
