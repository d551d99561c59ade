using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client;

/// <summary>Conversions between the plain client records and the generated protobuf messages.</summary>
public static class ProtoMapping
{
    // ---------- helpers ----------

    internal static DateTimeOffset? Time(Timestamp? t) => t is null ? null : t.ToDateTimeOffset();

    internal static DateOnly? Date(string? iso) =>
        string.IsNullOrEmpty(iso) ? null
        : DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : null;

    internal static string Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    internal static IReadOnlyDictionary<TK, TV> Dict<TK, TV>(Google.Protobuf.Collections.MapField<TK, TV> map)
        where TK : notnull => new SortedDictionary<TK, TV>(map);

    private static IEnumerable<V1.Filter> Filters(IReadOnlyDictionary<string, IReadOnlyList<string>> filters) =>
        filters.Select(kv =>
        {
            var f = new V1.Filter { Dimension = kv.Key };
            f.Values.AddRange(kv.Value);
            return f;
        });

    public static V1.Period ToProto(TimeGrain? grain) => grain switch
    {
        TimeGrain.Month => V1.Period.Month,
        TimeGrain.Quarter => V1.Period.Quarter,
        TimeGrain.FinancialYear => V1.Period.FinancialYear,
        null => V1.Period.Unspecified,
        _ => V1.Period.Unspecified,
    };

    public static TimeGrain FromProto(V1.Period period) => period switch
    {
        V1.Period.Quarter => TimeGrain.Quarter,
        V1.Period.FinancialYear => TimeGrain.FinancialYear,
        _ => TimeGrain.Month,
    };

    // ---------- data ----------

    public static StoreStatusInfo FromProto(V1.StoreStatus s) => new(
        s.SchemaVersion,
        s.SnapshotId,
        Time(s.SnapshotTime),
        s.Tables.Select(t => new TableStatusInfo(t.Table, t.Rows, t.DateColumn, t.MinDate, t.MaxDate)).ToList(),
        s.Councils.Select(c => new CouncilSummary(c.CouncilCode, c.Name, c.Region)).ToList(),
        s.DatabasePath);

    public static ImportOutcome FromProto(V1.ImportReport r) => new(
        r.ImportId,
        r.Succeeded,
        r.DryRun,
        r.SnapshotId,
        Time(r.CreatedAt),
        r.Tables.Select(t => new TableCountInfo(t.Table, t.RowsInFile, t.RowsAfter)).ToList(),
        r.Issues.Select(i => new ValidationIssueInfo(
            i.Severity switch { V1.Severity.Error => "error", V1.Severity.Warning => "warning", _ => "unspecified" },
            i.File, i.Row, i.Column, i.Reason, i.Value)).ToList(),
        r.ErrorCount,
        r.WarningCount)
    {
        Summaries = r.Summaries.Select(s => new IssueSummaryInfo(
            s.Severity == V1.Severity.Error ? "error" : "warning", s.File, s.Column, s.Rule, s.Count, s.Listed)).ToList(),
        Changes = r.Changes.Select(c => new TableChangeInfo(c.Table, c.CouncilCode, c.RowsBefore, c.RowsAdded, c.RowsRemoved, c.RowsChanged, c.RowsUnchanged)).ToList(),
        AsOfDate = r.AsOfDate,
    };

    // ---------- analytics ----------

    public static V1.SeriesSelector ToProto(SeriesQuery q)
    {
        var s = new V1.SeriesSelector
        {
            Metric = q.Metric ?? "",
            CouncilCode = q.CouncilCode ?? "",
            Period = ToProto(q.Grain),
            FromDate = Iso(q.From),
            ToDate = Iso(q.To),
        };
        s.Filters.AddRange(Filters(q.Filters));
        s.Breakdown.AddRange(q.Breakdown);
        return s;
    }

    private static SeriesValue FromProto(V1.SeriesPoint p) => new(p.PeriodLabel, Date(p.PeriodStart), p.Value, p.YearToDate);

    public static FlowSeriesResult FromProto(V1.FlowSeriesResponse r) => new(
        r.Metric,
        FromProto(r.Period),
        r.Groups.Select(g => new SeriesGroupResult(Dict(g.Key), g.Points.Select(FromProto).ToList())).ToList(),
        r.SnapshotId);

