using System.Globalization;
using Forecasting.Application.Planning;
using Forecasting.Planning;

namespace Forecasting.Web.Dashboard;

/// <summary>The lists of the published-figures and scenarios pages as the downloads write them (the pages' rows and figures).</summary>
public static class ListTables
{
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Every publication of the council, newest first, with the run's draws, seed and data snapshot for analysts.</summary>
    public static DataTable Publications(IReadOnlyList<PublishedResult> history, DataContext context) =>
        DataTable.Build("publications", $"Publications of {context.CouncilName}, newest first", $"ListPublications, {history.Count} publications",
            [new("Label"), new("Run"), new("Published by"), new("Published"), new("Simulated futures", 0), new("Seed", 0), new("Data snapshot"), new("Result")],
            history.Select(p => new object?[]
            {
                p.Publication.Label, p.Result.ScenarioName, p.Publication.PublishedBy, Time(p.Publication.PublishedAt), (double)p.Result.Draws, (double)p.Result.Seed,
                p.Result.SnapshotId, p.Result.ResultId,
            }));

    /// <summary>The stored runs on the current data that can be published, with the sum of group gaps at the end of each.</summary>
    public static DataTable Runs(IReadOnlyList<PlanningResult> runs, DataContext context) =>
        DataTable.Build("runs", "Stored runs that can be published, newest first", $"snapshot {context.SnapshotId}, {runs.Count} runs",
            [new("Run"), new("Made"), new("Simulated futures", 0), new("Seed", 0), new("Shortfall at the end (sum of group gaps)", 0), new("Result")],
            runs.Select(r => new object?[]
            {
                r.ScenarioName, Time(r.CreatedAt), (double)r.Draws, (double)r.Seed, EndGap(r), r.ResultId,
            }));

    /// <summary>The sum of group gaps at the end of the run's period, all client groups: the figure a publication would set.</summary>
    public static double? EndGap(PlanningResult result) => result.Years().Where(y => y.ClientGroup == "all").MaxBy(y => y.Fy)?.SumOfGroupGaps;

    /// <summary>The council's scenarios: what each changes, in words, and its revision.</summary>
    public static DataTable Scenarios(IReadOnlyList<Scenario> scenarios, DataContext context) =>
        DataTable.Build("scenario-list", $"Scenarios of {context.CouncilName}", $"ListScenarios, {scenarios.Count} scenarios",
            [new("Scenario"), new("Description"), new("What it changes"), new("Revision", 0), new("By"), new("Saved")],
            scenarios.Select(s => new object?[]
            {
                s.Name, s.Description ?? "", LeverText.Describe(s.Levers) is { Count: > 0 } lines ? string.Join(" ", lines) : "Nothing (same as the baseline)",
                (double)s.Revision, s.Author, Time(s.CreatedAt),
            }));
}
