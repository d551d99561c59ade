using Forecasting.Application.Performance;
using Forecasting.Store.Analytics;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages;

/// <summary>
/// The committee report: one page set out for A4. At /report.pdf the same page comes as a PDF file printed by the server
/// (<see cref="ReportPrinter"/>); a report that cannot show its figures stays a page, with the reason.
/// </summary>
[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
[PrintedAsPdf("/report.pdf")]
public sealed class ReportModel(DashboardService dashboard, BaselineResults results, PerformanceViews performance) : WebPageModel, IPrintablePage
{
    /// <summary>A published baseline run to report (a past publication); empty = the council's latest.</summary>
    [BindProperty(SupportsGet = true, Name = "result")]
    public string? ResultId { get; set; }

    /// <summary>The measures with a target in the latest year, at the latest position: what scrutiny asks ("will we hit it?").</summary>
    public PerformanceAnswer? Performance { get; private set; }

    public DataTable? Targets { get; private set; }

    public ShortfallView? Baseline { get; private set; }

    /// <summary>The published run of each scenario of the council beside the baseline.</summary>
    public IReadOnlyList<ShortfallView> Scenarios { get; private set; } = [];

    public DataTable? Comparison { get; private set; }

    public DataTable? AllGroups { get; private set; }

    /// <summary>The link to this report as a PDF file (the same run).</summary>
    public string PdfLink => "/report.pdf" + CouncilQuery + (string.IsNullOrEmpty(ResultId) ? "" : (CouncilQuery.Length == 0 ? "?" : "&") + "result=" + Uri.EscapeDataString(ResultId));

    /// <summary>The PDF's name: the council and the publication's date; none when the report shows a problem instead.</summary>
    public string? PdfFileName => Problem is null && Baseline is not null
        ? $"committee-report-{Data!.CouncilCode}-{Baseline.Published?.PublishedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "unpublished"}.pdf"
        : null;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        Data = dashboard.Context(User2, Council);
        if (string.IsNullOrEmpty(ResultId)) Baseline = await results.BaselineView(Data.CouncilCode, User2, ct);
        else
        {
            var stored = await results.StoredView(ResultId, User2, ct);
            if (stored.Published is null || stored.Result.ScenarioId is not null)
            {
                Problem = $"Run {ResultId} is not a published baseline: a report is produced for a published baseline only. The list of publications is on the published figures page.";
                return;
            }
            if (stored.Result.CouncilCode != Data.CouncilCode) Data = dashboard.Context(User2, stored.Result.CouncilCode);
            Baseline = stored;
        }
        Scenarios = (await results.PublishedScenarios(Data.CouncilCode, Baseline.Published!, ct)).Take(5).ToList();
        AllGroups = Baseline.Shortfall with
        {
            Name = "shortfall-all",
            Title = "All client groups: units needed, supply, demand-based shortfall (sum of the gaps of the groups that are short), surpluses beside it and the net, at 31 March",
            Rows = Baseline.Shortfall.Rows.Where(r => Equals(r[1], Words.ClientGroup("all"))).ToList(),
        };
        Comparison = BaselineResults.ScenarioTable(Baseline, Scenarios, Data);
        try
        {
            // The PDF waits for the scorecard; the page says it is being prepared and reloads.
            Performance = HttpContext.Request.Path.StartsWithSegments("/report.pdf")
                ? performance.Scorecard(Data.CouncilCode, null, 0, ct)
                : await performance.ScorecardWithin(Data.CouncilCode, null, 0, ct);
            if (Performance is null) Preparing = PerformanceViews.PreparingWords;
            else Targets = PerformanceViews.TargetTable(Performance);
        }
        catch (NoDataException)
        {
            // A council without the performance tables has a report of its accommodation alone.
        }
    });
}
