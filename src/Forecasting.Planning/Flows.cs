using System.Security.Cryptography;
using System.Text;

namespace Forecasting.Planning;

/// <summary>A projected monthly flow with a central path and one prediction interval (Level in percent).</summary>
public sealed record FlowProjection(double[] Mean, double[] Lower, double[] Upper, double Level, string Method)
{
    public static FlowProjection Zero(int horizon, string method) =>
        new(new double[horizon], new double[horizon], new double[horizon], 80, method);

    /// <summary>Standard deviation of month <paramref name="i"/> implied by the upper bound of a normal interval.</summary>
    public double StandardDeviation(int i)
    {
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + Level / 200.0);
        return z <= 0 ? 0 : Math.Max(0, (Upper[i] - Mean[i]) / z);
    }
}

/// <summary>Projects a monthly count series forward; implemented with the forecasting engine or by a test fake.</summary>
public interface IFlowProjector
{
    /// <summary>Name recorded in the forecast run id.</summary>
    string Name { get; }
    FlowProjection Project(double[] monthlyHistory, int horizon);
}

/// <summary>Need arising projected per client group for one baseline.</summary>
public sealed record BaselineFlows(
    DateOnly HorizonStart,
    int Horizon,
    string ForecastRunId,
    IReadOnlyDictionary<string, FlowProjection> Arising)
{
    /// <summary>
    /// Runs the projector on each client group's need-arising history up to the baseline's last complete month, for as many months
    /// as reach the end of the period. Series with no events are projected as zero without calling the projector.
    /// The forecast run id is a hash of the projector name, the histories and the horizon.
    /// </summary>
    public static BaselineFlows Project(PlanningBaseline baseline, ProjectionPeriod period, IFlowProjector projector)
    {
        var start = baseline.HistoryEndMonth.AddMonths(1);
        var horizon = MonthIndex.Of(FinancialYear.End(period.LastFy)) - MonthIndex.Of(start) + 1;
        if (horizon <= 0) throw new ArgumentException("the projection period ends before the as-of date");
        var hash = new StringBuilder().Append(projector.Name).Append('|').Append(horizon).Append('|').Append(start.ToString("yyyy-MM"));
        var arising = new Dictionary<string, FlowProjection>();
        foreach (var g in ClientGroups.Known)
            arising[g] = One(baseline.NeedArising, g, "arising", horizon, projector, hash);
        var id = "fr-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..16];
        return new BaselineFlows(start, horizon, id, arising);
    }

    private static FlowProjection One(IReadOnlyDictionary<string, MonthlySeries> all, string group, string kind, int horizon,
        IFlowProjector projector, StringBuilder hash)
    {
        hash.Append('|').Append(group).Append(':').Append(kind).Append(':');
        if (!all.TryGetValue(group, out var series) || series.Values.All(v => v == 0))
            return FlowProjection.Zero(horizon, "zero");
        foreach (var v in series.Values) hash.Append(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',');
        var p = projector.Project(series.Values, horizon);
        if (p.Mean.Length != horizon || p.Lower.Length != horizon || p.Upper.Length != horizon)
            throw new InvalidOperationException($"{projector.Name} returned {p.Mean.Length} steps for {group} {kind}, expected {horizon}");
        return p;
    }
}
