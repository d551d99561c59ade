
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class ForecastsModel(DashboardService dashboard, ForecastViews forecasts) : WebPageModel
{
    [BindProperty(SupportsGet = true, Name = "series")]
    public int SeriesIndex { get; set; }

    public IReadOnlyList<StandardSeries> Choices { get; private set; } = [];

    public StandardSeries? Chosen { get; private set; }

    public Forecasting.Application.Forecasts.ForecastRunResult? Run { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(() =>
    {
        Data = dashboard.Context(User2, Council);
        Choices = ForecastViews.Series(Data.CouncilCode);
        if (SeriesIndex < 0 || SeriesIndex >= Choices.Count)
            throw new Forecasting.Domain.InvalidArgumentException("series", $"choose one of the {Choices.Count} series listed");
        Chosen = Choices[SeriesIndex];
        Run = forecasts.Run(Chosen, Data.CouncilCode, User2, ct);
        return Task.CompletedTask;
    });
}
