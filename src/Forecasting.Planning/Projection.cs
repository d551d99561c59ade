namespace Forecasting.Planning;

/// <summary>
/// Builds the result tables of the stock-flow model: demand by stock, supply by component, shortfall, the flows of
/// each year and the reconciliation of every stock, from the mean of the draws (the headline) or from the
/// zero-variance path.
/// </summary>
public static class PlanningProjector
{
    /// <summary>The zero-variance path: expected flows, pipeline at its expected date and counted weight.</summary>
    public static ProjectionResult Project(PlanningBaseline baseline, ScenarioLevers levers, ProjectionPeriod period, BaselineFlows flows) =>
        Project(PreparedScenario.Create(baseline, levers, period, flows));

    public static ProjectionResult Project(PreparedScenario s) =>
        ShortfallSimulator.Run(s, new SimulationOptions(Draws: 1, ZeroVariance: true)).Projection;

    internal static ProjectionResult FromMeans(PreparedScenario s, StockFlowModel model, double[] means, string headline)
    {
        const int G = PreparedScenario.G;
        const int C = WaitingCohorts.Count;
        var K = s.K;
        var demandRows = new List<DemandRow>();
        var supplyRows = new List<SupplyRow>();
        var flowRows = new List<FlowRow>();
        var reconciliation = new List<ReconciliationRow>();
        var shortfallRows = new List<ShortfallRow>();
        var totals = new (double Demand, double Supply)[G * K];
        var weeks = new List<PersonWeeks>();
        var include = s.Levers.IncludeOutOfArea;
        for (var g = 0; g < G; g++)
        {
            if (!s.Selected[g]) continue;
            var code = ClientGroups.Known[g];
            for (var k = 0; k < K; k++)
            {
                var fy = s.Period.FirstFy + k;
                var row = (g * K + k) * StockFlowModel.Q.Count;
                double V(int q) => means[row + q];
                demandRows.Add(new DemandRow(fy, code, DemandComponents.HousedInArea, V(StockFlowModel.Q.HousedIn)));
                demandRows.Add(new DemandRow(fy, code, DemandComponents.HousedOutOfArea, V(StockFlowModel.Q.HousedOut)));
                for (var c = 0; c < C; c++) demandRows.Add(new DemandRow(fy, code, WaitingCohorts.Components[c], V(StockFlowModel.Q.Waiting + c)));
                var demand = StockFlowModel.Demand(means, row);

                var i = g * K + k;
                var pipelineIn = V(StockFlowModel.Q.PipelineIn);
                var pipelineOut = V(StockFlowModel.Q.PipelineOut);
                var counted = model.Gross(g, k) + pipelineIn + (include ? pipelineOut : 0);
                foreach (var c in SupplyComponents.Ordered)
                {
                    var (units, isCounted) = c switch
                    {
                        SupplyComponents.Pipeline => (pipelineIn, true),
                        SupplyComponents.PipelineOutOfArea => (pipelineOut, include),
                        SupplyComponents.VoidAllowance => (-s.VoidRate[g] * counted, true),
                        _ => (s.FixedSupply[c][i], s.CountedSupply.Contains(c)),
                    };
                    supplyRows.Add(new SupplyRow(fy, code, c, units, isCounted));
                }
                var supply = (1 - s.VoidRate[g]) * counted;
                totals[i] = (demand, supply);

                var arrivals = 0.0;
                flowRows.Add(new FlowRow(fy, code, FlowNames.NeedArising, V(StockFlowModel.Q.Arrivals + WaitingCohorts.WaitingList)));
                for (var c = 0; c < C; c++)
                {
                    arrivals += V(StockFlowModel.Q.Arrivals + c);
                    if (c > 0) flowRows.Add(new FlowRow(fy, code, FlowNames.Arrivals(c), V(StockFlowModel.Q.Arrivals + c)));
                }
                var lettings = V(StockFlowModel.Q.Lettings);
                var exits = V(StockFlowModel.Q.Exits);
                var removals = V(StockFlowModel.Q.Removals);
                var shared = V(StockFlowModel.Q.SharedLives);
                var deaths = V(StockFlowModel.Q.Deaths);
                var closureMoves = V(StockFlowModel.Q.ClosureMoves);
                flowRows.Add(new FlowRow(fy, code, FlowNames.Lettings, lettings));
                flowRows.Add(new FlowRow(fy, code, FlowNames.Exits, exits));
                flowRows.Add(new FlowRow(fy, code, FlowNames.WaitingRemovals, removals));
                flowRows.Add(new FlowRow(fy, code, FlowNames.DeathsWaiting, deaths));
                flowRows.Add(new FlowRow(fy, code, FlowNames.ClosureMoves, closureMoves));
                flowRows.Add(new FlowRow(fy, code, FlowNames.SharedLives, shared));

                // Removals from the list move to displaced need when it is counted (inside the waiting stock), else leave demand.
                var leaving = s.Levers.EffectiveCountDisplacedNeed ? 0 : removals;
                var housed = V(StockFlowModel.Q.HousedIn) + V(StockFlowModel.Q.HousedOut);
                var openingHoused = V(StockFlowModel.Q.OpeningHoused);
                var openingWaiting = V(StockFlowModel.Q.OpeningWaiting);
                reconciliation.Add(new ReconciliationRow(fy, code, Stocks.Housed, openingHoused, lettings, exits + closureMoves, housed));
                reconciliation.Add(new ReconciliationRow(fy, code, Stocks.Waiting, openingWaiting, arrivals + closureMoves,
                    lettings + leaving + deaths + shared, demand - housed));
                reconciliation.Add(new ReconciliationRow(fy, code, Stocks.Demand, openingHoused + openingWaiting, arrivals,
                    exits + leaving + deaths + shared, demand));
                // The model's supported-living weeks include people housed out of area: they are priced as out-of-area placements.
                var waitingWeeks = new Dictionary<string, double>(StringComparer.Ordinal);
                for (var c = 0; c < C; c++) waitingWeeks[WaitingCohorts.Components[c]] = V(StockFlowModel.Q.WeeksWaiting + c);
                weeks.Add(new PersonWeeks(fy, code, V(StockFlowModel.Q.WeeksSupportedLiving) - V(StockFlowModel.Q.WeeksHousedOut),
                    V(StockFlowModel.Q.WeeksExtraCare), V(StockFlowModel.Q.WeeksSharedLives), V(StockFlowModel.Q.WeeksAvoided))
                {
                    HousedOutOfArea = V(StockFlowModel.Q.WeeksHousedOut),
                    Waiting = waitingWeeks,
                });
            }
        }
        for (var g = 0; g <= G; g++)
        {
            if (g < G && !s.Selected[g]) continue;
            var code = g < G ? ClientGroups.Known[g] : ClientGroups.All;
            var previous = 0.0;
            for (var k = 0; k < K; k++)
            {
                double d = 0, sup = 0, gaps = 0;
                if (g < G) (d, sup) = totals[g * K + k];
                else
                    for (var j = 0; j < G; j++)
                        if (s.Selected[j])
                        {
                            d += totals[j * K + k].Demand;
                            sup += totals[j * K + k].Supply;
                            gaps += Math.Max(0, totals[j * K + k].Demand - totals[j * K + k].Supply);
                        }
                var shortfall = d - sup;
                shortfallRows.Add(new ShortfallRow(s.Period.FirstFy + k, code, d, sup, shortfall, k == 0 ? shortfall : shortfall - previous)
                {
                    SumOfGroupGaps = g < G ? Math.Max(0, shortfall) : gaps,
                });
                previous = shortfall;
            }
        }
        foreach (var k in Enumerable.Range(0, K))
        {
            var fy = s.Period.FirstFy + k;
            foreach (var stock in new[] { Stocks.Housed, Stocks.Waiting, Stocks.Demand })
            {
                var rows = reconciliation.Where(r => r.Fy == fy && r.Stock == stock && r.ClientGroup != ClientGroups.All).ToList();
                reconciliation.Add(new ReconciliationRow(fy, ClientGroups.All, stock, rows.Sum(r => r.Opening), rows.Sum(r => r.Inflows),
                    rows.Sum(r => r.Outflows), rows.Sum(r => r.Closing)));
            }
        }
        var targets = s.Strategy is null ? new List<TargetRow>() : TargetCalculator.Compare(s.Strategy, s, shortfallRows);
        var warnings = s.Warnings.ToList();
        var costs = CostCalculator.Compute(weeks, s.WeeklyCosts, s.Levers.CostUpliftPct, s.Levers.EffectiveDiscountRatePct, s.Baseline.AsOf,
            s.Baseline.Costs.Budgets, warnings);
        return new ProjectionResult(s.Period, s.Basis, s.Strategy?.StrategyId, s.Strategy?.Version, s.Strategy?.ClientGroup,
            demandRows, supplyRows, shortfallRows, targets, warnings)
        {
            Costs = costs,
            Flows = flowRows,
            Reconciliation = reconciliation,
            Headline = headline,
        };
    }
}
