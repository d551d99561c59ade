using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>
/// What councillors read: whole people, outcomes for a complete year and honest chances for a year under way, one void
/// rate named apart from the model's void allowance, and a download beside every table whose figures are the page's.
/// </summary>
[Trait("Category", "integration")]
public sealed partial class CouncillorFiguresTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private const string Council = WebFactory.Council;
    private static readonly DateOnly AsOf = new(2025, 3, 31);

    [Fact]
    public async Task The_void_rate_is_the_same_figure_on_the_overview_and_the_shortfall_page_and_is_named_apart_from_the_allowance()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var overview = await client.GetStringAsync("/");
        var shortfall = await client.GetStringAsync("/shortfall");

        // From the CSVs: units of schemes open on 31 March 2025, their status that day, per client group.
        var day = AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var schemes = Csv.Sample("schemes").Records().Where(r => r["council_code"] == Council && string.CompareOrdinal(r["opened_date"], day) <= 0
            && (r["decommission_date"] == "" || string.CompareOrdinal(r["decommission_date"], day) > 0)).ToDictionary(r => r["scheme_id"], r => r["client_group"]);
        var groupOf = Csv.Sample("units").Records().Where(r => r["council_code"] == Council && schemes.ContainsKey(r["scheme_id"]))
            .ToDictionary(r => r["unit_id"], r => schemes[r["scheme_id"]]);
        var status = Csv.Sample("unit_status").Records().Where(r => r["council_code"] == Council && groupOf.ContainsKey(r["unit_id"])
            && string.CompareOrdinal(r["valid_from"], day) <= 0 && (r["valid_to"] == "" || string.CompareOrdinal(r["valid_to"], day) > 0))
            .ToDictionary(r => r["unit_id"], r => r["status"]);
        double Rate(Func<string, bool> inGroup)
        {
            var units = groupOf.Where(u => inGroup(u.Value)).Select(u => u.Key).ToList();
            var offline = units.Count(u => status.GetValueOrDefault(u) == "offline");
            return 100.0 * units.Count(u => status.GetValueOrDefault(u) == "void") / (units.Count - offline);
        }

        Assert.Equal(Rate(_ => true) / 100, Html.Value(overview, "units-void-rate"), 9);
        Assert.Contains("void rate on 31 March 2025", overview);
        var units = Html.Table(overview, "units");
        var voids = Html.Table(shortfall, "void-rates");
        var basis = WebUtility.HtmlDecode(Regex.Match(shortfall, "id=\"counting-basis\"[\\s\\S]*?</div>").Value);
        foreach (var (group, words) in new[] { ("ld_autism", "Learning disability and autism"), ("mental_health", "Mental health"), ("all", "All client groups") })
        {
            var expected = Math.Round(group == "all" ? Rate(_ => true) : Rate(g => g == group), 1, MidpointRounding.AwayFromZero);
            Assert.Equal(expected, Html.Number(units.Single(r => r[0] == words)[6]));
            var row = voids.Single(r => r[0] == words);
            Assert.Equal(expected, Html.Number(row[3]));
            // The allowance is the counting basis's own figure for the group ("learning disability and autism 7.0 %").
            if (group != "all")
                Assert.Equal(double.Parse(Regex.Match(basis, $"{words.ToLowerInvariant()} ([0-9.]+) %").Groups[1].Value, CultureInfo.InvariantCulture), Html.Number(row[4]));
        }
        Assert.Contains("Void rate on 31 March 2025 (%)", overview);
        Assert.Contains("Void allowance for turnover (%)", shortfall);
        Assert.Contains("They differ because", shortfall);
    }

    [Fact]
    public async Task A_complete_year_reads_its_outcome_and_whole_people_never_a_certain_chance()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        using var channel = factory.Channel();
        var api = await new PerformanceService.PerformanceServiceClient(channel).GetPerformanceAsync(
            new PerformanceRequest { CouncilCode = Council }, WebFactory.Key(WebFactory.Commissioner));
        Assert.All(api.Measures, m => Assert.Equal(12, m.MonthsElapsed));
        foreach (var page in new[] { "/performance", "/report", "/" })
        {
            var html = await client.GetStringAsync(page);
            var rows = Html.Table(html, "measure-targets");
            Assert.Equal(api.Measures.Count(m => m.Target is not null), rows.Count);
            foreach (var row in rows)
            {
                var m = api.Measures.Single(x => row[0].EndsWith(x.Measure.Title, StringComparison.Ordinal));
                // Met, just missed (within the amber margin) or missed, as the API's status says; no chance is left.
                Assert.Equal(m.Rag switch { RagStatus.Green => "Green: target met", RagStatus.Amber => "Amber: just missed", _ => "Red: target missed" }, row[1]);
                Assert.Equal("–", row[2]);
                Assert.Equal("–", row[4]);
                if (m.Measure.Unit == "people")
                {
                    Assert.Matches("^[0-9,]+$", row[3]);
                    Assert.Equal(Math.Round(m.YearEnd.Estimate), Html.Number(row[3]));
                    Assert.Equal(Math.Round(m.Target.Target), Html.Number(row[6]));
                }
                else if (m.Measure.Unit == "%") Assert.Equal(m.YearEnd.Estimate.ToString("N1", CultureInfo.InvariantCulture) + "%", row[3]);
            }
            Assert.DoesNotMatch("[0-9]\\.0 people", Visible(html));
        }
        // The people figures this table had as "403.0" read whole.
        Assert.Contains(Html.Table(await client.GetStringAsync("/performance"), "measure-targets"), r => r[8] == "people");
    }

    [Fact]
    public async Task A_year_under_way_reads_each_chance_in_whole_percent_with_under_1_and_over_99_at_the_ends()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var page = await client.GetStringAsync("/performance?fy=2024/25&months=6");
        var cells = ChanceCell().Matches(page).Select(m => (Exact: m.Groups[1].Value, Shown: WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
        var chances = cells.Where(c => c.Exact.Length > 0).ToList();
        Assert.NotEmpty(chances);
        foreach (var (exact, shown) in chances)
        {
            var p = double.Parse(exact, CultureInfo.InvariantCulture);
            var expected = p < 0.005 ? "under 1%" : p > 0.995 ? "over 99%" : Math.Round(p * 100, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture) + "%";
            Assert.Equal(expected, shown);
        }
        Assert.DoesNotContain(cells, c => c.Shown is "0%" or "100%");
    }

    [Fact]
    public async Task Every_table_of_the_pages_has_its_downloads_and_each_answers_with_the_pages_rows()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var checkedTables = 0;
        foreach (var path in new[] { "/", "/shortfall", "/performance", "/report", "/forecasts", "/publications", "/scenarios" })
        {
            var html = await client.GetStringAsync(path);
            var tables = Regex.Matches(html, "<table id=\"table-([a-z0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();
            foreach (var table in tables)
            {
                var link = Regex.Match(html, $"<a href=\"(/download/{Regex.Escape(table)}/csv[^\"]*)\"");
                Assert.True(link.Success, $"{path}: table {table} has no download");
                var csv = CsvFile.Parse(await client.GetStringAsync(WebUtility.HtmlDecode(link.Groups[1].Value)));
                Assert.Equal(Html.Table(html, table).Count, csv.Rows.Count);
                checkedTables++;
            }
        }
        Assert.True(checkedTables >= 15, $"{checkedTables} tables");
    }

    [Fact]
    public async Task The_published_figures_and_scenario_lists_download_the_rows_the_pages_show()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        await client.GetStringAsync("/shortfall"); // publishes the baseline on first use, if no test has yet
        var page = await client.GetStringAsync("/publications");
        var shown = Html.Table(page, "publications");
        var csv = CsvFile.Parse(await client.GetStringAsync("/download/publications/csv"));
        Assert.Equal(shown.Select(r => (r[0], r[1], Html.Number(r[4]))), csv.Rows.Select(r => (r[0], r[1], (double?)double.Parse(r[4], CultureInfo.InvariantCulture))));
        // The result each row links to is the result the download names.
        Assert.Equal(Regex.Matches(Regex.Match(page, "<table id=\"table-publications\"[\\s\\S]*?</table>").Value, "<tr data-result=\"([^\"]+)\"").Select(m => m.Groups[1].Value),
            csv.Rows.Select(r => r[7]));

        var runs = Html.Table(page, "runs");
        var runsCsv = CsvFile.Parse(await client.GetStringAsync("/download/runs/csv"));
        Assert.Equal(runs.Select(r => Html.Number(r[4])), runsCsv.Rows.Select(r => r[4] == "" ? null : (double?)double.Parse(r[4], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_contacts_forecast_counts_contacts_in_whole_numbers_and_keeps_model_codes_to_the_details_lines()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var page = await client.GetStringAsync("/forecasts?series=0");
        var read = Visible(Regex.Replace(page, "<p class=\"details[^\"]*\"[\\s\\S]*?</p>", ""));
        Assert.Matches("on average [0-9,]+ contacts a month away from what happened", read);
        Assert.DoesNotContain("people a month", read);
        Assert.DoesNotMatch("ETS\\(|ARIMA\\(", read);
        // The codes are still there for analysts.
        Assert.Matches("Details for analysts[^<]*(ETS|Theta|ARIMA|naive|drift)", page);
    }

    /// <summary>The text a reader sees, without tags and charts.</summary>
    private static string Visible(string html) =>
        WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(html, "<svg[\\s\\S]*?</svg>|<style[\\s\\S]*?</style>", ""), "<[^>]+>", " "));

    [GeneratedRegex("id=\"probability-[^\"]+\" data-value=\"([^\"]*)\">([^<]*)</td>")]
    private static partial Regex ChanceCell();
}
