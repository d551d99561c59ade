using System.Diagnostics;
using Forecasting.Store.Analytics;
using Forecasting.Domain;
using Forecasting.Engine;
using Forecasting.Store;

namespace Forecasting.Application.Forecasts;

/// <summary>One series to forecast: what selects it and how far ahead.</summary>
public sealed record ForecastJob(SeriesQuery Query, int? Horizon, int? UntilFy, DateOnly? BreakDate);

/// <summary>
/// Turns analytics selectors into engine inputs and engine results into stored, traceable runs:
/// the same selector the analytics API answers, projected with intervals and backtest accuracy.
/// </summary>
public sealed class SeriesForecaster(AnalyticsQueries analytics, ForecastingStore store, ForecastOrchestrator orchestrator)
{
    /// <summary>Longest horizon accepted: fifteen years of any period.</summary>
    public const int MaxYearsAhead = 15;

    /// <summary>Longest history fitted: fifty years of any period. Fit time grows with length, and a fit cannot stop halfway.</summary>
    public const int MaxYearsOfHistory = 50;

    private static readonly Dictionary<Period, int> DefaultHorizon = new() { [Period.Month] = 24, [Period.Quarter] = 8, [Period.FinancialYear] = 5 };

    /// <param name="maxSeries">Most series the run may fit (null = no bound): a breakdown can multiply one request into many fits.</param>
    public ForecastRunResult Run(string kind, string requestedBy, IReadOnlyList<ForecastJob> jobs, string model, double[] levels,
        IProgress<(int Done, int Total, string Current)>? progress = null, CancellationToken cancellationToken = default, int? maxSeries = null)
    {
        if (!ForecastOrchestrator.ModelNames.Contains(string.IsNullOrEmpty(model) ? "auto" : model))
            throw new InvalidArgumentException("model", $"unknown model '{model}'; valid models: {string.Join(", ", ForecastOrchestrator.ModelNames)}");
        if (levels.Any(l => l is <= 0 or >= 100)) throw new InvalidArgumentException("levels", "interval levels are percentages between 0 and 100");
        var watch = Stopwatch.StartNew();

        // Prepare every series first, so one engine batch (and its global model) covers them all.
        var prepared = new List<Prepared>();
        foreach (var job in jobs)
        {
            var answer = analytics.ForecastableSeries(job.Query, cancellationToken);
            prepared.AddRange(answer.Groups.Select(series => Prepare(job, series, answer.To)));
            if (prepared.Count > maxSeries)
                throw new ResultTooLargeException(
                    $"series limit: one forecast fits at most {maxSeries} series; use fewer breakdown dimensions or filter to fewer values");
        }

        var runId = "run-" + Guid.NewGuid().ToString("N")[..16];
        var createdAt = DateTime.UtcNow;
        var snapshotId = store.CurrentSnapshot()?.SnapshotId ?? "";
        var byHorizon = prepared.Select((p, i) => (p, i)).GroupBy(x => (x.p.Horizon, x.p.Data.SeasonalPeriod));
        var results = new Engine.ForecastResult[prepared.Count];
        var done = 0;
        foreach (var batch in byHorizon)
        {
            var items = batch.ToList();
            var offset = done;
            // The engine reports how many of the batch are done, from parallel workers that may report out of order:
            // pass on only counts that move forward, naming the series at that position, not the batch's first.
            var reported = 0;
            var gate = new object();
            var seriesProgress = progress is null ? null : new InlineProgress<int>(n =>
            {
                lock (gate)
                {
                    if (n <= reported) return;
                    reported = n;
                    progress.Report((offset + n, prepared.Count, items[Math.Clamp(n, 1, items.Count) - 1].p.Describe()));
                }
            });
            // Runs report every candidate's backtest (the accuracy view), so "auto" scores them all here.
            var forecasts = orchestrator.ForecastMany(items.Select(x => x.p.Data).ToList(),
                new ForecastOptions(batch.Key.Horizon, string.IsNullOrEmpty(model) ? "auto" : model, levels, Seed: 1, ScoreAllCandidates: true), seriesProgress, cancellationToken);
            for (var i = 0; i < items.Count; i++) results[items[i].i] = forecasts[i];
            done += items.Count;
        }
        var series = prepared.Select((p, i) => ToRecord(p, results[i])).ToList();
        return new ForecastRunResult(runId, kind, createdAt, snapshotId, requestedBy, watch.Elapsed.TotalSeconds, series);
    }

    private sealed record Prepared(ForecastJob Job, Series Series, List<SeriesValue> History, TimeSeriesData Data, int Horizon, List<string> Notes)
    {
        public string Describe() => Job.Query.Metric + (Series.Key.Count == 0 ? "" : " " + string.Join(", ", Series.Key.Select(k => $"{k.Key}={k.Value}")));
    }

