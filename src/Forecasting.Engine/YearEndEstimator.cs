namespace Forecasting.Engine;

public sealed record YearEndInterval(double Level, double Lower, double Upper);

/// <param name="Estimate">Estimated full financial-year total.</param>
/// <param name="YearToDate">Sum of the months reported so far.</param>
/// <param name="Method">How the estimate was made.</param>
/// <param name="ProfileShare">Average share of the year's total that the elapsed months held in past years (NaN if unused).</param>
/// <param name="Distribution">The distribution of the full-year total the intervals come from, for probabilities of reaching a value.</param>
public sealed record YearEndEstimate(double Estimate, double YearToDate, int MonthsElapsed, IReadOnlyList<YearEndInterval> Intervals,
    string Method, double ProfileShare, IReadOnlyList<string> Notes, YearEndDistribution Distribution);

/// <summary>
/// "Estimated end of year" from year-to-date monthly values (financial year April-March).
/// With complete past years, the estimate is YTD / p where p is the mean share of the year's total that the same
/// months held in past years (the seasonal profile). The interval comes from the spread of that share across past
/// years on the log scale: log(total) = log(YTD) - log(p), with a t-quantile and the usual sqrt(1 + 1/J) factor for
/// J years. Without past years the estimate is pro rata (YTD x 12 / k) with an interval from month-to-month
/// variability.
/// </summary>
public static class YearEndEstimator
{
    public static YearEndEstimate Estimate(double[] monthlyHistory, int monthsElapsedInYear, double[] yearToDateMonths, double[]? levels = null)
    {
        if (monthlyHistory is null) throw new ArgumentNullException(nameof(monthlyHistory));
        if (yearToDateMonths is null) throw new ArgumentNullException(nameof(yearToDateMonths));
        int k = monthsElapsedInYear;
        if (k < 1 || k > 12) throw new ArgumentException($"monthsElapsedInYear must be 1-12; got {k}.");
        if (yearToDateMonths.Length != k) throw new ArgumentException($"yearToDateMonths has {yearToDateMonths.Length} values but monthsElapsedInYear is {k}.");
        if (yearToDateMonths.Any(v => !double.IsFinite(v))) throw new ArgumentException("yearToDateMonths contains a missing or infinite value.");
        levels = levels is { Length: > 0 } ? levels : ForecastOptions.DefaultLevels;
        foreach (var l in levels) if (!(l > 0 && l < 100)) throw new ArgumentException($"Interval level {l} must be between 0 and 100.");

        var notes = new List<string>();
        double ytd = yearToDateMonths.Sum();
        if (k == 12)
        {
            var known = new PointDistribution(ytd);
            return new YearEndEstimate(ytd, ytd, 12, known.Intervals(levels), "complete year: actual total", 1, notes, known);
        }

        int years = monthlyHistory.Length / 12;
        if (monthlyHistory.Length % 12 != 0)
            notes.Add($"history has {monthlyHistory.Length % 12} months beyond complete years; only the first {years * 12} months (complete April-March years) are used");

        var shares = new List<double>();
        for (int y = 0; y < years; y++)
        {
            var year = monthlyHistory.AsSpan(y * 12, 12);
            bool complete = true; double part = 0, total = 0;
            for (int i = 0; i < 12; i++) { if (!double.IsFinite(year[i])) complete = false; else { total += year[i]; if (i < k) part += year[i]; } }
            if (!complete) { notes.Add($"history year {y + 1} has missing months: skipped"); continue; }
            if (part <= 0 || total <= 0) { notes.Add($"history year {y + 1} has no activity in the elapsed months: skipped"); continue; }
            shares.Add(part / total);
        }

        if (shares.Count >= 2 && ytd > 0)
        {
            var logs = shares.Select(s => Math.Log(s)).ToArray();
            double mean = shares.Average();
            double est = ytd / mean;
            double sd = SeriesTools.StdDev(logs);
            int df = shares.Count - 1;
            double scale = sd * Math.Sqrt(1 + 1.0 / shares.Count);
            // Remaining months cannot be negative, so the total is at least the year to date (the floor).
            YearEndDistribution distribution = scale > 0 ? new ShiftedTDistribution(Math.Log(est), scale, df, LogScale: true, Floor: ytd) : new PointDistribution(est);
            return new YearEndEstimate(est, ytd, k, distribution.Intervals(levels),
                $"seasonal profile: year to date / mean share of the year in months 1-{k} over {shares.Count} past years", mean, notes, distribution);
        }

        notes.Add(shares.Count == 1
            ? "only one complete past year: pro rata estimate (one year cannot show how the seasonal share varies)"
            : ytd <= 0 ? "no activity so far this year: pro rata estimate" : "no complete past years: pro rata estimate without seasonal profile");
        double perMonth = ytd / k;
        double estimate = ytd * 12.0 / k;
        int remaining = 12 - k;
        double sdMonth = k >= 2 ? SeriesTools.StdDev(yearToDateMonths) : Math.Sqrt(Math.Max(perMonth, 0));
        // Remaining months' total: sum of `remaining` months plus the uncertainty in the monthly mean.
        double sdRem = sdMonth * Math.Sqrt(remaining + (double)remaining * remaining / k);
        // Student t with k - 1 degrees of freedom from the months so far (normal from a single month).
        YearEndDistribution proRata = sdRem > 0
            ? new ShiftedTDistribution(estimate, sdRem, k >= 2 ? k - 1 : double.PositiveInfinity, LogScale: false, Floor: ytd)
            : new PointDistribution(estimate);
        return new YearEndEstimate(estimate, ytd, k, proRata.Intervals(levels), $"pro rata: year to date x 12 / {k}", double.NaN, notes, proRata);
    }
}