    public static V1.RateRequest ToProto(RateQuery q) => new()
    {
        Selector = ToProto(q.Series),
        AgeGroup = q.AgeGroup ?? "",
        PopulationVariant = q.PopulationVariant ?? "",
    };

    public static RateSeriesResult FromProto(V1.RateResponse r) => new(
        r.Metric,
        r.AgeGroup,
        r.Groups.Select(g => new RateGroupResult(
            Dict(g.Key),
            g.Points.Select(p => new RateValue(p.PeriodLabel, Date(p.PeriodStart), p.Count, p.Population, p.RatePer100K, p.PopulationYear)).ToList())).ToList(),
        r.Denominator,
        r.SnapshotId);

    public static V1.StockRequest ToProto(StockQuery q)
    {
        var r = new V1.StockRequest { Measure = q.Measure ?? "", CouncilCode = q.CouncilCode ?? "", AsOf = Iso(q.AsOf) };
        r.Filters.AddRange(Filters(q.Filters));
        r.Breakdown.AddRange(q.Breakdown);
        return r;
    }

    public static V1.TransitionsRequest ToProto(TransitionsQuery q)
    {
        var r = new V1.TransitionsRequest { CouncilCode = q.CouncilCode ?? "", FromFy = q.FromFy, ToFy = q.ToFy };
        r.Filters.AddRange(Filters(q.Filters));
        r.Breakdown.AddRange(q.Breakdown);
        return r;
    }

    public static V1.PipelineRequest ToProto(PipelineQuery q)
    {
        var r = new V1.PipelineRequest { CouncilCode = q.CouncilCode ?? "" };
        r.Filters.AddRange(Filters(q.Filters));
        r.Breakdown.AddRange(q.Breakdown);
        return r;
    }

    public static TableResult FromProto(V1.TableResponse t) => new(
        t.Title,
        t.DimensionNames.ToList(),
        t.MeasureNames.ToList(),
        t.Rows.Select(r => new TableResultRow(Dict(r.Dimensions), Dict(r.Measures))).ToList(),
        t.AsOf,
        t.SnapshotId);

    // ---------- forecasts ----------

    public static V1.ForecastRequest ToProto(ForecastQuery q)
    {
        var r = new V1.ForecastRequest
        {
            Selector = ToProto(q.Series),
            Horizon = q.Horizon,
            UntilFy = q.UntilFy ?? "",
            Model = q.Model ?? "",
            BreakDate = Iso(q.BreakDate),
        };
        r.Levels.AddRange(q.Levels);
        return r;
    }

    private static IntervalValue FromProto(V1.IntervalBound b) => new(b.Level, b.Lower, b.Upper);

    private static ModelScoreInfo FromProto(V1.ModelScore m) => new(m.Model, m.Mae, m.Rmse, m.Smape, m.Mase, Dict(m.Coverage));

    public static ForecastResult FromProto(V1.ForecastRun r) => new(
        r.RunId,
        r.Kind,
        Time(r.CreatedAt),
        r.SnapshotId,
        r.RequestedBy,
        r.Series.Select(s => new SeriesForecastResult(
            Dict(s.Key),
            s.Metric,
            s.Model,
            Dict(s.Parameters),
            s.History.Select(FromProto).ToList(),
            s.Points.Select(p => new ForecastValue(p.PeriodLabel, Date(p.PeriodStart), p.Mean, p.Intervals.Select(FromProto).ToList())).ToList(),
            s.Backtest is null ? null : new BacktestResult(
                s.Backtest.Origins,
                s.Backtest.Horizon,
                s.Backtest.Chosen is null ? null : FromProto(s.Backtest.Chosen),
                s.Backtest.Candidates.Select(FromProto).ToList()),
            s.Notes.ToList())).ToList(),
        r.Seconds);

    public static RefreshUpdate FromProto(V1.RefreshProgress p) => new(p.Done, p.Total, p.Current, p.RunId, p.Finished);

    public static RunSummary FromProto(V1.RunInfo r) => new(r.RunId, r.Kind, Time(r.CreatedAt), r.SnapshotId, r.SeriesCount);

