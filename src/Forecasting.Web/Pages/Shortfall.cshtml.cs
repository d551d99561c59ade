using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class ShortfallModel(DashboardService dashboard, BaselineResults results) : WebPageModel
{
    /// <summary>A stored result to show (a scenario's run); empty = the latest baseline of the council.</summary>
    [BindProperty(SupportsGet = true, Name = "result")]
    public string? ResultId { get; set; }

    [BindProperty(SupportsGet = true, Name = "group")]
    public string? ClientGroup { get; set; }

    public ShortfallView? View { get; private set; }

    public string Group => View is not null && ClientGroup is { } g && View.ClientGroups.Contains(g) ? g : "all";

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        var result = string.IsNullOrEmpty(ResultId)
            ? await results.Baseline(Data.CouncilCode, User2, ct)
            : await results.Stored(ResultId, User2, ct);
        if (result.CouncilCode != Data.CouncilCode) Data = dashboard.Context(User2, result.CouncilCode);
        View = BaselineResults.View(result);
    });
}
