using Forecasting.Application.Performance;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

/// <summary>
/// The national measures of a financial year from the council's imported Client Level Data: ASCOF 2A-2E and 3D with the
/// codes they replaced, the SALT tables and the waiting times. The figures are the API's GetNationalMeasures answer.
/// </summary>
[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class NationalMeasuresModel(DashboardService dashboard, NationalMeasuresUseCases national) : WebPageModel
{
    /// <summary>A financial year like 2024/25; empty = the latest the CLD reaches.</summary>
    [BindProperty(SupportsGet = true, Name = "fy")]
    public string? FinancialYear { get; set; }

    public NationalMeasuresAnswer? Answer { get; private set; }

    /// <summary>The financial years offered: those the CLD covers.</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(() =>
    {
        Data = dashboard.Context(User2, Council);
        Answer = national.Measures(Data.CouncilCode, FinancialYear, ct);
        var first = Forecasting.Domain.FinancialYear.Of(Answer.Report.DataStart);
        var last = Forecasting.Domain.FinancialYear.Of(Answer.Report.DataEnd);
        Years = Enumerable.Range(first, last - first + 1).Reverse().ToList();
        return Task.CompletedTask;
    });

    /// <summary>A measure's value as its unit reads: percentages and rates to their decimals, counts whole.</summary>
    public static string Figure(Forecasting.Cld.Measures.CldMeasureResult m, Forecasting.Cld.Measures.CldUnit unit) => unit switch
    {
        Forecasting.Cld.Measures.CldUnit.Percent => m.Value.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture) + "%",
        Forecasting.Cld.Measures.CldUnit.Per100000 => m.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " per 100,000",
        _ => m.Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
    };
}
