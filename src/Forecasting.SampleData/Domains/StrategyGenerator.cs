using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// The supported living accommodation strategy: version 1 (2021/22 to 2030/31, 551 units in three
/// phases) and version 2, the refresh that re-based the requirement to 467 units for 2024/25 to 2030/31.
/// FY columns are written as labels (2021/22); the importer converts them to the starting year.
/// </summary>
public static class StrategyGenerator
{
    public const string StrategyId = "sl-2021";
    public const string Name = "Supported living accommodation strategy";

    private static readonly (int Version, int StartFy, int EndFy, string CreatedAt, string Author, string Reason)[] Versions =
    {
        (1, 2021, 2030, "2021-03-16 10:00:00", "Harbridge Adult Social Care Commissioning (strategy lead: R. Okafor)",
            "Initial strategy approved by Cabinet: 551 units over 2021-2031 from the 2020 needs assessment"),
        (2, 2024, 2030, "2024-09-10 14:30:00", "Harbridge Adult Social Care Commissioning (strategy lead: R. Okafor)",
            "Refresh: requirement re-based to 467 units for 2024-2031 after the 2024 needs assessment, the failed 155-unit two-site procurement and the 56 units delivered since 2021"),
    };

    private static readonly (int Version, string Phase, int StartFy, int EndFy, int Target)[] Phases =
    {
        (1, "Phase 1", 2021, 2021, 196),
        (1, "Phase 2", 2022, 2025, 66),
        (1, "Phase 3", 2026, 2030, 289),
        (2, "Phase 2", 2024, 2025, 96),
        (2, "Phase 3", 2026, 2030, 371),
    };

    public static CsvTable StrategiesTable()
    {
        var table = new CsvTable("strategies.csv", "council_code", "strategy_id", "version", "name", "start_fy", "end_fy", "client_group",
            "created_at", "author", "reason");
        foreach (var v in Versions)
            table.Add(Council.Code, StrategyId, Fmt.I(v.Version), Name, Calendar.FyLabel(v.StartFy), Calendar.FyLabel(v.EndFy), null,
                v.CreatedAt, v.Author, v.Reason);
        return table;
    }

    public static CsvTable PhasesTable()
    {
        var table = new CsvTable("strategy_phases.csv", "council_code", "strategy_id", "version", "phase", "start_fy", "end_fy", "unit_target");
        foreach (var p in Phases)
            table.Add(Council.Code, StrategyId, Fmt.I(p.Version), p.Phase, Calendar.FyLabel(p.StartFy), Calendar.FyLabel(p.EndFy), Fmt.I(p.Target));
        return table;
    }
}
