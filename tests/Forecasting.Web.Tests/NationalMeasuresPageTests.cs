using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>The national measures page: a plain message before any CLD is imported, then the API's figures, row by row.</summary>
[Trait("Category", "integration")]
public sealed class NationalMeasuresPageTests(WebFactory factory) : IClassFixture<WebFactory>
{
    [Fact]
    public async Task The_page_shows_the_APIs_national_measures_with_their_old_codes_once_CLD_is_imported()
    {
        var browser = await factory.SignedIn(WebFactory.Commissioner);
        var before = await browser.GetStringAsync("/national-measures");
        Assert.Contains("has no Client Level Data", WebUtility.HtmlDecode(before));

        using var channel = factory.Channel();
        var import = await new DataService.DataServiceClient(channel).ImportAsync(new ImportRequest { Directory = "harbridge-cld" },
            WebFactory.Key(WebFactory.Analyst));
        Assert.True(import.Succeeded);

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/national-measures?fy=2024/25"));
        var api = await new PerformanceService.PerformanceServiceClient(channel).GetNationalMeasuresAsync(
            new NationalMeasuresRequest { CouncilCode = WebFactory.Council, FinancialYear = "2024/25" }, WebFactory.Key(WebFactory.Commissioner));
        Assert.Contains("National measures, 2024/25", page);
        foreach (var m in api.Measures)
        {
            var id = "value-" + m.Code.Replace(' ', '-');
            var shown = Regex.Match(page, $"id=\"{Regex.Escape(id)}\" data-value=\"([^\"]*)\"");
            Assert.True(shown.Success, $"no row for {m.Code}");
            Assert.Equal(m.Value, double.Parse(shown.Groups[1].Value, CultureInfo.InvariantCulture), 9);
        }
        Assert.Contains("2A(1)", page);
        foreach (var table in api.Tables) Assert.Contains($"id=\"table-{table.Code}\"", page);
    }
}
