using Forecasting.Domain;
using Forecasting.Analytics;
using Forecasting.Contracts.V1;
using Forecasting.Engine;
using Forecasting.Server.Security;
using Forecasting.Store;
using Grpc.Core;
using Period = Forecasting.Analytics.Period;

namespace Forecasting.Server.Services;

/// <summary>Thin gRPC layer: forecasts of analytics series, refreshes with progress, stored runs and year-end estimates.</summary>
public sealed class ForecastGrpcService(SeriesForecaster forecaster, ForecastRunRepository runs, AnalyticsQueries analytics, ForecastingStore store,
    Microsoft.Extensions.Options.IOptions<Infrastructure.LimitsOptions> limits)
    : ForecastService.ForecastServiceBase
{
    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context)
    {
        var response = new ListModelsResponse();
        response.Models.AddRange(ForecastOrchestrator.ModelNames);
        return Task.FromResult(response);
    }

    public override async Task<ForecastRun> Forecast(ForecastRequest request, ServerCallContext context)
    {
        if (request.Horizon < 0) throw new InvalidArgumentException("horizon", "must be positive");
        if (request.Horizon > 0 && !string.IsNullOrEmpty(request.UntilFy)) throw new InvalidArgumentException("until_fy", "give horizon or until_fy, not both");
        var caller = Caller.Of(context);
        var query = AnalyticsGrpcService.Scoped(ProtoMapping.ToQuery(request.Selector), context);
        var job = new ForecastJob(query, request.Horizon == 0 ? null : request.Horizon,
            ParseFinancialYear(request.UntilFy, "until_fy"), ProtoMapping.ParseDate(request.BreakDate, "break_date"));
        var run = await Task.Run(() => forecaster.Run("forecast", caller.Describe(), [job], request.Model, request.Levels.ToArray(),
            cancellationToken: context.CancellationToken, maxSeries: limits.Value.MaxForecastSeries), context.CancellationToken);
        runs.Save(run, query.CouncilCode is { } council ? [council] : query.CouncilScope);
        return run;
    }

    /// <summary>The standard series every refresh recomputes, for each council.</summary>
    public static IReadOnlyList<SeriesQuery> StandardSeries(string council)
    {
        IReadOnlyDictionary<string, IReadOnlyList<string>> Age(string group) => new Dictionary<string, IReadOnlyList<string>> { ["age_group"] = [group] };
        return
        [
            new("contacts", council),
            new("admissions", council, Filters: Age("65+")),
            new("admissions", council, Filters: Age("18-64")),
            new("leavers", council),
            new("new_tenancies", council, Breakdown: ["client_group"]),
            new("ended_tenancies", council, Breakdown: ["client_group"]),
            new("waiting_list_additions", council, Breakdown: ["client_group"]),
        ];
    }

    public override async Task Refresh(RefreshRequest request, IServerStreamWriter<RefreshProgress> responseStream, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        var councils = string.IsNullOrEmpty(request.CouncilCode)
            ? analytics.Councils().Where(caller.CanSee).Order(StringComparer.Ordinal).ToList()
            : [analytics.RequireKnownCouncil(caller.RequireCouncil(request.CouncilCode))];
        if (councils.Count == 0) throw new NoDataException("the store holds no councils: import data first");
        var untilFy = ParseFinancialYear(request.UntilFy, "until_fy");
        var jobs = councils.SelectMany(c => StandardSeries(c).Select(q => new ForecastJob(q, null, untilFy ?? DefaultUntilFy(c), null))).ToList();

        var finished = await ProgressStreaming.RunAsync<RefreshProgress, ForecastRun>(progress =>
            {
                var run = forecaster.Run("refresh", caller.Describe(), jobs, "auto", request.Levels.ToArray(),
                    new InlineProgress<(int Done, int Total, string Current)>(v =>
                        progress.Report(new RefreshProgress { Done = v.Done, Total = v.Total, Current = v.Current })),
                    context.CancellationToken);
                runs.Save(run, councils);
                return Task.FromResult(run);
            },
            responseStream.WriteAsync, context.CancellationToken);
        await responseStream.WriteAsync(new RefreshProgress
        {
            Done = finished.Series.Count, Total = finished.Series.Count, RunId = finished.RunId, Finished = true, Current = "stored",
        });
    }

    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        if (request.Limit < 0) throw new InvalidArgumentException("limit", "must be positive");
        var response = new ListRunsResponse();
        response.Runs.AddRange(runs.List(request.Limit == 0 ? 50 : Math.Min(request.Limit, 1000), Caller.Of(context).Councils));
        return Task.FromResult(response);
    }

    public override Task<ForecastRun> GetRun(GetRunRequest request, ServerCallContext context) =>
        Task.FromResult(runs.Get(request.RunId, Caller.Of(context).Councils) ?? throw new KeyNotFoundException($"no forecast run with id '{request.RunId}'"));

    public override Task<YearEndResponse> EstimateYearEnd(YearEndRequest request, ServerCallContext context)
    {
        var query = AnalyticsGrpcService.Scoped(ProtoMapping.ToQuery(request.Selector), context) with { From = null, To = null, Period = Period.Month };
        if (query.Breakdown is { Count: > 0 }) throw new InvalidArgumentException("selector.breakdown", "a year-end estimate is for one series: remove the breakdown");
        if (request.Selector.Period is not (Contracts.V1.Period.Unspecified or Contracts.V1.Period.Month))
            throw new InvalidArgumentException("selector.period", "a year-end estimate works from monthly values: use MONTH");
        var series = analytics.FlowSeries(query, context.CancellationToken);
        var points = series.Groups.Single().Points.Where(p => p.PeriodStart.AddMonths(1).AddDays(-1) <= series.To).ToList();
        if (points.Count == 0) throw new NoDataException("no complete months of data");

        var fy = ParseFinancialYear(request.FinancialYear, "financial_year") ?? FinancialCalendar.FinancialYearOf(points[^1].PeriodStart);
        var inYear = points.Where(p => FinancialCalendar.FinancialYearOf(p.PeriodStart) == fy).ToList();
        if (inYear.Count == 0) throw new InvalidArgumentException("financial_year", $"no data in {FinancialCalendar.FinancialYearLabel(fy)}");
        var months = request.MonthsElapsed == 0 ? inYear.Count : request.MonthsElapsed;
        if (months is < 1 or > 12) throw new InvalidArgumentException("months_elapsed", "must be between 1 and 12");
        if (months > inYear.Count)
            throw new InvalidArgumentException("months_elapsed", $"{FinancialCalendar.FinancialYearLabel(fy)} has only {inYear.Count} months of data");
        // Complete April-March years before the estimated one form the seasonal profile.
        var history = points.Where(p => FinancialCalendar.FinancialYearOf(p.PeriodStart) < fy)
            .SkipWhile(p => p.PeriodStart.Month != 4).Select(p => p.Value).ToArray();
        history = history[..(history.Length / 12 * 12)];

        var estimate = YearEndEstimator.Estimate(history, months, inYear.Take(months).Select(p => p.Value).ToArray(),
            request.Levels.Count == 0 ? null : request.Levels.ToArray());
        var response = new YearEndResponse
        {
            FinancialYear = FinancialCalendar.FinancialYearLabel(fy),
            MonthsElapsed = months,
            YearToDate = estimate.YearToDate,
            Estimate = estimate.Estimate,
            Method = estimate.Method + (estimate.Notes.Count == 0 ? "" : "; " + string.Join("; ", estimate.Notes)),
            Actual = inYear.Count == 12 ? inYear.Sum(p => p.Value) : double.NaN,
            SnapshotId = series.SnapshotId ?? "",
        };
        response.Intervals.AddRange(estimate.Intervals.Select(i => new IntervalBound { Level = i.Level, Lower = i.Lower, Upper = i.Upper }));
        return Task.FromResult(response);
    }


    /// <summary>The end of the council's latest strategy, else five years after its data ends.</summary>
    private int DefaultUntilFy(string council)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT max(end_fy) FROM strategies WHERE council_code = $c";
        cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("c", council));
        if (cmd.ExecuteScalar() is int end) return end;
        var last = analytics.HistoryEnd(connection, council) ?? DateOnly.FromDateTime(DateTime.UtcNow);
        return FinancialCalendar.FinancialYearOf(last) + 5;
    }

    private static int? ParseFinancialYear(string? label, string field)
    {
        if (string.IsNullOrEmpty(label)) return null;
        return FinancialCalendar.TryParseFinancialYear(label, out var fy) ? fy
            : throw new InvalidArgumentException(field, $"'{label}' is not a financial year like 2030/31");
    }
}
