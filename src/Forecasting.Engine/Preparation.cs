namespace Forecasting.Engine;

/// <summary>A validated, gap-free series ready for the models, with the notes on what was done to it.</summary>
internal sealed class PreparedSeries
{
    public required double[] Y { get; init; }
    /// <summary>Period the models use: 1 when the series is too short for seasonal models.</summary>
    public required int Period { get; init; }
    public required int DeclaredPeriod { get; init; }
    public required bool NonNegative { get; init; }
    /// <summary>Flagged non-negative by the caller and every observed value a non-negative integer.</summary>
    public bool Count { get; init; }
    public required bool Constant { get; init; }
    public required List<string> Notes { get; init; }
}

internal static class Preparation
{
    public const int MinimumLength = 6;

    public static PreparedSeries Prepare(TimeSeriesData s)
    {
        if (s is null) throw new ArgumentNullException(nameof(s));
        if (s.Values is null || s.Values.Length == 0) throw new ArgumentException("Series has no values.");
        if (s.SeasonalPeriod < 1) throw new ArgumentException($"SeasonalPeriod must be at least 1; got {s.SeasonalPeriod}.");
        if (s.Values.Any(double.IsInfinity)) throw new ArgumentException("Series contains an infinite value.");
        var notes = new List<string>();
        var v = (double[])s.Values.Clone();
        int m = s.SeasonalPeriod;

        int observed = v.Count(x => !double.IsNaN(x));
        if (observed < MinimumLength)
            throw new ArgumentException($"Series too short: {observed} observed values; at least {MinimumLength} are required.");
        if (observed < v.Length / 2.0)
            throw new ArgumentException($"Too many missing values: {v.Length - observed} of {v.Length} are NaN (at most half may be missing).");

        // Leading gaps carry no information.
        int lead = 0;
        while (double.IsNaN(v[lead])) lead++;
        int? brk = s.BreakIndex;
        if (brk is int b0 && (b0 < 0 || b0 >= s.Values.Length))
            throw new ArgumentException($"BreakIndex {b0} is outside the series (length {s.Values.Length}).");
        if (lead > 0)
        {
            v = v[lead..];
            notes.Add($"{lead} leading missing values dropped");
            if (brk is int b1) brk = Math.Max(0, b1 - lead);
        }

        if (brk is int b && b > 0)
        {
            int post = v.Skip(b).Count(x => !double.IsNaN(x));
            int minPost = Math.Max(8, 2 * m);
            if (post >= minPost)
            {
                v = v[b..];
                notes.Add($"break at index {s.BreakIndex}: model fitted on {v.Length} points after the break");
            }
            else if (post >= 1)
            {
                int w = post >= m && m > 1 ? m : post;
                var pre = v[..b].Where(x => !double.IsNaN(x)).TakeLast(w).ToArray();
                var after = v[b..].Where(x => !double.IsNaN(x)).Take(w).ToArray();
                if (pre.Length > 0)
                {
                    double pm = pre.Average(), am = after.Average();
                    bool ratio = pre.All(x => x > 0) && after.All(x => x > 0);
                    for (int i = 0; i < b; i++) v[i] = ratio ? v[i] * am / pm : v[i] + (am - pm);
                    notes.Add(ratio
                        ? $"break at index {s.BreakIndex}: only {post} points after the break (fewer than {minPost}); earlier values rescaled by x{am / pm:0.###} to the new definition"
                        : $"break at index {s.BreakIndex}: only {post} points after the break (fewer than {minPost}); earlier values shifted by {am - pm:+0.###;-0.###} to the new definition");
                }
            }
            else notes.Add($"break at index {s.BreakIndex}: no observations after the break; break ignored");
        }

        // Truncating at a break can leave the series starting on a gap.
        int lead2 = 0;
        while (double.IsNaN(v[lead2])) lead2++;
        if (lead2 > 0) { v = v[lead2..]; notes.Add($"{lead2} missing values at the start of the new definition dropped"); }

        int missing = v.Count(double.IsNaN);
        if (missing > 0)
        {
            Impute(v, m);
            notes.Add($"{missing} missing values imputed (seasonal interpolation)");
        }

        bool constant = SeriesTools.IsConstant(v);
        if (constant) notes.Add("constant series: naive forecast with zero-width intervals");
        int period = m;
        if (m > 1 && v.Length < 2 * m)
        {
            period = 1;
            notes.Add($"series shorter than 2 seasons ({v.Length} < {2 * m}): seasonal models skipped");
        }
        if (v.Any(x => x <= 0) && !constant) notes.Add("zero or negative values: multiplicative models skipped");
        bool count = s.NonNegative && s.Values.Where(x => !double.IsNaN(x)).All(x => x >= 0 && x == Math.Floor(x));
        return new PreparedSeries { Y = v, Period = period, DeclaredPeriod = m, NonNegative = s.NonNegative, Count = count, Constant = constant, Notes = notes };
    }

    /// <summary>Linear interpolation of gaps; with two or more seasons the interpolation runs on seasonally adjusted values. Trailing gaps carry the last value forward.</summary>
    internal static void Impute(double[] v, int m)
    {
        var lin = Interpolate(v, null);
        if (m > 1 && v.Length >= 2 * m)
        {
            var fig = SeriesTools.SeasonalFigure(lin, m, false);
            var adj = new double[v.Length];
            for (int t = 0; t < v.Length; t++) adj[t] = double.IsNaN(v[t]) ? double.NaN : v[t] - fig[t % m];
            var filled = Interpolate(adj, null);
            for (int t = 0; t < v.Length; t++) if (double.IsNaN(v[t])) v[t] = filled[t] + fig[t % m];
        }
        else
            for (int t = 0; t < v.Length; t++) if (double.IsNaN(v[t])) v[t] = lin[t];
    }

    private static double[] Interpolate(double[] v, object? _)
    {
        var r = (double[])v.Clone();
        int last = -1;
        for (int t = 0; t < r.Length; t++)
        {
            if (double.IsNaN(r[t])) continue;
            if (last >= 0 && t - last > 1)
                for (int i = last + 1; i < t; i++) r[i] = r[last] + (r[t] - r[last]) * (i - last) / (t - last);
            last = t;
        }
        for (int t = last + 1; t < r.Length; t++) r[t] = r[last];
        return r;
    }
}