    public static AuditEventInfo FromProto(V1.AuditEvent e) => new(e.EventId, Time(e.At), e.KeyName, e.Role, e.Method, e.CouncilCode,
        e.Target, e.Outcome, e.Detail, e.Seconds, e.CorrelationId);

    public static V1.YearEndRequest ToProto(YearEndQuery q)
    {
        var r = new V1.YearEndRequest
        {
            Selector = ToProto(q.Series),
            FinancialYear = q.FinancialYear ?? "",
            MonthsElapsed = q.MonthsElapsed,
        };
        r.Levels.AddRange(q.Levels);
        return r;
    }

    public static YearEndEstimate FromProto(V1.YearEndResponse r) => new(
        r.FinancialYear,
        r.MonthsElapsed,
        r.YearToDate,
        r.Estimate,
        r.Intervals.Select(FromProto).ToList(),
        r.Method,
        double.IsNaN(r.Actual) ? null : r.Actual,
        r.SnapshotId);

    // ---------- planning ----------

    public static StrategyInfo FromProto(V1.Strategy s) => new(
        s.CouncilCode,
        s.StrategyId,
        s.Version,
        s.Name,
        s.StartFy,
        s.EndFy,
        s.ClientGroup,
        s.Phases.Select(p => new StrategyPhaseInfo(p.Name, p.StartFy, p.EndFy, p.UnitTarget, p.CumulativeTarget)).ToList(),
        s.Author,
        s.Reason,
        Time(s.CreatedAt),
        s.TotalTarget)
    {
        Targets = s.Targets.Select(t => new StrategyTargetInfo(t.ClientGroup, t.Fy, t.UnitTarget)).ToList(),
    };

    public static V1.ScenarioLevers ToProto(ScenarioLeverSet l)
    {
        var p = new V1.ScenarioLevers
        {
            PopulationVariant = l.PopulationVariant ?? "",
            ExtraPopulationGrowthPct = l.ExtraPopulationGrowthPct,
            AdmissionDiversionPct = l.AdmissionDiversionPct,
            TransitionsCohortMultiplier = l.TransitionsCohortMultiplier,
            SharedLivesPlacementsPerYear = l.SharedLivesPlacementsPerYear,
            DirectPaymentShareChange = l.DirectPaymentShareChange,
            StrategyId = l.StrategyId ?? "",
            StrategyVersion = l.StrategyVersion,
            IncludeOutOfArea = l.IncludeOutOfArea,
            NetDeliveredUnits = l.NetDeliveredUnits,
            StartFy = l.StartFy,
            EndFy = l.EndFy,
        };
        p.SchemeOverrides.AddRange(l.SchemeOverrides.Select(o =>
        {
            var change = new V1.SchemeOverride
            {
                PipelineId = o.PipelineId, Status = o.Status ?? "", ExpectedDate = o.ExpectedDate is { } d ? Iso(d) : "",
            };
            if (o.Probability is { } pr) change.Probability = pr;
            if (o.Units is { } u) change.Units = u;
            return change;
        }));
        if (l.TransitionsSupportedLivingShare is { } ts) p.TransitionsSlShare = ts;
        if (l.VoidRate is { } vr) p.VoidRate = vr;
        if (l.ResidentialToSupportedLivingMovesPerYear is { } moves) p.ResidentialToSlMovesPerYear = moves;
        if (l.PipelineMinStatus is { } minStatus) p.PipelineMinStatus = minStatus;
        foreach (var kv in l.DeliveryProbability) p.DeliveryProbability[kv.Key] = kv.Value;
        p.Slippage.AddRange(l.Slippage.Select(s => new V1.SchemeSlippage { PipelineId = s.PipelineId, Months = s.Months }));
        p.NewSchemes.AddRange(l.NewSchemes.Select(s =>
        {
            var scheme = new V1.NewScheme
            {
                Name = s.Name ?? "",
                Units = s.Units,
                Category = s.Category ?? "",
                ClientGroup = s.ClientGroup ?? "",
                ExpectedDate = Iso(s.ExpectedDate),
                Status = s.Status ?? "",
            };
            if (s.InArea is { } inArea) scheme.InArea = inArea;
            return scheme;
        }));
        p.CancelledSchemes.AddRange(l.CancelledSchemes);
        p.ClientGroups.AddRange(l.ClientGroups);
        return p;
    }

