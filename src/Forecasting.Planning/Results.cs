namespace Forecasting.Planning;

/// <summary>Demand of one component at the end of a financial year (a stock of people needing a unit).</summary>
public sealed record DemandRow(int Fy, string ClientGroup, string Component, double Units);

/// <summary>Supply of one component at the end of a financial year; Counted says whether it is part of the total.</summary>
public sealed record SupplyRow(int Fy, string ClientGroup, string Component, double Units, bool Counted);

/// <summary>
/// Demand, supply and shortfall (demand - supply) at the end of a financial year. InYear is the change in the
/// shortfall over the year; for the first year it is the whole shortfall (the backlog at the as-of date included).
/// </summary>
public sealed record ShortfallRow(int Fy, string ClientGroup, double Demand, double Supply, double Shortfall, double InYear);

/// <summary>Simulated distribution of the shortfall at the end of a financial year.</summary>
public sealed record SimulationRow(
    int Fy, string ClientGroup,
    double Mean, double P10, double P50, double P90, double ProbabilityAboveZero,
    double InYearP10, double InYearP50, double InYearP90);

public sealed record SimulationSummary(long Seed, int Draws, string Method, IReadOnlyList<SimulationRow> Rows);

/// <summary>The deterministic projection of one scenario.</summary>
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
    public ShortfallRow ShortfallAt(int fy, string clientGroup = ClientGroups.All) =>
        Shortfall.Single(r => r.Fy == fy && r.ClientGroup == clientGroup);

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
    double? TargetCumulative);

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
            rows.Add(new YearSummary(s.Fy, FinancialYear.Label(s.Fy), s.ClientGroup, demand, s.Demand, supply, s.Supply, s.InYear, s.Shortfall,
                sim is null ? null : new Distribution(sim.P10, sim.P50, sim.P90, sim.Mean, sim.ProbabilityAboveZero), target));
        }
        return rows;
    }
}
