namespace Forecasting.Planning;

/// <summary>A projector that sees every client group's history at once, so small groups can borrow strength from the others.</summary>
public interface IPooledFlowProjector : IFlowProjector
{
    IReadOnlyDictionary<string, FlowProjection> ProjectAll(IReadOnlyDictionary<string, double[]> monthlyHistories, int horizon);
}

/// <summary>One group's fitted need-arising trend (log of the yearly count at the base population).</summary>
/// <param name="Level">Log yearly count at the centre of the latest 12 months.</param>
/// <param name="Slope">Log growth a year (after pooling).</param>
/// <param name="LevelVariance">Variance of <paramref name="Level"/>.</param>
/// <param name="SlopeVariance">Variance of <paramref name="Slope"/> (after pooling).</param>
/// <param name="Covariance">Covariance of level and slope.</param>
/// <param name="DriftVariance">Year-on-year variance of the log level beyond count noise (a random walk).</param>
/// <param name="Years">Complete 12-month blocks fitted.</param>
/// <param name="Events">Events in those blocks.</param>
/// <param name="UnpooledSlope">The group's own slope before pooling.</param>
/// <param name="MeanTime">Time (years, 0 = latest block) of the point the level line passes through: the centre of the latest three years.</param>
public sealed record NeedRateFit(double Level, double Slope, double LevelVariance, double SlopeVariance, double Covariance, double DriftVariance,
    int Years, double Events, double UnpooledSlope, double MeanTime = 0);

/// <summary>
/// Need arising as a rate: the history arrives already divided by the driver population (people per head of the
/// population at the last month of history), so the trend fitted here is a change in the rate, not in the population,
/// and the scenario multiplies it by the projected population. Per group: yearly counts of the last
/// <see cref="MaxYears"/> complete 12-month blocks; a log-linear trend by weighted least squares (weights = counts, the
/// inverse variance of a log Poisson count); the slopes pooled across groups (precision-weighted mean and
/// DerSimonian-Laird between-group variance, so a small group's noisy slope shrinks towards the others'); the trend
/// damped by <see cref="Damping"/> a year. Uncertainty: count noise is transient (Poisson, month by month, added by the
/// simulation); the level and slope estimates and the year-to-year variation beyond count noise persist.
/// </summary>
public sealed class NeedRateProjector : IPooledFlowProjector
{
    /// <summary>Damping of the trend per year: growth in year h ahead is Damping^h of this year's.</summary>
    public const double Damping = 0.8;
    public const int MaxYears = 6;
    public const double Level = 80;

    public string Name => $"need_rate(damped {Damping}, pooled, {MaxYears}y)";

    public FlowProjection Project(double[] monthlyHistory, int horizon) =>
        ProjectAll(new Dictionary<string, double[]> { ["x"] = monthlyHistory }, horizon)["x"];

    public IReadOnlyDictionary<string, FlowProjection> ProjectAll(IReadOnlyDictionary<string, double[]> monthlyHistories, int horizon)
    {
        var fits = Pool(monthlyHistories.ToDictionary(kv => kv.Key, kv => Fit(kv.Value)));
        return fits.ToDictionary(kv => kv.Key, kv => kv.Value is { } f ? Paths(f, horizon) : FlowProjection.Zero(horizon, "zero"));
    }

