using Forecasting.Application.Performance;
using Forecasting.Store.Analytics;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

/// <summary>The committee report: one page set out for A4, saved as PDF from the browser's print dialogue.</summary>
[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class ReportModel(DashboardService dashboard, BaselineResults results, PerformanceViews performance) : WebPageModel
{
    /// <summary>The measures with a target in the latest year, at the latest position: what scrutiny asks ("will we hit it?").</summary>
    public PerformanceAnswer? Performance { get; private set; }

    public DataTable? Targets { get; private set; }

    public ShortfallView? Baseline { get; private set; }

    /// <summary>The latest stored run of each scenario of the council on this snapshot.</summary>
    public IReadOnlyList<ShortfallView> Scenarios { get; private set; } = [];

    public DataTable? Comparison { get; private set; }

    public DataTable? AllGroups { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        Baseline = BaselineResults.View(await results.Baseline(Data.CouncilCode, User2, ct));
        Scenarios = (await results.LatestScenarioResults(Data.CouncilCode, User2, ct)).Take(5).Select(BaselineResults.View).ToList();
        AllGroups = Baseline.Shortfall with
        {
            Name = "shortfall",
            Title = "All client groups: units needed, supply, demand-based shortfall (sum of the gaps of the groups that are short), surpluses beside it and the net, at 31 March",
            Rows = Baseline.Shortfall.Rows.Where(r => Equals(r[1], Words.ClientGroup("all"))).ToList(),
        };
        Comparison = BaselineResults.ScenarioTable(Baseline, Scenarios, Data);
        try
        {
            Performance = performance.Scorecard(Data.CouncilCode, null, 0, ct);
            Targets = PerformanceViews.TargetTable(Performance);
        }
        catch (NoDataException)
        {
            // A council without the performance tables has a report of its accommodation alone.
        }
    });
}
