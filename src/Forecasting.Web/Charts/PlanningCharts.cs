using Forecasting.Web.Dashboard;

namespace Forecasting.Web.Charts;

/// <summary>The planning charts: shortfall with its range and the strategy's targets; a scenario against the baseline.</summary>
public static class PlanningCharts
{
    public const string Demand = "#1d3f73";
    public const string Supply = "#00703c";
    public const string ShortfallColour = "#b10e1e";
    public const string Target = "#d4621a";

    public static SvgChart Shortfall(ShortfallView view, string clientGroup, DataContext context)
    {
        var years = view.Group(clientGroup);
        var hasTargets = years.Any(y => y.TargetCumulative is not null);
        return new SvgChart
        {
            Title = $"Supported-living units needed and available, {Words.ClientGroup(clientGroup).ToLowerInvariant()}",
            Subtitle = $"{context.CouncilName} · {view.Result.ScenarioName} · at 31 March each year · data to {context.DataToText} (snapshot {view.Result.SnapshotId})",
            YLabel = "Units",
            Categories = years.Select(y => new Category(y.FyLabel)).ToList(),
            Bands = [new Band("Shortfall, likely range (P10 to P90)", years.Select(y => y.ShortfallDistribution?.P10).ToList(),
                years.Select(y => y.ShortfallDistribution?.P90).ToList(), ShortfallColour, 0.18)],
            Lines =
            [
                new LineSeries("Units needed", years.Select(y => (double?)y.Demand).ToList(), Demand),
                new LineSeries("Supply", years.Select(y => (double?)y.Supply).ToList(), Supply),
                new LineSeries("Shortfall", years.Select(y => (double?)y.ShortfallCumulative).ToList(), ShortfallColour, Dashed: true),
            ],
            Points = hasTargets ? [new Markers("Strategy target (units due by year end)", years.Select(y => y.TargetCumulative).ToList(), Target)] : [],
        };
    }

    /// <summary>The shortfall of every result side by side (all client groups), each with its P10-P90 range.</summary>
    public static SvgChart Comparison(IReadOnlyList<ShortfallView> views, DataContext context)
    {
        string[] colours = ["#1d3f73", "#b10e1e", "#00703c", "#6f3c96", "#d4621a", "#28808c"];
        var years = views.SelectMany(v => v.Group("all").Select(y => (y.Fy, y.FyLabel))).Distinct().OrderBy(y => y.Fy).ToList();
        double? At(ShortfallView v, int fy, Func<Forecasting.Planning.YearSummary, double?> pick) =>
            v.Group("all").FirstOrDefault(y => y.Fy == fy) is { } y ? pick(y) : null;
        return new SvgChart
        {
            Title = "Supported-living shortfall: scenarios against the baseline",
            Subtitle = $"{context.CouncilName} · all client groups · at 31 March each year · data to {context.DataToText}",
            YLabel = "Units short",
            Categories = years.Select(y => new Category(y.FyLabel)).ToList(),
            Bands = views.Select((v, i) => new Band($"{v.Result.ScenarioName} P10 to P90",
                years.Select(y => At(v, y.Fy, s => s.ShortfallDistribution?.P10)).ToList(),
                years.Select(y => At(v, y.Fy, s => s.ShortfallDistribution?.P90)).ToList(), colours[i % colours.Length], 0.14)).ToList(),
            Lines = views.Select((v, i) => new LineSeries(v.Result.ScenarioName,
                years.Select(y => At(v, y.Fy, s => s.ShortfallCumulative)).ToList(), colours[i % colours.Length], Dashed: i > 0)).ToList(),
        };
    }
}
