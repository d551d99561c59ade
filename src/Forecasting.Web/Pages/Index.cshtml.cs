using Forecasting.Application.Performance;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class IndexModel(DashboardService dashboard, BaselineResults results, PerformanceViews performance) : WebPageModel
{
    public Overview? Overview { get; private set; }

    /// <summary>The council's published baseline: the shortfall headline the overview opens with.</summary>
    public ShortfallView? Shortfall { get; private set; }

    /// <summary>The measures with a target in the latest year; null when the council has no performance data.</summary>
    public DataTable? Targets { get; private set; }

    public int? TargetYear { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        var context = dashboard.Context(User2, Council);
        // The target summary's scorecard is computed while the rest of the overview is read.
        var scorecard = performance.ScorecardWithin(context.CouncilCode, null, 0, ct);
        Overview = dashboard.Overview(User2, Council, ct);
        Data = Overview.Context;
        Shortfall = await results.BaselineView(Data.CouncilCode, User2, ct);
        try
        {
            if (await scorecard is { } answer) (Targets, TargetYear) = (PerformanceViews.TargetTable(answer), answer.FinancialYear);
            else Preparing = PerformanceViews.PreparingWords;
        }
        catch (Forecasting.Store.Analytics.NoDataException)
        {
            // A council without the performance tables has an overview without the target summary.
        }
    });
}
