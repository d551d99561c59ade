using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>The shortfall page and the committee report name the gap they show and keep strategy tracking apart.</summary>
[Trait("Category", "integration")]
public sealed class MembersReadPageTests(WebFactory factory) : IClassFixture<WebFactory>
{
    [Fact]
    public async Task The_headline_is_the_sum_of_group_gaps_with_surpluses_beside_it_and_the_target_is_not_on_the_shortfall_chart()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/shortfall"));
        var resultId = Regex.Match(page, "<span id=\"result-id\">([^<]+)</span>").Groups[1].Value;
        using var channel = factory.Channel();
        var stored = await new PlanningService.PlanningServiceClient(channel)
            .GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = resultId }, WebFactory.Key(WebFactory.Commissioner));
        var last = stored.Years.Where(y => y.ClientGroup == "all").MaxBy(y => y.Fy)!;

        var headline = Regex.Match(page, "<p class=\"headline\" id=\"headline\">([^<]+)</p>").Groups[1].Value;
        Assert.StartsWith($"Demand-based shortfall at 31 March {last.Fy + 1}: {Math.Round(last.SumOfGroupGaps):N0} units, the sum of the gaps", headline);
        Assert.Contains($"Net across all groups, surpluses offsetting gaps: {Math.Round(last.ShortfallCumulative):N0} (mean; median {Math.Round(last.ShortfallDistribution.P50):N0}", headline);
        // On the sample older people and dementia are in surplus by then (the extra-care schemes); it is named, not netted.
        var surplus = stored.Years.Single(y => y.Fy == last.Fy && y.ClientGroup == "older_dementia");
        Assert.True(surplus.ShortfallCumulative < 0);
        Assert.Contains($"has a surplus of {Math.Round(-surplus.ShortfallCumulative):N0}", headline);

        var shortfallChart = page[page.IndexOf("id=\"shortfall-chart", StringComparison.Ordinal)..page.IndexOf("id=\"strategy-tracking\"", StringComparison.Ordinal)];
        Assert.DoesNotContain("Strategy target", shortfallChart);
        Assert.Contains("sum of the gaps of the groups that are short", shortfallChart);
        Assert.Contains("id=\"tracking-chart", page);
        Assert.Contains("Strategy trajectory (units due by year end)", page);

        var report = WebUtility.HtmlDecode(await client.GetStringAsync("/report"));
        Assert.Contains("id=\"report-headline\"", report);
        Assert.Contains("id=\"report-tracking\"", report);
    }
}
