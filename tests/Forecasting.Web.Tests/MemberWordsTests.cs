using System.Text.RegularExpressions;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>Words for members: names and plain words where a councillor reads, identifiers in a details line, money in thousands, a glossary.</summary>
[Trait("Category", "integration")]
public sealed partial class MemberWordsTests(WebFactory factory) : IClassFixture<WebFactory>
{
    [Theory]
    [InlineData(1_234_567.89, "£1,235,000")]
    [InlineData(1_234_499.99, "£1,234,000")]
    [InlineData(500, "£1,000")]
    [InlineData(-12_345, "-£12,000")]
    [InlineData(-499, "£0")]
    public void Money_reads_to_the_nearest_thousand_pounds(double pounds, string shown) => Assert.Equal(shown, DataTable.Money(pounds));

    [Fact]
    public void A_money_column_shows_thousands_and_downloads_the_pounds()
    {
        var table = DataTable.Build("t", "Costs", "test", [new("Year"), new("Net cost", 0, Money: true)], [["2025/26", 1_234_567.4]]);
        Assert.Equal("£1,235,000", table.Display(table.Rows[0][1], 1));
        Assert.Contains("2025/26,1234567", table.ToCsv());
    }

    [Theory]
    [InlineData("ETS(A,N,A)", "exponential smoothing of level, trend and season (ETS)")]
    [InlineData("snaive", "the same month last year repeated (seasonal naive)")]
    public void Model_names_are_plain_words(string model, string words) => Assert.Equal(words, ForecastViews.ModelWords(model));

    [Fact]
    public async Task The_glossary_explains_the_statuses_and_groups_in_words_and_every_page_links_to_it()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var glossary = await client.GetStringAsync("/glossary");
        Assert.Contains("<strong>in procurement</strong>: 75% chance of delivery", glossary);
        Assert.Contains("Learning disability and autism", glossary);
        Assert.Contains("exponential smoothing of level, trend and season (ETS)", glossary);
        Assert.DoesNotMatch("[a-z]_[a-z]", Visible(glossary));
        foreach (var page in new[] { "/", "/shortfall", "/glossary", "/scenarios" })
            Assert.Contains("href=\"/glossary\"", await client.GetStringAsync(page));
    }

    [Fact]
    public async Task The_report_names_things_in_words_and_keeps_identifiers_to_the_details_lines()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var html = await client.GetStringAsync("/report");
        var snapshot = Regex.Match(html, "data snapshot <span class=\"snapshot\">([^<]+)</span>").Groups[1].Value;
        var result = Regex.Match(html, "<span id=\"result-id\">([^<]+)</span>").Groups[1].Value;
        Assert.NotEmpty(snapshot);
        Assert.NotEmpty(result);
        // Outside the details lines (and the publication line, which names the run an analyst published), no identifier,
        // seed or store code is read.
        var read = Visible(DetailsLine().Replace(PublishedLine().Replace(html, ""), ""));
        Assert.DoesNotContain(snapshot, read);
        Assert.DoesNotContain(result, read);
        Assert.DoesNotContain("seed", read);
        Assert.DoesNotMatch("\\b(ld_autism|mental_health|in_procurement|older_dementia|reasonable_confidence)\\b", read);
        // Money to the thousand pounds in the report's cost table.
        var costs = Html.Table(html, "report-costs");
        Assert.All(costs.SelectMany(r => r.Skip(1)), c => Assert.Matches("^(–|-?£[0-9,]*000|£0)$", c));
    }

    [Fact]
    public async Task The_scenario_form_names_the_schemes_that_can_still_slip()
    {
        var lead = await factory.SignedIn(WebFactory.StrategyLead);
        var form = System.Net.WebUtility.HtmlDecode(await lead.GetStringAsync("/scenarios/edit"));
        var pipeline = Csv.Sample("pipeline").Records().Where(r => r["council_code"] == WebFactory.Council).ToList();
        var delivered = pipeline.First(r => r["status"] == "delivered");
        var coming = pipeline.First(r => r["status"] == "in_procurement");
        Assert.DoesNotContain(delivered["name"] + " (", form);
        Assert.Contains($"{coming["name"]} ({coming["category"].Replace('_', ' ')}, {coming["units"]} units) for ", form);
        Assert.Contains("in procurement, due ", form);
    }

    /// <summary>The text a reader sees: without tags, style, attributes or the SVG charts' titles.</summary>
    private static string Visible(string html) =>
        System.Net.WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(html, "<(style|head)[\\s\\S]*?</\\1>", ""), "<[^>]+>", " "));

    // The details lines, and the download lines that name the run a table comes from.
    [GeneratedRegex("<p class=\"[^\"]*\\bdetails\\b[^\"]*\"[\\s\\S]*?</p>")]
    private static partial Regex DetailsLine();

    [GeneratedRegex("<p class=\"published\"[\\s\\S]*?</p>")]
    private static partial Regex PublishedLine();
}
