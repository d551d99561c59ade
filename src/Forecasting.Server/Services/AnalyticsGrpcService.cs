using Forecasting.Domain;
using Forecasting.Store.Analytics;
using Forecasting.Contracts.V1;
using Forecasting.Server.Infrastructure;
using Forecasting.Server.Security;
using Grpc.Core;

namespace Forecasting.Server.Services;

/// <summary>Analytics reads; answers are kept per data snapshot by the read cache.</summary>
public sealed class AnalyticsGrpcService(AnalyticsQueries queries, ReadCache cache, SnapshotDates dates) : AnalyticsService.AnalyticsServiceBase
{
    public override Task<Contracts.V1.MetricCatalog> ListMetrics(ListMetricsRequest request, ServerCallContext context)
    {
        var catalog = new Contracts.V1.MetricCatalog();
        foreach (var flow in Store.Analytics.MetricCatalog.Flows)
        {
            var info = new MetricInfo { Name = flow.Name, Kind = "flow", Description = flow.Description };
            info.Dimensions.AddRange(flow.Dimensions.Select(d => d.Name));
            catalog.Metrics.Add(info);
        }
        foreach (var stock in Store.Analytics.MetricCatalog.Stocks)
        {
            var info = new MetricInfo { Name = stock.Name, Kind = "stock", Description = stock.Description };
            info.Dimensions.AddRange(stock.Dimensions.Select(d => d.Name));
            catalog.Metrics.Add(info);
        }
        return Task.FromResult(catalog);
    }

    public override Task<FlowSeriesResponse> GetFlowSeries(FlowSeriesRequest request, ServerCallContext context) =>
        Task.FromResult(cache.Answer(context, request, () => FlowSeries(request, context), r => r.SnapshotId));

    public override Task<RateResponse> GetRates(RateRequest request, ServerCallContext context) =>
        Task.FromResult(cache.Answer(context, request, () => Rates(request, context), r => r.SnapshotId));

    /// <summary>Without a date the answer is as of the end of the history, or today when there is none: today is part of the key.</summary>
    public override Task<TableResponse> GetStockSnapshot(StockRequest request, ServerCallContext context) =>
        Task.FromResult(cache.Answer(context, request, () => StockSnapshot(request, context), r => r.SnapshotId,
            string.IsNullOrEmpty(request.AsOf) ? ReadCache.Today() : null));

    public override Task<TableResponse> GetTransitionsCohort(TransitionsRequest request, ServerCallContext context) =>
        Task.FromResult(cache.Answer(context, request, () => TransitionsCohort(request, context), r => r.SnapshotId));

    public override Task<TableResponse> GetPipeline(PipelineRequest request, ServerCallContext context) =>
        Task.FromResult(cache.Answer(context, request, () => Pipeline(request, context), r => r.SnapshotId));

    private FlowSeriesResponse FlowSeries(FlowSeriesRequest request, ServerCallContext context)
    {
        var result = queries.FlowSeries(Scoped(ProtoMapping.ToQuery(request.Selector), context), context.CancellationToken);
        var response = new FlowSeriesResponse
        {
            Metric = result.Metric,
            Period = ProtoMapping.ToProto(result.Period),
            SnapshotId = result.SnapshotId ?? "",
            AsOfDate = dates.Of(result.SnapshotId),
        };
        response.Groups.AddRange(result.Groups.Select(ProtoMapping.ToProto));
        return response;
    }

    private RateResponse Rates(RateRequest request, ServerCallContext context)
    {
        var query = Scoped(ProtoMapping.ToQuery(request.Selector, defaultPeriod: Store.Analytics.Period.FinancialYear), context);
        var result = queries.Rates(query, request.AgeGroup, ProtoMapping.NullIfEmpty(request.PopulationVariant), context.CancellationToken);
        var response = new RateResponse
        {
            Metric = result.Metric,
            AgeGroup = result.AgeGroup,
            Denominator = result.Denominator,
            SnapshotId = result.SnapshotId ?? "",
            AsOfDate = dates.Of(result.SnapshotId),
        };
        foreach (var group in result.Groups)
        {
            var g = new RateGroup();
            g.Key.Add(new Dictionary<string, string>(group.Key));
            g.Points.AddRange(group.Points.Select(p => new RatePoint
            {
                PeriodLabel = p.Label,
                PeriodStart = FinancialCalendar.Iso(p.PeriodStart),
                Count = p.Count,
                Population = p.Population,
                RatePer100K = p.RatePer100k,
                PopulationYear = p.PopulationYear,
            }));
            response.Groups.Add(g);
        }
        return response;
    }

    private TableResponse StockSnapshot(StockRequest request, ServerCallContext context)
    {
        var (council, scope) = Caller.Of(context).Scope(request.CouncilCode);
        return Dated(queries.StockSnapshot(
            request.Measure,
            council,
            ProtoMapping.ParseDate(request.AsOf, "as_of"),
            ProtoMapping.ToFilters(request.Filters, "filters"),
            request.Breakdown.ToList(), scope, context.CancellationToken));
    }

    private TableResponse TransitionsCohort(TransitionsRequest request, ServerCallContext context)
    {
        if (request.FromFy != 0) FinancialYear.Check(request.FromFy, "from_fy");
        if (request.ToFy != 0) FinancialYear.Check(request.ToFy, "to_fy");
        if (request.FromFy != 0 && request.ToFy != 0 && request.ToFy < request.FromFy)
            throw new QueryException("to_fy", "to_fy is before from_fy");
        var (council, scope) = Caller.Of(context).Scope(request.CouncilCode);
        return Dated(queries.TransitionsCohort(
            council, request.FromFy, request.ToFy,
            ProtoMapping.ToFilters(request.Filters, "filters"), request.Breakdown.ToList(), scope, context.CancellationToken));
    }

    private TableResponse Pipeline(PipelineRequest request, ServerCallContext context)
    {
        var (council, scope) = Caller.Of(context).Scope(request.CouncilCode);
        return Dated(queries.Pipeline(
            council,
            ProtoMapping.ToFilters(request.Filters, "filters"),
            request.Breakdown.ToList(), scope, context.CancellationToken));
    }

    private TableResponse Dated(TableResult table)
    {
        var proto = ProtoMapping.ToProto(table);
        proto.AsOfDate = dates.Of(table.SnapshotId);
        return proto;
    }

    /// <summary>The query limited to the caller's councils: a named council must be one of them.</summary>
    public static SeriesQuery Scoped(SeriesQuery query, ServerCallContext context)
    {
        var (council, scope) = Caller.Of(context).Scope(query.CouncilCode, "selector.council_code");
        return query with { CouncilCode = council, CouncilScope = scope };
    }
}
