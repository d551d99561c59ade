using System.Globalization;
using System.Text;
using Forecasting.Domain;

namespace Forecasting.Web.Dashboard;

/// <summary>
/// A column: a plain heading and, for numbers, the decimals downloaded (and shown). Money is shown to the nearest
/// thousand pounds, as members read it; the downloads keep the pounds.
/// </summary>
public sealed record Column(string Heading, int? Decimals = null, bool Money = false)
{
    public bool IsNumber => Decimals is not null;
}

/// <summary>
/// A table as the pages show it and the downloads write it: plain headings, values already rounded to the units shown.
/// Cells are strings or doubles; a missing number is null.
/// </summary>
public sealed record DataTable(string Name, string Title, IReadOnlyList<Column> Columns, IReadOnlyList<object?[]> Rows, string Source)
{
    public static DataTable Build(string name, string title, string source, IReadOnlyList<Column> columns, IEnumerable<object?[]> rows) =>
        new(name, title, columns, rows.Select(r => r.Select((cell, i) => Round(cell, columns[i])).ToArray()).ToList(), source);

    private static object? Round(object? cell, Column column) => cell switch
    {
        double d when double.IsNaN(d) => null,
        double d when column.Decimals is { } n => Math.Round(d, n, MidpointRounding.AwayFromZero),
        int i when column.IsNumber => (double)i,
        long l when column.IsNumber => (double)l,
        _ => cell,
    };

    /// <summary>A cell as text for a page: numbers with thousands separators and the column's decimals.</summary>
    public string Display(object? cell, int column) => cell switch
    {
        null => "–",
        double d when Columns[column].Money => Money(d),
        double d => d.ToString("N" + (Columns[column].Decimals ?? 0), CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    /// <summary>Pounds to the nearest thousand: "£1,235,000", "-£12,000", "£0".</summary>
    public static string Money(double pounds)
    {
        var thousands = Math.Round(Math.Abs(pounds) / 1000, MidpointRounding.AwayFromZero);
        return (pounds < 0 && thousands > 0 ? "-£" : "£") + (thousands * 1000).ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// RFC 4180 CSV with a header row; numbers without separators, invariant culture. Text cells that a spreadsheet
    /// would take for a formula are escaped (<see cref="CsvCell"/>); numbers, negative ones too, stay numbers.
    /// </summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns.Select(c => CsvCell.Text(c.Heading))).Append("\r\n");
        foreach (var row in Rows)
            text.AppendJoin(',', row.Select((cell, i) => cell switch
            {
                null => "",
                double d => CsvCell.Number(d.ToString("F" + (Columns[i].Decimals ?? 0), CultureInfo.InvariantCulture)),
                _ => CsvCell.Text(cell.ToString()),
            })).Append("\r\n");
        return text.ToString();
    }

    /// <summary>The rows keyed by heading, in column order, for the spreadsheet writer.</summary>
    public IEnumerable<IDictionary<string, object?>> Records() => Rows.Select(row =>
    {
        var record = new Dictionary<string, object?>();
        for (var i = 0; i < Columns.Count; i++) record[Columns[i].Heading] = row[i];
        return (IDictionary<string, object?>)record;
    });
}
