using System.Globalization;
using System.Text;

namespace Forecasting.SampleData.Infrastructure;

/// <summary>
/// One CSV file: a fixed header and rows of already-formatted fields. Written with "\n" line
/// endings, UTF-8 without a byte-order mark, fields quoted only when they contain a comma,
/// a double quote or a line break. An empty field stands for NULL.
/// </summary>
public sealed class CsvTable
{
    private readonly List<string?[]> _rows = new();

    public CsvTable(string fileName, params string[] columns)
    {
        FileName = fileName;
        Columns = columns;
    }

    public string FileName { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<string?[]> Rows => _rows;

    public void Add(params string?[] fields)
    {
        if (fields.Length != Columns.Count)
            throw new ArgumentException($"{FileName}: expected {Columns.Count} fields, got {fields.Length}");
        _rows.Add(fields);
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        AppendLine(sb, Columns);
        foreach (var row in _rows) AppendLine(sb, row);
        return sb.ToString();
    }

    public string WriteTo(string directory)
    {
        var path = Path.Combine(directory, FileName);
        // A file name may hold a subdirectory (published/...).
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, ToCsv(), new UTF8Encoding(false));
        return path;
    }

    private static void AppendLine(StringBuilder sb, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(Escape(fields[i]));
        }
        sb.Append('\n');
    }

    public static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field)) return "";
        if (field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0) return field;
        return "\"" + field.Replace("\"", "\"\"") + "\"";
    }
}

/// <summary>Invariant formatting for the CSV conventions the importer depends on.</summary>
public static class Fmt
{
    public static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static string? D(DateOnly? date) => date is { } d ? D(d) : null;
    public static string B(bool value) => value ? "true" : "false";
    public static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
    public static string F2(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
