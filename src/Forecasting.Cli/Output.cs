using System.Globalization;
using Forecasting.Domain;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace Forecasting.Cli;

public enum OutputFormat
{
    Table,
    Csv,
    Json,
}

/// <summary>Rows of cells under named columns; numbers stay numbers until written.</summary>
public sealed class OutputTable(IEnumerable<string> columns)
{
    public List<string> Columns { get; } = columns.ToList();
    public List<object?[]> Rows { get; } = new();

    public OutputTable Add(params object?[] cells)
    {
        if (cells.Length != Columns.Count) throw new ArgumentException($"Row has {cells.Length} cells for {Columns.Count} columns.");
        Rows.Add(cells);
        return this;
    }
}

public static class Render
{
    /// <summary>The protobuf JSON form with the proto's field names; every field of a result, set fields of levers.</summary>
    private static readonly JsonFormatter ResultJson = new(JsonFormatter.Settings.Default
        .WithIndentation().WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));

    private static readonly JsonFormatter SetFieldsJson = new(JsonFormatter.Settings.Default
        .WithIndentation().WithPreserveProtoFieldNames(true));

    /// <summary>A whole result, as a script reads it: every field, default values included.</summary>
    public static void WriteJson(TextWriter w, IMessage message) => w.WriteLine(ResultJson.Format(message));

    /// <summary>Only the fields that are set (e.g. a scenario's levers, ready for a scenario file).</summary>
    public static string SetFields(IMessage message) => SetFieldsJson.Format(message);

    public static void WriteCsv(TextWriter w, OutputTable t)
    {
        w.WriteLine(string.Join(",", t.Columns.Select(CsvCell.Text)));
        foreach (var row in t.Rows) w.WriteLine(string.Join(",", row.Select(CsvField)));
    }

    /// <summary>The plain aligned table for pipes and files: two spaces between columns, a dashed rule under the header.</summary>
    public static void WriteTable(TextWriter w, OutputTable t)
    {
        var cells = t.Rows.Select(r => r.Select(Pretty).ToArray()).ToList();
        var numeric = Enumerable.Range(0, t.Columns.Count).Select(i => IsNumericColumn(t, i)).ToArray();
        var widths = Enumerable.Range(0, t.Columns.Count)
            .Select(i => Math.Max(t.Columns[i].Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length)))
            .ToArray();

        string Line(IReadOnlyList<string> values) => string.Join("  ", values.Select((v, i) =>
            numeric[i] ? v.PadLeft(widths[i]) : (i == values.Count - 1 ? v : v.PadRight(widths[i])))).TrimEnd();

        w.WriteLine(Line(t.Columns));
        w.WriteLine(string.Join("  ", widths.Select(n => new string('-', n))));
        foreach (var row in cells) w.WriteLine(Line(row));
        if (t.Rows.Count == 0) w.WriteLine("(no rows)");
    }

    /// <summary>The table for a terminal: Spectre.Console wraps the cells to fit the console's width.</summary>
    public static void WriteTable(IAnsiConsole console, OutputTable t)
    {
        var cells = t.Rows.Select(r => r.Select(Pretty).ToArray()).ToList();
        var natural = Enumerable.Range(0, t.Columns.Count)
            .Sum(i => Math.Max(t.Columns[i].Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length)) + 2);
        // Too wide for the terminal: long column names break after each underscore before any cell has to wrap.
        var splitHeaders = natural > console.Profile.Width;
        var table = new Table().Border(TableBorder.Simple);
        for (var i = 0; i < t.Columns.Count; i++)
        {
            var header = splitHeaders ? t.Columns[i].Replace("_", "_\n", StringComparison.Ordinal) : t.Columns[i];
            var column = new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))).Padding(0, 0, 2, 0);
            if (IsNumericColumn(t, i)) column.RightAligned();
            table.AddColumn(column);
        }

        foreach (var row in cells) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
        if (t.Rows.Count == 0) table.Caption("(no rows)");
        console.Write(table);
    }

    private static bool IsNumericColumn(OutputTable t, int i) =>
        t.Rows.Count > 0 && t.Rows.All(r => r[i] is null || IsNumber(r[i])) && t.Rows.Any(r => IsNumber(r[i]));

    private static bool IsNumber(object? o) => o is double or float or int or long or decimal;

    /// <summary>Exact, culture-independent text for scripts.</summary>
    public static string Raw(object? o) => o switch
    {
        null => "",
        double d => double.IsNaN(d) ? "" : d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Timestamp t => Raw(t.ToDateTimeOffset()),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => o.ToString() ?? "",
    };

    /// <summary>Rounded, grouped text for people.</summary>
    public static string Pretty(object? o) => o switch
    {
        null => "",
        double d when double.IsNaN(d) => "-",
        double d when Math.Abs(d - Math.Round(d)) < 1e-9 => d.ToString("#,##0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) < 1 => d.ToString("0.###", CultureInfo.InvariantCulture),
        double d => d.ToString("#,##0.0#", CultureInfo.InvariantCulture),
        int or long => ((IFormattable)o).ToString("#,##0", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        Timestamp t => Pretty(t.ToDateTimeOffset()),
        bool b => b ? "yes" : "no",
        _ => Raw(o),
    };

    /// <summary>
    /// A cell as a CSV field: numbers as numbers (a negative one stays one), everything else as text, escaped when a
    /// spreadsheet would take it for a formula (<see cref="CsvCell"/>).
    /// </summary>
    private static string CsvField(object? cell) => IsNumber(cell) ? CsvCell.Number(Raw(cell)) : CsvCell.Text(Raw(cell));
}

internal static class TextHelpers
{
    public static string Key(IDictionary<string, string> key) =>
        string.Join(" ", key.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
