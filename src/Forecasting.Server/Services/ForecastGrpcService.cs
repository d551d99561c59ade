using Forecasting.Application;
using Forecasting.Application.Forecasts;
using Forecasting.Contracts.V1;
using Forecasting.Engine;
using Forecasting.Server.Security;
using Grpc.Core;

namespace Forecasting.Server.Services;

/// <summary>Thin gRPC layer over the forecasting use cases: forecasts, refreshes with progress, stored runs and year-end estimates.</summary>
public sealed class ForecastGrpcService(ForecastUseCases forecasts, Microsoft.Extensions.Options.IOptions<Infrastructure.LimitsOptions> limits,
    Infrastructure.SnapshotDates dates)
    : ForecastService.ForecastServiceBase
{
    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context)
    {
        var response = new ListModelsResponse();
        response.Models.AddRange(ForecastOrchestrator.ModelNames);
        return Task.FromResult(response);
    }

    public override Task<ForecastRun> Forecast(ForecastRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        var query = AnalyticsGrpcService.Scoped(ProtoMapping.ToQuery(request.Selector), context);
        var breakDate = ProtoMapping.ParseDate(request.BreakDate, "break_date");
        return Task.Run(() => Dated(ForecastMapping.ToProto(forecasts.Forecast(query, request.Horizon, request.UntilFy, breakDate, request.Model,
            request.Levels.ToArray(), caller.Describe(), limits.Value.MaxForecastSeries, context.CancellationToken, request.Reconciliation, request.KeepTop))), context.CancellationToken);
    }

    public override async Task Refresh(RefreshRequest request, IServerStreamWriter<RefreshProgress> responseStream, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        var plan = forecasts.PlanRefresh(string.IsNullOrEmpty(request.CouncilCode) ? null : caller.RequireCouncil(request.CouncilCode),
            council => caller.CanSee(council), request.UntilFy);

        var finished = await ProgressStreaming.RunAsync<RefreshProgress, ForecastRunResult>(progress =>
                Task.FromResult(forecasts.Refresh(plan, request.Levels.ToArray(), caller.Describe(),
                    new InlineProgress<(int Done, int Total, string Current)>(v =>
                        progress.Report(new RefreshProgress { Done = v.Done, Total = v.Total, Current = v.Current })),
                    context.CancellationToken)),
            responseStream.WriteAsync, context.CancellationToken);
        await responseStream.WriteAsync(new RefreshProgress
        {
            Done = finished.Series.Count, Total = finished.Series.Count, RunId = finished.RunId, Finished = true, Current = "stored",
        });
    }

    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        var response = new ListRunsResponse();
        response.Runs.AddRange(forecasts.ListRuns(request.Limit, Caller.Of(context).Councils).Select(r => new RunInfo
        {
            RunId = r.RunId,
            Kind = r.Kind,
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(r.CreatedAt),
            SnapshotId = r.SnapshotId,
            AsOfDate = dates.Of(r.SnapshotId),
            SeriesCount = r.SeriesCount,
        }));
        return Task.FromResult(response);
    }

    public override Task<ForecastRun> GetRun(GetRunRequest request, ServerCallContext context) =>
        Task.FromResult(Dated(ForecastMapping.ToProto(forecasts.GetRun(request.RunId, Caller.Of(context).Councils))));

    private ForecastRun Dated(ForecastRun run)
    {
        run.AsOfDate = dates.Of(run.SnapshotId);
        return run;
    }

    public override Task<YearEndResponse> EstimateYearEnd(YearEndRequest request, ServerCallContext context)
    {
        var query = AnalyticsGrpcService.Scoped(ProtoMapping.ToQuery(request.Selector), context);
        var answer = forecasts.EstimateYearEnd(query, request.FinancialYear, request.MonthsElapsed,
            request.Levels.Count == 0 ? null : request.Levels.ToArray(), context.CancellationToken);
        var response = new YearEndResponse
        {
            FinancialYear = answer.FinancialYear,
            MonthsElapsed = answer.MonthsElapsed,
            YearToDate = answer.Estimate.YearToDate,
            Estimate = answer.Estimate.Estimate,
            Method = answer.Method,
            Actual = answer.Actual,
            SnapshotId = answer.SnapshotId,
            AsOfDate = dates.Of(answer.SnapshotId),
        };
        response.Intervals.AddRange(answer.Estimate.Intervals.Select(i => new IntervalBound { Level = i.Level, Lower = i.Lower, Upper = i.Upper }));
        return Task.FromResult(response);
    }
}
