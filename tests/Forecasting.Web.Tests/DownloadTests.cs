using System.Globalization;
using System.Net;
using Forecasting.Web.Tests.Support;
using MiniExcelLibs;

namespace Forecasting.Web.Tests;

/// <summary>Each table's CSV and Excel downloads read back to the numbers on its page.</summary>
[Trait("Category", "integration")]
public sealed class DownloadTests(WebFactory factory) : IClassFixture<WebFactory>
{
    [Theory]
    [InlineData("/", "units")]
    [InlineData("/", "admission-rates")]
    [InlineData("/", "transitions")]
    [InlineData("/shortfall", "shortfall")]
    [InlineData("/shortfall", "targets")]
    [InlineData("/report", "measure-targets")]
    [InlineData("/shortfall", "prevalence")]
    [InlineData("/shortfall", "extra-care")]
    public async Task Csv_and_xlsx_read_back_to_the_page_table(string page, string table)
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var shown = Html.Table(await client.GetStringAsync(page), table);

        var csvResponse = await client.GetAsync($"/download/{table}/csv");
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".csv", csvResponse.Content.Headers.ContentDisposition!.FileNameStar ?? csvResponse.Content.Headers.ContentDisposition.FileName);
        var csv = CsvFile.Parse(await csvResponse.Content.ReadAsStringAsync());
        Assert.DoesNotContain(csv.Header, h => h.Contains('_'));
        Assert.Equal(shown.Count, csv.Rows.Count);

        var xlsxResponse = await client.GetAsync($"/download/{table}/xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsxResponse.StatusCode);
        using var xlsx = new MemoryStream(await xlsxResponse.Content.ReadAsByteArrayAsync());
        var sheet = xlsx.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(shown.Count, sheet.Count);
        Assert.Equal(csv.Header, sheet[0].Keys);

        for (var i = 0; i < shown.Count; i++)
            for (var c = 0; c < csv.Header.Length; c++)
            {
                var onPage = shown[i][c];
                var inCsv = csv.Rows[i][c];
                var inXlsx = sheet[i][csv.Header[c]];
                if (onPage == "–")
                {
                    Assert.Equal("", inCsv);
                    Assert.True(inXlsx is null || inXlsx is "", $"row {i} column {csv.Header[c]}: {inXlsx}");
                }
                else if (double.TryParse(inCsv, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Html.Number(onPage) is { } pageNumber
                         && !onPage.Contains('/'))
                {
                    Assert.Equal(pageNumber, number);
                    Assert.Equal(number, Convert.ToDouble(inXlsx, CultureInfo.InvariantCulture));
                }
                else
                {
                    Assert.Equal(onPage, inCsv);
                    Assert.Equal(onPage, inXlsx?.ToString());
                }
            }
    }

    [Fact]
    public async Task An_unknown_table_or_format_is_not_found()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/download/secrets/csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/download/units/pdf")).StatusCode);
    }
}
