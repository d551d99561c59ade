using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages.Scenarios;

/// <summary>The progress of a scenario run started from the list, reloaded every two seconds until it has finished.</summary>
[Authorize(Policy = WebPolicies.Commissioner)]
public sealed class RunModel(DashboardService dashboard, ScenarioRuns runs) : WebPageModel
{
    [BindProperty(SupportsGet = true, Name = "job")]
    public string? JobId { get; set; }

    /// <summary>Set when the user asked for another run while this one was still going.</summary>
    [BindProperty(SupportsGet = true, Name = "busy")]
    public bool Busy { get; set; }

    public ScenarioRun? Run { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Run = string.IsNullOrEmpty(JobId) ? null : runs.Find(JobId, User2);
        if (Run is null) return NotFound();
        return await Load(() =>
        {
            Data = dashboard.Context(User2, Council);
            return Task.CompletedTask;
        });
    }
}
