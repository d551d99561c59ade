namespace Forecasting.Client;

/// <summary>Time grain of a flow series. Financial years run April to March.</summary>
public enum TimeGrain
{
    Month,
    Quarter,
    FinancialYear,
}

// ---------- data ----------

public sealed record TableStatusInfo(string Table, long Rows, string DateColumn, string MinDate, string MaxDate);

public sealed record CouncilSummary(string CouncilCode, string Name, string Region);

public sealed record StoreStatusInfo(
    int SchemaVersion,
    string SnapshotId,
    DateTimeOffset? SnapshotTime,
    IReadOnlyList<TableStatusInfo> Tables,
    IReadOnlyList<CouncilSummary> Councils,
    string DatabasePath);

/// <summary>A file that already sits on the server. Table empty = inferred from the file name.</summary>
public sealed record ServerFile(string Path, string? Table = null);

/// <summary>A local file to stream to the server. Table empty = inferred by the server from the file name.</summary>
public sealed record LocalFile(string Path, string? Table = null);

public sealed record TableCountInfo(string Table, long RowsInFile, long RowsAfter);

public sealed record ValidationIssueInfo(string Severity, string File, long Row, string Column, string Reason, string Value);

/// <summary>How many rows one rule flagged in one file (exact); Listed of them are in the issue list.</summary>
public sealed record IssueSummaryInfo(string Severity, string File, string Column, string Rule, long Count, int Listed);

/// <summary>What an import does (or would do) to one council's rows of one table, matched on the table's key.</summary>
public sealed record TableChangeInfo(string Table, string CouncilCode, long RowsBefore, long RowsAdded, long RowsRemoved, long RowsChanged, long RowsUnchanged);

public sealed record ImportOutcome(
    string ImportId,
    bool Succeeded,
    bool DryRun,
    string SnapshotId,
    DateTimeOffset? CreatedAt,
    IReadOnlyList<TableCountInfo> Tables,
    IReadOnlyList<ValidationIssueInfo> Issues,
    long ErrorCount,
    long WarningCount)
{
    public IReadOnlyList<IssueSummaryInfo> Summaries { get; init; } = [];
    public IReadOnlyList<TableChangeInfo> Changes { get; init; } = [];
    /// <summary>The date the plausible-date windows were measured from (yyyy-mm-dd).</summary>
    public string AsOfDate { get; init; } = "";
}

// ---------- analytics ----------

public sealed record MetricDescription(string Name, string Kind, string Description, IReadOnlyList<string> Dimensions);

