using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages.Publications;

/// <summary>Publishes a stored run as the council's figures (as PublishResult): analysts and strategy leads.</summary>
[Authorize(Policy = WebPolicies.StrategyLead)]
public sealed class PublishModel(DashboardService dashboard, BaselineResults results) : WebPageModel
{
    [BindProperty(Name = "resultId")]
    public string? ResultId { get; set; }

    [BindProperty(Name = "label")]
    public string? Label { get; set; }

    public IActionResult OnGet() => RedirectToPage("/Publications/Index", new { council = Council });

    public Task<IActionResult> OnPostAsync(CancellationToken ct) => Run(async () =>
    {
        Data = dashboard.Context(User2, Council);
        var published = await results.Publish(ResultId ?? "", Label ?? "", User2, ct);
        return RedirectToPage("/Publications/Index", new { council = published.Result.CouncilCode, published = published.Result.ResultId });
    });

    /// <summary>As <see cref="WebPageModel.Load"/>, for a form that redirects when it succeeds.</summary>
    private async Task<IActionResult> Run(Func<Task<IActionResult>> publish)
    {
        IActionResult? done = null;
        var page = await Load(async () => done = await publish());
        return done ?? page;
    }
}
