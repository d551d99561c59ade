using Forecasting.Cli;

namespace Forecasting.Client.Tests;

/// <summary>The command line's --format csv escapes text a spreadsheet would run as a formula; numbers stay numbers.</summary>
[Trait("Category", "unit")]
public sealed class CsvOutputTests
{
    [Fact]
    public void Text_cells_that_start_like_a_formula_are_escaped_and_numbers_are_not()
    {
        var table = new OutputTable(["name", "change", "count", "note"])
            .Add("=HYPERLINK(\"http://evil.example\",\"x\")", -12.5, -3, "+1+1")
            .Add("@SUM(1)", 4.0, 7L, "\t=1")
            .Add("-2", null, 0, "plain, with a comma");
        var text = new StringWriter { NewLine = "\n" };
        Render.WriteCsv(text, table);
        Assert.Equal(
            "name,change,count,note\n" +
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",-12.5,-3,\"'+1+1\"\n" +
            "\"'@SUM(1)\",4,7,\"'\t=1\"\n" +
            // "-2" here is text (a string cell), so it is escaped like any other text starting with a minus.
            "\"'-2\",,0,\"plain, with a comma\"\n",
            text.ToString());
    }
}