    private static Prepared Prepare(ForecastJob job, Series series, DateOnly dataEnd)
    {
        var period = job.Query.Period;
        var step = FinancialCalendar.MonthsPerPeriod(period);
        var notes = new List<string>();
        var history = series.Points.ToList();
        // A trailing period the data only partly covers would read as a sudden drop.
        if (history.Count > 0 && dataEnd < history[^1].PeriodStart.AddMonths(step).AddDays(-1))
        {
            notes.Add($"last period {history[^1].Label} is incomplete (data to {FinancialCalendar.Iso(dataEnd)}) and was left out of the fit");
            history.RemoveAt(history.Count - 1);
        }
        if (history.Count == 0) throw new NoDataException($"no complete periods of {job.Query.Metric} to forecast");
        if (IsolatedStart(history, step) is { } start)
        {
            notes.Add($"the {start} periods before {history[start].Label} hold {history.Take(start).Sum(p => p.Value):0.##} of " +
                      $"{history.Sum(p => p.Value):0.##} and end in {IsolationYears} or more years with none (an old or mistyped date, " +
                      $"which the import reports): the fit starts at {history[start].Label}");
            history.RemoveRange(0, start);
        }
        if (history.Count > MaxYearsOfHistory * 12 / step)
            throw new InvalidArgumentException("selector.from_date",
                $"a forecast fits at most {MaxYearsOfHistory} years of history ({MaxYearsOfHistory * 12 / step} periods; this series has {history.Count}): set a later from_date");

        var last = history[^1].PeriodStart;
        int horizon;
        if (job.Horizon is > 0 and var h) horizon = h;
        else if (job.UntilFy is { } fy)
        {
            var target = FinancialCalendar.PeriodStart(FinancialCalendar.FinancialYearEnd(fy), period);
            horizon = ((target.Year - last.Year) * 12 + target.Month - last.Month) / step;
            if (horizon <= 0)
                throw new InvalidArgumentException("until_fy", $"{FinancialCalendar.FinancialYearLabel(fy)} ends before the last period of data ({history[^1].Label})");
        }
        else horizon = DefaultHorizon[period];
        if (horizon > MaxYearsAhead * 12 / step)
            throw new InvalidArgumentException("horizon", $"at most {MaxYearsAhead} years ahead ({MaxYearsAhead * 12 / step} periods)");

        int? breakIndex = null;
        if (job.BreakDate is { } breakDate)
        {
            var index = history.FindIndex(p => p.PeriodStart >= FinancialCalendar.PeriodStart(breakDate, period));
            if (index < 0) throw new InvalidArgumentException("break_date", $"{FinancialCalendar.Iso(breakDate)} is after the last period of data");
            if (index > 0) breakIndex = index;
        }
        var seasonal = period switch { Period.Month => 12, Period.Quarter => 4, _ => 1 };
        var data = new TimeSeriesData(history.Select(p => p.Value).ToArray(), seasonal, breakIndex, NonNegative: true);
        return new Prepared(job, series, history, data, horizon, notes);
    }

    /// <summary>Years of empty periods that cut a series' early values off from the rest.</summary>
    public const int IsolationYears = 2;

    /// <summary>Most of the total the cut-off early values may hold for the fit to leave them out.</summary>
    public const double IsolatedShare = 0.01;

    /// <summary>
    /// Where the fit starts when the series' first values are cut off from the rest by <see cref="IsolationYears"/> or
    /// more years of empty periods and hold at most <see cref="IsolatedShare"/> of its total: one contact dated 1990 in
    /// data starting 2015 would otherwise add 25 years of zeros to the fit. Null when the series has no such start.
    /// </summary>
    public static int? IsolatedStart(IReadOnlyList<SeriesValue> history, int monthsPerPeriod)
    {
        var gap = IsolationYears * 12 / monthsPerPeriod;
        var total = history.Sum(p => p.Value);
        if (total <= 0) return null;
        int? start = null;
        var run = 0;
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Value == 0) { run++; continue; }
            // A value after a long empty run: everything before it is a candidate to leave out.
            if (run >= gap && i - run > 0 && history.Take(i).Sum(p => p.Value) <= IsolatedShare * total) start = i;
            run = 0;
        }
        return start;
    }

    private static SeriesProjection ToRecord(Prepared p, Engine.ForecastResult result)
    {
        var period = p.Job.Query.Period;
        var step = FinancialCalendar.MonthsPerPeriod(period);
        var key = new Dictionary<string, string>(p.Series.Key);
        // Filters identify a series as much as breakdowns do (65+ and 18-64 admissions are two series).
        foreach (var (dimension, values) in p.Job.Query.Filters ?? new Dictionary<string, IReadOnlyList<string>>())
            key.TryAdd(dimension, string.Join(",", values));
        var start = p.History[^1].PeriodStart;
        var points = result.Mean.Select((mean, i) =>
        {
            var periodStart = start.AddMonths(step * (i + 1));
            return new ProjectedPoint(FinancialCalendar.PeriodLabel(periodStart, period), FinancialCalendar.Iso(periodStart), mean,
                result.Intervals.Select(iv => new ForecastInterval(iv.Level, iv.Lower[i], iv.Upper[i])).ToList());
        }).ToList();
        return new SeriesProjection(key, p.Job.Query.Metric, result.Model, result.Parameters.ToDictionary(), p.History.Select(ToHistory).ToList(), points,
            result.Backtest is { } backtest ? ToRecord(backtest) : null, p.Notes.Concat(result.Notes).ToList());
    }

    /// <summary>An analytics point as a run's history point.</summary>
    public static HistoryPoint ToHistory(SeriesValue point) =>
        new(point.Label, FinancialCalendar.Iso(point.PeriodStart), point.Value, point.YearToDate);

    private static BacktestScores ToRecord(Engine.BacktestSummary backtest) =>
        new(backtest.Origins, backtest.Horizon, ToRecord(backtest.Chosen), backtest.Candidates.Select(ToRecord).ToList());

    private static ModelScores ToRecord(Engine.ModelScore score) =>
        new(score.Model, score.Mae, score.Rmse, score.Smape, score.Mase,
            score.Coverage.ToDictionary(c => c.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), c => c.Value));
}