    public static ScenarioLeverSet FromProto(V1.ScenarioLevers p) => new()
    {
        PopulationVariant = string.IsNullOrEmpty(p.PopulationVariant) ? null : p.PopulationVariant,
        ExtraPopulationGrowthPct = p.ExtraPopulationGrowthPct,
        AdmissionDiversionPct = p.AdmissionDiversionPct,
        ResidentialToSupportedLivingMovesPerYear = p.HasResidentialToSlMovesPerYear ? p.ResidentialToSlMovesPerYear : null,
        TransitionsCohortMultiplier = p.TransitionsCohortMultiplier,
        TransitionsSupportedLivingShare = p.HasTransitionsSlShare ? p.TransitionsSlShare : null,
        DeliveryProbability = Dict(p.DeliveryProbability),
        Slippage = p.Slippage.Select(s => new SchemeSlip(s.PipelineId, s.Months)).ToList(),
        NewSchemes = p.NewSchemes.Select(s => new PlannedScheme(
            s.Name, s.Units, s.Category, s.ClientGroup, Date(s.ExpectedDate) ?? default)
        {
            Status = string.IsNullOrEmpty(s.Status) ? null : s.Status,
            InArea = s.HasInArea ? s.InArea : null,
        }).ToList(),
        CancelledSchemes = p.CancelledSchemes.ToList(),
        VoidRate = p.HasVoidRate ? p.VoidRate : null,
        SharedLivesPlacementsPerYear = p.SharedLivesPlacementsPerYear,
        DirectPaymentShareChange = p.DirectPaymentShareChange,
        SchemeOverrides = p.SchemeOverrides.Select(o => new SchemeChange(o.PipelineId)
        {
            Status = string.IsNullOrEmpty(o.Status) ? null : o.Status,
            Probability = o.HasProbability ? o.Probability : null,
            Units = o.HasUnits ? o.Units : null,
            ExpectedDate = Date(o.ExpectedDate),
        }).ToList(),
        StrategyId = string.IsNullOrEmpty(p.StrategyId) ? null : p.StrategyId,
        StrategyVersion = p.StrategyVersion,
        IncludeOutOfArea = p.IncludeOutOfArea,
        NetDeliveredUnits = p.NetDeliveredUnits,
        StartFy = p.StartFy,
        EndFy = p.EndFy,
        ClientGroups = p.ClientGroups.ToList(),
        PipelineMinStatus = p.HasPipelineMinStatus ? p.PipelineMinStatus : null,
    };

    public static V1.CreateStrategyVersionRequest ToProto(StrategyVersionDraft d)
    {
        var request = new V1.CreateStrategyVersionRequest
        {
            CouncilCode = d.CouncilCode ?? "",
            StrategyId = d.StrategyId,
            Name = d.Name ?? "",
            StartFy = d.StartFy,
            EndFy = d.EndFy,
            Reason = d.Reason,
        };
        request.Phases.AddRange(d.Phases.Select(p => new V1.StrategyPhase { Name = p.Name, StartFy = p.StartFy, EndFy = p.EndFy, UnitTarget = p.UnitTarget }));
        request.Targets.AddRange(d.Targets.Select(t => new V1.StrategyTarget { ClientGroup = t.ClientGroup, Fy = t.Fy, UnitTarget = t.UnitTarget }));
        return request;
    }

    public static V1.CreateScenarioRequest ToProto(ScenarioDraft d) => new()
    {
        CouncilCode = d.CouncilCode ?? "",
        Name = d.Name ?? "",
        Description = d.Description ?? "",
        Levers = ToProto(d.Levers ?? new ScenarioLeverSet()),
    };

    public static ScenarioDraft FromProto(V1.CreateScenarioRequest r) => new(r.Name)
    {
        CouncilCode = string.IsNullOrEmpty(r.CouncilCode) ? null : r.CouncilCode,
        Description = string.IsNullOrEmpty(r.Description) ? null : r.Description,
        Levers = r.Levers is null ? new ScenarioLeverSet() : FromProto(r.Levers),
    };

    public static ScenarioInfo FromProto(V1.Scenario s) => new(
        s.ScenarioId,
        s.CouncilCode,
        s.Name,
        s.Description,
        s.Revision,
        s.Levers is null ? new ScenarioLeverSet() : FromProto(s.Levers),
        s.Author,
        Time(s.CreatedAt),
        s.Deleted);

