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
