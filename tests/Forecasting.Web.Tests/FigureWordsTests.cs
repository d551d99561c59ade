using Forecasting.Web.Dashboard;

namespace Forecasting.Web.Tests;

/// <summary>How figures read for members, worked by hand: counts whole, money in thousands, chances never certain.</summary>
[Trait("Category", "unit")]
public sealed class FigureWordsTests
{
    [Theory]
    [InlineData(403.0, "people", "403")]
    [InlineData(45.3, "people", "45")]
    [InlineData(1234.5, "requests", "1,235")]
    [InlineData(28.64, "%", "28.6%")]
    [InlineData(638.46, "per 100,000", "638.5")]
    [InlineData(12.25, "days", "12.3")]
    [InlineData(1_234_567.0, "GBP", "£1,235,000")]
    [InlineData(850.4, "GBP", "£850")]
    [InlineData(18.5, "GBP", "£18.50")]
    [InlineData(double.NaN, "people", "–")]
    public void A_figure_reads_in_its_unit(double value, string unit, string shown) => Assert.Equal(shown, DataTable.InUnit(value, unit));

    [Theory]
    [InlineData(0.0, "under 1")]
    [InlineData(0.4, "under 1")]
    [InlineData(35.2, "35")]
    [InlineData(99.4, "99")]
    [InlineData(99.5, "over 99")]
    [InlineData(100.0, "over 99")]
    public void A_chance_column_never_reads_certain(double percent, string shown)
    {
        var table = DataTable.Build("t", "Chances", "test", [new("Year"), new("Chance (%)", 1) { Chance = true }], [["2025/26", percent]]);
        Assert.Equal(shown, table.Display(table.Rows[0][1], 1));
        // The download keeps the figure.
        Assert.Contains($"2025/26,{percent.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}", table.ToCsv());
    }

    [Theory]
    [InlineData(0.0, "under 1%")]
    [InlineData(0.004, "under 1%")]
    [InlineData(0.42, "42%")]
    [InlineData(0.996, "over 99%")]
    [InlineData(1.0, "over 99%")]
    public void A_chance_of_meeting_a_target_reads_in_words_at_the_ends(double chance, string shown) =>
        Assert.Equal(shown, PerformanceViews.ChancePercent(chance));

    [Fact]
    public void A_column_of_mixed_units_rounds_each_row_by_its_unit_and_a_count_column_can_read_whole_and_download_decimals()
    {
        var table = DataTable.Build("t", "Measures", "test",
            [new("Measure"), new("Value", 2) { UnitColumn = 2 }, new("Unit"), new("Forecast", 1) { Shown = 0 }],
            [["waiting", 403.04, "people", 120.14], ["share", 28.649, "%", 3.25]]);
        Assert.Equal("403", table.Display(table.Rows[0][1], 1, table.Rows[0]));
        Assert.Equal("28.6%", table.Display(table.Rows[1][1], 1, table.Rows[1]));
        Assert.Equal("120", table.Display(table.Rows[0][3], 3, table.Rows[0]));
        var csv = table.ToCsv();
        Assert.Contains("waiting,403.00,people,120.1", csv);
        Assert.Contains("share,28.60,%,3.3", csv);
    }

    [Theory]
    [InlineData("In 2030/31 120.1 people arrive and 48.9 tenants leave", "In 2030/31 120 people arrive and 49 tenants leave")]
    [InlineData("2030/31: 25.0 units per 1,000 of 24,179 people", "2030/31: 25.0 units per 1,000 of 24,179 people")]
    [InlineData("ld_autism 6.8 %, 1,234.6 units", "learning disability and autism 6.8 %, 1,235 units")]
    public void Model_text_reads_counts_whole_and_keeps_ratios(string text, string plain) => Assert.Equal(plain, Words.Plain(text));
}