    public static ScenarioOutcome FromProto(V1.ScenarioResult r) => new(
        r.ResultId,
        r.ScenarioId,
        r.Revision,
        r.CouncilCode,
        r.StrategyId,
        r.StrategyVersion,
        r.SnapshotId,
        r.ForecastRunId,
        r.Seed,
        r.Draws,
        Time(r.CreatedAt),
        r.Basis is null ? null : new CountingBasisInfo(
            r.Basis.Description,
            r.Basis.IncludeOutOfArea,
            r.Basis.NetDeliveredUnits,
            r.Basis.SupplyFromDate,
            Dict(r.Basis.DeliveryProbability),
            r.Basis.VoidRate,
            Dict(r.Basis.VoidRates),
            r.Basis.PipelineCounting),
        r.Years.Select(y => new YearOutcome(
            y.Fy,
            y.FyLabel,
            y.ClientGroup,
            Dict(y.DemandComponents),
            y.Demand,
            Dict(y.SupplyComponents),
            y.Supply,
            y.ShortfallInYear,
            y.ShortfallCumulative,
            y.ShortfallDistribution is null ? null : new ShortfallRange(
                y.ShortfallDistribution.P10,
                y.ShortfallDistribution.P50,
                y.ShortfallDistribution.P90,
                y.ShortfallDistribution.Mean,
                y.ShortfallDistribution.ProbabilityPositive),
            y.TargetCumulative)
        {
            Flows = Dict(y.Flows),
            Reconciliation = y.Reconciliation.Select(b => new StockBalance(b.Stock, b.Opening, b.Inflows, b.Outflows, b.Closing)).ToList(),
            SumOfGroupGaps = y.SumOfGroupGaps,
            Measures = y.Measures.Select(m => new MeasureRange(m.Measure, m.Mean, m.P10, m.P50, m.P90)).ToList(),
        }).ToList(),
        r.Levers is null ? null : FromProto(r.Levers),
        r.Seconds,
        r.ScenarioName,
        r.AsOf,
        r.Targets.Select(t => new TargetComparisonInfo(
            t.Fy, t.FyLabel, t.Phase, t.CumulativeTargetDue, t.DeliveredToDate, t.DeliveredNetted,
            t.PipelineCounted, t.RemainingRequirement, t.DemandShortfall, t.Statement)
        {
            ClientGroup = string.IsNullOrEmpty(t.ClientGroup) ? "all" : t.ClientGroup,
            Surplus = t.Surplus,
            TargetDue = t.TargetDue,
            TargetInYear = t.TargetInYear,
        }).ToList(),
        r.Warnings.ToList(),
        r.SimulationMethod)
    {
        HeadlineStatistic = r.HeadlineStatistic,
    };

    public static PlanningBacktestResult FromProto(V1.PlanningBacktest b) => new(
        b.CouncilCode, b.SnapshotId, b.End, b.Draws, b.Seed, b.Method,
        b.Rows.Select(r => new PlanningBacktestRow(r.Origin, r.Fy, r.FyLabel, r.ClientGroup, r.Measure, r.Actual, r.Mean, r.P10, r.P50, r.P90, r.InsideP10P90)).ToList(),
        b.Summary.Select(s => new PlanningBacktestSummary(s.Measure, s.Rows, s.CoverageP10P90, s.WeightedAbsolutePercentageError)).ToList());

    public static ScenarioRunUpdate FromProto(V1.RunScenarioProgress p) =>
        new(p.Done, p.Total, p.Stage, p.Result is null ? null : FromProto(p.Result));

    public static ScenarioComparisonResult FromProto(V1.ScenarioComparison c) => new(
        c.Baseline is null ? null : FromProto(c.Baseline),
        c.Results.Select(FromProto).ToList(),
        c.Rows.Select(r => new ComparisonRowInfo(
            r.Fy, r.FyLabel, r.ClientGroup, r.ScenarioId, r.ScenarioName, r.Demand, r.Supply,
            r.ShortfallCumulative, r.ShortfallP50, r.DeltaVsBaseline, r.ProbabilityPositive)).ToList());
}
