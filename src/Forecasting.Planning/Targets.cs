using System.Globalization;

namespace Forecasting.Planning;

/// <summary>
/// A strategy's target for one client group (or "all") compared with delivery in one financial year.
/// CumulativeTargetDue is the trajectory: units due by the end of the year, with targets accruing in a straight line
/// per year within a phase (or the strategy period) unless annual targets are given. RemainingRequirement (still to
/// find) = CumulativeTargetDue - (DeliveredToDate if netted) - PipelineCounted when that is positive, else 0 with the
/// excess in Surplus; it is never negative. TargetInYear is the trajectory's step in this year; PhaseTargetsEnded
/// the targets of the phases that have ended by then. DemandShortfall is the projected demand-based shortfall of the
/// same client group in the same year, for context. ClientGroup is null only in results stored before rows were
/// made per client group; such rows belong to the strategy's client group ("all" when it has none).
/// </summary>
public sealed record TargetRow(
    int Fy,
    string? Phase,
    double CumulativeTargetDue,
    double DeliveredToDate,
    bool DeliveredNetted,
    double PipelineCounted,
    double RemainingRequirement,
    double DemandShortfall,
    string Statement,
    string? ClientGroup = null,
    double Surplus = 0,
    double TargetInYear = 0,
    int PhaseTargetsEnded = 0);

/// <summary>
/// Compares a strategy version's target trajectory with delivered units and the counted pipeline, per client group
/// with targets and for "all" (the sum over those groups, or every group when the targets are for all groups).
/// </summary>
public static class TargetCalculator
{
    /// <summary>Delivered units: pipeline schemes with status delivered and an expected date from the strategy start to the as-of date.</summary>
    public static double DeliveredToDate(StrategyVersion strategy, IEnumerable<PipelineScheme> pipeline, DateOnly asOf, bool includeOutOfArea) =>
        DeliveredToDate(strategy, InScope(strategy, ClientGroups.All), pipeline, asOf, includeOutOfArea);

    private static double DeliveredToDate(StrategyVersion strategy, Func<string, bool> inScope, IEnumerable<PipelineScheme> pipeline, DateOnly asOf, bool includeOutOfArea) =>
        pipeline.Where(p => p.Status == PipelineStatuses.Delivered && p.ExpectedDate >= FinancialYear.Start(strategy.StartFy) && p.ExpectedDate <= asOf)
            .Where(p => p.InArea || includeOutOfArea)
            .Where(p => inScope(p.ClientGroup))
            .Sum(p => (double)p.Units);

    /// <summary>
    /// Whether a scheme of a client group counts towards the target of <paramref name="clientGroup"/>: a group counts
    /// its own schemes; "all" counts the schemes of the groups with targets, or every scheme when there are none.
    /// </summary>
    private static Func<string, bool> InScope(StrategyVersion strategy, string clientGroup, IReadOnlyList<string>? groups = null)
    {
        if (clientGroup != ClientGroups.All) return g => g == clientGroup;
        groups ??= strategy.TargetGroups;
        return strategy.TargetGroups.Count == 0 ? _ => true : g => groups.Contains(g);
    }

    /// <summary>
    /// The target arithmetic for one year and client group (default: the strategy's, "all" when it has none) with its
    /// counting basis: the trajectory due by the end of <paramref name="fy"/>, minus delivered units when netted, minus
    /// pipeline units not yet delivered that count under the basis by that year.
    /// </summary>
    public static TargetRow Compute(StrategyVersion strategy, int fy, IEnumerable<PipelineScheme> pipeline, CountingBasis basis,
        double demandShortfall = double.NaN, string? clientGroup = null)
    {
        var group = clientGroup ?? strategy.ClientGroup ?? ClientGroups.All;
        var inScope = InScope(strategy, group);
        var list = pipeline.ToList();
        var delivered = DeliveredToDate(strategy, inScope, list, basis.AsOf, basis.IncludeOutOfArea);
        var counted = list
            .Where(p => !(p.Status == PipelineStatuses.Delivered && p.ExpectedDate <= basis.AsOf))
            .Where(p => p.InArea || basis.IncludeOutOfArea)
            .Where(p => inScope(p.ClientGroup))
            .Where(p => FinancialYear.Of(p.ExpectedDate) <= fy)
            .Sum(p => p.Units * basis.TargetPipelineWeight(p.Status));
        return Row(strategy, group, fy, strategy.CumulativeTargetDue(group, fy), strategy.TargetInYear(group, fy), delivered, counted, basis, demandShortfall);
    }

