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
        CheckModelAndLevels(model, levels);
        var watch = Stopwatch.StartNew();

        // Prepare every series first, so one engine batch (and its global model) covers them all.
        var prepared = PrepareAll(jobs, maxSeries, "", cancellationToken);

        var runId = "run-" + Guid.NewGuid().ToString("N")[..16];
        var createdAt = DateTime.UtcNow;
        var snapshotId = store.CurrentSnapshot()?.SnapshotId ?? "";
        var results = ForecastPrepared(prepared, model, levels, progress, cancellationToken);
        var series = prepared.Select((p, i) => ToRecord(p, results[i])).ToList();
        return new ForecastRunResult(runId, kind, createdAt, snapshotId, requestedBy, watch.Elapsed.TotalSeconds, series);
    }

    /// <summary>Draws behind a reconciled forecast's intervals.</summary>
    public const int ReconciliationDraws = 1000;

    /// <summary>
    /// Forecasts a breakdown as a hierarchy and reconciles it: the total, every leading subset of the breakdown's
    /// dimensions (client group, then client group x locality, ...) and the bottom series are forecast in one batch,
    /// then made coherent (<see cref="HierarchicalForecast"/>): every part sums to its whole, means and the intervals
    /// of every level coming from the same reconciled draws.
    /// </summary>
    /// <param name="job">The bottom series: its query's breakdown, in order, defines the levels.</param>
    public ForecastRunResult RunReconciled(string requestedBy, ForecastJob job, string model, double[] levels, ReconciliationMethod method, bool keepTop,
        CancellationToken cancellationToken = default, int? maxSeries = null)
    {
        CheckModelAndLevels(model, levels);
        var breakdown = job.Query.Breakdown ?? [];
        if (breakdown.Count == 0) throw new InvalidArgumentException("selector.breakdown", "reconciliation needs at least one breakdown dimension: the parts to add up");
        var jobs = Enumerable.Range(0, breakdown.Count + 1)
            .Select(k => job with { Query = job.Query with { Breakdown = breakdown.Take(k).ToList() } }).ToList();
        var watch = Stopwatch.StartNew();
        var prepared = PrepareAll(jobs, maxSeries, ", counting the total and every level of a reconciled breakdown", cancellationToken);
        if (prepared.Count(p => p.Job.Query.Breakdown!.Count == 0) != 1) throw new NoDataException($"no total of {job.Query.Metric} to reconcile with");
        var last = prepared[0].History[^1].PeriodStart;
        if (prepared.Any(p => p.History[^1].PeriodStart != last || p.Horizon != prepared[0].Horizon))
            throw new NoDataException($"the series of {job.Query.Metric} by {string.Join(", ", breakdown)} do not all end at {prepared[0].History[^1].Label}, so they cannot be reconciled");

        string[] Path(Prepared p) => p.Job.Query.Breakdown!.Select(d => p.Series.Key.GetValueOrDefault(d) ?? "").ToArray();
        var bottom = prepared.Where(p => p.Job.Query.Breakdown!.Count == breakdown.Count).ToList();
        if (bottom.Count < 2) throw new InvalidArgumentException("selector.breakdown", "reconciliation needs at least two series under the total");
        var hierarchy = Hierarchy.FromBottomPaths(bottom.Select(p => (IReadOnlyList<string>)Path(p)).ToList());
        var order = hierarchy.Nodes.Select(node => prepared.FindIndex(p => Path(p).SequenceEqual(node))).ToArray();
        if (order.Any(i => i < 0)) throw new NoDataException($"a level of {job.Query.Metric} by {string.Join(", ", breakdown)} has no series for one of its parts");

        var baseResults = ForecastPrepared(prepared, model, levels, null, cancellationToken);
        var nodes = order.Select(i => prepared[i]).ToList();
        ReconciledForecast reconciled;
        try
        {
            reconciled = HierarchicalForecast.Reconcile(hierarchy, order.Select(i => baseResults[i]).ToList(), method, keepTop,
                ReconciliationDraws, seed: 1, nonNegative: true);
        }
        catch (ArgumentException e) when (e is not InvalidArgumentException)
        {
            // The engine's reasons are about the series (e.g. a part whose residuals are all zero), not internals.
            throw new InvalidArgumentException("reconciliation", e.Message);
        }
        var how = method switch
        {
            ReconciliationMethod.BottomUp => "bottom-up",
            ReconciliationMethod.Ols => "OLS",
            ReconciliationMethod.WlsStructural => "WLS (structural)",
            _ => $"MinT (shrinkage covariance of the one-step residuals, lambda {reconciled.Reconciliation.Lambda:0.###})",
        };
        var note = $"reconciled {how} across {hierarchy.Nodes.Count} series (total, {string.Join(", ", breakdown)})" +
                   (keepTop ? ", the total's own forecast kept" : "") +
                   $"; intervals are quantiles of {ReconciliationDraws} reconciled draws shared by every level; the backtest scores the base forecast";
        var series = nodes.Select((p, n) =>
        {
            var result = baseResults[order[n]];
            var intervals = reconciled.Intervals.Select(iv => new PredictionInterval(iv.Level, iv.Lower[n], iv.Upper[n])).ToList();
            return ToRecord(p, result with { Mean = reconciled.Mean[n], Intervals = intervals, Notes = result.Notes.Append(note).ToList() });
        }).ToList();
        return new ForecastRunResult("run-" + Guid.NewGuid().ToString("N")[..16], "forecast", DateTime.UtcNow, store.CurrentSnapshot()?.SnapshotId ?? "",
            requestedBy, watch.Elapsed.TotalSeconds, series);
    }

    /// <summary>Every series of the jobs, prepared for one engine batch; refused once they pass <paramref name="maxSeries"/>.</summary>
    /// <param name="counting">What the limit counts, after the number (empty for plain series).</param>
    private List<Prepared> PrepareAll(IReadOnlyList<ForecastJob> jobs, int? maxSeries, string counting, CancellationToken cancellationToken)
    {
        var prepared = new List<Prepared>();
        foreach (var job in jobs)
        {
            var answer = analytics.ForecastableSeries(job.Query, cancellationToken);
            prepared.AddRange(answer.Groups.Select(series => Prepare(job, series, answer.To)));
            if (prepared.Count > maxSeries)
                throw new ResultTooLargeException(
                    $"series limit: one forecast fits at most {maxSeries} series{counting}; use fewer breakdown dimensions or filter to fewer values");
        }
        return prepared;
    }

    private static void CheckModelAndLevels(string model, double[] levels)
    {
        if (!ForecastOrchestrator.ModelNames.Contains(string.IsNullOrEmpty(model) ? "auto" : model))
            throw new InvalidArgumentException("model", $"unknown model '{model}'; valid models: {string.Join(", ", ForecastOrchestrator.ModelNames)}");
        if (levels.Any(l => l is <= 0 or >= 100)) throw new InvalidArgumentException("levels", "interval levels are percentages between 0 and 100");
    }

    /// <summary>Engine forecasts of prepared series, one batch per horizon and period so each shares its calibration and global model.</summary>
    private Engine.ForecastResult[] ForecastPrepared(List<Prepared> prepared, string model, double[] levels,
        IProgress<(int Done, int Total, string Current)>? progress, CancellationToken cancellationToken)
    {
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
        return results;
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
