using Forecasting.Application.Forecasts;
using Forecasting.Store.Forecasts;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages.Data;

/// <summary>
/// Recomputes every standard forecast of every council the key may see, as the API's Refresh does with its defaults,
/// and stores it as one run. Audited under Refresh.
/// </summary>
[Authorize(Policy = WebPolicies.Analyst)]
[HeavyPage]
public sealed class RefreshModel(DashboardService dashboard, ForecastUseCases forecasts, WebAudit audit) : WebPageModel
{
    [BindProperty(SupportsGet = true, Name = "run")]
    public string? RunId { get; set; }

    /// <summary>The run just made (or asked for by id).</summary>
    public ForecastRunResult? Run { get; private set; }

    /// <summary>The latest stored refresh runs the key may see.</summary>
    public IReadOnlyList<ForecastRunSummary> Recent { get; private set; } = [];

    public Task<IActionResult> OnGetAsync() => Load(() =>
    {
        Data = dashboard.Context(User2, Council);
        if (!string.IsNullOrEmpty(RunId)) Run = forecasts.GetRun(RunId, User2.Councils);
        Recent = forecasts.ListRuns(50, User2.Councils).Where(r => r.Kind == "refresh").Take(5).ToList();
        return Task.CompletedTask;
    });

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = User2;
        ForecastRunResult? run = null;
        var page = await Load(async () =>
        {
            Data = dashboard.Context(user, Council);
            var plan = forecasts.PlanRefresh(null, user.CanSee, null);
            run = await audit.Write(user, WebAudit.Refresh, null,
                () => Task.Run(() => forecasts.Refresh(plan, [], $"{user.Name} ({WebUser.RoleName(user.Role)})", null, ct), ct),
                r => WebAudit.Targets(("run_id", r.RunId)));
        });
        if (run is not null) return RedirectToPage("/Data/Refresh", new { council = Data?.CouncilCode, run = run.RunId });
        return page;
    }
}
