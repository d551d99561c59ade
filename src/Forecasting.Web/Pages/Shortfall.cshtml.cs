using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class ShortfallModel(DashboardService dashboard, BaselineResults results) : WebPageModel
{
    /// <summary>A stored result to show (a scenario's run); empty = the council's published baseline.</summary>
    [BindProperty(SupportsGet = true, Name = "result")]
    public string? ResultId { get; set; }

    [BindProperty(SupportsGet = true, Name = "group")]
    public string? ClientGroup { get; set; }

    public ShortfallView? View { get; private set; }

    /// <summary>The void rate on the result's as-of date beside the model's void allowance (two figures that differ).</summary>
    public DataTable? Voids { get; private set; }

    public string Group => View is not null && ClientGroup is { } g && View.ClientGroups.Contains(g) ? g : "all";

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        View = string.IsNullOrEmpty(ResultId)
            ? await results.BaselineView(Data.CouncilCode, User2, ct)
            : await results.StoredView(ResultId, User2, ct);
        if (View.Result.CouncilCode != Data.CouncilCode) Data = dashboard.Context(User2, View.Result.CouncilCode);
        Voids = dashboard.VoidRates(User2, Data.CouncilCode, View.Result.Projection.Basis, ct);
    });
}
