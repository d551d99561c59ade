using System.Globalization;
using System.Text.RegularExpressions;
using Forecasting.Web.Charts;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>The chart model: its axis ticks and wrapped titles, worked by hand; and the two planning charts kept apart on the page.</summary>
[Trait("Category", "unit")]
public sealed partial class ChartTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private static SvgChart Chart(bool counts, string title = "A title", params double?[] values) => new()
    {
        Title = title,
        Subtitle = "A council · data to 31 March 2025",
        Categories = values.Select((_, i) => new Category($"20{20 + i}/{21 + i}")).ToList(),
        Lines = [new LineSeries("People", values, "#000000")],
        Counts = counts,
    };

    [Theory]
    // Up to 2 people: five steps would be 0.5 apart; counts step by 1.
    [InlineData(new[] { 0.0, 1.4, 2.0 }, new[] { 0.0, 1, 2 })]
    // Up to 12: a step of 2.5 would put halves between counts; the next whole step is 5.
    [InlineData(new[] { 3.0, 12.0 }, new[] { 0.0, 5, 10, 15 })]
    // Up to 230: 230 / 5 = 46, rounded up to 50.
    [InlineData(new[] { 120.0, 230.0 }, new[] { 0.0, 50, 100, 150, 200, 250 })]
    // A shortfall that turns to a surplus: the axis takes in the negative side in the same whole steps.
    [InlineData(new[] { -3.0, 4.0 }, new[] { -4.0, -2, 0, 2, 4 })]
    public void A_count_axis_has_whole_distinct_ticks(double[] values, double[] expected)
    {
        var chart = Chart(true, "A title", values.Select(v => (double?)v).ToArray());
        Assert.Equal(expected, chart.Ticks());
        var labels = chart.Ticks().Select(chart.TickLabel).ToList();
        Assert.Equal(expected.Select(e => e.ToString("N0", CultureInfo.InvariantCulture)), labels);
    }

    [Fact]
    public void A_rate_axis_labels_halves_with_their_decimal_so_no_two_labels_read_the_same()
    {
        var chart = Chart(false, "A title", 0.2, 1.4, 2.0);
        Assert.Equal(new[] { 0.0, 0.5, 1, 1.5, 2 }, chart.Ticks());
        Assert.Equal(["0.0", "0.5", "1.0", "1.5", "2.0"], chart.Ticks().Select(chart.TickLabel));
    }

    [Fact]
    public void A_long_title_wraps_onto_lines_that_fit_and_the_chart_grows_to_hold_them()
    {
        const string title = "Permanent admissions to residential and nursing care, people aged 65 and over, per month: Older people and dementia";
        var chart = Chart(true, title, 1, 2, 3);
        var lines = chart.TitleLines();
        Assert.True(lines.Count >= 2, string.Join(" | ", lines));
        Assert.Equal(title, string.Join(' ', lines));
        // 17 px bold at about 0.6 em a letter across the 676 px between the axis and the right edge.
        Assert.All(lines, l => Assert.True(l.Length * 17 * 0.6 <= 760 - 64 - 20, l));

        var svg = chart.Render("t");
        Assert.Equal(lines, TitleSpan().Matches(Regex.Match(svg, "<text[^>]*class=\"chart-title\"[^>]*>(.*?)</text>").Groups[1].Value).Select(m => m.Groups[1].Value));
        var height = double.Parse(Regex.Match(svg, "viewBox=\"0 0 760 ([0-9.]+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(380 + (lines.Count - 1) * 17 * 1.2, height, 0.1);

        var shortTitle = Chart(true, "Units", 1, 2, 3);
        Assert.Single(shortTitle.TitleLines());
        Assert.Contains("viewBox=\"0 0 760 380\"", shortTitle.Render("s"));
    }

    [Fact]
    public async Task The_shortfall_page_keeps_the_demand_based_gap_and_the_strategy_delivery_in_two_charts_with_whole_unit_axes()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var html = await client.GetStringAsync("/shortfall");
        var gap = Svg(html, "shortfall-chart");
        var tracking = Svg(html, "tracking-chart");

        Assert.Contains("Units needed", gap);
        Assert.DoesNotContain("trajectory", gap, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pipeline", gap, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Strategy trajectory", tracking);
        Assert.Contains("Delivered since the strategy began + pipeline", tracking);
        Assert.DoesNotContain("Units needed", tracking);

        foreach (var svg in new[] { gap, tracking })
        {
            var ticks = AxisLabel().Matches(svg).Select(m => m.Groups[1].Value).ToList();
            Assert.True(ticks.Count >= 3, string.Join(", ", ticks));
            Assert.Equal(ticks.Count, ticks.Distinct().Count());
            Assert.All(ticks, t => Assert.Matches("^-?[0-9,]+$", t));
        }
    }

    private static string Svg(string html, string id)
    {
        var m = Regex.Match(html, $"<svg[^>]*aria-labelledby=\"{id}-title[\\s\\S]*?</svg>");
        Assert.True(m.Success, $"no chart {id}");
        return m.Value;
    }

    [GeneratedRegex("<tspan[^>]*>([^<]*)</tspan>")]
    private static partial Regex TitleSpan();

    // The vertical axis labels: right-aligned, left of the plot.
    [GeneratedRegex("<text x=\"58\" y=\"[0-9.]+\" text-anchor=\"end\"[^>]*>([^<]*)</text>")]
    private static partial Regex AxisLabel();
}
