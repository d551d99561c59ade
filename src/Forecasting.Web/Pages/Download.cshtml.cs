using System.Text;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;

namespace Forecasting.Web.Pages;

/// <summary>Every table of the pages as CSV or Excel, with the headings and rounding the page shows.</summary>
[Authorize(Policy = WebPolicies.Commissioner)]
[HeavyPage]
public sealed class DownloadModel(DashboardService dashboard, BaselineResults results, PerformanceViews performance, PrevalenceViews prevalence)
    : WebPageModel
{
    public static readonly IReadOnlyList<string> Tables = ["units", "admission-rates", "transitions", "shortfall", "targets", "comparison", "scenarios", "measure-targets",
        "prevalence", "extra-care"];

    [BindProperty(SupportsGet = true, Name = "result")]
    public string? ResultId { get; set; }

    /// <summary>For the comparison table: the scenario compared with the baseline.</summary>
    [BindProperty(SupportsGet = true, Name = "scenario")]
    public string? ScenarioId { get; set; }

    public async Task<IActionResult> OnGetAsync(string table, string format, CancellationToken ct)
    {
        if (!Tables.Contains(table) || format is not ("csv" or "xlsx")) return NotFound();
        DataTable data;
        try
        {
            data = table switch
            {
                "shortfall" or "targets" => await Planning(table, ct),
                "comparison" => await Comparison(ct),
                "scenarios" => await Scenarios(ct),
                "measure-targets" => MeasureTargets(ct),
                "prevalence" or "extra-care" => await Prevalence(table, ct),
                _ => Overview(table, ct),
            };
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }
        catch (NoCouncilException)
        {
            return NotFound();
        }
        catch (Forecasting.Store.Analytics.NoDataException)
        {
            return NotFound();
        }
        var name = $"{data.Name}-{Data!.CouncilCode}-{Data.SnapshotId}.{format}";
        if (format == "csv")
            return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(data.ToCsv())).ToArray(), "text/csv; charset=utf-8", name);
        var stream = new MemoryStream();
        await stream.SaveAsAsync(data.Records(), sheetName: Sheet(data.Name), excelType: ExcelType.XLSX, cancellationToken: ct);
        stream.Position = 0;
        return File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    /// <summary>The committee report's measures against their targets (the latest year, every month available).</summary>
    private DataTable MeasureTargets(CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        return PerformanceViews.TargetTable(performance.Scorecard(Data.CouncilCode, null, 0, ct));
    }

    private DataTable Overview(string table, CancellationToken ct)
    {
        var overview = dashboard.Overview(User2, Council, ct);
        Data = overview.Context;
        return table switch
        {
            "units" => overview.UnitsTable,
            "admission-rates" => overview.RatesTable,
            _ => overview.TransitionsTable,
        };
    }

    private async Task<DataTable> Planning(string table, CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var view = string.IsNullOrEmpty(ResultId)
            ? await results.BaselineView(Data.CouncilCode, User2, ct)
            : await results.StoredView(ResultId, User2, ct);
        if (view.Result.CouncilCode != Data.CouncilCode) Data = dashboard.Context(User2, view.Result.CouncilCode);
        return table == "shortfall" ? view.Shortfall : view.Targets;
    }

    private async Task<DataTable> Comparison(CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var latest = (await results.LatestScenarioResults(Data.CouncilCode, User2, ct)).FirstOrDefault(r => r.ScenarioId == ScenarioId)
                     ?? throw new KeyNotFoundException("no run of that scenario on this snapshot");
        var baseline = await results.BaselineView(Data.CouncilCode, User2, ct);
        return BaselineResults.Comparison(baseline, BaselineResults.View(latest), Data);
    }

    private async Task<DataTable> Scenarios(CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var baseline = await results.BaselineView(Data.CouncilCode, User2, ct);
        var scenarios = (await results.PublishedScenarios(Data.CouncilCode, baseline.Published!, ct)).Take(5).ToList();
        return BaselineResults.ScenarioTable(baseline, scenarios, Data);
    }

    /// <summary>The prevalence cross-check of the result the shortfall page shows.</summary>
    private async Task<DataTable> Prevalence(string table, CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var result = string.IsNullOrEmpty(ResultId)
            ? (await results.Baseline(Data.CouncilCode, User2, ct)).Result
            : await results.Stored(ResultId, User2, ct);
        if (result.CouncilCode != Data.CouncilCode) Data = dashboard.Context(User2, result.CouncilCode);
        var view = await prevalence.For(result, ct);
        return (table == "prevalence" ? view.Groups : view.ExtraCare)
               ?? throw new Forecasting.Store.Analytics.NoDataException(view.Missing ?? "no prevalence data");
    }

    private static string Sheet(string name) => name.Length <= 31 ? name : name[..31];
}
