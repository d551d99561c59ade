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

    /// <summary>Decimals a page shows when it reads fewer than the download keeps (a forecast of people reads whole).</summary>
    public int? Shown { get; init; }

    /// <summary>
    /// A chance in percent from simulated draws or a distribution: none of the draws is not "0%" but "under 1", all of them
    /// "over 99" (the download keeps the figure).
    /// </summary>
    public bool Chance { get; init; }

    /// <summary>
    /// For a column of figures in several units (a table of measures): the index of the column naming each row's unit,
    /// which sets the row's rounding (<see cref="DataTable.UnitDecimals"/>) and how it reads (<see cref="DataTable.InUnit"/>).
    /// </summary>
    public int? UnitColumn { get; init; }
}

/// <summary>
/// A table as the pages show it and the downloads write it: plain headings, values already rounded to the units shown.
/// Cells are strings or doubles; a missing number is null.
/// </summary>
public sealed record DataTable(string Name, string Title, IReadOnlyList<Column> Columns, IReadOnlyList<object?[]> Rows, string Source)
{
    public static DataTable Build(string name, string title, string source, IReadOnlyList<Column> columns, IEnumerable<object?[]> rows) =>
        new(name, title, columns, rows.Select(r => r.Select((cell, i) => Round(cell, columns[i], r)).ToArray()).ToList(), source);

    private static object? Round(object? cell, Column column, object?[] row) => cell switch
    {
        double d when double.IsNaN(d) => null,
        double d when column.UnitColumn is { } u => Math.Round(d, UnitDecimals(row[u] as string ?? "", d), MidpointRounding.AwayFromZero),
        double d when column.Decimals is { } n => Math.Round(d, n, MidpointRounding.AwayFromZero),
        int i when column.IsNumber => (double)i,
        long l when column.IsNumber => (double)l,
        _ => cell,
    };

    /// <summary>A cell as text for a page: numbers with thousands separators and the column's decimals.</summary>
    public string Display(object? cell, int column) => Display(cell, column, null);

    /// <param name="row">The row of the cell, for a column whose unit another column names.</param>
    public string Display(object? cell, int column, object?[]? row) => cell switch
    {
        null => "–",
        double d when Columns[column].Money => Money(d),
        double d when Columns[column].Chance => d < 0.5 ? "under 1" : d >= 99.5 ? "over 99" : Fixed(d, 0),
        double d when Columns[column].UnitColumn is { } u && row is not null => InUnit(d, row[u] as string ?? ""),
        double d => Fixed(d, Columns[column].Shown ?? Columns[column].Decimals ?? 0),
        _ => cell.ToString() ?? "",
    };

    /// <summary>A number with thousands separators, rounded half away from zero as the downloads round (formatting alone rounds half to even).</summary>
    private static string Fixed(double value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("N" + decimals, CultureInfo.InvariantCulture);

    /// <summary>Units read as a number of things (people, requests, hours, ...); the others are rates, shares, averages or money.</summary>
    public static bool IsCount(string unit) => unit is not ("%" or "per 100,000" or "days" or "GBP");

    /// <summary>Decimals a figure in a unit is given: counts whole, money in pounds (pence under £100), rates, shares and days one.</summary>
    public static int UnitDecimals(string unit, double value) => unit switch
    {
        "GBP" => Math.Abs(value) >= 100 ? 0 : 2,
        _ when IsCount(unit) => 0,
        _ => 1,
    };

    /// <summary>
    /// A figure as members read it in its unit: counts whole ("403"), shares and rates to one decimal ("28.6%", "638.5"),
    /// money from £10,000 to the nearest thousand ("£1,235,000"), smaller sums in pounds ("£850", "£18.50").
    /// </summary>
    public static string InUnit(double value, string unit)
    {
        if (!double.IsFinite(value)) return "–";
        return unit switch
        {
            "%" => Fixed(value, 1) + "%",
            "GBP" when Math.Abs(value) >= 10_000 => Money(value),
            "GBP" => (value < 0 ? "-£" : "£") + Fixed(Math.Abs(value), UnitDecimals(unit, value)),
            _ => Fixed(value, UnitDecimals(unit, value)),
        };
    }

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
