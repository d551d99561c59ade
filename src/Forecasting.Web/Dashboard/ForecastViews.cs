using System.Collections.Concurrent;
using System.Globalization;
using Forecasting.Store.Analytics;
using Forecasting.Application.Forecasts;

using Forecasting.Web.Charts;
using Forecasting.Web.Security;

namespace Forecasting.Web.Dashboard;

/// <summary>One of the standard series every refresh recomputes, with a plain title.</summary>
public sealed record StandardSeries(int Index, string Title, SeriesQuery Query);

/// <summary>
/// Forecasts of the standard series through <see cref="ForecastUseCases.Forecast"/>, as the API's Forecast with the
/// automatic model, 80% and 95% ranges, to the end of the council's strategy. Each forecast is stored as a run (as the
/// API stores it) and kept for the page until the data snapshot changes.
/// </summary>
public sealed class ForecastViews(ForecastUseCases forecasts, AnalyticsQueries analytics, WebAudit audit)
{
    private readonly ConcurrentDictionary<(string Snapshot, string Council, int Series), Lazy<ForecastRunResult>> _runs = new();

    public static IReadOnlyList<StandardSeries> Series(string council)
    {
        string[] titles =
        [
            "Contacts to adult social care per month",
            "Permanent admissions to residential and nursing care, people aged 65 and over, per month",
            "Permanent admissions to residential and nursing care, people aged 18 to 64, per month",
            "People leaving permanent residential and nursing care per month",
            "New supported-living tenancies per month",
            "Supported-living tenancies ending per month",
            "People added to the supported-living waiting list per month",
        ];
        return ForecastUseCases.StandardSeries(council).Select((q, i) => new StandardSeries(i, i < titles.Length ? titles[i] : q.Metric, q)).ToList();
    }

