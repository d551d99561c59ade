namespace Forecasting.Planning;

/// <summary>Demand of one component at the end of a financial year: people housed, or waiting in one cohort.</summary>
public sealed record DemandRow(int Fy, string ClientGroup, string Component, double Units);

/// <summary>Supply of one component at the end of a financial year; Counted says whether it is part of the total.</summary>
public sealed record SupplyRow(int Fy, string ClientGroup, string Component, double Units, bool Counted);

/// <summary>
/// Demand, supply and shortfall (demand - supply) at the end of a financial year. InYear is the change in the
/// shortfall over the year; for the first year it is the whole shortfall (the backlog at the as-of date included).
/// </summary>
public sealed record ShortfallRow(int Fy, string ClientGroup, double Demand, double Supply, double Shortfall, double InYear)
{
    /// <summary>
    /// The sum of the shortfalls of the groups that are short (a group's surplus does not offset another's gap).
    /// On a group row, the shortfall if positive; "all" rows show the net figure in Shortfall and this beside it.
    /// </summary>
    public double SumOfGroupGaps { get; init; }
}

/// <summary>A flow over a financial year (people), per client group.</summary>
public sealed record FlowRow(int Fy, string ClientGroup, string Flow, double People);

/// <summary>One stock over a financial year: Opening + Inflows - Outflows = Closing.</summary>
public sealed record ReconciliationRow(int Fy, string ClientGroup, string Stock, double Opening, double Inflows, double Outflows, double Closing)
{
    /// <summary>Opening + Inflows - Outflows - Closing: zero up to rounding.</summary>
    public double Residual => Opening + Inflows - Outflows - Closing;
}

/// <summary>The stocks every person is in exactly one of; demand is housed plus waiting.</summary>
public static class Stocks
{
    public const string Housed = "housed";
    public const string Waiting = "waiting";
    public const string Demand = "demand";
}

/// <summary>Names of the yearly flows.</summary>
public static class FlowNames
{
    public const string NeedArising = "need_arising";
    public const string Lettings = "lettings";
    public const string Exits = "exits";
    public const string WaitingRemovals = "waiting_list_removals";
    public const string SharedLives = "shared_lives_placements";
    /// <summary>Deaths of people waiting, in every cohort (the only way out of demand other than being housed or placed).</summary>
    public const string DeathsWaiting = "deaths_while_waiting";
    /// <summary>Tenants of closing schemes moved to the re-housing cohort.</summary>
    public const string ClosureMoves = "closure_moves";

    /// <summary>Arrivals of a waiting cohort other than the waiting list (whose arrivals are need arising).</summary>
    public static string Arrivals(int cohort) => WaitingCohorts.Components[cohort] + "_arrivals";
}

/// <summary>Distribution across draws of one measure (people or units) at the end of a financial year.</summary>
public sealed record MeasureDistribution(int Fy, string ClientGroup, string Measure, double Mean, double P10, double P50, double P90)
{
    /// <summary>Bounds of the 95% (P2.5-P97.5) and 50% (P25-P75) central intervals, from the same draws.</summary>
    public double P2_5 { get; init; }
    public double P25 { get; init; }
    public double P75 { get; init; }
    public double P97_5 { get; init; }

    /// <summary>
    /// The 1st to 99th percentiles (index 0 = P1), for scoring a forecast's whole distribution (CRPS); not stored
    /// with results.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double[]? Percentiles { get; init; }
}

/// <summary>Simulated distribution of the shortfall at the end of a financial year.</summary>
public sealed record SimulationRow(
    int Fy, string ClientGroup,
    double Mean, double P10, double P50, double P90, double ProbabilityAboveZero,
    double InYearP10, double InYearP50, double InYearP90);

public sealed record SimulationSummary(long Seed, int Draws, string Method, IReadOnlyList<SimulationRow> Rows)
{
    /// <summary>Distributions of demand, supply, housed, waiting and lettings per year and client group.</summary>
    public IReadOnlyList<MeasureDistribution> Measures { get; init; } = [];
}

