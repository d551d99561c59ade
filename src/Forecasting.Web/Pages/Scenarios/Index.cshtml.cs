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
public sealed class IndexModel(DashboardService dashboard, PlanningUseCases planning, BaselineResults results) : WebPageModel
{
    public IReadOnlyList<Scenario> Scenarios { get; private set; } = [];

    public bool CanEdit => User2.Role >= WebRole.StrategyLead;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        Scenarios = await planning.ListScenarios(Data.CouncilCode, false, ct);
    });

    /// <summary>Runs the scenario with the API's defaults (as RunScenario with draws and seed 0) and shows it against the baseline.</summary>
    public async Task<IActionResult> OnPostRunAsync(string scenarioId, CancellationToken ct)
    {
        IActionResult? outcome = null;
        var page = await Load(async () =>
        {
            var result = await results.RunStored(scenarioId, User2, ct);
            outcome = RedirectToPage("/Scenarios/Compare", new { council = result.CouncilCode, scenario = scenarioId });
        });
        if (outcome is not null) return outcome;
        if (page is PageResult) await OnGetAsync(ct);
        return page;
    }
}
