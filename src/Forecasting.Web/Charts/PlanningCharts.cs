using Forecasting.Web.Dashboard;

namespace Forecasting.Web.Charts;

/// <summary>The planning charts: the demand-based shortfall with its range; strategy tracking apart from it; a scenario against the baseline.</summary>
public static class PlanningCharts
{
    public const string Demand = "#1d3f73";
    public const string Supply = "#00703c";
    public const string ShortfallColour = "#b10e1e";
    public const string Target = "#d4621a";

    /// <summary>
    /// The demand-based shortfall (units needed - supply) of a client group, or for all groups the sum of the gaps of the
    /// groups that are short with the net across groups beside it. The strategy's targets are not on it: they are a
    /// different question (see <see cref="StrategyTracking"/>).
    /// </summary>
    public static SvgChart Shortfall(ShortfallView view, string clientGroup, DataContext context)
    {
        var years = view.Group(clientGroup);
        var all = clientGroup == "all";
        List<LineSeries> lines =
        [
            new LineSeries("Units needed", years.Select(y => (double?)y.Demand).ToList(), Demand),
            new LineSeries("Supply", years.Select(y => (double?)y.Supply).ToList(), Supply),
        ];
        if (all)
        {
            lines.Add(new LineSeries("Demand-based shortfall: sum of the gaps of the groups that are short", years.Select(y => (double?)y.SumOfGroupGaps).ToList(), ShortfallColour));
            lines.Add(new LineSeries("Net across groups (surpluses offset gaps)", years.Select(y => (double?)y.ShortfallCumulative).ToList(), ShortfallColour, Dashed: true, Width: 1.5));
        }
        else
            lines.Add(new LineSeries("Demand-based shortfall (negative = surplus)", years.Select(y => (double?)y.ShortfallCumulative).ToList(), ShortfallColour, Dashed: true));
        return new SvgChart
        {
            Title = $"Supported-living units needed, supply and demand-based shortfall, {Words.ClientGroup(clientGroup).ToLowerInvariant()}",
            Subtitle = $"{context.CouncilName} · {view.Result.ScenarioName} · at 31 March each year · {view.Result.Projection.Headline} · data to {context.DataToText}",
            YLabel = "Units",
            Counts = true,
            Categories = years.Select(y => new Category(y.FyLabel)).ToList(),
            Bands = [new Band(all ? "Net across groups, likely range (P10 to P90)" : "Shortfall, likely range (P10 to P90)",
                years.Select(y => y.ShortfallDistribution?.P10).ToList(), years.Select(y => y.ShortfallDistribution?.P90).ToList(), ShortfallColour, 0.18)],
            Lines = lines,
        };
    }

    /// <summary>
    /// Strategy tracking: units delivered since the strategy began plus the pipeline counted by each year (the target
    /// basis), cumulative, against the strategy's trajectory (units due by each year end); null without targets.
    /// </summary>
    public static SvgChart? StrategyTracking(ShortfallView view, DataContext context)
    {
        var p = view.Result.Projection;
        var rows = p.Targets.Where(t => (t.ClientGroup ?? "all") == "all").OrderBy(t => t.Fy).ToList();
        if (rows.Count == 0) return null;
        var basis = p.Basis.TargetCounting == Forecasting.Planning.PipelineCounting.StatusThreshold
            ? $"pipeline at {p.Basis.TargetStatusThreshold} or firmer in full"
            : "pipeline weighted by delivery probability";
        return new SvgChart
        {
            Title = $"Strategy tracking: {p.StrategyId} version {p.StrategyVersion}, units delivered and in the pipeline against the trajectory",
            Subtitle = $"{context.CouncilName} · {view.Result.ScenarioName} · cumulative to 31 March each year · {basis} · data to {context.DataToText}",
            YLabel = "Units (cumulative)",
            Counts = true,
            Categories = rows.Select(t => new Category(view.Result.YearLabel(t.Fy))).ToList(),
            Lines =
            [
                new LineSeries("Strategy trajectory (units due by year end)", rows.Select(t => (double?)t.CumulativeTargetDue).ToList(), Target),
                new LineSeries("Delivered since the strategy began + pipeline counted by then", rows.Select(t => (double?)(t.DeliveredToDate + t.PipelineCounted)).ToList(), Supply),
                new LineSeries("Delivered since the strategy began", rows.Select(t => (double?)t.DeliveredToDate).ToList(), Supply, Dashed: true, Width: 1.5),
            ],
        };
    }

    /// <summary>
    /// The demand-based shortfall of every result side by side: the sum of the gaps of the groups that are short (a
    /// group's surplus does not offset another's gap). Its ranges by group and the net figures are in the tables.
    /// </summary>
    public static SvgChart Comparison(IReadOnlyList<ShortfallView> views, DataContext context)
    {
        string[] colours = ["#1d3f73", "#b10e1e", "#00703c", "#6f3c96", "#d4621a", "#28808c"];
        var years = views.SelectMany(v => v.Group("all").Select(y => (y.Fy, y.FyLabel))).Distinct().OrderBy(y => y.Fy).ToList();
        double? At(ShortfallView v, int fy, Func<Forecasting.Planning.YearSummary, double?> pick) =>
            v.Group("all").FirstOrDefault(y => y.Fy == fy) is { } y ? pick(y) : null;
        return new SvgChart
        {
            Title = "Demand-based shortfall (sum of the gaps of the groups that are short): scenarios against the baseline",
            Subtitle = $"{context.CouncilName} · all client groups · at 31 March each year · means of the simulated futures · data to {context.DataToText}",
            YLabel = "Units short",
            Counts = true,
            Categories = years.Select(y => new Category(y.FyLabel)).ToList(),
            Lines = views.Select((v, i) => new LineSeries(v.Result.ScenarioName,
                years.Select(y => At(v, y.Fy, s => s.SumOfGroupGaps)).ToList(), colours[i % colours.Length], Dashed: i > 0)).ToList(),
        };
    }
}
