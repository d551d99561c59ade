namespace Forecasting.TestSupport;

/// <summary>Reads the sample CSV files directly, to compute expected values without the server.</summary>
public static class SampleCsv
{
    /// <summary>One dictionary per row, keyed by the header; cells missing at the end of a row are empty.</summary>
    public static List<Dictionary<string, string>> Read(string path) => Csv.Load(path).Records().ToList();

    /// <summary>Rows whose ISO date column falls in the financial year starting 1 April of <paramref name="startYear"/>.</summary>
    public static int CountInFinancialYear(IEnumerable<Dictionary<string, string>> rows, string dateColumn, int startYear)
    {
        var from = $"{startYear}-04-01";
        var to = $"{startYear + 1}-03-31";
        return rows.Count(r => string.CompareOrdinal(r[dateColumn], from) >= 0 && string.CompareOrdinal(r[dateColumn], to) <= 0);
    }
}
