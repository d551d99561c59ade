namespace Forecasting.Planning;

/// <summary>One scenario's figures for a year and client group, with the shortfall delta against the baseline.</summary>
public sealed record ComparisonRow(
    int Fy, string FyLabel, string ClientGroup, string? ScenarioId, string ScenarioName,
    double Demand, double Supply, double ShortfallCumulative, double? ShortfallP50, double DeltaVsBaseline, double? ProbabilityPositive)
{
    /// <summary>Net cost (placements - residential avoided, GBP) in the year; null when the run's costs were not computed.</summary>
    public double? NetCost { get; init; }
    /// <summary>Net cost summed from the first reported year.</summary>
    public double? NetCostCumulative { get; init; }
    /// <summary>NetCost minus the baseline's; null when either is missing.</summary>
    public double? NetCostDeltaVsBaseline { get; init; }
    /// <summary>NetCostCumulative minus the baseline's.</summary>
    public double? NetCostCumulativeDeltaVsBaseline { get; init; }
    /// <summary>The demand-based shortfall members read: on "all" the sum of the gaps of the groups that are short; on a group, its gap.</summary>
    public double SumOfGroupGaps { get; init; }
    /// <summary>SumOfGroupGaps minus the baseline's.</summary>
    public double SumOfGroupGapsDeltaVsBaseline { get; init; }
    /// <summary>Surpluses of the groups above demand (on a group, its own), listed beside the gaps, not netted.</summary>
    public double SumOfGroupSurpluses { get; init; }
}

public sealed record ScenarioComparison(PlanningResult Baseline, IReadOnlyList<PlanningResult> Results, IReadOnlyList<ComparisonRow> Rows);

/// <summary>Side-by-side comparison of results against a baseline result (no levers).</summary>
public static class ScenarioComparer
{
    /// <summary>
    /// Rows for the baseline (delta 0) and each result, for the years and client groups present in the baseline,
    /// ordered by year, client group and then baseline first.
    /// </summary>
    public static ScenarioComparison Compare(PlanningResult baseline, IReadOnlyList<PlanningResult> results)
    {
        if (results.Count == 0) throw new ArgumentException("nothing to compare", nameof(results));
        if (!baseline.Levers.SameAs(ScenarioLevers.Baseline))
            throw new ArgumentException("the baseline result must have no levers", nameof(baseline));
        var rows = new List<ComparisonRow>();
        foreach (var b in baseline.Projection.Shortfall)
        {
            var baseCost = baseline.Projection.Costs?.At(b.Fy, b.ClientGroup);
            rows.Add(Row(baseline, b, b, baseCost));
            foreach (var r in results)
            {
                var s = r.Projection.Shortfall.SingleOrDefault(x => x.Fy == b.Fy && x.ClientGroup == b.ClientGroup);
                if (s is not null) rows.Add(Row(r, s, b, baseCost));
            }
        }
        return new ScenarioComparison(baseline, results, rows);
    }

    private static ComparisonRow Row(PlanningResult r, ShortfallRow s, ShortfallRow b, CostRow? baselineCost)
    {
        var sim = r.SimulationAt(s.Fy, s.ClientGroup);
        var cost = r.Projection.Costs?.At(s.Fy, s.ClientGroup);
        return new ComparisonRow(s.Fy, r.YearLabel(s.Fy), s.ClientGroup, r.ScenarioId, r.ScenarioName,
            s.Demand, s.Supply, s.Shortfall, sim?.P50, s.Shortfall - b.Shortfall, sim?.ProbabilityAboveZero)
        {
            SumOfGroupGaps = s.SumOfGroupGaps,
            SumOfGroupGapsDeltaVsBaseline = s.SumOfGroupGaps - b.SumOfGroupGaps,
            SumOfGroupSurpluses = s.ClientGroup == ClientGroups.All ? r.Projection.SumOfGroupSurpluses(s.Fy) : Math.Max(0, -s.Shortfall),
            NetCost = cost?.NetCost,
            NetCostCumulative = cost?.NetCostCumulative,
            NetCostDeltaVsBaseline = cost is null || baselineCost is null ? null : cost.NetCost - baselineCost.NetCost,
            NetCostCumulativeDeltaVsBaseline = cost is null || baselineCost is null ? null : cost.NetCostCumulative - baselineCost.NetCostCumulative,
        };
    }
}
