using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

[Authorize(Policy = WebPolicies.Commissioner)]
public sealed class IndexModel(DashboardService dashboard) : WebPageModel
{
    public Overview? Overview { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(() =>
    {
        Overview = dashboard.Overview(User2, Council, ct);
        Data = Overview.Context;
        return Task.CompletedTask;
    });
}
