using System.Globalization;
using System.Text;

namespace Forecasting.TestSupport;

/// <summary>
/// A deliberately independent reader of the sample CSVs: expected figures in tests are computed
/// from the files with plain C#, never through the store or its SQL.
/// </summary>
public sealed class Csv
{
    private readonly Dictionary<string, int> _index;

    private Csv(string[] header, List<string[]> rows)
    {
        _index = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
        Rows = rows;
    }

    public List<string[]> Rows { get; }

    public string Get(string[] row, string column) => row[_index[column]];

    public static Csv Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = Split(lines[0]);
        return new Csv(header, lines.Skip(1).Where(l => l.Length > 0).Select(Split).ToList());
    }

    public static Csv Sample(string table) => Load(Path.Combine(RepoPaths.Samples, table + ".csv"));

    public IEnumerable<Dictionary<string, string>> Records() =>
        Rows.Select(r => _index.ToDictionary(kv => kv.Key, kv => kv.Value < r.Length ? r[kv.Value] : ""));

    public static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? OptionalDate(string text) => text.Length == 0 ? null : Date(text);

    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else current.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString());
        return fields.ToArray();
    }
}
