using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;
using MiniExcelLibs;

namespace Forecasting.Web.Tests;

/// <summary>The national measures page's tables download as CSV and Excel with the page's figures, numbers as numbers.</summary>
[Trait("Category", "integration")]
public sealed class NationalDownloadTests(WebFactory factory) : IClassFixture<WebFactory>
{
    [Fact]
    public async Task Each_national_table_downloads_the_figures_the_page_shows()
    {
        var browser = await factory.SignedIn(WebFactory.Commissioner);
        using var channel = factory.Channel();
        var import = await new DataService.DataServiceClient(channel).ImportAsync(new ImportRequest { Directory = "harbridge-cld" },
            WebFactory.Key(WebFactory.Analyst));
        Assert.True(import.Succeeded);

        var page = await browser.GetStringAsync("/national-measures?fy=2024/25");
        var links = Regex.Matches(page, "<a href=\"(/download/([a-z0-9-]+)/csv[^\"]*)\"").Select(m => (Href: WebUtility.HtmlDecode(m.Groups[1].Value), Name: m.Groups[2].Value)).ToList();
        var api = await new PerformanceService.PerformanceServiceClient(channel).GetNationalMeasuresAsync(
            new NationalMeasuresRequest { CouncilCode = WebFactory.Council, FinancialYear = "2024/25" }, WebFactory.Key(WebFactory.Commissioner));
        // One download per table: the measures, each table of counts and the waiting times.
        Assert.Equal(api.Tables.Count + 2, links.Count);
        Assert.All(links, l => Assert.Contains("fy=2024%2F25", l.Href));

        var measures = CsvFile.Parse(await browser.GetStringAsync(links.Single(l => l.Name == "national-measures").Href));
        Assert.Equal(api.Measures.Count, measures.Rows.Count);
        foreach (var row in measures.Rows)
        {
            var shown = Regex.Match(WebUtility.HtmlDecode(page), $"id=\"value-{Regex.Escape(row[0].Replace(' ', '-'))}\" data-value=\"([^\"]*)\"").Groups[1].Value;
            Assert.Equal(Math.Round(double.Parse(shown, CultureInfo.InvariantCulture), 2), double.Parse(row[2], CultureInfo.InvariantCulture), 9);
            var m = api.Measures.Single(x => x.Code == row[0]);
            Assert.Equal(m.Numerator, double.Parse(row[4], CultureInfo.InvariantCulture));
            Assert.Equal(m.Denominator, double.Parse(row[5], CultureInfo.InvariantCulture));
        }

        foreach (var table in api.Tables)
        {
            var link = links.Single(l => l.Name == "national-" + Regex.Replace(table.Code.ToLowerInvariant(), "[^a-z0-9]", "-"));
            var csv = CsvFile.Parse(await browser.GetStringAsync(link.Href));
            var onPage = Html.Table(page, table.Code);
            Assert.Equal(onPage.Count, csv.Rows.Count);
            // The counts: the page's last column, the download's last column as a number.
            Assert.Equal(onPage.Select(r => Html.Number(r[^1])), csv.Rows.Select(r => (double?)double.Parse(r[^1], CultureInfo.InvariantCulture)));
            Assert.Equal(table.Rows.Sum(r => r.Count), csv.Rows.Sum(r => double.Parse(r[^1], CultureInfo.InvariantCulture)));
        }

        var waits = Html.Table(page, "waits");
        using var xlsx = new MemoryStream(await browser.GetByteArrayAsync(links.Single(l => l.Name == "waiting-times").Href.Replace("/csv", "/xlsx")));
        var sheet = xlsx.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(waits.Count, sheet.Count);
        Assert.Equal(waits.Select(r => Html.Number(r[3])), sheet.Select(r => (double?)Convert.ToDouble(r["Waits"], CultureInfo.InvariantCulture)));
    }
}
