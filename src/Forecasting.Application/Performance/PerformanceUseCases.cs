using Forecasting.Domain;
using Forecasting.Store.Analytics;
using Forecasting.Store.Performance;

namespace Forecasting.Application.Performance;

/// <summary>One month of the year: the year-to-date value at its end, the year-end estimate made then and its status.</summary>
public sealed record MonthStatusAnswer(string Label, double YtdValue, double YearEndEstimate, Rag Rag);

/// <summary>A measure over one financial year of a council: year to date, year-end estimate, target, status and benchmark.</summary>
public sealed record MeasurePerformanceAnswer(
    Measure Measure,
    int FinancialYear,
    int MonthsElapsed,
    double YtdNumerator,
    double YtdDenominator,
    double YtdValue,
    MeasureYearEndEstimate YearEnd,
    TargetVersion? Target,
    Rag Rag,
    double ProbabilityOfMeetingTarget,
    IReadOnlyList<MonthStatusAnswer> Months,
    BenchmarkPlacement? Benchmark,
    int? BenchmarkYear,
    IReadOnlyList<string> Notes,
    DateOnly AsOf);

/// <param name="AsOf">The last day of the data the answer uses: the end of the last month counted.</param>
public sealed record PerformanceAnswer(string CouncilCode, int FinancialYear, DateOnly AsOf, IReadOnlyList<MeasurePerformanceAnswer> Measures,
    string SnapshotId);

