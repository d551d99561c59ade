using System.Text;
using Forecasting.Application.Performance;
using Forecasting.Application.Planning;
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
    ForecastViews forecasts, NationalMeasuresUseCases national, PlanningUseCases planning)
    : WebPageModel
{
    public static readonly IReadOnlyList<string> Tables = ["units", "admission-rates", "transitions", "shortfall", "shortfall-all", "targets", "comparison", "scenarios", "measure-targets",
        "prevalence", "extra-care", "scorecard", "forecast", "void-rates", "report-costs", "costs-baseline", "costs-scenario", "waiting-costs-baseline",
        "waiting-costs-scenario", "budget-lines-baseline", "budget-lines-scenario", "publications", "runs", "scenario-list",
        NationalMeasuresViews.MeasuresTable, NationalMeasuresViews.WaitingTable];

    /// <summary>A table of the pages: one of <see cref="Tables"/>, or one of the national measures' tables of counts ("national-" and its code).</summary>
    public static bool Known(string table) => Tables.Contains(table) || table.StartsWith("national-", StringComparison.Ordinal);

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
        if (!Known(table) || format is not ("csv" or "xlsx")) return NotFound();
        DataTable data;
        try
        {
            data = table switch
            {
                "shortfall" or "shortfall-all" or "targets" => await Planning(table, ct),
                "comparison" => await Comparison(ct),
                "scenarios" => await Scenarios(ct),
                "measure-targets" => PerformanceViews.TargetTable(Scorecard(ct)),
                "scorecard" => PerformanceViews.ScorecardTable(Scorecard(ct)),
                "forecast" => Forecast(ct),
                "prevalence" or "extra-care" => await Prevalence(table, ct),
                "void-rates" => await Voids(ct),
                "report-costs" or "costs-baseline" or "waiting-costs-baseline" or "budget-lines-baseline" => await BaselineCosts(table, ct),
                "costs-scenario" or "waiting-costs-scenario" or "budget-lines-scenario" => await ScenarioCosts(table, ct),
                "publications" or "runs" => await PublicationLists(table, ct),
                "scenario-list" => await ScenarioList(ct),
                _ when table.StartsWith("national-", StringComparison.Ordinal) || table == NationalMeasuresViews.WaitingTable => National(table, ct),
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
        return table switch
        {
            "shortfall" => view.Shortfall,
            // The report's table: all client groups only.
            "shortfall-all" => view.Shortfall with
            {
                Name = table,
                Rows = view.Shortfall.Rows.Where(r => Equals(r[1], Words.ClientGroup("all"))).ToList(),
            },
            _ => view.Targets,
        };
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

    /// <summary>The shortfall page's void rates beside the model's void allowance, for the run it shows.</summary>
    private async Task<DataTable> Voids(CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var view = string.IsNullOrEmpty(ResultId)
            ? await results.BaselineView(Data.CouncilCode, User2, ct)
            : await results.StoredView(ResultId, User2, ct);
        if (view.Result.CouncilCode != Data.CouncilCode) Data = dashboard.Context(User2, view.Result.CouncilCode);
        return dashboard.VoidRates(User2, Data.CouncilCode, view.Result.Projection.Basis, ct);
    }

    /// <summary>The cost tables of the published baseline (the report's and the comparison page's), or of the run <c>?result=</c> names.</summary>
    private async Task<DataTable> BaselineCosts(string table, CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var view = string.IsNullOrEmpty(ResultId)
            ? await results.BaselineView(Data.CouncilCode, User2, ct)
            : await results.StoredView(ResultId, User2, ct);
        if (view.Result.CouncilCode != Data.CouncilCode) Data = dashboard.Context(User2, view.Result.CouncilCode);
        return CostTable(table, view) ?? throw new Forecasting.Store.Analytics.NoDataException("the run has no costs");
    }

    /// <summary>The cost tables of the scenario's latest run on the current data, as the comparison page shows them.</summary>
    private async Task<DataTable> ScenarioCosts(string table, CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var latest = (await results.LatestScenarioResults(Data.CouncilCode, User2, ct)).FirstOrDefault(r => r.ScenarioId == ScenarioId)
                     ?? throw new KeyNotFoundException("no run of that scenario on this snapshot");
        return CostTable(table, BaselineResults.View(latest)) ?? throw new Forecasting.Store.Analytics.NoDataException("the run has no costs");
    }

    private static DataTable? CostTable(string table, ShortfallView view) => table switch
    {
        "report-costs" => BaselineResults.CostSummary(view),
        _ when table.StartsWith("costs-", StringComparison.Ordinal) => BaselineResults.Costs(view),
        _ when table.StartsWith("waiting-costs-", StringComparison.Ordinal) => BaselineResults.WaitingCosts(view),
        _ => BaselineResults.BudgetLines(view),
    };

    /// <summary>The published-figures page's lists: every publication, and the runs on the current data.</summary>
    private async Task<DataTable> PublicationLists(string table, CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        if (table == "publications") return ListTables.Publications(await results.Publications(Data.CouncilCode, ct), Data);
        var baselines = (await planning.ListScenarioResults(null, User2.CanSee, ct)).Where(r => r.CouncilCode == Data.CouncilCode && r.SnapshotId == Data.SnapshotId);
        var scenarios = await results.LatestScenarioResults(Data.CouncilCode, User2, ct);
        return ListTables.Runs(baselines.Concat(scenarios).OrderByDescending(r => r.CreatedAt).Take(Publications.IndexModel.MaxRuns).ToList(), Data);
    }

    private async Task<DataTable> ScenarioList(CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        return ListTables.Scenarios(await planning.ListScenarios(Data.CouncilCode, false, ct), Data);
    }

    /// <summary>A table of the national measures page for the year it shows (<c>?fy=</c>, empty = the latest).</summary>
    private DataTable National(string table, CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        var answer = national.Measures(Data.CouncilCode, FinancialYear, ct);
        return NationalMeasuresViews.Tables(answer).FirstOrDefault(t => t.Name == table) ?? throw new KeyNotFoundException($"no table {table}");
    }

    private static string Sheet(string name) => name.Length <= 31 ? name : name[..31];
}
