using System.Diagnostics;
using Forecasting.Analytics;
using Forecasting.Contracts.V1;
using Forecasting.Engine;
using Forecasting.Domain;
using Forecasting.Store;
using Google.Protobuf.WellKnownTypes;
using EngineBacktest = Forecasting.Engine.BacktestSummary;
using EngineScore = Forecasting.Engine.ModelScore;
using Period = Forecasting.Analytics.Period;

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
    public ForecastRun Run(string kind, string requestedBy, IReadOnlyList<ForecastJob> jobs, string model, double[] levels,
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
            var answer = analytics.FlowSeries(job.Query, cancellationToken);
            prepared.AddRange(answer.Groups.Select(series => Prepare(job, series, answer.To)));
            if (prepared.Count > maxSeries)
                throw new ResultTooLargeException(
                    $"series limit: one forecast fits at most {maxSeries} series; use fewer breakdown dimensions or filter to fewer values");
        }

        var run = new ForecastRun
        {
            RunId = "run-" + Guid.NewGuid().ToString("N")[..16],
            Kind = kind,
            CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow),
            SnapshotId = store.CurrentSnapshot()?.SnapshotId ?? "",
            RequestedBy = requestedBy,
        };
        var byHorizon = prepared.Select((p, i) => (p, i)).GroupBy(x => (x.p.Horizon, x.p.Data.SeasonalPeriod));
        var results = new ForecastResult[prepared.Count];
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
        for (var i = 0; i < prepared.Count; i++) run.Series.Add(ToProto(prepared[i], results[i]));
        run.Seconds = watch.Elapsed.TotalSeconds;
        return run;
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

    private static SeriesForecast ToProto(Prepared p, ForecastResult result)
    {
        var period = p.Job.Query.Period;
        var step = FinancialCalendar.MonthsPerPeriod(period);
        var forecast = new SeriesForecast { Metric = p.Job.Query.Metric, Model = result.Model };
        forecast.Key.Add(new Dictionary<string, string>(p.Series.Key));
        // Filters identify a series as much as breakdowns do (65+ and 18-64 admissions are two series).
        foreach (var (dimension, values) in p.Job.Query.Filters ?? new Dictionary<string, IReadOnlyList<string>>())
            forecast.Key.TryAdd(dimension, string.Join(",", values));
        forecast.Parameters.Add(result.Parameters.ToDictionary());
        forecast.History.AddRange(p.History.Select(ToProto));
        var start = p.History[^1].PeriodStart;
        for (var i = 0; i < result.Mean.Length; i++)
        {
            var periodStart = start.AddMonths(step * (i + 1));
            var point = new ForecastPoint
            {
                PeriodLabel = FinancialCalendar.PeriodLabel(periodStart, period),
                PeriodStart = FinancialCalendar.Iso(periodStart),
                Mean = result.Mean[i],
            };
            point.Intervals.AddRange(result.Intervals.Select(iv => new IntervalBound { Level = iv.Level, Lower = iv.Lower[i], Upper = iv.Upper[i] }));
            forecast.Points.Add(point);
        }
        if (result.Backtest is { } backtest) forecast.Backtest = ToProto(backtest);
        forecast.Notes.AddRange(p.Notes.Concat(result.Notes));
        return forecast;
    }

    /// <summary>An analytics point as the contract's series point (history of a forecast, and every flow series).</summary>
    public static SeriesPoint ToProto(SeriesValue point) => new()
    {
        PeriodLabel = point.Label,
        PeriodStart = FinancialCalendar.Iso(point.PeriodStart),
        Value = point.Value,
        YearToDate = point.YearToDate,
    };

    private static Contracts.V1.BacktestSummary ToProto(EngineBacktest backtest)
    {
        var proto = new Contracts.V1.BacktestSummary { Origins = backtest.Origins, Horizon = backtest.Horizon, Chosen = ToProto(backtest.Chosen) };
        proto.Candidates.AddRange(backtest.Candidates.Select(ToProto));
        return proto;
    }

    private static Contracts.V1.ModelScore ToProto(EngineScore score)
    {
        var proto = new Contracts.V1.ModelScore { Model = score.Model, Mae = score.Mae, Rmse = score.Rmse, Smape = score.Smape, Mase = score.Mase };
        foreach (var (level, coverage) in score.Coverage)
            proto.Coverage[level.ToString(System.Globalization.CultureInfo.InvariantCulture)] = coverage;
        return proto;
    }
}
