using Forecasting.Application.Planning;
using Forecasting.Planning;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forecasting.Web.Pages.Scenarios;

/// <summary>The council's scenarios; every role may run one (as RunScenario allows), strategy leads edit them.</summary>
[Authorize(Policy = WebPolicies.Commissioner)]
public sealed class IndexModel(DashboardService dashboard, PlanningUseCases planning, ScenarioRuns runs) : WebPageModel
{
    public IReadOnlyList<Scenario> Scenarios { get; private set; } = [];

    public bool CanEdit => User2.Role >= WebRole.StrategyLead;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        Scenarios = await planning.ListScenarios(Data.CouncilCode, false, ct);
    });

    /// <summary>
    /// Starts the scenario's run with the API's defaults (as RunScenario with draws and seed 0) in the background and
    /// shows its progress; one run per user at a time.
    /// </summary>
    public IActionResult OnPostRun(string scenarioId)
    {
        if (string.IsNullOrEmpty(scenarioId)) return BadRequest();
        var (run, started) = runs.Start(User2, scenarioId);
        return RedirectToPage("/Scenarios/Run", new { council = Council, job = run.Id, busy = started ? (bool?)null : true });
    }
}