/// <summary>
/// The performance use cases: the measure catalogue and series, the year's scorecard against versioned targets and
/// benchmarks, target versions and budget against outturn. Every figure comes from the measure's monthly series,
/// so a year-to-date value here is the one the series shows.
/// </summary>
public sealed class PerformanceUseCases(AnalyticsQueries analytics, MeasureYearEnd yearEnd, TargetRepository targets, BenchmarkRepository benchmarks,
    BudgetQueries budgets)
{
    /// <summary>Most measures one scorecard covers: the whole catalogue.</summary>
    public static int MaxMeasures => MeasureCatalog.All.Count;

    public MeasureResult Series(MeasureQuery query, CancellationToken ct) => analytics.MeasureSeries(query, ct);

    /// <param name="financialYear">A label like 2024/25; null = the financial year of the council's last complete month of data.</param>
    /// <param name="measureNames">Empty = every measure with data for the council in that year.</param>
    /// <param name="monthsElapsed">0 = every month of the year the data has.</param>
    public PerformanceAnswer Performance(string council, string? financialYear, IReadOnlyList<string> measureNames, int monthsElapsed, double[] levels,
        CancellationToken ct)
    {
        analytics.RequireKnownCouncil(council);
        if (monthsElapsed is < 0 or > 12) throw new InvalidArgumentException("months_elapsed", "must be between 1 and 12 (0 = every month available)");
        if (levels.Any(l => l is <= 0 or >= 100)) throw new InvalidArgumentException("levels", "interval levels are percentages between 0 and 100");
        levels = levels.Length == 0 ? [80, 95] : levels;
        var named = measureNames.Count > 0;
        var measures = named ? measureNames.Distinct().Select(MeasureCatalog.Find).ToList() : MeasureCatalog.All.ToList();
        var asOf = analytics.HistoryEnd(council);
        var fy = OptionalFinancialYear(financialYear);
        if (fy is null && asOf is { } end) fy = FinancialYear.Of(end.AddDays(1).AddMonths(-1));

        // First every measure's series and position, then the year-end estimates of all of them at once (the stocks' forecasts
        // as one engine batch), then each measure's target, status and benchmark.
        var chosen = new List<(Measure Measure, MeasureResult Series, List<MeasureValue> Monthly, int Year, int Months)>();
        string? snapshot = null;
        foreach (var measure in measures)
        {
            ct.ThrowIfCancellationRequested();
            MeasureResult series;
            try
            {
                series = analytics.MeasureSeries(new MeasureQuery(measure.Name, council), ct);
            }
            catch (NoDataException) when (!named)
            {
                continue;
            }
            snapshot ??= series.SnapshotId;
            var monthly = series.Groups.Single().Points.Where(p => p.PeriodEnd == p.PeriodStart.AddMonths(1).AddDays(-1)).ToList();
            var year = fy ?? (monthly.Count > 0 ? FinancialYear.Of(monthly[^1].PeriodStart) : throw new NoDataException("no complete months of data"));
            var inYear = monthly.Count(p => FinancialYear.Of(p.PeriodStart) == year);
            if (inYear == 0)
            {
                if (named) throw new InvalidArgumentException("financial_year", $"{measure.Name} has no complete months in {FinancialYear.Label(year)}");
                continue;
            }
            var months = monthsElapsed == 0 ? inYear : monthsElapsed;
            if (months > inYear)
            {
                if (named) throw new InvalidArgumentException("months_elapsed", $"{measure.Name} has only {inYear} complete months in {FinancialYear.Label(year)}");
                months = inYear;
            }
            chosen.Add((measure, series, monthly, year, months));
        }
        if (chosen.Count == 0) throw new NoDataException($"council {council} has no measures with data{(fy is { } y ? $" in {FinancialYear.Label(y)}" : "")}");
        var estimates = yearEnd.EstimateMany(chosen.Select(c => new YearEndRequest(c.Measure, c.Monthly, c.Year, c.Months)).ToList(), levels, ct);
        var answers = chosen.Select((c, i) => Assess(council, c.Measure, c.Series, c.Monthly, c.Year, c.Months, estimates[i], ct)).ToList();
        return new PerformanceAnswer(council, answers[0].FinancialYear, answers.Max(a => a.AsOf), answers, snapshot ?? "");
    }

    private MeasurePerformanceAnswer Assess(string council, Measure measure, MeasureResult series, List<MeasureValue> monthly, int fy, int months,
        MeasureYearEndEstimate estimate, CancellationToken ct)
    {
        var notes = new List<string>(series.Notes);
        var ytd = monthly.Where(p => FinancialYear.Of(p.PeriodStart) == fy).ElementAt(months - 1);
        // A year the data holds whole has its actual beside an estimate made part-way through it (how good was it?).
        var wholeYear = monthly.Where(p => FinancialYear.Of(p.PeriodStart) == fy).ToList();
        if (wholeYear.Count == 12) estimate = estimate with { Actual = wholeYear[^1].YtdValue };
        var target = targets.Current(council, measure.Name, fy, ct);
        var probability = target is not null && estimate.Distribution is { } distribution
            ? RagRules.ProbabilityOfMeeting(distribution.Cdf, target.Target, measure.Polarity, target.AmberMargin)
            : double.NaN;
        // A year the position holds whole is an outcome, not a chance (0 or 1): judged by its value and the amber margin.
        var rag = target is null ? Rag.Unspecified
            : RagRules.YearEndStatus(estimate.Estimate, months >= 12 ? double.NaN : probability, target.Target, target.AmberMargin, measure.Polarity);
        if (target is not null && estimate.Distribution is null) notes.Add("no probability of meeting the target: the estimate has no distribution");

        var statuses = monthly.Where(p => FinancialYear.Of(p.PeriodStart) == fy).Take(months).Select((p, i) =>
        {
            var atMonth = yearEnd.EstimateAtMonth(measure, monthly, fy, i + 1);
            return new MonthStatusAnswer(p.Label, p.YtdValue, atMonth,
                target is null ? Rag.Unspecified : RagRules.Status(atMonth, target.Target, target.AmberMargin, measure.Polarity));
        }).ToList();
        if (measure.Shape == MeasureShape.Stock)
            notes.Add("a stock's month-by-month status compares the month-end value with the year-end target");

        BenchmarkPlacement? placement = null;
        int? benchmarkYear = null;
        if (benchmarks.LatestUpTo(council, measure.Name, fy, ct) is { } set)
        {
            benchmarkYear = set.FinancialYear;
            var ofYear = monthly.Where(p => FinancialYear.Of(p.PeriodStart) == set.FinancialYear).ToList();
            var value = ofYear.Count == 12 ? ofYear[^1].YtdValue : double.NaN;
            if (ofYear.Count != 12) notes.Add($"the council's own {FinancialYear.Label(set.FinancialYear)} value is not complete in the data, so it is not ranked");
            placement = BenchmarkPositioning.Position(value, set.Comparators, measure.Polarity);
        }
        return new MeasurePerformanceAnswer(measure, fy, months, ytd.YtdNumerator, ytd.YtdDenominator, ytd.YtdValue, estimate, target, rag, probability,
            statuses, placement, benchmarkYear, notes, ytd.PeriodEnd);
    }

    /// <summary>Adds a version of a measure's target; the council must be in the store.</summary>
    public TargetVersion SetTarget(string council, string measure, string financialYear, double target, double? amberMargin, string author, string reason,
        CancellationToken ct)
    {
        analytics.RequireKnownCouncil(council);
        var fy = OptionalFinancialYear(financialYear) ?? throw NotAFinancialYear(financialYear);
        return targets.Add(council, measure, fy, target, amberMargin, author, reason, ct);
    }

    /// <summary>What identifies the council's set of target versions: versions are only ever added, so their count and latest time.</summary>
    public string TargetsStamp(string council, CancellationToken ct)
    {
        var versions = targets.List(council, null, ct);
        return versions.Count == 0 ? "no targets" : $"{versions.Count} targets to {versions.Max(t => t.CreatedAt):O}";
    }

    public IReadOnlyList<TargetVersion> Targets(string council, string? measure, CancellationToken ct)
    {
        analytics.RequireKnownCouncil(council);
        return targets.List(council, measure, ct);
    }

    public TableResult BudgetOutturn(string council, string? financialYear, CancellationToken ct)
    {
        return budgets.BudgetOutturn(council, OptionalFinancialYear(financialYear), ct);
    }

    /// <summary>A label like 2024/25 as its starting year; null when empty.</summary>
    private static int? OptionalFinancialYear(string? label) => FinancialYear.ParseOptional(label, "financial_year");

    private static InvalidArgumentException NotAFinancialYear(string? label) =>
        new("financial_year", $"'{label}' is not a financial year like 2024/25");
}
