using System.Globalization;

namespace Forecasting.Planning;

/// <summary>Deterministic demand, supply, shortfall and target comparison (expected values).</summary>
public static class PlanningProjector
{
    public static ProjectionResult Project(PlanningBaseline baseline, ScenarioLevers levers, ProjectionPeriod period, BaselineFlows flows) =>
        Project(PreparedScenario.Create(baseline, levers, period, flows));

    public static ProjectionResult Project(PreparedScenario s)
    {
        const int G = PreparedScenario.G;
        var K = s.K;
        var n = G * K;
        var components = new Dictionary<string, double[]>();
        foreach (var (name, values) in s.FixedDemand) components[name] = (double[])values.Clone();

        var starts = new double[n];
        var exits = new double[n];
        var transitions = new double[n];
        for (var g = 0; g < G; g++)
        {
            double cs = 0, ce = 0;
            for (var k = 0; k < K; k++)
            {
                cs += s.StartMean[g * K + k];
                ce += s.EndMean[g * K + k];
                starts[g * K + k] = cs;
                exits[g * K + k] = -ce;
            }
        }
        foreach (var t in s.TransitionItems)
            for (var k = t.YearIndex; k < K; k++) transitions[t.Group * K + k] += t.Probability * t.Weight;
        components[DemandComponents.NewStarts] = starts;
        components[DemandComponents.Exits] = exits;
        components[DemandComponents.Transitions] = transitions;
        var dp = new double[n];
        for (var i = 0; i < n; i++)
            dp[i] = -s.DirectPaymentShare * (s.FixedNewNeed[i] + starts[i] + transitions[i]);
        components[DemandComponents.DirectPayments] = dp;

        var supply = new Dictionary<string, double[]>();
        foreach (var (name, values) in s.FixedSupply) supply[name] = (double[])values.Clone();
        var pipeIn = new double[n];
        var pipeOut = new double[n];
        foreach (var p in s.PipelineItems)
        {
            var target = p.InArea ? pipeIn : pipeOut;
            for (var k = p.YearIndex; k < K; k++) target[p.Group * K + k] += p.Units * p.BasisWeight;
        }
        supply[SupplyComponents.Pipeline] = pipeIn;
        supply[SupplyComponents.PipelineOutOfArea] = pipeOut;
        var counted = new HashSet<string>(s.CountedSupply) { SupplyComponents.Pipeline };
        if (s.Levers.IncludeOutOfArea) counted.Add(SupplyComponents.PipelineOutOfArea);
        var voids = new double[n];
        for (var g = 0; g < G; g++)
            for (var k = 0; k < K; k++)
            {
                var i = g * K + k;
                voids[i] = -s.VoidRate[g] * counted.Sum(c => supply[c][i]);
            }
        supply[SupplyComponents.VoidAllowance] = voids;
        counted.Add(SupplyComponents.VoidAllowance);

        var demandRows = new List<DemandRow>();
        var supplyRows = new List<SupplyRow>();
        var shortfallRows = new List<ShortfallRow>();
        var totalDemand = new double[n];
        var totalSupply = new double[n];
        for (var g = 0; g < G; g++)
        {
            var code = ClientGroups.Known[g];
            if (!s.Selected[g]) continue;
            for (var k = 0; k < K; k++)
            {
                var i = g * K + k;
                var fy = s.Period.FirstFy + k;
                foreach (var c in DemandComponents.Ordered)
                {
                    demandRows.Add(new DemandRow(fy, code, c, components[c][i]));
                    totalDemand[i] += components[c][i];
                }
                totalDemand[i] = Math.Max(0, totalDemand[i]);
                foreach (var c in SupplyComponents.Ordered)
                {
                    var isCounted = counted.Contains(c);
                    supplyRows.Add(new SupplyRow(fy, code, c, supply[c][i], isCounted));
                    if (isCounted) totalSupply[i] += supply[c][i];
                }
            }
        }
        for (var g = 0; g <= G; g++)
        {
            if (g < G && !s.Selected[g]) continue;
            var code = g < G ? ClientGroups.Known[g] : ClientGroups.All;
            var previous = 0.0;
            for (var k = 0; k < K; k++)
            {
                double d = 0, sup = 0;
                if (g < G) { d = totalDemand[g * K + k]; sup = totalSupply[g * K + k]; }
                else
                    for (var j = 0; j < G; j++)
                        if (s.Selected[j]) { d += totalDemand[j * K + k]; sup += totalSupply[j * K + k]; }
                var shortfall = d - sup;
                shortfallRows.Add(new ShortfallRow(s.Period.FirstFy + k, code, d, sup, shortfall, k == 0 ? shortfall : shortfall - previous));
                previous = shortfall;
            }
        }
        var targets = s.Strategy is null ? new List<TargetRow>() : TargetCalculator.Compare(s.Strategy, s, shortfallRows);
        return new ProjectionResult(s.Period, s.Basis, s.Strategy?.StrategyId, s.Strategy?.Version, s.Strategy?.ClientGroup,
            demandRows, supplyRows, shortfallRows, targets, s.Warnings.ToList());
    }
}

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