/// <summary>The tables of one scenario: the mean of the draws (see <see cref="Headline"/>) or the zero-variance path.</summary>
public sealed record ProjectionResult(
    ProjectionPeriod Period,
    CountingBasis Basis,
    string? StrategyId,
    int? StrategyVersion,
    string? StrategyClientGroup,
    IReadOnlyList<DemandRow> Demand,
    IReadOnlyList<SupplyRow> Supply,
    IReadOnlyList<ShortfallRow> Shortfall,
    IReadOnlyList<TargetRow> Targets,
    IReadOnlyList<string> Warnings)
{
    public IReadOnlyList<FlowRow> Flows { get; init; } = [];
    public IReadOnlyList<ReconciliationRow> Reconciliation { get; init; } = [];
    /// <summary>Which statistic the tables show, e.g. "mean of 2000 draws".</summary>
    public string Headline { get; init; } = "";
    /// <summary>Costs per year and client group (means of the draws); null when a weekly cost needed is missing (see the warnings).</summary>
    public ScenarioCosts? Costs { get; init; }

    public double Flow(int fy, string clientGroup, string flow) =>
        Flows.Where(r => r.Fy == fy && (clientGroup == ClientGroups.All || r.ClientGroup == clientGroup) && r.Flow == flow).Sum(r => r.People);

    public ShortfallRow ShortfallAt(int fy, string clientGroup = ClientGroups.All) =>
        Shortfall.Single(r => r.Fy == fy && r.ClientGroup == clientGroup);

    /// <summary>
    /// The surpluses (supply above demand) of the reported groups that have one at the end of <paramref name="fy"/>,
    /// listed beside the sum of the gaps of the groups that are short; never netted against it.
    /// </summary>
    public double SumOfGroupSurpluses(int fy) =>
        Shortfall.Where(r => r.Fy == fy && r.ClientGroup != ClientGroups.All).Sum(r => Math.Max(0, -r.Shortfall));

    /// <summary>The groups in surplus at the end of <paramref name="fy"/>, largest first.</summary>
    public IReadOnlyList<(string ClientGroup, double Surplus)> GroupSurpluses(int fy) =>
        Shortfall.Where(r => r.Fy == fy && r.ClientGroup != ClientGroups.All && r.Shortfall < 0)
            .OrderBy(r => r.Shortfall).Select(r => (r.ClientGroup, -r.Shortfall)).ToList();

    public double DemandComponent(int fy, string clientGroup, string component) =>
        Demand.Where(r => r.Fy == fy && r.ClientGroup == clientGroup && r.Component == component).Sum(r => r.Units);

    public double SupplyComponent(int fy, string clientGroup, string component) =>
        Supply.Where(r => r.Fy == fy && r.ClientGroup == clientGroup && r.Component == component).Sum(r => r.Units);
}

