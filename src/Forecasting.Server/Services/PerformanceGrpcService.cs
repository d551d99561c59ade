using Forecasting.Application.Performance;
using Forecasting.Contracts.V1;
using Forecasting.Domain;
using Forecasting.Server.Infrastructure;
using Forecasting.Server.Security;
using Forecasting.Store.Analytics;
using Forecasting.Store.Performance;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MeasureShape = Forecasting.Store.Analytics.MeasureShape;
using Polarity = Forecasting.Store.Analytics.Polarity;

namespace Forecasting.Server.Services;

/// <summary>Measures, the year's scorecard, targets and budgets: a thin adapter over <see cref="PerformanceUseCases"/>.</summary>
public sealed class PerformanceGrpcService(PerformanceUseCases performance, NationalMeasuresUseCases national, ReadCache cache, SnapshotDates dates)
    : PerformanceService.PerformanceServiceBase
{
    public override Task<NationalMeasuresReport> GetNationalMeasures(NationalMeasuresRequest request, ServerCallContext context)
    {
        var council = Caller.Of(context).RequireCouncil(request.CouncilCode);
        return Task.FromResult(cache.Answer(context, request,
            () => NationalMeasuresMapping.ToProto(national.Measures(council, ProtoMapping.NullIfEmpty(request.FinancialYear), context.CancellationToken)),
            r => r.SnapshotId));
    }

    public override Task<TableResponse> GetCldQuality(CldQualityRequest request, ServerCallContext context)
    {
        var council = Caller.Of(context).RequireCouncil(request.CouncilCode);
        return Task.FromResult(NationalMeasuresMapping.ToProto(national.Quality(council), null));
    }

    public override Task<ListMeasuresResponse> ListMeasures(ListMeasuresRequest request, ServerCallContext context)
    {
        var response = new ListMeasuresResponse();
        response.Measures.AddRange(MeasureCatalog.All.Select(ToProto));
        return Task.FromResult(response);
    }

    public override Task<MeasureSeriesResponse> GetMeasureSeries(MeasureSeriesRequest request, ServerCallContext context) =>
        Task.FromResult(cache.Answer(context, request, () => Series(request, context), r => r.SnapshotId));

    /// <summary>Targets change without an import, so the versions held for the council are part of the kept answer's key.</summary>
    public override Task<PerformanceReport> GetPerformance(PerformanceRequest request, ServerCallContext context)
    {
        var council = Caller.Of(context).RequireCouncil(request.CouncilCode);
        return Task.FromResult(cache.Answer(context, request, () => Performance(council, request, context), r => r.SnapshotId,
            performance.TargetsStamp(council, context.CancellationToken)));
    }

    public override Task<MeasureTarget> SetTarget(SetTargetRequest request, ServerCallContext context)
    {
        var council = Caller.Of(context).RequireCouncil(request.CouncilCode);
        // The author is who holds the key, whatever the request says: the record must be attributable.
        var version = performance.SetTarget(council, request.Measure, request.FinancialYear, request.Target,
            request.HasAmberMargin ? request.AmberMargin : null, Caller.Of(context).Name, request.Reason, context.CancellationToken);
        return Task.FromResult(ToProto(version));
    }

    public override Task<ListTargetsResponse> ListTargets(ListTargetsRequest request, ServerCallContext context)
    {
        var council = Caller.Of(context).RequireCouncil(request.CouncilCode);
        var response = new ListTargetsResponse();
        response.Targets.AddRange(performance.Targets(council, ProtoMapping.NullIfEmpty(request.Measure), context.CancellationToken).Select(ToProto));
        return Task.FromResult(response);
    }

    public override Task<TableResponse> GetBudgetOutturn(BudgetOutturnRequest request, ServerCallContext context)
    {
        var council = Caller.Of(context).RequireCouncil(request.CouncilCode);
        return Task.FromResult(cache.Answer(context, request,
            () =>
            {
                var table = ProtoMapping.ToProto(performance.BudgetOutturn(council, ProtoMapping.NullIfEmpty(request.FinancialYear), context.CancellationToken));
                table.AsOfDate = dates.Of(table.SnapshotId);
                return table;
            },
            r => r.SnapshotId));
    }

    private MeasureSeriesResponse Series(MeasureSeriesRequest request, ServerCallContext context)
    {
        var (council, scope) = Caller.Of(context).Scope(request.CouncilCode);
        var from = ProtoMapping.ParseDate(request.FromDate, "from_date");
        var to = ProtoMapping.ParseDate(request.ToDate, "to_date");
        if (from is { } f && to is { } t && t < f) throw new QueryException("to_date", "to_date is before from_date");
        var result = performance.Series(new MeasureQuery(request.Measure, council,
            request.Period == Contracts.V1.Period.Unspecified ? Store.Analytics.Period.Month : ProtoMapping.ToPeriod(request.Period),
            from, to, ProtoMapping.ToFilters(request.Filters, "filters"), request.Breakdown.ToList(), scope), context.CancellationToken);
        var response = new MeasureSeriesResponse
        {
            Measure = ToProto(result.Measure),
            Period = ProtoMapping.ToProto(result.Period),
            SnapshotId = result.SnapshotId ?? "",
            AsOfDate = dates.Of(result.SnapshotId),
        };
        response.Notes.AddRange(result.Notes);
        foreach (var group in result.Groups)
        {
            var g = new MeasureGroup();
            g.Key.Add(new Dictionary<string, string>(group.Key));
            g.Points.AddRange(group.Points.Select(p => new MeasurePoint
            {
                PeriodLabel = p.Label,
                PeriodStart = FinancialCalendar.Iso(p.PeriodStart),
                PeriodEnd = FinancialCalendar.Iso(p.PeriodEnd),
                Numerator = p.Numerator,
                Denominator = p.Denominator,
                Value = p.Value,
                YtdNumerator = p.YtdNumerator,
                YtdDenominator = p.YtdDenominator,
                YtdValue = p.YtdValue,
            }));
            response.Groups.Add(g);
        }
        return response;
    }

    private PerformanceReport Performance(string council, PerformanceRequest request, ServerCallContext context)
    {
        var answer = performance.Performance(council, ProtoMapping.NullIfEmpty(request.FinancialYear), request.Measures.ToList(),
            request.MonthsElapsed, request.Levels.ToArray(), context.CancellationToken);
        var report = new PerformanceReport
        {
            CouncilCode = answer.CouncilCode,
            FinancialYear = FinancialYear.Label(answer.FinancialYear),
            AsOf = FinancialCalendar.Iso(answer.AsOf),
            SnapshotId = answer.SnapshotId,
            AsOfDate = dates.Of(answer.SnapshotId),
        };
        report.Measures.AddRange(answer.Measures.Select(ToProto));
        return report;
    }

    private static MeasurePerformance ToProto(MeasurePerformanceAnswer a)
    {
        var yearEnd = new YearEndProjection { Estimate = a.YearEnd.Estimate, Method = a.YearEnd.Method, Actual = a.YearEnd.Actual };
        yearEnd.Intervals.AddRange(a.YearEnd.Intervals.Select(i => new IntervalBound { Level = i.Level, Lower = i.Lower, Upper = i.Upper }));
        var message = new MeasurePerformance
        {
            Measure = ToProto(a.Measure),
            FinancialYear = FinancialYear.Label(a.FinancialYear),
            MonthsElapsed = a.MonthsElapsed,
            YtdNumerator = a.YtdNumerator,
            YtdDenominator = a.YtdDenominator,
            YtdValue = a.YtdValue,
            YearEnd = yearEnd,
            Target = a.Target is null ? null : ToProto(a.Target),
            Rag = (RagStatus)(int)a.Rag,
            ProbabilityOfMeetingTarget = a.ProbabilityOfMeetingTarget,
            Benchmark = a.Benchmark is null ? null : ToProto(a.Benchmark, a.BenchmarkYear!.Value),
        };
        message.Months.AddRange(a.Months.Select(m => new MonthStatus
        {
            PeriodLabel = m.Label,
            YtdValue = m.YtdValue,
            YearEndEstimate = m.YearEndEstimate,
            Rag = (RagStatus)(int)m.Rag,
        }));
        message.Notes.AddRange(a.Notes);
        return message;
    }

    private static BenchmarkPosition ToProto(BenchmarkPlacement p, int fy)
    {
        var message = new BenchmarkPosition
        {
            FinancialYear = FinancialYear.Label(fy),
            CouncilValue = p.CouncilValue,
            Rank = p.Rank,
            Of = p.Of,
            Quartile = p.Quartile,
            NextQuartileBoundary = p.NextQuartileBoundary,
            ChangeToNextQuartile = p.ChangeToNextQuartile,
            QuartileMethod = p.QuartileMethod,
            Source = p.Source,
        };
        message.Comparators.AddRange(p.Comparators.Select(c => new BenchmarkComparator
        {
            ComparatorType = c.ComparatorType,
            ComparatorCode = c.ComparatorCode,
            ComparatorName = c.ComparatorName,
            Value = c.Value,
        }));
        return message;
    }

    private static MeasureTarget ToProto(TargetVersion t) => new()
    {
        CouncilCode = t.CouncilCode,
        Measure = t.Measure,
        FinancialYear = FinancialYear.Label(t.FinancialYear),
        Version = t.Version,
        Target = t.Target,
        AmberMargin = t.AmberMargin,
        CreatedAt = Timestamp.FromDateTimeOffset(t.CreatedAt),
        Author = t.Author,
        Reason = t.Reason,
    };

    public static MeasureDefinition ToProto(Measure m)
    {
        var message = new MeasureDefinition
        {
            Name = m.Name,
            Code = m.Code,
            Title = m.Title,
            Definition = m.Definition,
            Shape = m.Shape == MeasureShape.Flow ? Contracts.V1.MeasureShape.Flow : Contracts.V1.MeasureShape.Stock,
            Unit = m.Unit,
            Polarity = m.Polarity switch
            {
                Polarity.HigherIsBetter => Contracts.V1.Polarity.HigherIsBetter,
                Polarity.LowerIsBetter => Contracts.V1.Polarity.LowerIsBetter,
                _ => Contracts.V1.Polarity.Neutral,
            },
            Numerator = m.NumeratorText,
            Denominator = m.DenominatorText ?? "",
            EffectiveFrom = FinancialCalendar.Iso(m.EffectiveFromDate),
            SourceTable = m.SourceTable,
            Proportion = m.Proportion,
        };
        message.Dimensions.AddRange(m.Dimensions.Select(d => d.Name));
        return message;
    }
}
