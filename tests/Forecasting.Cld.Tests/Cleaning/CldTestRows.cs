using System.Text;
using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Reading;

namespace Forecasting.Cld.Tests.Cleaning;

/// <summary>Small hand-made CLD rows: a valid service-user assessment, changed cell by cell.</summary>
internal static class CldTestRows
{
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["LA_Code"] = "E06009999",
        ["LA_Name"] = "Harbridge City Council",
        ["Reporting_Period_Start_Date"] = "2025-04-01",
        ["Reporting_Period_End_Date"] = "2026-03-31",
        ["Der_Unique_Record_ID"] = "1",
        ["LA_Person_Unique_Identifier"] = "P1",
        ["Der_NHS_Number_Pseudo"] = "N1",
        ["Der_NHS_Number_Traced_Pseudo"] = "T1",
        ["Gender"] = "Female",
        ["Der_Birth_Year"] = "1940",
        ["Der_Birth_Month"] = "3",
        ["Client_Type"] = "Service user",
        ["Primary_Support_Reason"] = "Physical support: Personal care support",
        ["Accommodation_Status"] = "Owner occupier or shared ownership scheme",
        ["Event_Type"] = "Assessment",
        ["Event_Start_Date"] = "2025-05-01",
        ["Event_End_Date"] = "2025-05-10",
        ["Event_Outcome"] = "Progress to support planning or services",
        ["Assessment_Type"] = "Long term assessment",
    };

    public static string?[] Cells(params (string Column, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>(Defaults);
        foreach (var (column, value) in changes)
        {
            if (!CldColumns.Names.Contains(column)) throw new ArgumentException($"no column {column}");
            values[column] = value;
        }
        return CldColumns.Names.Select(n => values.GetValueOrDefault(n)).ToArray();
    }

    public static CldRow Row(long line, params (string Column, string? Value)[] changes) =>
        CldRowParser.Parse(Cells(changes), "test.csv", line, 0, e => throw new InvalidOperationException(e.ToString()))!;

    /// <summary>A service row: changes apply on top of the service defaults.</summary>
    public static CldRow Service(long line, params (string Column, string? Value)[] changes) =>
        Row(line, [("Event_Type", "Service"), ("Assessment_Type", null), ("Event_Outcome", null),
            ("Service_Type", "Long term support: Community"), ("Service_Component", "Home support or domiciliary care"),
            ("Event_End_Date", null), .. changes]);

    public static CldCleanResult Clean(params CldRow[] rows) => CldPipeline.Clean(rows);

    public static string CsvLine(IEnumerable<string?> cells) =>
        string.Join(",", cells.Select(c => c is null ? "" : c.Contains(',') || c.Contains('"') ? "\"" + c.Replace("\"", "\"\"") + "\"" : c));

    /// <summary>Writes rows (cell arrays in layout order) under the layout header to a temporary CSV file.</summary>
    public static string WriteCsv(IEnumerable<string?[]> rows, string? header = null)
    {
        var path = Path.Combine(Path.GetTempPath(), "cld-test-" + Guid.NewGuid().ToString("N") + ".csv");
        var text = new StringBuilder();
        text.Append(header ?? string.Join(",", CldColumns.Names)).Append('\n');
        foreach (var row in rows) text.Append(CsvLine(row)).Append('\n');
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