    public ForecastRunResult Run(StandardSeries series, string council, WebUser user, CancellationToken ct)
    {
        var snapshot = analytics.CurrentSnapshotId() ?? "";
        var key = (snapshot, council, series.Index);
        var lazy = _runs.GetOrAdd(key, _ => new Lazy<ForecastRunResult>(() => audit.Write(user, WebAudit.Forecast, council,
            () => Task.FromResult(forecasts.Forecast(series.Query, 0, null, null, "auto", [80, 95],
                $"{user.Name} ({WebUser.RoleName(user.Role)}), web", 60, CancellationToken.None)), r => WebAudit.Targets(("run_id", r.RunId))).GetAwaiter().GetResult()));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _runs.TryRemove(key, out _);
            throw;
        }
    }

    /// <summary>A fan chart: the last five years of actual months, then the forecast joined to the last actual month.</summary>
    public static SvgChart Chart(SeriesProjection forecast, string title, DataContext context)
    {
        var history = forecast.History.TakeLast(60).ToList();
        var months = history.Select(p => DateOnly.ParseExact(p.PeriodStart, "yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Concat(forecast.Points.Select(p => DateOnly.ParseExact(p.PeriodStart, "yyyy-MM-dd", CultureInfo.InvariantCulture))).ToList();
        var categories = months.Select(m => new Category(Words.Year(Forecasting.Domain.FinancialYear.Of(m)), m.Month == 4)).ToList();
        var n = months.Count;
        var last = history.Count - 1;
        double?[] Empty() => new double?[n];
        var actual = Empty();
        var mean = Empty();
        for (var i = 0; i < history.Count; i++) actual[i] = history[i].Value;
        if (last >= 0) mean[last] = history[last].Value;
        for (var i = 0; i < forecast.Points.Count; i++) mean[history.Count + i] = forecast.Points[i].Mean;
        (double?[] Lower, double?[] Upper) Band(double level)
        {
            var (lo, hi) = (Empty(), Empty());
            if (last >= 0) (lo[last], hi[last]) = (history[last].Value, history[last].Value);
            for (var i = 0; i < forecast.Points.Count; i++)
                if (forecast.Points[i].Intervals.FirstOrDefault(b => Math.Abs(b.Level - level) < 1e-9) is { } b)
                    (lo[history.Count + i], hi[history.Count + i]) = (b.Lower, b.Upper);
            return (lo, hi);
        }
        var wide = Band(95);
        var narrow = Band(80);
        return new SvgChart
        {
            Title = title,
            Subtitle = $"{context.CouncilName} · actual months to {context.DataToText}, then the forecast",
            YLabel = YLabel(title),
            Counts = true,
            Categories = categories,
            Bands =
            [
                new Band("95% range", wide.Lower, wide.Upper, "#9ecae1", 0.55),
                new Band("80% range", narrow.Lower, narrow.Upper, "#3d7ab8", 0.55),
            ],
            Lines =
            [
                new LineSeries("Actual", actual, "#1b1b1b", Width: 2),
                new LineSeries("Forecast (most likely)", mean, "#0b3d91", Dashed: true, Width: 2.5),
            ],
        };
    }

    /// <summary>
    /// The forecast months of every series of a run, for the page and the downloads: the most likely figure and the 80%
    /// and 95% ranges: whole numbers on the page (a count), one decimal in the downloads; the model in words.
    /// </summary>
    public static DataTable Table(ForecastRunResult run, StandardSeries series) =>
        DataTable.Build("forecast", $"{series.Title}: the forecast month by month", $"forecast run {run.RunId}, snapshot {run.SnapshotId}",
            [
                new("Month"), new("Series"), new("Most likely", 1) { Shown = 0 }, new("80% range from", 1) { Shown = 0 }, new("80% range to", 1) { Shown = 0 },
                new("95% range from", 1) { Shown = 0 }, new("95% range to", 1) { Shown = 0 }, new("Model"),
            ],
            run.Series.SelectMany(s => s.Points.Select(p =>
            {
                ForecastInterval? At(double level) => p.Intervals.FirstOrDefault(i => Math.Abs(i.Level - level) < 1e-9);
                return new object?[]
                {
                    p.PeriodLabel, s.Key.Count == 0 ? "All" : string.Join(", ", s.Key.Values.Select(Words.ClientGroup)), p.Mean, At(80)?.Lower, At(80)?.Upper,
                    At(95)?.Lower, At(95)?.Upper, ModelWords(s.Model),
                };
            })));

    /// <summary>What one month of the series counts: contacts are contacts (a person can make several), the rest people.</summary>
    public static string YLabel(string title) =>
        title.StartsWith("Contacts", StringComparison.Ordinal) ? "Contacts per month"
        : title.Contains("tenancies", StringComparison.Ordinal) ? "Tenancies per month"
        : "People per month";

    /// <summary>A model in plain words; its technical form (e.g. ETS(A,N,A)) is for the API and the downloads.</summary>
    public static string ModelWords(string model) => model.Split('(')[0].Trim().ToLowerInvariant() switch
    {
        "naive" => "the last month repeated (naive)",
        "snaive" => "the same month last year repeated (seasonal naive)",
        "drift" => "the trend between the first and last months carried on (drift)",
        "ets" => "exponential smoothing of level, trend and season (ETS)",
        "damped" => "exponential smoothing with a trend that levels off (damped trend)",
        "theta" => "the theta method (a smoothed trend with season)",
        "ssa" => "singular spectrum analysis (repeating patterns in the history)",
        "gbm" => "a machine-learning model of recent months and season (gradient boosting)",
        "combination" => "an average of several models (combination)",
        "croston" => "Croston's method for months with few events",
        "tsb" => "the TSB method for months with few events",
        _ => model,
    };

    /// <summary>What the series counts, in the plural a sentence uses: "contacts", "tenancies" or "people".</summary>
    public static string Counted(string title) => YLabel(title).Split(' ')[0].ToLowerInvariant();

    /// <param name="counted">What one month of the series counts ("contacts", "people"), so a contact is never called a person.</param>
    public static string AccuracyWords(BacktestScores? backtest, string counted = "people")
    {
        if (backtest?.Chosen is not { } chosen || backtest.Origins == 0)
            return "The history is too short to test the model on past data.";
        var ci = CultureInfo.InvariantCulture;
        var text = $"Tested from {backtest.Origins} earlier starting points in the history, forecasting {backtest.Horizon} months ahead each time: " +
                   $"on average {Words.Number(chosen.Mae)} {counted} a month away from what happened " +
                   $"({(chosen.Smape).ToString("0.#", ci)}% symmetric percentage error).";
        if (chosen.Coverage.TryGetValue("80", out var c80))
            text += $" The 80% range held the actual figure {(c80 * 100).ToString("0", ci)}% of the time.";
        if (chosen.Coverage.TryGetValue("95", out var c95))
            text += $" The 95% range held it {(c95 * 100).ToString("0", ci)}% of the time.";
        return text;
    }
}
