namespace Forecasting.Planning;

/// <summary>Median weekly cost (GBP) of the services of one setting open on the as-of date, and how many services it is from.</summary>
public sealed record WeeklyCostObservation(string Setting, double MedianWeeklyCost, int Services);

/// <summary>
/// Median weekly cost (GBP) of the services of one setting open on the as-of date for one client group ("all" = every
/// group) or one age band (residential and nursing), and how many services it is from.
/// </summary>
public sealed record WeeklyCostCell(string Setting, string ClientGroup, string? AgeBand, double MedianWeeklyCost, int Services);

/// <summary>
/// A council's stated weekly cost for a setting the data does not price (or one it prices differently): a row of the
/// optional <c>cost_assumptions</c> table. <paramref name="ClientGroup"/> is a client group or "all".
/// </summary>
public sealed record CostAssumption(string Setting, string ClientGroup, double WeeklyCost, string Source, DateOnly ValidFrom);

/// <summary>One budget line of one financial year (the <c>budgets</c> table).</summary>
public sealed record BudgetLine(int Fy, string ServiceLine, double Budget, double? Outturn, double? ForecastOutturn);

/// <summary>What the cost model reads from the store: weekly costs by setting and group or age band, the council's assumptions, budget lines.</summary>
public sealed record CostData(
    IReadOnlyList<WeeklyCostCell> Cells, IReadOnlyList<CostAssumption> Assumptions, IReadOnlyList<BudgetLine> Budgets)
{
    public static CostData Empty { get; } = new([], [], []);

    public WeeklyCostCell? Cell(string setting, string clientGroup) =>
        Cells.FirstOrDefault(c => c.Setting == setting && c.ClientGroup == clientGroup && c.AgeBand is null);

    /// <summary>The assumption in force on <paramref name="asOf"/>: the latest valid_from on or before it.</summary>
    public CostAssumption? Assumption(string setting, string clientGroup, DateOnly asOf) =>
        Assumptions.Where(a => a.Setting == setting && a.ClientGroup == clientGroup && a.ValidFrom <= asOf).MaxBy(a => a.ValidFrom);
}
