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
        var z = Stats.NormalQuantile(0.5 + Level / 200.0);
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

/// <summary>New tenancies and tenancy ends projected per client group for one baseline.</summary>
public sealed record BaselineFlows(
    DateOnly HorizonStart,
    int Horizon,
    string ForecastRunId,
    IReadOnlyDictionary<string, FlowProjection> Starts,
    IReadOnlyDictionary<string, FlowProjection> Ends)
{
    /// <summary>
    /// Runs the projector on each client group's history up to the baseline's last complete month, for as many months
    /// as reach the end of the period. Series with no events are projected as zero without calling the projector.
    /// The forecast run id is a hash of the projector name, the histories and the horizon.
    /// </summary>
    public static BaselineFlows Project(PlanningBaseline baseline, ProjectionPeriod period, IFlowProjector projector)
    {
        var start = baseline.HistoryEndMonth.AddMonths(1);
        var horizon = MonthIndex.Of(FinancialYear.End(period.LastFy)) - MonthIndex.Of(start) + 1;
        if (horizon <= 0) throw new ArgumentException("the projection period ends before the as-of date");
        var hash = new StringBuilder().Append(projector.Name).Append('|').Append(horizon).Append('|').Append(start.ToString("yyyy-MM"));
        var starts = new Dictionary<string, FlowProjection>();
        var ends = new Dictionary<string, FlowProjection>();
        foreach (var g in ClientGroups.Known)
        {
            starts[g] = One(baseline.NewTenancies, g, "starts", horizon, projector, hash);
            ends[g] = One(baseline.TenancyEnds, g, "ends", horizon, projector, hash);
        }
        var id = "fr-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..16];
        return new BaselineFlows(start, horizon, id, starts, ends);
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

internal static class Stats
{
    /// <summary>Inverse of the standard normal distribution (Acklam's rational approximation, |error| &lt; 1.2e-9 after refinement).</summary>
    public static double NormalQuantile(double p)
    {
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double pLow = 0.02425;
        double x;
        if (p < pLow)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - pLow)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        return x;
    }

    /// <summary>Quantile with linear interpolation between order statistics (type 7) of a sorted span.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