    /// <summary>Fits one history; null when it has no complete year or no events.</summary>
    public static NeedRateFit? Fit(double[] monthly)
    {
        // Months before the first event are before the records began (a list started, a service opened): not a rate of zero.
        var first = Array.FindIndex(monthly, v => v > 0);
        if (first < 0) return null;
        var years = Math.Min(MaxYears, (monthly.Length - first) / 12);
        if (years == 0) return null;
        var counts = new double[years];
        for (var i = 0; i < years; i++)
            for (var m = 0; m < 12; m++) counts[i] += monthly[monthly.Length - (years - i) * 12 + m];
        var events = counts.Sum();
        if (events <= 0) return null;
        // t = 0 at the latest block; log(count + 0.5) keeps empty years finite.
        double sw = 0, st = 0, sy = 0;
        var y = counts.Select(c => Math.Log(c + 0.5)).ToArray();
        var w = counts.Select(c => c + 0.5).ToArray();
        var t = Enumerable.Range(0, years).Select(i => (double)(i - (years - 1))).ToArray();
        for (var i = 0; i < years; i++) { sw += w[i]; st += w[i] * t[i]; sy += w[i] * y[i]; }
        if (years < 3)
        {
            // Too few years for a trend: a flat level from the mean yearly count.
            var mean = Math.Log(events / years);
            return new NeedRateFit(mean, 0, 1.0 / Math.Max(0.5, events), 0, 0, 0, years, events, 0);
        }
        double stt = 0, sty = 0;
        for (var i = 0; i < years; i++) { stt += w[i] * t[i] * t[i]; sty += w[i] * t[i] * y[i]; }
        var det = sw * stt - st * st;
        var slope = (sw * sty - st * sy) / det;
        var intercept = (sy - slope * st) / sw;
        double rss = 0;
        for (var i = 0; i < years; i++) { var r = y[i] - intercept - slope * t[i]; rss += w[i] * r * r; }
        var dispersion = rss / (years - 2);
        var scale = Math.Max(1, dispersion);
        // Variance of the slope for weights = inverse variances, scaled for overdispersion.
        var varB = scale * sw / det;
        // Year-to-year variation beyond Poisson noise: the excess dispersion per unit weight, as a random-walk variance a year.
        var drift = Math.Max(0, dispersion - 1) * years / sw;
        // The level is the median of the latest three years (a year of a scheme filling up, or a list being cleared, does not
        // set it), at their centre one year back; the line through it with the fitted slope gives the level at t = 0.
        var recent = counts.Skip(years - 3).Order().ToArray();
        var level = Math.Log(recent[1] + 0.5);
        var levelVariance = scale / (3 * (recent[1] + 0.5)) * Math.PI / 2;
        // Level at t = 0 is the median's log plus one year's slope, so its covariance with the slope is the slope's variance.
        return new NeedRateFit(level + slope, slope, levelVariance + varB, varB, varB, drift, years, events, slope, -1);
    }

    /// <summary>Shrinks each slope towards the precision-weighted mean slope by the DerSimonian-Laird between-group variance.</summary>
    public static Dictionary<string, NeedRateFit?> Pool(Dictionary<string, NeedRateFit?> fits)
    {
        var trended = fits.Values.Where(f => f is { Years: >= 3, SlopeVariance: > 0 }).Select(f => f!).ToList();
        if (trended.Count < 2) return fits;
        var pooled = RandomEffects.Fit(trended.Select(f => f.Slope).ToList(), trended.Select(f => f.SlopeVariance).ToList())!;
        var result = new Dictionary<string, NeedRateFit?>();
        foreach (var (key, f) in fits)
        {
            if (f is not { Years: >= 3, SlopeVariance: > 0 }) { result[key] = f; continue; }
            // With no between-group variance every group takes the pooled slope; otherwise a precision-weighted blend.
            var (slope, variance) = pooled.Shrink(f.Slope, f.SlopeVariance);
            // The line keeps passing through its anchor at MeanTime (the median of the latest three years): a new slope moves the latest level.
            result[key] = f with
            {
                Slope = slope,
                SlopeVariance = variance,
                Covariance = f.Covariance * variance / f.SlopeVariance,
                Level = f.Level + (f.Slope - slope) * f.MeanTime,
            };
        }
        return result;
    }

    /// <summary>Cumulative damped growth multiplier exponent after <paramref name="years"/> years: sum of Damping^i, continuous.</summary>
    public static double DampedYears(double years) => Damping * (1 - Math.Pow(Damping, years)) / (1 - Damping);

    /// <summary>Monthly mean path, its 80% interval and the persistent variance (count noise excluded).</summary>
    public static FlowProjection Paths(NeedRateFit f, int horizon)
    {
        var mean = new double[horizon];
        var lower = new double[horizon];
        var upper = new double[horizon];
        var persistent = new double[horizon];
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + Level / 200.0);
        for (var m = 0; m < horizon; m++)
        {
            // Years from the centre of the latest 12 months (6 months before the end of history) to the middle of month m.
            var h = (m + 6.5) / 12.0;
            var d = DampedYears(h);
            var logVariance = f.LevelVariance + d * d * f.SlopeVariance + 2 * d * f.Covariance + f.DriftVariance * h;
            mean[m] = Math.Exp(f.Level + f.Slope * d) / 12.0;
            persistent[m] = mean[m] * mean[m] * (Math.Exp(Math.Max(0, logVariance)) - 1);
            var sd = Math.Sqrt(mean[m] + persistent[m]);
            lower[m] = Math.Max(0, mean[m] - z * sd);
            upper[m] = mean[m] + z * sd;
        }
        return new FlowProjection(mean, lower, upper, Level, "need_rate") { PersistentVariance = persistent };
    }
}
