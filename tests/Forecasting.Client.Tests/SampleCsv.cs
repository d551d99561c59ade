namespace Forecasting.Client.Tests;

/// <summary>Reads the sample CSV files directly, to compute expected values without the server.</summary>
public static class SampleCsv
{
    public static List<Dictionary<string, string>> Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = Split(reader.ReadLine() ?? "");
        var rows = new List<Dictionary<string, string>>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var cells = Split(line);
            var row = new Dictionary<string, string>(header.Count);
            for (var i = 0; i < header.Count; i++) row[header[i]] = i < cells.Count ? cells[i] : "";
            rows.Add(row);
        }

        return rows;
    }

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }

        cells.Add(cell.ToString());
        return cells;
    }

    /// <summary>Rows whose ISO date column falls in the financial year starting 1 April of <paramref name="startYear"/>.</summary>
    public static int CountInFinancialYear(IEnumerable<Dictionary<string, string>> rows, string dateColumn, int startYear)
    {
        var from = $"{startYear}-04-01";
        var to = $"{startYear + 1}-03-31";
        return rows.Count(r => string.CompareOrdinal(r[dateColumn], from) >= 0 && string.CompareOrdinal(r[dateColumn], to) <= 0);
    }
}
