using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages.Scenarios;

/// <summary>A scenario's latest run side by side with the baseline run with the same draws and seed.</summary>
[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class CompareModel(DashboardService dashboard, BaselineResults results) : WebPageModel
{
    [BindProperty(SupportsGet = true, Name = "scenario")]
    public string? ScenarioId { get; set; }

    public ShortfallView? Baseline { get; private set; }
    public ShortfallView? Scenario { get; private set; }
    public DataTable? Table { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        if (string.IsNullOrEmpty(ScenarioId)) throw new Forecasting.Domain.InvalidArgumentException("scenario", "choose a scenario from the list");
        var latest = (await results.LatestScenarioResults(Data.CouncilCode, User2, ct)).FirstOrDefault(r => r.ScenarioId == ScenarioId);
        if (latest is null)
        {
            Problem = "This scenario has not been run on the current data yet: run it from the list of scenarios.";
            return;
        }
        Baseline = await results.BaselineView(Data.CouncilCode, User2, ct);
        Scenario = BaselineResults.View(await results.Stored(latest.ResultId, User2, ct));
        Table = BaselineResults.Comparison(Baseline, Scenario, Data);
    });
}
