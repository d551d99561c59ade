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
public sealed class DownloadModel(DashboardService dashboard, BaselineResults results, PerformanceViews performance, PrevalenceViews prevalence,
    ForecastViews forecasts)
    : WebPageModel
{
    public static readonly IReadOnlyList<string> Tables = ["units", "admission-rates", "transitions", "shortfall", "targets", "comparison", "scenarios", "measure-targets",
        "prevalence", "extra-care", "scorecard", "forecast"];

    [BindProperty(SupportsGet = true, Name = "result")]
    public string? ResultId { get; set; }

    /// <summary>For the comparison table: the scenario compared with the baseline.</summary>
    [BindProperty(SupportsGet = true, Name = "scenario")]
    public string? ScenarioId { get; set; }

    /// <summary>For the scorecard and the measures with a target: the performance page's year (empty = the latest) and position (0 = every month).</summary>
    [BindProperty(SupportsGet = true, Name = "fy")]
    public string? FinancialYear { get; set; }

    [BindProperty(SupportsGet = true, Name = "months")]
    public int Months { get; set; }

    /// <summary>For the forecast: the forecasts page's series.</summary>
    [BindProperty(SupportsGet = true, Name = "series")]
    public int Series { get; set; }

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
                "measure-targets" => PerformanceViews.TargetTable(Scorecard(ct)),
                "scorecard" => PerformanceViews.ScorecardTable(Scorecard(ct)),
                "forecast" => Forecast(ct),
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
        catch (Forecasting.Domain.InvalidArgumentException e)
        {
            return BadRequest(e.Message);
        }
        var name = $"{data.Name}-{Data!.CouncilCode}-{Data.SnapshotId}.{format}";
        if (format == "csv")
            return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(data.ToCsv())).ToArray(), "text/csv; charset=utf-8", name);
        var stream = new MemoryStream();
        await stream.SaveAsAsync(data.Records(), sheetName: Sheet(data.Name), excelType: ExcelType.XLSX, cancellationToken: ct);
        stream.Position = 0;
        return File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    /// <summary>The scorecard of the year and position the performance page shows (the report's: the latest year, every month).</summary>
    private Forecasting.Application.Performance.PerformanceAnswer Scorecard(CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        if (Months is not (0 or 3 or 6 or 9)) throw new Forecasting.Domain.InvalidArgumentException("months", "use 0 (every month), 3, 6 or 9");
        return performance.Scorecard(Data.CouncilCode, FinancialYear, Months, ct);
    }

    /// <summary>The forecast the forecasts page shows for its series (the same stored run).</summary>
    private DataTable Forecast(CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var choices = ForecastViews.Series(Data.CouncilCode);
        if (Series < 0 || Series >= choices.Count)
            throw new Forecasting.Domain.InvalidArgumentException("series", $"choose one of the {choices.Count} series of the forecasts page (0 to {choices.Count - 1})");
        return ForecastViews.Table(forecasts.Run(choices[Series], Data.CouncilCode, User2, ct), choices[Series]);
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
