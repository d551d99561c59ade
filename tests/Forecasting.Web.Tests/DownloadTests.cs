using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
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
    [InlineData("/forecasts", "forecast")]
    [InlineData("/shortfall", "void-rates")]
    [InlineData("/report", "report-costs")]
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
                else if (double.TryParse(inCsv, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !onPage.Contains('/'))
                {
                    // The page reads the downloaded number rounded as shown: whole people, money to the thousand, chances at the ends in words.
                    Html.AssertShows(onPage, number, $"row {i} column {csv.Header[c]}");
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
    public async Task The_scorecard_downloads_every_row_of_the_page_with_numbers_as_numbers_and_empty_cells_for_none()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        const string query = "?fy=2024/25&months=6";
        var page = await client.GetStringAsync("/performance" + query);
        Assert.Contains("/download/scorecard/csv?council=", page);
        var names = Regex.Matches(page, "<tr id=\"row-([a-z0-9_]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(names.Count > 10, $"{names.Count} measures");

        var csvText = await client.GetStringAsync("/download/scorecard/csv" + query);
        Assert.DoesNotContain("NaN", csvText);
        var csv = CsvFile.Parse(csvText);
        using var xlsx = new MemoryStream(await client.GetByteArrayAsync("/download/scorecard/xlsx" + query));
        var sheet = xlsx.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(names.Count, csv.Rows.Count);
        Assert.Equal(names.Count, sheet.Count);
        int Col(string heading) => Array.IndexOf(csv.Header, heading);
        var empty = 0;
        for (var i = 0; i < names.Count; i++)
        {
            // The page's exact figures (data-value), rounded to the download's two decimals; none on the page = an empty cell.
            foreach (var (id, heading) in new[] { ("ytd", "Year to date"), ("year-end", "Estimated end of year"), ("target", "Target") })
            {
                var exact = Regex.Match(page, $"id=\"{id}-{names[i]}\" data-value=\"([^\"]*)\"").Groups[1].Value;
                var cell = csv.Rows[i][Col(heading)];
                var inSheet = sheet[i][heading];
                if (exact.Length == 0)
                {
                    Assert.Equal("", cell);
                    Assert.Null(inSheet);
                    empty++;
                }
                else
                {
                    var expected = Math.Round(double.Parse(exact, CultureInfo.InvariantCulture), 2, MidpointRounding.AwayFromZero);
                    Assert.Equal(expected, double.Parse(cell, CultureInfo.InvariantCulture), 9);
                    Assert.IsType<double>(inSheet);
                    Assert.Equal(expected, (double)inSheet!, 9);
                }
            }
        }
        // The sample has measures without a target, so the empty-cell branch ran.
        Assert.True(empty > 0);
    }

    [Theory]
    [InlineData("/download/scorecard/csv?months=5", "months")]
    [InlineData("/download/forecast/csv?series=99", "series")]
    public async Task A_download_with_a_bad_choice_is_refused_naming_it(string path, string field)
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_table_or_format_is_not_found()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/download/secrets/csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/download/units/pdf")).StatusCode);
    }
}
