using System.Globalization;

namespace Forecasting.Planning;

/// <summary>
/// A strategy's cumulative target compared with delivery: RemainingRequirement = CumulativeTargetDue
/// - (DeliveredToDate if netted) - PipelineCounted. DemandShortfall is the projected demand-based shortfall of the
/// strategy's client group(s) in the same year, for context.
/// </summary>
public sealed record TargetRow(
    int Fy,
    string? Phase,
    int CumulativeTargetDue,
    double DeliveredToDate,
    bool DeliveredNetted,
    double PipelineCounted,
    double RemainingRequirement,
    double DemandShortfall,
    string Statement);

/// <summary>Compares a strategy version's cumulative targets with delivered units and the counted pipeline.</summary>
public static class TargetCalculator
{
    /// <summary>Delivered units: pipeline schemes with status delivered and an expected date from the strategy start to the as-of date.</summary>
    public static double DeliveredToDate(StrategyVersion strategy, IEnumerable<PipelineScheme> pipeline, DateOnly asOf, bool includeOutOfArea) =>
        pipeline.Where(p => p.Status == PipelineStatuses.Delivered && p.ExpectedDate >= FinancialYear.Start(strategy.StartFy) && p.ExpectedDate <= asOf)
            .Where(p => p.InArea || includeOutOfArea)
            .Where(p => strategy.ClientGroup is null || p.ClientGroup == strategy.ClientGroup)
            .Sum(p => (double)p.Units);

    /// <summary>
    /// The target arithmetic for one year with its counting basis: requirement due by the end of <paramref name="fy"/>,
    /// minus delivered units when netted, minus pipeline units not yet delivered that count under the basis by that year.
    /// </summary>
    public static TargetRow Compute(StrategyVersion strategy, int fy, IEnumerable<PipelineScheme> pipeline, CountingBasis basis, double demandShortfall = double.NaN)
    {
        var list = pipeline.ToList();
        var delivered = DeliveredToDate(strategy, list, basis.AsOf, basis.IncludeOutOfArea);
        var counted = list
            .Where(p => !(p.Status == PipelineStatuses.Delivered && p.ExpectedDate <= basis.AsOf))
            .Where(p => p.InArea || basis.IncludeOutOfArea)
            .Where(p => strategy.ClientGroup is null || p.ClientGroup == strategy.ClientGroup)
            .Where(p => FinancialYear.Of(p.ExpectedDate) <= fy)
            .Sum(p => p.Units * basis.PipelineWeight(p.Status));
        return Row(strategy, fy, delivered, counted, basis, demandShortfall);
    }

    internal static List<TargetRow> Compare(StrategyVersion strategy, PreparedScenario s, IReadOnlyList<ShortfallRow> shortfall)
    {
        var rows = new List<TargetRow>();
        var delivered = DeliveredToDate(strategy, s.Baseline.Pipeline, s.Baseline.AsOf, s.Levers.IncludeOutOfArea);
        var group = strategy.ClientGroup ?? ClientGroups.All;
        for (var fy = Math.Max(strategy.StartFy, s.Period.FirstFy); fy <= Math.Min(strategy.EndFy, s.Period.LastFy); fy++)
        {
            var k = fy - s.Period.FirstFy;
            var counted = s.PipelineItems
                .Where(p => s.CountsPipeline(p) && p.YearIndex <= k)
                .Where(p => strategy.ClientGroup is null || p.Scheme.ClientGroup == strategy.ClientGroup)
                .Sum(p => p.Units * p.BasisWeight);
            var demand = shortfall.SingleOrDefault(r => r.Fy == fy && r.ClientGroup == group)?.Shortfall ?? double.NaN;
            rows.Add(Row(strategy, fy, delivered, counted, s.Basis, demand));
        }
        return rows;
    }

    private static TargetRow Row(StrategyVersion strategy, int fy, double delivered, double counted, CountingBasis basis, double demandShortfall)
    {
        var due = strategy.CumulativeTargetDue(fy);
        var netted = basis.NetDelivered ? delivered : 0;
        var remaining = due - netted - counted;
        var ci = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.#", ci);
        var confidence = basis.PipelineCounting == PipelineCounting.StatusThreshold
            ? $"pipeline at {basis.MinimumStatus} or firmer, in full"
            : "pipeline weighted by delivery probability";
        var statement = basis.NetDelivered
            ? $"{strategy.Name} v{strategy.Version}: {due} units due by the end of {FinancialYear.Label(fy)} - {F(delivered)} already delivered - {F(counted)} in the pipeline ({confidence}, due by then) = {F(remaining)} still to find."
            : $"{strategy.Name} v{strategy.Version}: {due} units due by the end of {FinancialYear.Label(fy)} - {F(counted)} in the pipeline ({confidence}, due by then) = {F(remaining)} still to find; the {F(delivered)} units already delivered are not netted.";
        return new TargetRow(fy, strategy.PhaseOf(fy)?.Phase, due, delivered, basis.NetDelivered, counted, remaining, demandShortfall, statement);
    }
}
