using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>
/// The performance page against the gRPC API of the same server in process (GetPerformance for the same council and
/// year) and against the sample CSVs (ASCOF 2A(2) counted from admissions.csv over population.csv).
/// </summary>
[Trait("Category", "integration")]
public sealed partial class PerformancePageTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private const string Council = WebFactory.Council;

    private static string? Attribute(string html, string id, string attribute)
    {
        var m = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[^>]*{attribute}=\"([^\"]*)\"");
        Assert.True(m.Success, $"no {attribute} on #{id}");
        return m.Groups[1].Value;
    }

    private static double? Exact(string html, string id) =>
        Attribute(html, id, "data-value") is { Length: > 0 } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>
    /// The same figure within floating-point summation order: the store's parallel aggregation may add a money or hours
    /// column in another order on another call, which changes the last digits only.
    /// </summary>
    private static void Same(double? expected, double? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {expected}, got {actual}");
            return;
        }

        Assert.True(Math.Abs(expected.Value - actual.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value)), $"{what}: expected {expected}, got {actual}");
    }

    private async Task<PerformanceReport> ApiAsync(string? financialYear = null)
    {
        using var channel = factory.Channel();
        return await new PerformanceService.PerformanceServiceClient(channel).GetPerformanceAsync(
            new PerformanceRequest { CouncilCode = Council, FinancialYear = financialYear ?? "" }, WebFactory.Key(WebFactory.Commissioner));
    }

    [Fact]
    public async Task Every_row_of_the_scorecard_is_the_APIs_answer_for_the_same_council_and_year()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/performance");
        var api = await ApiAsync();
        Assert.Contains($"Performance against targets, {api.FinancialYear}", page);
        var rows = Regex.Matches(page, "<tr id=\"row-([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(api.Measures.Select(m => m.Measure.Name), rows);
        foreach (var m in api.Measures)
        {
            var name = m.Measure.Name;
            Same(Finite(m.YtdValue), Exact(page, $"ytd-{name}"), $"{name} year to date");
            Same(Finite(m.YearEnd.Estimate), Exact(page, $"year-end-{name}"), $"{name} year end");
            Assert.Equal(m.Target is null ? null : m.Target.Target, Exact(page, $"target-{name}"));
            Same(Finite(m.ProbabilityOfMeetingTarget), Exact(page, $"probability-{name}"), $"{name} probability");
            Assert.Equal(m.Rag switch { RagStatus.Green => "green", RagStatus.Amber => "amber", RagStatus.Red => "red", _ => "none" },
                Attribute(page, $"rag-{name}", "data-rag"));
            Assert.Equal(m.Benchmark is { Quartile: > 0 } b ? b.Quartile : null, Exact(page, $"quartile-{name}"));
            Same(m.Benchmark is { } nb ? Finite(nb.ChangeToNextQuartile) : null, Exact(page, $"next-quartile-{name}"), $"{name} change to the next quartile");
            if (m.YearEnd.Intervals.SingleOrDefault(i => i.Level == 80) is { } i80 && i80.Upper > i80.Lower)
            {
                var cell = Regex.Match(page, $"id=\"range-{Regex.Escape(name)}\"[\\s\\S]*?</td>").Value;
                Same(i80.Lower, double.Parse(Regex.Match(cell, "data-lower=\"([^\"]+)\"").Groups[1].Value, CultureInfo.InvariantCulture), $"{name} low");
                Same(i80.Upper, double.Parse(Regex.Match(cell, "data-upper=\"([^\"]+)\"").Groups[1].Value, CultureInfo.InvariantCulture), $"{name} high");
            }
        }
    }

    [Fact]
    public async Task The_position_at_the_end_of_December_is_the_APIs_with_nine_months_and_its_chart_shows_the_range()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/performance?fy=2024/25&months=9&measure=ascof_2a2");
        using var channel = factory.Channel();
        var api = await new PerformanceService.PerformanceServiceClient(channel).GetPerformanceAsync(
            new PerformanceRequest { CouncilCode = Council, FinancialYear = "2024/25", MonthsElapsed = 9 }, WebFactory.Key(WebFactory.Commissioner));
        Assert.Equal(api.Measures.Select(m => m.Measure.Name), Regex.Matches(page, "<tr id=\"row-([^\"]+)\"").Select(m => m.Groups[1].Value));
        foreach (var m in api.Measures)
        {
            Same(Finite(m.YtdValue), Exact(page, $"ytd-{m.Measure.Name}"), m.Measure.Name);
            Same(Finite(m.YearEnd.Estimate), Exact(page, $"year-end-{m.Measure.Name}"), m.Measure.Name);
        }

        var a = api.Measures.Single(m => m.Measure.Name == "ascof_2a2");
        var older = Csv.Sample("admissions").Records().Count(r => r["council_code"] == Council
            && string.CompareOrdinal(r["admission_date"], "2024-04-01") >= 0 && string.CompareOrdinal(r["admission_date"], "2024-12-31") <= 0
            && (r["age_at_admission"] == "" || int.Parse(r["age_at_admission"], CultureInfo.InvariantCulture) >= 65));
        Assert.Equal(older, a.YtdNumerator);
        Assert.Contains("taking only the first 9 months of the year (to 31 December 2024)", page);
        var chart = Regex.Match(page, "<section id=\"chart-ascof_2a2\"[\\s\\S]*?</section>").Value;
        Assert.Contains("data to 31 December 2024", chart);
        Assert.Contains("<title>80% range</title>", chart);
        Assert.Contains("<title>95% range</title>", chart);
        Assert.Contains("<title>Path to the year-end estimate</title>", chart);
        // Every legend entry, the target's included, sits inside the drawing (the legend has room for two rows).
        var height = double.Parse(Regex.Match(chart, "viewBox=\"0 0 \\d+ (\\d+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
        var legend = Regex.Matches(chart, "<text x=\"[\\d.]+\" y=\"([\\d.]+)\" font-size=\"12\" fill=\"#1b1b1b\">([^<]+)</text>")
            .ToDictionary(m => m.Groups[2].Value, m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Contains(legend.Keys, k => k.StartsWith("Year-end target (", StringComparison.Ordinal));
        Assert.All(legend, entry => Assert.True(entry.Value < height - 4, $"legend entry '{entry.Key}' at y={entry.Value} is outside the chart"));
    }

    [Fact]
    public async Task Admissions_65_for_2024_25_are_the_csv_count_over_the_population()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/performance?fy=2024/25");
        var population = Csv.Sample("population").Records()
            .Where(r => r["council_code"] == Council && r["year"] == "2024" && r["variant"] == "estimate" && r["age_band"] is "65-74" or "75-84" or "85+")
            .Sum(r => double.Parse(r["population"], CultureInfo.InvariantCulture));
        var older = Csv.Sample("admissions").Records().Count(r => r["council_code"] == Council
            && string.CompareOrdinal(r["admission_date"], "2024-04-01") >= 0 && string.CompareOrdinal(r["admission_date"], "2025-03-31") <= 0
            && (r["age_at_admission"] == "" || int.Parse(r["age_at_admission"], CultureInfo.InvariantCulture) >= 65));
        Assert.Equal(older / population * 100_000, Exact(page, "ytd-ascof_2a2")!.Value, 6);
        // The year is complete, so its estimated end is the year's value.
        Assert.Equal(Exact(page, "ytd-ascof_2a2")!.Value, Exact(page, "year-end-ascof_2a2")!.Value, 9);
    }

    [Fact]
    public async Task A_target_gives_a_status_in_words_and_colour_and_the_chart_draws_it()
    {
        using var channel = factory.Channel();
        var api = new PerformanceService.PerformanceServiceClient(channel);
        var before = (await ApiAsync("2024/25")).Measures.Single(m => m.Measure.Name == "ascof_2a2");
        // Lower is better: a target well below the year's value is red.
        var target = await api.SetTargetAsync(new SetTargetRequest
        {
            CouncilCode = Council, Measure = "ascof_2a2", FinancialYear = "2024/25", Target = Math.Round(before.YearEnd.Estimate * 0.5, 1),
            AmberMargin = 1, Reason = "page test: a target the year misses",
        }, WebFactory.Key(WebFactory.StrategyLead));

        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/performance?fy=2024/25&measure=ascof_2a2");
        Assert.Equal(target.Target, Exact(page, "target-ascof_2a2"));
        Assert.Equal("red", Attribute(page, "rag-ascof_2a2", "data-rag"));
        var badge = Regex.Match(page, "id=\"rag-ascof_2a2\"[\\s\\S]*?<span class=\"rag\" title=\"[^\"]*\" style=\"([^\"]+)\">([^<]+)</span>");
        Assert.Contains("background:#b10e1e", badge.Groups[1].Value);
        // 2024/25 is complete in the sample: the badge says the target was missed, not that the year is "off track".
        Assert.Equal("Red: target missed", badge.Groups[2].Value);
        Same((await ApiAsync("2024/25")).Measures.Single(m => m.Measure.Name == "ascof_2a2").ProbabilityOfMeetingTarget,
            Exact(page, "probability-ascof_2a2"), "probability");

        var chart = Regex.Match(page, "<section id=\"chart-ascof_2a2\"[\\s\\S]*?</section>").Value;
        Assert.Contains("<svg", chart);
        Assert.Contains("Permanent admissions 65+ per 100,000 (ASCOF 2A(2)), 2024/25", chart);
        Assert.Contains("Harbridge", chart);
        Assert.Contains("data to 31 March 2025", chart);
        Assert.Contains("Year-end target (red)", chart);
        Assert.Equal(["Apr 2024", "Jul 2024", "Oct 2024", "Jan 2025"],
            Regex.Matches(chart, "text-anchor=\"middle\" font-size=\"11.5\" fill=\"#3b3b3b\">([A-Z][a-z]{2} \\d{4})</text>").Select(m => m.Groups[1].Value));
        Assert.Contains("page test: a target the year misses", chart);
    }

    [Fact]
    public async Task Ticked_measures_each_get_a_chart_and_an_unknown_one_is_a_plain_message()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var api = await ApiAsync();
        var two = api.Measures.Take(2).Select(m => m.Measure.Name).ToList();
        var page = await client.GetStringAsync($"/performance?measure={two[0]}&measure={two[1]}");
        Assert.Equal(two, Regex.Matches(page, "<section id=\"chart-([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Equal(2, Regex.Matches(page, "<svg").Count);
        Assert.DoesNotContain("<script", page);
        foreach (var name in two) Assert.Matches($"id=\"chart-choice-{Regex.Escape(name)}\" checked", page);

        var unknown = await client.GetStringAsync("/performance?measure=no_such_measure");
        Assert.Contains("This page cannot show its figures", unknown);
        Assert.Contains("no_such_measure", unknown);
    }

    [Fact]
    public async Task The_page_needs_a_signed_in_user_and_is_linked_from_every_page()
    {
        var anonymous = factory.Browser();
        var response = await anonymous.GetAsync("/performance");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery.Replace("http://localhost", ""));

        var overview = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/");
        Assert.Contains("<a href=\"/performance?council=E06009999\" aria-current=\"false\">Performance</a>", overview);
    }

    [Fact]
    public async Task The_committee_report_lists_every_measure_with_a_target_as_the_API_gives_it()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/report");
        var api = await ApiAsync();
        var withTargets = api.Measures.Where(m => m.Target is not null).ToList();
        Assert.NotEmpty(withTargets);
        var rows = Html.Table(page, "measure-targets");
        Assert.Equal(withTargets.Count, rows.Count);
        // Lowest chance of meeting the target first: what needs attention leads.
        Assert.Equal(withTargets.OrderBy(m => m.ProbabilityOfMeetingTarget).Select(m => m.Measure.Title), rows.Select(r => withTargets.Single(m => r[0].EndsWith(m.Measure.Title)).Measure.Title));
        foreach (var m in withTargets)
        {
            var row = rows.Single(r => r[0].EndsWith(m.Measure.Title));
            Assert.StartsWith(m.Rag switch { RagStatus.Green => "Green", RagStatus.Amber => "Amber", RagStatus.Red => "Red", _ => "No target" }, row[1]);
            // A complete year has an outcome, not a chance; people read whole, shares and rates to one decimal.
            Assert.Equal(m.MonthsElapsed == 12 ? "–" : (m.ProbabilityOfMeetingTarget * 100).ToString("N0", CultureInfo.InvariantCulture) + "", row[2]);
            string Read(double v) => m.Measure.Unit switch
            {
                "%" => Math.Round(v, 1, MidpointRounding.AwayFromZero).ToString("N1", CultureInfo.InvariantCulture) + "%",
                "per 100,000" or "days" => Math.Round(v, 1, MidpointRounding.AwayFromZero).ToString("N1", CultureInfo.InvariantCulture),
                _ => Math.Round(v, MidpointRounding.AwayFromZero).ToString("N0", CultureInfo.InvariantCulture),
            };
            Assert.Equal(Read(m.YearEnd.Estimate), row[3]);
            Assert.Equal(Read(m.Target.Target), row[6]);
            // The status rule: in a year under way, green from a 70% chance, amber from 30%, red below; a complete year by
            // its value against the target and the amber margin.
            var chance = m.ProbabilityOfMeetingTarget;
            if (m.MonthsElapsed < 12) Assert.Equal(chance >= 0.7 ? RagStatus.Green : chance >= 0.3 ? RagStatus.Amber : RagStatus.Red, m.Rag);
            else Assert.Equal(ValueRag(m.YearEnd.Estimate, m.Target.Target, m.Target.AmberMargin, m.Measure.Polarity), m.Rag);
        }
        Assert.Contains("green (on track) when the chance is 70% or more", page);
    }

    private static RagStatus ValueRag(double value, double target, double margin, Polarity polarity) => polarity switch
    {
        Polarity.HigherIsBetter => value >= target ? RagStatus.Green : value >= target - margin ? RagStatus.Amber : RagStatus.Red,
        Polarity.LowerIsBetter => value <= target ? RagStatus.Green : value <= target + margin ? RagStatus.Amber : RagStatus.Red,
        _ => Math.Abs(value - target) <= margin ? RagStatus.Green : Math.Abs(value - target) <= 2 * margin ? RagStatus.Amber : RagStatus.Red,
    };
}