    /// <summary>
    /// Rows for every year of the strategy within the period: "all" first, then each client group with targets (of
    /// the reported groups when the version has targets per group), year by year.
    /// </summary>
    internal static List<TargetRow> Compare(StrategyVersion strategy, PreparedScenario s, IReadOnlyList<ShortfallRow> shortfall)
    {
        var rows = new List<TargetRow>();
        var groups = strategy.TargetGroups
            .Where(g => !strategy.HasGroupTargets || s.Selected[ClientGroups.Known.ToList().IndexOf(g)])
            .ToList();
        if (strategy.TargetGroups.Count > 0 && groups.Count == 0) return rows;
        foreach (var group in groups.Prepend(ClientGroups.All))
        {
            var inScope = InScope(strategy, group, groups);
            var delivered = DeliveredToDate(strategy, inScope, s.Baseline.Pipeline, s.Baseline.AsOf, s.Levers.IncludeOutOfArea);
            for (var fy = Math.Max(strategy.StartFy, s.Period.FirstFy); fy <= Math.Min(strategy.EndFy, s.Period.LastFy); fy++)
            {
                var k = fy - s.Period.FirstFy;
                var counted = s.PipelineItems
                    .Where(p => s.CountsPipeline(p) && p.YearIndex <= k)
                    .Where(p => inScope(p.Scheme.ClientGroup))
                    .Sum(p => p.Units * s.Basis.TargetPipelineWeight(p.Scheme.Status, p.BasisWeight));
                var demand = shortfall.SingleOrDefault(r => r.Fy == fy && r.ClientGroup == group)?.Shortfall ?? double.NaN;
                var (due, inYear) = group == ClientGroups.All && strategy.HasGroupTargets
                    ? (groups.Sum(g => strategy.CumulativeTargetDue(g, fy)), groups.Sum(g => strategy.TargetInYear(g, fy)))
                    : (strategy.CumulativeTargetDue(group, fy), strategy.TargetInYear(group, fy));
                rows.Add(Row(strategy, group, fy, due, inYear, delivered, counted, s.Basis, demand));
            }
        }
        return rows;
    }

    private static TargetRow Row(StrategyVersion strategy, string group, int fy, double due, double inYear, double delivered, double counted,
        CountingBasis basis, double demandShortfall)
    {
        var netted = basis.NetDelivered ? delivered : 0;
        var balance = due - netted - counted;
        var remaining = Math.Max(0, balance);
        var surplus = Math.Max(0, -balance);
        var ci = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.#", ci);
        var confidence = basis.TargetCounting == PipelineCounting.StatusThreshold
            ? $"pipeline at {basis.TargetStatusThreshold} or firmer, in full"
            : "pipeline weighted by delivery probability";
        var who = group == ClientGroups.All ? "" : $", {group}";
        var result = surplus > 0 ? $"surplus of {F(surplus)}, nothing still to find" : $"{F(remaining)} still to find";
        var statement = basis.NetDelivered
            ? $"{strategy.Name} v{strategy.Version}{who}: {F(due)} units due by the end of {FinancialYear.Label(fy)} - {F(delivered)} already delivered - {F(counted)} in the pipeline ({confidence}, due by then) = {result}."
            : $"{strategy.Name} v{strategy.Version}{who}: {F(due)} units due by the end of {FinancialYear.Label(fy)} - {F(counted)} in the pipeline ({confidence}, due by then) = {result}; the {F(delivered)} units already delivered are not netted.";
        return new TargetRow(fy, strategy.PhaseOf(fy)?.Phase, due, delivered, basis.NetDelivered, counted, remaining, demandShortfall, statement,
            group, surplus, inYear, strategy.PhaseTargetsEnded(fy));
    }
}
