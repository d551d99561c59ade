using Forecasting.Application.Planning;
using Forecasting.Planning;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages.Publications;

/// <summary>
/// The published figures: every publication of the council (each with its report), and the stored runs on the current
/// data that an analyst or strategy lead may publish.
/// </summary>
[Authorize(Policy = WebPolicies.Commissioner)]
public sealed class IndexModel(DashboardService dashboard, BaselineResults results, PlanningUseCases planning) : WebPageModel
{
    /// <summary>Runs listed for publishing, newest first: enough for a meeting's worth of runs without a long page.</summary>
    public const int MaxRuns = 20;

    public IReadOnlyList<PublishedResult> History { get; private set; } = [];

    public IReadOnlyList<PlanningResult> Runs { get; private set; } = [];

    public bool CanPublish => User2.Role >= WebRole.StrategyLead;

    /// <summary>The result just published (after the form), to name it on the page.</summary>
    [BindProperty(SupportsGet = true, Name = "published")]
    public string? JustPublished { get; set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        History = await results.Publications(Data.CouncilCode, ct);
        var snapshot = Data.SnapshotId;
        var baselines = (await planning.ListScenarioResults(null, User2.CanSee, ct)).Where(r => r.CouncilCode == Data.CouncilCode && r.SnapshotId == snapshot);
        var scenarios = await results.LatestScenarioResults(Data.CouncilCode, User2, ct);
        Runs = baselines.Concat(scenarios).OrderByDescending(r => r.CreatedAt).Take(MaxRuns).ToList();
    });

    /// <summary>The sum of group gaps at the end of the run's period, all client groups: the figure a publication would set.</summary>
    public static double? Headline(PlanningResult result) => ListTables.EndGap(result);
}