/// <summary>Selects a flow series (contacts, admissions, leavers, new_tenancies, reaching_18).</summary>
public sealed record SeriesQuery(string Metric)
{
    public string? CouncilCode { get; init; }
    /// <summary>Null = the server's default (month for series and forecasts, financial year for rates).</summary>
    public TimeGrain? Grain { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    /// <summary>Dimension -> allowed values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<string> Breakdown { get; init; } = Array.Empty<string>();
}

public sealed record SeriesValue(string Label, DateOnly? Start, double Value, double YearToDate);

public sealed record SeriesGroupResult(IReadOnlyDictionary<string, string> Key, IReadOnlyList<SeriesValue> Points);

public sealed record FlowSeriesResult(string Metric, TimeGrain Grain, IReadOnlyList<SeriesGroupResult> Groups, string SnapshotId);

public sealed record RateQuery(SeriesQuery Series, string AgeGroup)
{
    public string? PopulationVariant { get; init; }
}

public sealed record RateValue(string Label, DateOnly? Start, double Count, double Population, double RatePer100k, int PopulationYear);

public sealed record RateGroupResult(IReadOnlyDictionary<string, string> Key, IReadOnlyList<RateValue> Points);

public sealed record RateSeriesResult(string Metric, string AgeGroup, IReadOnlyList<RateGroupResult> Groups, string Denominator, string SnapshotId);

/// <summary>Stock measure at a date: units, waiting_list or residential_care.</summary>
public sealed record StockQuery(string Measure)
{
    public string? CouncilCode { get; init; }
    public DateOnly? AsOf { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<string> Breakdown { get; init; } = Array.Empty<string>();
}

public sealed record TransitionsQuery
{
    public string? CouncilCode { get; init; }
    public int FromFy { get; init; }
    public int ToFy { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<string> Breakdown { get; init; } = Array.Empty<string>();
}

public sealed record PipelineQuery
{
    public string? CouncilCode { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<string> Breakdown { get; init; } = Array.Empty<string>();
}

public sealed record TableResultRow(IReadOnlyDictionary<string, string> Dimensions, IReadOnlyDictionary<string, double> Measures);

public sealed record TableResult(
    string Title,
    IReadOnlyList<string> DimensionNames,
    IReadOnlyList<string> MeasureNames,
    IReadOnlyList<TableResultRow> Rows,
    string AsOf,
    string SnapshotId);

// ---------- forecasts ----------

public sealed record ForecastQuery(SeriesQuery Series)
{
    /// <summary>Periods ahead; 0 = use <see cref="UntilFy"/> or the server default.</summary>
    public int Horizon { get; init; }
    /// <summary>Forecast to the end of this financial year, e.g. 2030/31.</summary>
    public string? UntilFy { get; init; }
    public string? Model { get; init; }
    public IReadOnlyList<double> Levels { get; init; } = Array.Empty<double>();
    /// <summary>First day measured under a changed definition: the model is fitted from there.</summary>
    public DateOnly? BreakDate { get; init; }
}

public sealed record IntervalValue(double Level, double Lower, double Upper);

public sealed record ForecastValue(string Label, DateOnly? Start, double Mean, IReadOnlyList<IntervalValue> Intervals);

public sealed record ModelScoreInfo(string Model, double Mae, double Rmse, double Smape, double Mase, IReadOnlyDictionary<string, double> Coverage);

public sealed record BacktestResult(int Origins, int Horizon, ModelScoreInfo? Chosen, IReadOnlyList<ModelScoreInfo> Candidates);

public sealed record SeriesForecastResult(
    IReadOnlyDictionary<string, string> Key,
    string Metric,
    string Model,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyList<SeriesValue> History,
    IReadOnlyList<ForecastValue> Points,
    BacktestResult? Backtest,
    IReadOnlyList<string> Notes);

public sealed record ForecastResult(
    string RunId,
    string Kind,
    DateTimeOffset? CreatedAt,
    string SnapshotId,
    string RequestedBy,
    IReadOnlyList<SeriesForecastResult> Series,
    double Seconds);

public sealed record RefreshUpdate(int Done, int Total, string Current, string RunId, bool Finished);

public sealed record RunSummary(string RunId, string Kind, DateTimeOffset? CreatedAt, string SnapshotId, int SeriesCount);

/// <summary>Which audit events to list: since a time, by one key or one method (e.g. "Import"); Limit 0 = 100.</summary>
public sealed record AuditQuery(DateTimeOffset? Since = null, string? KeyName = null, string? Method = null, int Limit = 0);

/// <summary>One recorded write: who (key name and role), what (method, council, ids written), when and the outcome.</summary>
public sealed record AuditEventInfo(string EventId, DateTimeOffset? At, string KeyName, string Role, string Method, string CouncilCode,
    string Target, string Outcome, string Detail, double Seconds, string CorrelationId);

public sealed record YearEndQuery(SeriesQuery Series)
{
    /// <summary>e.g. 2024/25; empty = the latest FY in the data.</summary>
    public string? FinancialYear { get; init; }
    public int MonthsElapsed { get; init; }
    public IReadOnlyList<double> Levels { get; init; } = Array.Empty<double>();
}

public sealed record YearEndEstimate(
    string FinancialYear,
    int MonthsElapsed,
    double YearToDate,
    double Estimate,
    IReadOnlyList<IntervalValue> Intervals,
    string Method,
    double? Actual,
    string SnapshotId);

// ---------- planning ----------

public sealed record StrategyPhaseInfo(string Name, int StartFy, int EndFy, int UnitTarget, int CumulativeTarget);

/// <summary>A phase of a new strategy version: years are the first calendar year of a financial year (2025 = 2025/26).</summary>
public sealed record StrategyPhaseDraft(string Name, int StartFy, int EndFy, int UnitTarget);

/// <summary>
/// A target of a new strategy version for one client group ("all" = every group together): units to deliver in
/// financial year Fy (2025 = 2025/26), or over the whole strategy period when Fy is 0 (accrued in a straight line).
/// </summary>
public sealed record StrategyTargetDraft(string ClientGroup, int Fy, int UnitTarget);

/// <summary>A stored target of a strategy version (Fy 0 = the whole strategy period).</summary>
public sealed record StrategyTargetInfo(string ClientGroup, int Fy, int UnitTarget);

/// <summary>
/// A new version of a strategy's targets (strategy_lead or analyst). The reason is required; the author is the
/// key's name. Name, StartFy and EndFy left empty or 0 keep the previous version's. Targets per client group
/// and/or per year are optional; phases may then be empty.
/// </summary>
public sealed record StrategyVersionDraft(string StrategyId, string Reason, IReadOnlyList<StrategyPhaseDraft> Phases)
{
    public IReadOnlyList<StrategyTargetDraft> Targets { get; init; } = [];
    public string? CouncilCode { get; init; }
    public string? Name { get; init; }
    public int StartFy { get; init; }
    public int EndFy { get; init; }
}

public sealed record StrategyInfo(
    string CouncilCode,
    string StrategyId,
    int Version,
    string Name,
    int StartFy,
    int EndFy,
    string ClientGroup,
    IReadOnlyList<StrategyPhaseInfo> Phases,
    string Author,
    string Reason,
    DateTimeOffset? CreatedAt,
    int TotalTarget)
{
    /// <summary>Targets per client group and/or year; empty when the phases are the targets.</summary>
    public IReadOnlyList<StrategyTargetInfo> Targets { get; init; } = [];
}

public sealed record SchemeSlip(string PipelineId, int Months);

/// <summary>A change to an existing pipeline scheme; null fields keep the scheme's value.</summary>
public sealed record SchemeChange(string PipelineId)
{
    public string? Status { get; init; }
    public double? Probability { get; init; }
    public int? Units { get; init; }
    public DateOnly? ExpectedDate { get; init; }
}

public sealed record PlannedScheme(string Name, int Units, string Category, string ClientGroup, DateOnly ExpectedDate)
{
    public string? Status { get; init; }
    /// <summary>Null = the server's default (in area).</summary>
    public bool? InArea { get; init; }
}

/// <summary>What-if levers on top of the baseline. Null or default values keep the baseline.</summary>
public sealed record ScenarioLeverSet
{
    public string? PopulationVariant { get; init; }
    public double ExtraPopulationGrowthPct { get; init; }
    /// <summary>Percent (0-100) of residential admissions diverted into supported-living need.</summary>
    public double AdmissionDiversionPct { get; init; }
    /// <summary>One total for the council, split across client groups by step-down candidates. Null = each group's observed pace.</summary>
    public double? ResidentialToSupportedLivingMovesPerYear { get; init; }
    public double TransitionsCohortMultiplier { get; init; }
    public double? TransitionsSupportedLivingShare { get; init; }
    public IReadOnlyDictionary<string, double> DeliveryProbability { get; init; } = new Dictionary<string, double>();
    public IReadOnlyList<SchemeSlip> Slippage { get; init; } = Array.Empty<SchemeSlip>();
    public IReadOnlyList<PlannedScheme> NewSchemes { get; init; } = Array.Empty<PlannedScheme>();
    public IReadOnlyList<string> CancelledSchemes { get; init; } = Array.Empty<string>();
    public double? VoidRate { get; init; }
    public double SharedLivesPlacementsPerYear { get; init; }
    /// <summary>Change (fraction, -1 to 1) from today's position in the share of need arising met by direct payments.</summary>
    public double DirectPaymentShareChange { get; init; }
    /// <summary>Changes to existing pipeline schemes (status, probability, units, expected date).</summary>
    public IReadOnlyList<SchemeChange> SchemeOverrides { get; init; } = Array.Empty<SchemeChange>();
    public string? StrategyId { get; init; }
    public int StrategyVersion { get; init; }
    public bool IncludeOutOfArea { get; init; }
    public bool NetDeliveredUnits { get; init; }
    public int StartFy { get; init; }
    public int EndFy { get; init; }
    public IReadOnlyList<string> ClientGroups { get; init; } = Array.Empty<string>();
    /// <summary>Null = pipeline weighted by delivery probability; a status = schemes at that status or firmer count in full.</summary>
    public string? PipelineMinStatus { get; init; }
}

/// <summary>A scenario to create, or the new content of a scenario revision.</summary>
public sealed record ScenarioDraft(string Name)
{
    public string? CouncilCode { get; init; }
    public string? Description { get; init; }
    public ScenarioLeverSet Levers { get; init; } = new();
}

public sealed record ScenarioInfo(
    string ScenarioId,
    string CouncilCode,
    string Name,
    string Description,
    int Revision,
    ScenarioLeverSet Levers,
    string Author,
    DateTimeOffset? CreatedAt,
    bool Deleted);

public sealed record CountingBasisInfo(
    string Description,
    bool IncludeOutOfArea,
    bool NetDeliveredUnits,
    string SupplyFromDate,
    IReadOnlyDictionary<string, double> DeliveryProbability,
    double VoidRate,
    IReadOnlyDictionary<string, double> VoidRates,
    string PipelineCounting);

/// <summary>
/// A strategy's target of one client group against delivery under the counting basis, with the arithmetic in words.
/// TargetDue is the trajectory due by the end of the year; RemainingRequirement (still to find) is never negative,
/// the excess being Surplus. CumulativeTargetDue is the targets of the phases ended by then.
/// </summary>
public sealed record TargetComparisonInfo(
    int Fy,
    string FyLabel,
    string Phase,
    int CumulativeTargetDue,
    double DeliveredToDate,
    bool DeliveredNetted,
    double PipelineCounted,
    double RemainingRequirement,
    double DemandShortfall,
    string Statement)
{
    public string ClientGroup { get; init; } = "all";
    public double Surplus { get; init; }
    public double TargetDue { get; init; }
    public double TargetInYear { get; init; }
}

public sealed record ShortfallRange(double P10, double P50, double P90, double Mean, double ProbabilityPositive);

public sealed record YearOutcome(
    int Fy,
    string FyLabel,
    string ClientGroup,
    IReadOnlyDictionary<string, double> DemandComponents,
    double Demand,
    IReadOnlyDictionary<string, double> SupplyComponents,
    double Supply,
    double ShortfallInYear,
    double ShortfallCumulative,
    ShortfallRange? ShortfallDistribution,
    double TargetCumulative)
{
    /// <summary>People over the year: need_arising, cohort arrivals, lettings, exits, waiting_list_removals, shared_lives_placements.</summary>
    public IReadOnlyDictionary<string, double> Flows { get; init; } = new Dictionary<string, double>();
    /// <summary>Housed, waiting and demand: opening + inflows - outflows = closing.</summary>
    public IReadOnlyList<StockBalance> Reconciliation { get; init; } = Array.Empty<StockBalance>();
    /// <summary>On "all": the sum of the shortfalls of the groups that are short (ShortfallCumulative is the net figure).</summary>
    public double SumOfGroupGaps { get; init; }
    /// <summary>Demand, supply, housed, waiting, waiting list and lettings across the draws.</summary>
    public IReadOnlyList<MeasureRange> Measures { get; init; } = Array.Empty<MeasureRange>();
}

public sealed record StockBalance(string Stock, double Opening, double Inflows, double Outflows, double Closing);

public sealed record MeasureRange(string Measure, double Mean, double P10, double P50, double P90);

public sealed record PlanningBacktestRow(
    string Origin, int Fy, string FyLabel, string ClientGroup, string Measure, double Actual, double Mean, double P10, double P50, double P90, bool InsideP10P90);

public sealed record PlanningBacktestSummary(string Measure, int Rows, double CoverageP10P90, double WeightedAbsolutePercentageError);

/// <summary>The planning model's baseline as of earlier dates against what the data shows since.</summary>
public sealed record PlanningBacktestResult(
    string CouncilCode, string SnapshotId, string End, int Draws, long Seed, string Method,
    IReadOnlyList<PlanningBacktestRow> Rows, IReadOnlyList<PlanningBacktestSummary> Summary);

public sealed record ScenarioOutcome(
    string ResultId,
    string ScenarioId,
    int Revision,
    string CouncilCode,
    string StrategyId,
    int StrategyVersion,
    string SnapshotId,
    string ForecastRunId,
    long Seed,
    int Draws,
    DateTimeOffset? CreatedAt,
    CountingBasisInfo? Basis,
    IReadOnlyList<YearOutcome> Years,
    ScenarioLeverSet? Levers,
    double Seconds,
    string ScenarioName,
    string AsOf,
    IReadOnlyList<TargetComparisonInfo> Targets,
    IReadOnlyList<string> Warnings,
    string SimulationMethod)
{
    /// <summary>Which statistic of the draws the tables show, e.g. "mean of 2000 draws".</summary>
    public string HeadlineStatistic { get; init; } = "";
}

public sealed record ScenarioRunUpdate(int Done, int Total, string Stage, ScenarioOutcome? Result);

/// <summary>Run options: scenario id empty = the baseline (no levers) of the council.</summary>
public sealed record ScenarioRunRequest
{
    public string? ScenarioId { get; init; }
    public int Revision { get; init; }
    public string? CouncilCode { get; init; }
    public int Draws { get; init; }
    public long Seed { get; init; }
    /// <summary>Null = the end of the last complete month of data.</summary>
    public DateOnly? AsOf { get; init; }
}

public sealed record ComparisonRowInfo(
    int Fy,
    string FyLabel,
    string ClientGroup,
    string ScenarioId,
    string ScenarioName,
    double Demand,
    double Supply,
    double ShortfallCumulative,
    double ShortfallP50,
    double DeltaVsBaseline,
    double ProbabilityPositive);

public sealed record ScenarioComparisonResult(
    ScenarioOutcome? Baseline,
    IReadOnlyList<ScenarioOutcome> Results,
    IReadOnlyList<ComparisonRowInfo> Rows);
