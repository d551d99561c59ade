using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Web.Tests.Support;
using UglyToad.PdfPig;

namespace Forecasting.Web.Tests;

/// <summary>
/// The committee report as the server's PDF (printed by the system Chromium), read back with PdfPig: A4 pages, numbered,
/// none blank, and every table's caption and column headings on the page where the table starts, inside the margins.
/// </summary>
[Trait("Category", "browser")]
public sealed partial class ReportPdfTests(WebFactory factory) : IClassFixture<WebFactory>
{
    // A4 in points, and the style sheet's side margin (12 mm = 34 pt) less a little for glyph overhang.
    private const double A4Width = 595.3, A4Height = 841.9, SideMargin = 30;

    [SkippableFact]
    public async Task The_report_pdf_is_A4_numbered_with_every_table_heading_on_its_page_and_no_blank_page()
    {
        BrowserFixture.RequireBrowser();
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var html = await client.GetStringAsync("/report");
        Assert.Contains("href=\"/report.pdf", html);

        var response = await client.GetAsync("/report.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, "report-server.pdf"), bytes);
        using var pdf = PdfDocument.Open(bytes);

        // The sample's report: targets, summary and chart, the groups' table, strategy tracking, the cross-check, costs and
        // scenarios: six pages of content (thirteen before the print style sheet fitted the tables).
        Assert.InRange(pdf.NumberOfPages, 4, 8);
        var pages = pdf.GetPages().ToList();
        var streams = new List<string>();
        foreach (var page in pages)
        {
            Assert.InRange(page.Width, A4Width - 1, A4Width + 1);
            Assert.InRange(page.Height, A4Height - 1, A4Height + 1);
            var words = page.GetWords().Select(w => w.Text).ToList();
            Assert.True(words.Count > 40, $"page {page.Number} is (nearly) blank: {string.Join(' ', words)}");
            Assert.Contains($"Page {page.Number} of {pages.Count}", string.Join(' ', words));
            var outside = page.Letters.Where(l => l.BoundingBox.Right > page.Width - SideMargin || l.BoundingBox.Left < SideMargin).ToList();
            Assert.True(outside.Count == 0, $"page {page.Number}: text past the margin: {string.Concat(outside.Select(l => l.Value))}");
            streams.Add(Tokens(page.Text));
        }

        var tables = TablePattern().Matches(html).ToList();
        Assert.True(tables.Count >= 5, $"{tables.Count} tables in the report");
        foreach (Match table in tables)
        {
            // The caption's letters in order: a caption wrapped over lines is still one run of text on its page.
            var caption = Tokens(WebUtility.HtmlDecode(table.Groups["caption"].Value));
            var starts = streams.FindIndex(s => s.Contains(caption));
            Assert.True(starts >= 0, $"the caption \u201c{table.Groups["caption"].Value}\u201d is on no page");
            var headings = HeadingPattern().Matches(table.Groups["head"].Value).Select(h => WebUtility.HtmlDecode(h.Groups[1].Value)).ToList();
            Assert.NotEmpty(headings);
            foreach (var heading in headings)
                Assert.True(Words(heading).All(streams[starts].Contains),
                    $"the column \u201c{heading}\u201d of \u201c{table.Groups["caption"].Value}\u201d is not on page {starts + 1}");
        }
    }

    /// <summary>The letters of a page lower-cased without spaces or punctuation, so a heading wrapped over lines still matches.</summary>
    private static string Tokens(string text) => Regex.Replace(text.ToLowerInvariant(), "[^a-z0-9]", "");

    private static List<string> Words(string text) =>
        Regex.Split(WebUtility.HtmlDecode(text).ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 0).ToList();

    [GeneratedRegex("<table[^>]*>\\s*<caption>(?<caption>[\\s\\S]*?)</caption>\\s*<thead>(?<head>[\\s\\S]*?)</thead>")]
    private static partial Regex TablePattern();

    [GeneratedRegex("<th[^>]*>([\\s\\S]*?)</th>")]
    private static partial Regex HeadingPattern();
}
