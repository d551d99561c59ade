using Forecasting.Domain;
using Forecasting.Engine;
using Forecasting.Store.Analytics;

namespace Forecasting.Application.Performance;

/// <summary>An estimated end-of-year value of a measure, its range and the distribution they come from (null when there is none).</summary>
public sealed record MeasureYearEndEstimate(double Estimate, IReadOnlyList<YearEndInterval> Intervals, string Method, double Actual,
    YearEndDistribution? Distribution);

/// <summary>One measure's months and the year and position to estimate (months 1-12 of that financial year).</summary>
public sealed record YearEndRequest(Measure Measure, IReadOnlyList<MeasureValue> Monthly, int Fy, int Months);

/// <summary>
/// The estimated end of year of a measure from the months of the year so far, by the measure's kind:
/// <list type="bullet">
/// <item>a count or sum: the seasonal-profile estimator of <see cref="YearEndEstimator"/> on the monthly values;</item>
/// <item>a rate per 100,000: the same estimate of the count over the year's population;</item>
/// <item>a proportion: the year to date a of n, and about m more cases (the denominator's own year-end estimate less
/// n), through <see cref="ProportionYearEnd"/>;</item>
/// <item>another ratio (days per case, cost per hour): the ratio of the numerator's and denominator's estimates, without a range;</item>
/// <item>a stock: the engine's forecast of the month-end values to 31 March, with a normal approximation to its
/// widest interval for probabilities.</item>
/// </list>
/// </summary>
public sealed class MeasureYearEnd(ForecastOrchestrator orchestrator)
{
    /// <param name="monthly">The measure's complete months, oldest first, through month <paramref name="months"/> of the year.</param>
    /// <param name="fy">The financial year estimated.</param>
    /// <param name="months">Months of that year used (1-12).</param>
    public MeasureYearEndEstimate Estimate(Measure measure, IReadOnlyList<MeasureValue> monthly, int fy, int months, double[] levels,
        CancellationToken ct = default) => EstimateMany([new YearEndRequest(measure, monthly, fy, months)], levels, ct)[0];

    /// <summary>
    /// The estimates of many measures at once (a scorecard): the stocks still to forecast go to the engine as one batch
    /// per horizon (on a scorecard every measure stands at the same month, so one batch), not one call each; the orchestrator
    /// fits each series on its own, so a measure's estimate is the same alone or in a batch.
    /// </summary>
    public IReadOnlyList<MeasureYearEndEstimate> EstimateMany(IReadOnlyList<YearEndRequest> requests, double[] levels, CancellationToken ct = default)
    {
        var estimates = new MeasureYearEndEstimate[requests.Count];
        var stocks = new List<(int Index, List<MeasureValue> InYear, double[] History)>();
        for (var i = 0; i < requests.Count; i++)
        {
            var (measure, monthly, fy, months) = requests[i];
            var inYear = monthly.Where(p => FinancialYear.Of(p.PeriodStart) == fy).Take(months).ToList();
            if (inYear.Count != months) throw new ArgumentException($"{months} months of {FinancialYear.Label(fy)} were asked for but {inYear.Count} are given.");
            if (months == 12 || measure.Shape != MeasureShape.Stock)
            {
                estimates[i] = EstimateOne(measure, monthly, fy, months, levels);
                continue;
            }
            var history = monthly.TakeWhile(p => p.PeriodStart <= inYear[^1].PeriodStart).Select(p => p.Value).ToArray();
            if (history.Any(double.IsNaN) || history.Length < 3)
                estimates[i] = new(double.NaN, [], $"{measure.Title} has months without a value or too short a history to forecast", double.NaN, null);
            else stocks.Add((i, inYear, history));
        }
        foreach (var batch in stocks.GroupBy(s => 12 - s.InYear.Count))
        {
            var members = batch.ToList();
            var forecasts = orchestrator.ForecastMany(members.Select(m => new TimeSeriesData(m.History, 12, NonNegative: true)).ToList(),
                new ForecastOptions(batch.Key, "auto", levels, Seed: 1), ct: ct);
            for (var k = 0; k < members.Count; k++)
                estimates[members[k].Index] = StockEstimate(forecasts[k], batch.Key, requests[members[k].Index].Fy);
        }
        return estimates;
    }