/// <summary>A scenario run with everything needed to reproduce and explain it.</summary>
public sealed record PlanningResult
{
    public required string ResultId { get; init; }
    public required string CouncilCode { get; init; }
    /// <summary>null for a baseline run that is not a stored scenario.</summary>
    public string? ScenarioId { get; init; }
    public int? ScenarioRevision { get; init; }
    public required string ScenarioName { get; init; }
    public required ScenarioLevers Levers { get; init; }
    public string? SnapshotId { get; init; }
    public required string ForecastRunId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required long Seed { get; init; }
    public required int Draws { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required ProjectionResult Projection { get; init; }
    public SimulationSummary? Simulation { get; init; }
    /// <summary>Wall time of the run.</summary>
    public double Seconds { get; init; }

    public SimulationRow? SimulationAt(int fy, string clientGroup = ClientGroups.All) =>
        Simulation?.Rows.SingleOrDefault(r => r.Fy == fy && r.ClientGroup == clientGroup);

    /// <summary>
    /// Months of <paramref name="fy"/> the result covers: 12, or fewer for the first year after a mid-year as-of date
    /// (flows run from the month after the last complete month of data).
    /// </summary>
    public int MonthsCovered(int fy) => MonthsCovered(AsOf, fy);

    /// <summary>The year's label, naming the first month when the year is covered only in part: "2025/26 from October 2025".</summary>
    public string YearLabel(int fy) => YearLabel(AsOf, fy);

    public static int MonthsCovered(DateOnly asOf, int fy) =>
        Math.Clamp(MonthIndex.Of(FinancialYear.End(fy)) - MonthIndex.Of(PlanningBaseline.LastCompleteMonth(asOf)), 0, 12);

    public static string YearLabel(DateOnly asOf, int fy)
    {
        var months = MonthsCovered(asOf, fy);
        if (months is 12 or 0) return FinancialYear.Label(fy);
        var first = PlanningBaseline.LastCompleteMonth(asOf).AddMonths(1);
        return $"{FinancialYear.Label(fy)} from {first.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}";
    }
}

/// <summary>Shortfall distribution of one year and client group.</summary>
public sealed record Distribution(double P10, double P50, double P90, double Mean, double ProbabilityPositive);

/// <summary>One financial year and client group with components, totals, distribution and strategy target (the proto's YearResult).</summary>
public sealed record YearSummary(
    int Fy,
    string FyLabel,
    string ClientGroup,
    IReadOnlyDictionary<string, double> DemandComponents,
    double Demand,
    IReadOnlyDictionary<string, double> SupplyComponents,
    double Supply,
    double ShortfallInYear,
    double ShortfallCumulative,
    Distribution? ShortfallDistribution,
    double? TargetCumulative)
{
    /// <summary>People over the year by flow (need arising, cohort arrivals, lettings, exits, removals, Shared Lives).</summary>
    public IReadOnlyDictionary<string, double> Flows { get; init; } = new Dictionary<string, double>();
    /// <summary>Housed, waiting and demand: opening + inflows - outflows = closing.</summary>
    public IReadOnlyList<ReconciliationRow> Reconciliation { get; init; } = [];
    public double SumOfGroupGaps { get; init; }
    /// <summary>Distributions of demand, supply, housed, waiting, waiting list and lettings across the draws.</summary>
    public IReadOnlyList<MeasureDistribution> Measures { get; init; } = [];
    /// <summary>Costs of the year and client group; null when costs were not computed.</summary>
    public CostRow? Costs { get; init; }
    /// <summary>Months of the year the result covers (fewer than 12 only for the first year after a mid-year as-of date).</summary>
    public int MonthsCovered { get; init; } = 12;
    /// <summary>On "all": the surpluses of the groups with supply above demand, listed beside SumOfGroupGaps, never netted.</summary>
    public double SumOfGroupSurpluses { get; init; }
}

public static class PlanningResultExtensions
{
    /// <summary>
    /// One row per year and client group (and "all"). Supply components list counted components only; the "all"
    /// rows sum the components of the reported groups. TargetCumulative is set on the rows of the strategy's
    /// client group ("all" when the strategy covers every group).
    /// </summary>
    public static IReadOnlyList<YearSummary> Years(this PlanningResult result)
    {
        var p = result.Projection;
        var groupOfTarget = p.Targets.Count == 0 ? null : p.StrategyClientGroup ?? ClientGroups.All;
        var rows = new List<YearSummary>();
        foreach (var s in p.Shortfall)
        {
            bool Match(string g) => s.ClientGroup == ClientGroups.All || g == s.ClientGroup;
            var demand = p.Demand.Where(d => d.Fy == s.Fy && Match(d.ClientGroup))
                .GroupBy(d => d.Component).ToDictionary(x => x.Key, x => x.Sum(d => d.Units));
            var supply = p.Supply.Where(d => d.Fy == s.Fy && d.Counted && Match(d.ClientGroup))
                .GroupBy(d => d.Component).ToDictionary(x => x.Key, x => x.Sum(d => d.Units));
            var sim = result.SimulationAt(s.Fy, s.ClientGroup);
            var target = p.Targets.FirstOrDefault(t => t.Fy == s.Fy && (t.ClientGroup ?? groupOfTarget) == s.ClientGroup)?.CumulativeTargetDue;
            rows.Add(new YearSummary(s.Fy, result.YearLabel(s.Fy), s.ClientGroup, demand, s.Demand, supply, s.Supply, s.InYear, s.Shortfall,
                sim is null ? null : new Distribution(sim.P10, sim.P50, sim.P90, sim.Mean, sim.ProbabilityAboveZero), target)
            {
                Flows = p.Flows.Where(f => f.Fy == s.Fy && Match(f.ClientGroup)).GroupBy(f => f.Flow).ToDictionary(x => x.Key, x => x.Sum(f => f.People)),
                Reconciliation = p.Reconciliation.Where(r => r.Fy == s.Fy && r.ClientGroup == s.ClientGroup).ToList(),
                SumOfGroupGaps = s.SumOfGroupGaps,
                Measures = result.Simulation?.Measures.Where(m => m.Fy == s.Fy && m.ClientGroup == s.ClientGroup).ToList() ?? [],
                Costs = p.Costs?.At(s.Fy, s.ClientGroup),
                MonthsCovered = result.MonthsCovered(s.Fy),
                SumOfGroupSurpluses = s.ClientGroup == ClientGroups.All ? p.SumOfGroupSurpluses(s.Fy) : Math.Max(0, -s.Shortfall),
            });
        }
        return rows;
    }
}
