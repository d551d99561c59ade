using System.Security.Cryptography;
using System.Text;

namespace Forecasting.Planning;

/// <summary>A projected monthly flow with a central path and one prediction interval (Level in percent).</summary>
public sealed record FlowProjection(double[] Mean, double[] Lower, double[] Upper, double Level, string Method)
{
    /// <summary>
    /// Variance of each month that persists (estimation and drift of the level), when the projector knows it; the rest
    /// of the interval is count noise. null = take the first month's variance as count noise and only its growth as persistent.
    /// </summary>
    public double[]? PersistentVariance { get; init; }

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
        // Need arising per head: each month's count divided by the driver population of that month relative to the last
        // month of history (mid-year estimates), so the projector sees the rate and the scenario multiplies by the projection.
        var estimates = new PopulationDriver(baseline, PopulationVariants.Estimate, []);
        var histories = new Dictionary<string, double[]>();
        foreach (var g in ClientGroups.Known)
        {
            hash.Append('|').Append(g).Append(":arising:");
            if (!baseline.NeedArising.TryGetValue(g, out var series) || series.Values.All(v => v == 0)) continue;
            var age = ClientGroups.DriverAgeGroup(g);
            var perHead = new double[series.Values.Length];
            for (var i = 0; i < perHead.Length; i++)
            {
                var index = estimates.Index(age, series.FirstMonthIndex + i);
                perHead[i] = index > 0 ? series.Values[i] / index : series.Values[i];
                hash.Append(perHead[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            }
            histories[g] = perHead;
        }
        var projected = projector is IPooledFlowProjector pooled
            ? pooled.ProjectAll(histories, horizon)
            : histories.ToDictionary(kv => kv.Key, kv => projector.Project(kv.Value, horizon));
        var arising = new Dictionary<string, FlowProjection>();
        foreach (var g in ClientGroups.Known)
        {
            if (!projected.TryGetValue(g, out var p)) { arising[g] = FlowProjection.Zero(horizon, "zero"); continue; }
            if (p.Mean.Length != horizon || p.Lower.Length != horizon || p.Upper.Length != horizon)
                throw new InvalidOperationException($"{projector.Name} returned {p.Mean.Length} steps for {g} arising, expected {horizon}");
            arising[g] = p;
        }
        var id = "fr-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..16];
        return new BaselineFlows(start, horizon, id, arising);
    }
}