    private MeasureYearEndEstimate EstimateOne(Measure measure, IReadOnlyList<MeasureValue> monthly, int fy, int months, double[] levels)
    {
        var inYear = monthly.Where(p => FinancialYear.Of(p.PeriodStart) == fy).Take(months).ToList();
        var last = inYear[^1];
        var complete = months == 12;
        var actual = complete ? last.YtdValue : double.NaN;
        if (complete)
        {
            var known = new PointDistribution(last.YtdValue);
            return new(last.YtdValue, known.Intervals(levels), "complete year: the year's value", actual, known);
        }

        var before = CompleteYearsBefore(monthly, p => p.PeriodStart, fy);
        YearEndEstimate Sum(Func<MeasureValue, double> value) =>
            YearEndEstimator.Estimate(before.Select(value).ToArray(), months, inYear.Select(value).ToArray(), levels);

        if (measure.PopulationAgeGroup is not null)
        {
            var count = Sum(p => p.Numerator);
            var factor = 100_000 / last.Denominator;
            var rate = count.Distribution.Scaled(factor);
            return new(count.Estimate * factor, rate.Intervals(levels),
                $"{count.Method}; the estimated count x 100,000 / population {last.Denominator:0}", actual, rate);
        }
        if (measure.DenominatorSql is null)
        {
            var sum = Sum(p => p.Numerator);
            return new(sum.Estimate, sum.Intervals, sum.Method, actual, sum.Distribution);
        }
        var denominator = Sum(p => p.Denominator);
        if (measure.Proportion)
        {
            var a = (long)Math.Round(last.YtdNumerator);
            var n = (long)Math.Round(last.YtdDenominator);
            var m = Math.Max(0, (long)Math.Round(denominator.Estimate) - n);
            if (n + m == 0)
                return new(double.NaN, [], "no cases this year and none expected", actual, null);
            var (distribution, mean) = ProportionYearEnd.Estimate(a, n, m);
            var scaled = distribution.Scaled(measure.Scale);
            return new(mean * measure.Scale, scaled.Intervals(levels),
                $"proportion: {a} of {n} so far and about {m} more cases this year (the denominator's estimate: {denominator.Method}); " +
                "the remaining cases' share is uncertain as the Jeffreys posterior Beta(a + 1/2, n - a + 1/2) says (beta-binomial)",
                actual, scaled);
        }
        var numerator = Sum(p => p.Numerator);
        return new(measure.ValueOf(numerator.Estimate, denominator.Estimate), [],
            $"ratio of the year-end estimates of numerator and denominator ({numerator.Method}); no range is given for a ratio of two estimates",
            actual, null);
    }

    /// <summary>A stock's estimate from the engine's forecast of its month-end values to 31 March.</summary>
    private static MeasureYearEndEstimate StockEstimate(ForecastResult result, int horizon, int fy)
    {
        var estimate = result.Mean[^1];
        var intervals = result.Intervals.Select(i => new YearEndInterval(i.Level, i.Lower[^1], i.Upper[^1])).ToList();
        YearEndDistribution? distribution = null;
        if (intervals.MaxBy(i => i.Level) is { } widest && widest.Upper > widest.Lower)
        {
            var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + widest.Level / 200);
            distribution = new ShiftedTDistribution(estimate, (widest.Upper - widest.Lower) / (2 * z), double.PositiveInfinity, LogScale: false,
                Floor: double.NegativeInfinity);
        }
        return new(estimate, intervals,
            $"forecast of the month-end values to 31 March {fy + 1} ({result.Model}, {horizon} months ahead); probabilities use a normal approximation to the widest interval",
            double.NaN, distribution);
    }

    /// <summary>
    /// The months of the complete April-March years before <paramref name="fy"/>: the seasonal profile
    /// <see cref="YearEndEstimator"/> learns from.
    /// </summary>
    public static List<T> CompleteYearsBefore<T>(IEnumerable<T> months, Func<T, DateOnly> start, int fy)
    {
        var before = months.Where(p => FinancialYear.Of(start(p)) < fy).SkipWhile(p => start(p).Month != 4).ToList();
        return before.Take(before.Count / 12 * 12).ToList();
    }

    /// <summary>
    /// The point estimate made with the first <paramref name="months"/> months only, for the month-by-month status:
    /// flows re-estimate their year end; a stock's month is its own value.
    /// </summary>
    public double EstimateAtMonth(Measure measure, IReadOnlyList<MeasureValue> monthly, int fy, int months)
    {
        var inYear = monthly.Where(p => FinancialYear.Of(p.PeriodStart) == fy).Take(months).ToList();
        if (measure.Shape == MeasureShape.Stock || months == 12) return inYear[^1].YtdValue;
        return Estimate(measure, monthly, fy, months, [80]).Estimate;
    }
}
