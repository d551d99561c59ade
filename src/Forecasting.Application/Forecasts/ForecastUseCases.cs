using Forecasting.Store.Analytics;
using Forecasting.Domain;
using Forecasting.Engine;
using Forecasting.Store;
using Forecasting.Store.Forecasts;
using Forecasting.Store.Planning;

namespace Forecasting.Application.Forecasts;

/// <summary>The councils a refresh covers and the series it fits for each.</summary>
public sealed record RefreshPlan(IReadOnlyList<string> Councils, IReadOnlyList<ForecastJob> Jobs);

/// <summary>A year-end estimate from year-to-date months, with the actual when the year is complete (NaN otherwise).</summary>
public sealed record YearEndAnswer(string FinancialYear, int MonthsElapsed, YearEndEstimate Estimate, string Method, double Actual, string SnapshotId);

/// <summary>
/// The forecasting use cases: one forecast of an analytics selector, a refresh of every standard series, the stored
/// runs, and year-end estimates. Runs are stored as they are made; every run names its councils.
/// </summary>
public sealed class ForecastUseCases(SeriesForecaster forecaster, ForecastRunArchive runs, AnalyticsQueries analytics,
    IStrategyPeriods strategies)
{
    /// <summary>Forecasts one selector and stores the run.</summary>
    /// <param name="horizon">Periods ahead; 0 = to <paramref name="untilFy"/> or the period's default.</param>
    /// <param name="maxSeries">Most series the run may fit (null = no bound).</param>
    /// <param name="reconciliation">Empty for none; else bottom_up, ols, wls or mint: the breakdown is forecast as a hierarchy with its total and made coherent.</param>
    /// <param name="keepTop">With a reconciliation: keep the total's own forecast and adjust the parts to it.</param>
    public ForecastRunResult Forecast(SeriesQuery query, int horizon, string? untilFy, DateOnly? breakDate, string model, double[] levels,
        string requestedBy, int? maxSeries, CancellationToken cancellationToken, string? reconciliation = null, bool keepTop = false)
    {
        if (horizon < 0) throw new InvalidArgumentException("horizon", "must be positive");
        if (horizon > 0 && !string.IsNullOrEmpty(untilFy)) throw new InvalidArgumentException("until_fy", "give horizon or until_fy, not both");
        var method = ParseReconciliation(reconciliation);
        if (keepTop && method is null) throw new InvalidArgumentException("keep_top", "keeping the total fixed needs a reconciliation (ols, wls or mint)");
        if (keepTop && method == ReconciliationMethod.BottomUp)
            throw new InvalidArgumentException("keep_top", "bottom_up keeps the bottom series' forecasts, so it cannot also keep the total: use ols, wls or mint");
        var job = new ForecastJob(query, horizon == 0 ? null : horizon, ParseFinancialYear(untilFy, "until_fy"), breakDate);
        using var activity = StartRun("forecast", query.Metric);
        var run = method is { } m
            ? forecaster.RunReconciled(requestedBy, job, model, levels, m, keepTop, cancellationToken, maxSeries)
            : forecaster.Run("forecast", requestedBy, [job], model, levels, cancellationToken: cancellationToken, maxSeries: maxSeries);
        runs.Save(run, query.CouncilCode is { } council ? [council] : query.CouncilScope);
        return Recorded(run, activity);
    }

    /// <summary>Reconciliation names a forecast request may give.</summary>
    public static IReadOnlyDictionary<string, ReconciliationMethod> ReconciliationMethods { get; } = new Dictionary<string, ReconciliationMethod>
    {
        ["bottom_up"] = ReconciliationMethod.BottomUp,
        ["ols"] = ReconciliationMethod.Ols,
        ["wls"] = ReconciliationMethod.WlsStructural,
        ["mint"] = ReconciliationMethod.MinTShrink,
    };

    private static ReconciliationMethod? ParseReconciliation(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        return ReconciliationMethods.TryGetValue(name.Trim().ToLowerInvariant(), out var method)
            ? method
            : throw new InvalidArgumentException("reconciliation", $"unknown reconciliation '{name}'; use one of none, {string.Join(", ", ReconciliationMethods.Keys)}");
    }

    /// <summary>The standard series every refresh recomputes, for each council.</summary>
    public static IReadOnlyList<SeriesQuery> StandardSeries(string council)
    {
        IReadOnlyDictionary<string, IReadOnlyList<string>> Age(string group) => new Dictionary<string, IReadOnlyList<string>> { ["age_group"] = [group] };
        return
        [
            new("contacts", council),
            new("admissions", council, Filters: Age("65+")),
            new("admissions", council, Filters: Age("18-64")),
            new("leavers", council),
            new("new_tenancies", council, Breakdown: ["client_group"]),
            new("ended_tenancies", council, Breakdown: ["client_group"]),
            new("waiting_list_additions", council, Breakdown: ["client_group"]),
        ];
    }

    /// <summary>What a refresh will fit: the standard series of one council, or of every council the caller may see.</summary>
    /// <param name="council">A council the caller may use, or null for all of <paramref name="canSee"/>.</param>
    public RefreshPlan PlanRefresh(string? council, Func<string, bool> canSee, string? untilFy)
    {
        var councils = council is null
            ? analytics.Councils().Where(canSee).Order(StringComparer.Ordinal).ToList()
            : [analytics.RequireKnownCouncil(council)];
        if (councils.Count == 0) throw new NoDataException("the store holds no councils: import data first");
        var until = ParseFinancialYear(untilFy, "until_fy");
        var jobs = councils.SelectMany(c => StandardSeries(c).Select(q => new ForecastJob(q, null, until ?? DefaultUntilFy(c), null))).ToList();
        return new RefreshPlan(councils, jobs);
    }

    /// <summary>Fits every series of the plan with the automatic model and stores the run.</summary>
    public ForecastRunResult Refresh(RefreshPlan plan, double[] levels, string requestedBy,
        IProgress<(int Done, int Total, string Current)>? progress, CancellationToken cancellationToken)
    {
        using var activity = StartRun("refresh", null);
        var run = forecaster.Run("refresh", requestedBy, plan.Jobs, "auto", levels, progress, cancellationToken);
        runs.Save(run, plan.Councils);
        return Recorded(run, activity);
    }

    private static System.Diagnostics.Activity? StartRun(string kind, string? metric) =>
        Telemetry.Source.StartActivity($"forecast run ({kind})")?.SetTag("forecasting.run.kind", kind).SetTag("forecasting.metric", metric);

    /// <summary>Counts a stored run and its fitted series (the product's metrics) and tags its span.</summary>
    private static ForecastRunResult Recorded(ForecastRunResult run, System.Diagnostics.Activity? activity)
    {
        var kind = new KeyValuePair<string, object?>("forecasting.run.kind", run.Kind);
        Telemetry.ForecastRuns.Add(1, kind);
        Telemetry.ForecastSeries.Add(run.Series.Count, kind);
        activity?.SetTag("forecasting.run.id", run.RunId).SetTag("forecasting.run.series", run.Series.Count).SetTag("forecasting.snapshot", run.SnapshotId);
        return run;
    }

    /// <param name="limit">0 = 50; at most 1,000.</param>
    public IReadOnlyList<ForecastRunSummary> ListRuns(int limit, IReadOnlyCollection<string>? visibleTo)
    {
        if (limit < 0) throw new InvalidArgumentException("limit", "must be positive");
        return runs.List(limit == 0 ? 50 : Math.Min(limit, 1000), visibleTo);
    }

    public ForecastRunResult GetRun(string runId, IReadOnlyCollection<string>? visibleTo) =>
        runs.Get(runId, visibleTo) ?? throw new KeyNotFoundException($"no forecast run with id '{runId}'");

    /// <summary>The year-end total of one monthly series estimated from its year-to-date months and the seasonal profile of earlier years.</summary>
    /// <param name="query">The series; its period must be monthly and it may have no breakdown.</param>
    /// <param name="monthsElapsed">0 = every month of the year the data has.</param>
    public YearEndAnswer EstimateYearEnd(SeriesQuery query, string? financialYear, int monthsElapsed, double[]? levels, CancellationToken cancellationToken)
    {
        var monthly = query.Period == Period.Month;
        query = query with { From = null, To = null, Period = Period.Month };
        if (query.Breakdown is { Count: > 0 }) throw new InvalidArgumentException("selector.breakdown", "a year-end estimate is for one series: remove the breakdown");
        if (!monthly) throw new InvalidArgumentException("selector.period", "a year-end estimate works from monthly values: use MONTH");
        var series = analytics.FlowSeries(query, cancellationToken);
        var points = series.Groups.Single().Points.Where(p => p.PeriodStart.AddMonths(1).AddDays(-1) <= series.To).ToList();
        if (points.Count == 0) throw new NoDataException("no complete months of data");

        var fy = ParseFinancialYear(financialYear, "financial_year") ?? FinancialCalendar.FinancialYearOf(points[^1].PeriodStart);
        var inYear = points.Where(p => FinancialCalendar.FinancialYearOf(p.PeriodStart) == fy).ToList();
        if (inYear.Count == 0) throw new InvalidArgumentException("financial_year", $"no data in {FinancialCalendar.FinancialYearLabel(fy)}");
        var months = monthsElapsed == 0 ? inYear.Count : monthsElapsed;
        if (months is < 1 or > 12) throw new InvalidArgumentException("months_elapsed", "must be between 1 and 12");
        if (months > inYear.Count)
            throw new InvalidArgumentException("months_elapsed", $"{FinancialCalendar.FinancialYearLabel(fy)} has only {inYear.Count} months of data");
        // Complete April-March years before the estimated one form the seasonal profile.
        var history = Performance.MeasureYearEnd.CompleteYearsBefore(points, p => p.PeriodStart, fy).Select(p => p.Value).ToArray();

        var estimate = YearEndEstimator.Estimate(history, months, inYear.Take(months).Select(p => p.Value).ToArray(), levels);
        return new YearEndAnswer(FinancialCalendar.FinancialYearLabel(fy), months, estimate,
            estimate.Method + (estimate.Notes.Count == 0 ? "" : "; " + string.Join("; ", estimate.Notes)),
            inYear.Count == 12 ? inYear.Sum(p => p.Value) : double.NaN, series.SnapshotId ?? "");
    }

    /// <summary>The end of the council's latest strategy, else five years after its data ends.</summary>
    private int DefaultUntilFy(string council)
    {
        if (strategies.LatestEndFy(council) is { } end) return end;
        var last = analytics.HistoryEnd(council) ?? DateOnly.FromDateTime(DateTime.UtcNow);
        return FinancialCalendar.FinancialYearOf(last) + 5;
    }

    /// <summary>A label like 2030/31 within the product's financial years (<see cref="FinancialYear.First"/>..<see cref="FinancialYear.Last"/>); null when empty.</summary>
    private static int? ParseFinancialYear(string? label, string field) => FinancialYear.ParseOptional(label, field);
}
