using Forecasting.Application.Performance;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

/// <summary>
/// The performance scorecard of the signed-in council for a financial year: every measure with data, its year to date,
/// estimated end of year and range, target and status, chance of meeting the target and benchmark quartile, and a chart
/// of each selected measure. The figures are the API's GetPerformance answer for the same council and year.
/// </summary>
[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class PerformanceModel(DashboardService dashboard, PerformanceViews views) : WebPageModel
{
    /// <summary>A financial year like 2024/25; empty = the latest in the council's data.</summary>
    [BindProperty(SupportsGet = true, Name = "fy")]
    public string? FinancialYear { get; set; }

    /// <summary>The position after the first N months of the year (3, 6 or 9 for the end of a quarter); 0 = every month available.</summary>
    [BindProperty(SupportsGet = true, Name = "months")]
    public int Months { get; set; }

    /// <summary>The measures to chart; none given = ASCOF 2A(2) when the scorecard has it, else the first measure.</summary>
    [BindProperty(SupportsGet = true, Name = "measure")]
    public string[] Selected { get; set; } = [];

    public PerformanceAnswer? Answer { get; private set; }

    public IReadOnlyList<MeasurePerformanceAnswer> Charted { get; private set; } = [];

    /// <summary>The financial years offered: the five up to the latest in the data.</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    public const string DefaultChart = "ascof_2a2";

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        Answer = await views.ScorecardWithin(Data.CouncilCode, FinancialYear, Months, ct);
        if (Answer is null)
        {
            Preparing = PerformanceViews.PreparingWords;
            return;
        }
        // The latest year as the use case's default finds it: that of the last complete month of data.
        var latest = Data.DataTo is { } end ? Forecasting.Domain.FinancialYear.Of(end.AddDays(1).AddMonths(-1)) : Answer.FinancialYear;
        Years = Enumerable.Range(Math.Min(latest, Answer.FinancialYear) - 4, Math.Abs(latest - Answer.FinancialYear) + 5).Reverse().ToList();
        var names = Selected.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().ToList();
        if (names.Count == 0)
            names = [Answer.Measures.Any(m => m.Measure.Name == DefaultChart) ? DefaultChart : Answer.Measures[0].Measure.Name];
        var unknown = names.Where(n => Answer.Measures.All(m => m.Measure.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new Forecasting.Domain.InvalidArgumentException("measure",
                $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is" : "are")} not on the scorecard of {Forecasting.Domain.FinancialYear.Label(Answer.FinancialYear)}; choose from the table");
        Charted = Answer.Measures.Where(m => names.Contains(m.Measure.Name)).ToList();
    });

    /// <summary>A link to this page charting <paramref name="measure"/>, keeping the council and the year.</summary>
    public string ChartLink(string measure)
    {
        var query = new List<string>();
        if (Data is not null) query.Add("council=" + Uri.EscapeDataString(Data.CouncilCode));
        if (!string.IsNullOrWhiteSpace(FinancialYear)) query.Add("fy=" + Uri.EscapeDataString(FinancialYear));
        if (Months > 0) query.Add("months=" + Months.ToString(System.Globalization.CultureInfo.InvariantCulture));
        query.Add("measure=" + Uri.EscapeDataString(measure));
        return "/performance?" + string.Join("&", query) + "#chart-" + measure;
    }
}
