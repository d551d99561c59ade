using Forecasting.Application.Performance;
using Forecasting.Cld.Measures;

namespace Forecasting.Web.Dashboard;

/// <summary>
/// The national measures page's tables as the downloads write them (the page's figures, numbers as numbers): the ASCOF
/// measures, each SALT-style table of counts and the waiting times.
/// </summary>
public static class NationalMeasuresViews
{
    public const string MeasuresTable = "national-measures";

    public const string WaitingTable = "waiting-times";

    /// <summary>The download name of one table of counts: "national-" and its code, lower case, letters and digits only.</summary>
    public static string TableName(CldTable table) =>
        "national-" + new string(table.Code.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    public static IReadOnlyList<DataTable> Tables(NationalMeasuresAnswer answer)
    {
        var r = answer.Report;
        var source = $"GetNationalMeasures, {Words.Year(r.FinancialYear)}, snapshot {answer.SnapshotId}";
        var tables = new List<DataTable>
        {
            DataTable.Build(MeasuresTable, $"ASCOF measures, {Words.Year(r.FinancialYear)}", source,
                [new("Code"), new("Measure"), new("Value", 2), new("Unit"), new("People", 0), new("Of", 0), new("Period from"), new("Period to"),
                 new("Code before 2023-24")],
                r.Measures.Select(m =>
                {
                    var definition = CldMeasureCatalogue.All.FirstOrDefault(d => d.Code == m.Code);
                    return new object?[]
                    {
                        m.Code, m.Title, (double)m.Value, Unit(definition?.Unit ?? CldUnit.Count), (double)m.Numerator, (double)m.Denominator,
                        m.PeriodStart.ToString("yyyy-MM-dd"), m.PeriodEnd.ToString("yyyy-MM-dd"),
                        definition is null ? "" : string.Join(", ", definition.Aliases.Select(x => x.Code + (x.Approximate ? " (approximately)" : ""))),
                    };
                })),
        };
        tables.AddRange(r.Tables.Select(t => DataTable.Build(TableName(t), $"{t.Code}: {t.Title}, {Words.Date(t.PeriodStart)} to {Words.Date(t.PeriodEnd)}", source,
            [.. t.Columns.Select(c => new Column(c)), new("Count", 0)],
            t.Rows.Select(row => row.Keys.Cast<object?>().Append((double)row.Count).ToArray()))));
        tables.Add(DataTable.Build(WaitingTable, "Median days waited, by quarter and age band", source,
            [new("Wait"), new("Period from"), new("Period to"), new("Age"), new("Waits", 0), new("Median days", 1)],
            r.WaitingTimes.Rows.Select(w => new object?[]
            {
                w.Metric, w.PeriodStart.ToString("yyyy-MM-dd"), w.PeriodEnd.ToString("yyyy-MM-dd"), w.AgeBand, (double)w.Waits, w.MedianDays,
            })));
        return tables;
    }

    /// <summary>The unit's name as the measure tables use it (<see cref="DataTable.InUnit"/>).</summary>
    public static string Unit(CldUnit unit) => unit switch
    {
        CldUnit.Percent => "%",
        CldUnit.Per100000 => "per 100,000",
        CldUnit.Days => "days",
        _ => "people",
    };
}
