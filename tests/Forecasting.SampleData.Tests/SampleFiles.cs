using System.Globalization;
using System.Text;

namespace Forecasting.SampleData.Tests;

/// <summary>Locates the committed samples and reads their CSV files (quoted fields, "\n" lines).</summary>
internal static class SampleFiles
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Forecasting.sln"))) return dir.FullName;
        throw new InvalidOperationException("Forecasting.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Harbridge => Path.Combine(RepoRoot(), "data-samples", "harbridge");
    public static string Bad => Path.Combine(RepoRoot(), "data-samples", "bad");

    public static (string[] Header, List<Dictionary<string, string>> Rows) Read(string directory, string table)
    {
        var lines = File.ReadAllText(Path.Combine(directory, table + ".csv"), Encoding.UTF8).Split('\n');
        var header = ParseLine(lines[0]);
        var rows = new List<Dictionary<string, string>>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var fields = ParseLine(line);
            Assert.Equal(header.Length, fields.Length);
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        }
        return (header, rows);
    }

    public static string[] Header(string directory, string table)
    {
        using var reader = new StreamReader(Path.Combine(directory, table + ".csv"), Encoding.UTF8);
        return ParseLine(reader.ReadLine()!);
    }

    /// <summary>One column's values, for large files where building a dictionary per row is wasteful.</summary>
    public static List<string> Column(string directory, string table, string column)
    {
        var lines = File.ReadAllLines(Path.Combine(directory, table + ".csv"), Encoding.UTF8);
        var index = Array.IndexOf(ParseLine(lines[0]), column);
        Assert.True(index >= 0, $"{table} has no column {column}");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => ParseLine(l)[index]).ToList();
    }

    public static List<Dictionary<string, string>> Rows(string table) => Read(Harbridge, table).Rows;

    public static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static int FyOf(DateOnly d) => d.Month >= 4 ? d.Year : d.Year - 1;

    private static string[] ParseLine(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields.ToArray();
    }
}
