using System.Diagnostics;
using System.Globalization;

namespace Forecasting.Planning;

/// <summary>
/// One measure of one year in a backtest: what the model said at the origin (mean and central intervals) and what
/// the naive forecasts known then said, against what the data shows at the year end (lettings: in the year, or from
/// the origin to the year end when the origin is inside the year, <see cref="Months"/> months).
/// </summary>
public sealed record BacktestRow(
    DateOnly Origin, int Fy, string ClientGroup, string Measure, double Actual, double Mean, double P10, double P50, double P90)
{
    /// <summary>Years ahead: 1 = the first 31 March after the origin.</summary>
    public int Horizon { get; init; } = 1;
    /// <summary>Months the measure covers: 12, fewer for the lettings of a first year that starts after its 1 April.</summary>
    public int Months { get; init; } = 12;
    public double P2_5 { get; init; }
    public double P25 { get; init; }
    public double P75 { get; init; }
    public double P97_5 { get; init; }
    /// <summary>CRPS of the model's distribution (from its 1st-99th percentiles).</summary>
    public double Crps { get; init; }
    /// <summary>Value at the origin carried forward; lettings: the last 12 months' lettings, pro rata for a part year.</summary>
    public double Naive { get; init; }
    /// <summary>Stocks: the value at the latest 31 March at or before the origin; lettings: the same months of the latest year known then.</summary>
    public double SeasonalNaive { get; init; }

    public bool InsideP10P90 => Inside80;
    public bool Inside50 => Actual >= P25 && Actual <= P75;
    public bool Inside80 => Actual >= P10 && Actual <= P90;
    public bool Inside95 => Actual >= P2_5 && Actual <= P97_5;
    public double IntervalScore80 => ForecastScores.IntervalScore(P10, P90, 0.2, Actual);
    /// <summary>Mean minus actual.</summary>
    public double Error => Mean - Actual;
}

/// <summary>
/// Share of actuals inside P10-P90 and the weighted absolute percentage error of the headline (sum of |mean - actual|
/// over the sum of actuals, so small groups do not dominate), per measure, over client groups, years and origins.
/// </summary>
public sealed record BacktestSummary(string Measure, int Rows, double CoverageP10P90, double WeightedAbsolutePercentageError);

/// <summary>How the origins of a backtest are chosen when none are given.</summary>
/// <param name="StepMonths">3 = every quarter end (31 March, 30 June, 30 September, 31 December); 12 = every 31 March.</param>
/// <param name="First">Earliest origin (null = the first the data supports).</param>
public sealed record OriginRule(int StepMonths = 3, DateOnly? First = null)
{
    public static readonly OriginRule Quarterly = new();
}

public sealed record PlanningBacktestResult(
    string CouncilCode, string? SnapshotId, DateOnly End, int Draws, long Seed, string Method,
    IReadOnlyList<BacktestRow> Rows, IReadOnlyList<BacktestSummary> Summary)
{
    /// <summary>Scores per measure, client group (and pooled groups) and horizon (0 = all).</summary>
    public IReadOnlyList<BacktestScore> Scores { get; init; } = [];
    /// <summary>Rules standing in for what the data does not record as it was at each origin, prefixed by the origin.</summary>
    public IReadOnlyList<string> Substitutions { get; init; } = [];
    public IReadOnlyList<DateOnly> Origins { get; init; } = [];
    /// <summary>The model scored (the stock-flow model and its draws).</summary>
    public string Model { get; init; } = "";
    /// <summary>The data's as-of date (the latest baseline the actuals come from).</summary>
    public DateOnly? DataAsOf { get; init; }
    public double Seconds { get; init; }
    public PipelineBacktestResult? Pipeline { get; init; }
    /// <summary>How the origins were chosen and why the data supports them.</summary>
    public string OriginRule { get; init; } = "";
}

/// <summary>
/// Backtest of the planning model. As of each origin, the baseline is built from the data known then (pipeline
/// statuses by their status dates, schemes opened later as pipeline, population vintages published by then, see
/// <see cref="AsKnown"/>) and projected to <c>End</c>; people housed and on the waiting list at each 31 March after
/// the origin, and lettings in each year, are compared with what the data shows, beside the naive and seasonal-naive
/// forecasts known at the origin.
/// </summary>
public static class PlanningBacktest
{
    public static readonly IReadOnlyList<string> Compared = [Measures.Housed, Measures.WaitingList, Measures.Lettings];

    /// <summary>Client group of the scores that pool every group's rows.</summary>
    public const string PooledGroups = "per_group";

    /// <param name="origins">Empty = by <paramref name="rule"/> (default every quarter end).</param>
    /// <param name="end">null = the last 31 March in the council's data.</param>
    public static PlanningBacktestResult Run(ScenarioRunner runner, string councilCode, IReadOnlyList<DateOnly> origins, DateOnly? end,
        int draws = 2000, long seed = ScenarioRunner.DefaultSeed, CancellationToken cancellation = default,
        OriginRule? rule = null, IReadOnlyList<string>? clientGroups = null)
    {
        var watch = Stopwatch.StartNew();
        var (resolved, last, ruleText) = ResolveOrigins(runner, councilCode, origins, end, rule);
        var groups = CheckGroups(clientGroups);
        var result = RunFrom(runner, councilCode, resolved, last, draws, seed, groups, cancellation);
        return result with { OriginRule = ruleText, Seconds = watch.Elapsed.TotalSeconds };
    }

    /// <summary>The last 31 March on or before <paramref name="date"/>.</summary>
    public static DateOnly LastMarch(DateOnly date)
    {
        var march = new DateOnly(date.Year, 3, 31);
        return march <= date ? march : march.AddYears(-1);
    }

    /// <summary>
    /// The origins to run and the end, checked against the data: an origin needs as many months of tenancy and
    /// waiting-list records before it as the model reads (its need-arising history, 60 months by default, which also
    /// covers the 36 months of the exit and removal rates), and must be before the end. Without origins: every
    /// quarter end (or every <see cref="OriginRule.StepMonths"/> months) from the first supported one to one year
    /// before the end.
    /// </summary>
    public static (IReadOnlyList<DateOnly> Origins, DateOnly End, string Rule) ResolveOrigins(ScenarioRunner runner, string councilCode,
        IReadOnlyList<DateOnly> origins, DateOnly? end, OriginRule? rule = null)
    {
        var latest = runner.Baseline(councilCode);
        var last = end ?? LastMarch(latest.AsOf);
        if (FinancialYear.End(FinancialYear.Of(last)) != last)
            throw new ScenarioValidationException([new("end", $"{last:yyyy-MM-dd} is not the end of a financial year (31 March)")]);
        if (last > latest.AsOf)
            throw new ScenarioValidationException([new("end", $"{last:yyyy-MM-dd} is after the end of the data ({latest.AsOf:yyyy-MM-dd})")]);
        var historyMonths = latest.NeedArising.Values.Select(s => s.Values.Length).DefaultIfEmpty(0).Max();
        var first = FirstSupportedOrigin(latest.RecordsStartMonth, historyMonths);
        var why = latest.RecordsStartMonth is { } rs
            ? $"the model reads {historyMonths} months of tenancy and waiting-list history before the origin, recorded from {rs:yyyy-MM}"
            : "the data's first records are not known";
        var errors = new List<ValidationError>();
        foreach (var o in origins.Distinct().Order())
        {
            if (o >= last)
                errors.Add(new("origins", $"{o:yyyy-MM-dd} is not before the end {last:yyyy-MM-dd}"));
            else if (first is { } f && o < f)
                errors.Add(new("origins", $"{o:yyyy-MM-dd} is before the first origin the data supports ({f:yyyy-MM-dd}): {why}"));
        }
        if (errors.Count > 0) throw new ScenarioValidationException(errors);
        if (origins.Count > 0)
            return (origins.Distinct().Order().ToList(), last, $"origins as given; {why}");

        var r = rule ?? OriginRule.Quarterly;
        if (r.StepMonths is not (1 or 3 or 6 or 12))
            throw new ScenarioValidationException([new("origin_step_months", $"must be 1, 3, 6 or 12 (got {r.StepMonths})")]);
        var lastOrigin = last.AddYears(-1);
        var start = r.First is { } rf ? (first is { } ff && rf < ff ? throw new ScenarioValidationException(
            [new("first_origin", $"{rf:yyyy-MM-dd} is before the first origin the data supports ({ff:yyyy-MM-dd}): {why}")]) : rf) : first ?? lastOrigin;
        // Step back from one year before the end so every origin is a month end on the rule's grid (quarter ends).
        var list = new List<DateOnly>();
        for (var m = MonthIndex.Of(lastOrigin); ; m -= r.StepMonths)
        {
            var o = MonthIndex.FirstDay(m).AddMonths(1).AddDays(-1);
            if (o < start) break;
            list.Add(o);
        }
        list.Reverse();
        if (list.Count == 0)
            throw new ScenarioValidationException([new("origins", $"the data supports no origin from {start:yyyy-MM-dd} to one year before the end ({lastOrigin:yyyy-MM-dd}): {why}")]);
        var text = $"every {r.StepMonths} months from {list[0]:yyyy-MM-dd} to {list[^1]:yyyy-MM-dd} (one year before the end); {why}";
        return (list, last, text);
    }

    /// <summary>The first quarter end with <paramref name="historyMonths"/> complete months of records before it.</summary>
    public static DateOnly? FirstSupportedOrigin(DateOnly? recordsStart, int historyMonths)
    {
        if (recordsStart is not { } rs) return null;
        var m = MonthIndex.Of(rs) + historyMonths - 1;
        while (MonthIndex.Month(m) % 3 != 0) m++;
        return MonthIndex.FirstDay(m).AddMonths(1).AddDays(-1);
    }

    private static IReadOnlyList<string> CheckGroups(IReadOnlyList<string>? groups)
    {
        if (groups is null || groups.Count == 0) return ClientGroups.Known;
        var unknown = groups.Where(g => !ClientGroups.IsKnown(g)).ToList();
        if (unknown.Count > 0)
            throw new ScenarioValidationException(unknown.Select(g => new ValidationError("client_groups",
                $"unknown client group '{g}' (expected {string.Join(", ", ClientGroups.Known)})")).ToList());
        return groups.Distinct().ToList();
    }

    private static PlanningBacktestResult RunFrom(ScenarioRunner runner, string councilCode, IReadOnlyList<DateOnly> origins, DateOnly end,
        int draws, long seed, IReadOnlyList<string> groups, CancellationToken cancellation)
    {
        var lastFy = FinancialYear.Of(end);
        var yearEnd = new Dictionary<int, PlanningBaseline>();
        PlanningBaseline AtYearEnd(int fy) => yearEnd.TryGetValue(fy, out var b) ? b : yearEnd[fy] = runner.Baseline(councilCode, FinancialYear.End(fy));
        var latest = runner.Baseline(councilCode, end);
        var levers = groups.Count == ClientGroups.Known.Count ? ScenarioLevers.Baseline : ScenarioLevers.Baseline with { ClientGroups = groups.ToList() };
        var reported = groups.Append(ClientGroups.All).ToList();
        var rows = new List<BacktestRow>();
        var substitutions = new List<string>();
        var method = "";
        foreach (var origin in origins)
        {
            cancellation.ThrowIfCancellationRequested();
            var firstFy = FinancialYear.Of(origin.AddDays(1));
            var atOrigin = runner.Baseline(councilCode, origin);
            substitutions.AddRange(atOrigin.Substitutions.Select(s => $"{origin:yyyy-MM-dd}: {s}"));
            var march = LastMarch(origin);
            var atMarch = march == origin ? atOrigin : runner.Baseline(councilCode, march);
            var result = runner.Run(councilCode, levers, $"backtest from {origin:yyyy-MM-dd}", null, null,
                new RunOptions(draws, seed, AsOf: origin, Years: lastFy - firstFy + 1, Save: false, Cancellation: cancellation));
            method = result.Simulation!.Method;
            var originMonth = MonthIndex.Of(atOrigin.HistoryEndMonth);
            for (var fy = firstFy; fy <= lastFy; fy++)
            {
                var actual = AtYearEnd(fy);
                // The months the year's lettings cover: from the month after the origin's history to the year end.
                var fyFirst = MonthIndex.Of(FinancialYear.Start(fy));
                var from = Math.Max(fyFirst, originMonth + 1);
                var to = fyFirst + 11;
                foreach (var group in reported)
                {
                    bool Of(string g) => group == ClientGroups.All ? groups.Contains(g) : g == group;
                    foreach (var measure in Compared)
                    {
                        var d = result.Simulation.Measures.SingleOrDefault(m => m.Fy == fy && m.ClientGroup == group && m.Measure == measure);
                        if (d is null) continue;
                        var a = measure switch
                        {
                            Measures.Housed => Housed(actual, Of),
                            Measures.WaitingList => Waiting(actual, Of),
                            _ => Lettings(actual, Of, from, to),
                        };
                        var naive = measure switch
                        {
                            Measures.Housed => Housed(atOrigin, Of),
                            Measures.WaitingList => Waiting(atOrigin, Of),
                            _ => Lettings(atOrigin, Of, originMonth - 11, originMonth) * (to - from + 1) / 12.0,
                        };
                        var seasonal = measure switch
                        {
                            Measures.Housed => Housed(atMarch, Of),
                            Measures.WaitingList => Waiting(atMarch, Of),
                            _ => SameMonthsBefore(atOrigin, Of, from, to),
                        };
                        rows.Add(new BacktestRow(origin, fy, group, measure, a, d.Mean, d.P10, d.P50, d.P90)
                        {
                            Horizon = fy - firstFy + 1,
                            Months = measure == Measures.Lettings ? to - from + 1 : 12,
                            P2_5 = d.P2_5, P25 = d.P25, P75 = d.P75, P97_5 = d.P97_5,
                            Crps = d.Percentiles is { } q ? ForecastScores.CrpsFromQuantiles(q, a) : double.NaN,
                            Naive = naive,
                            SeasonalNaive = seasonal,
                        });
                    }
                }
            }
        }
        return new PlanningBacktestResult(councilCode, latest.SnapshotId, end, draws, seed, method, rows, Summarise(rows))
        {
            Scores = Score(rows),
            Substitutions = substitutions,
            Origins = origins,
            Model = "planning stock-flow model (baseline levers), Monte Carlo",
            DataAsOf = runner.Baseline(councilCode).AsOf,
            Pipeline = PipelineBacktest.Run(runner, councilCode, origins, end),
        };
    }

    /// <summary>People in occupied units of the schemes open on the baseline's date.</summary>
    public static double Housed(PlanningBaseline b, Func<string, bool> of) =>
        b.Schemes.Where(s => of(s.ClientGroup) && s.OpenAt(b.AsOf)).Sum(s => (double)s.Occupied);

    /// <summary>People on the waiting list on the baseline's date.</summary>
    public static double Waiting(PlanningBaseline b, Func<string, bool> of) => b.WaitingList.Where(kv => of(kv.Key)).Sum(kv => (double)kv.Value);

    /// <summary>New tenancies in months <paramref name="from"/>..<paramref name="to"/> (month indices), from the baseline's history.</summary>
    public static double Lettings(PlanningBaseline b, Func<string, bool> of, int from, int to)
    {
        double sum = 0;
        foreach (var (group, series) in b.NewTenancies)
        {
            if (!of(group)) continue;
            for (var m = from; m <= to; m++)
            {
                var i = m - series.FirstMonthIndex;
                if (i < 0 || i >= series.Values.Length)
                    throw new ScenarioValidationException([new("origins",
                        $"no tenancy history for {MonthIndex.FirstDay(m):yyyy-MM} in the baseline as of {b.AsOf:yyyy-MM-dd}")]);
                sum += series.Values[i];
            }
        }
        return sum;
    }

    /// <summary>Lettings in the same calendar months of the latest year whose months are all known in the baseline.</summary>
    private static double SameMonthsBefore(PlanningBaseline b, Func<string, bool> of, int from, int to)
    {
        var known = MonthIndex.Of(b.HistoryEndMonth);
        var shift = 12 * (int)Math.Ceiling((to - known) / 12.0);
        return Lettings(b, of, from - shift, to - shift);
    }

    private static List<BacktestSummary> Summarise(IReadOnlyList<BacktestRow> rows) => Compared.Select(m =>
    {
        var of = rows.Where(r => r.Measure == m && r.ClientGroup != ClientGroups.All).ToList();
        var actual = of.Sum(r => r.Actual);
        return new BacktestSummary(m, of.Count, of.Count == 0 ? double.NaN : of.Count(r => r.InsideP10P90) / (double)of.Count,
            actual > 0 ? of.Sum(r => Math.Abs(r.Error)) / actual : double.NaN);
    }).ToList();

    /// <summary>Scores per measure x (each group, all, pooled groups) x (every horizon = 0, and each horizon).</summary>
    public static IReadOnlyList<BacktestScore> Score(IReadOnlyList<BacktestRow> rows)
    {
        var result = new List<BacktestScore>();
        var groups = rows.Select(r => r.ClientGroup).Where(g => g != ClientGroups.All).Distinct().ToList();
        var horizons = rows.Select(r => r.Horizon).Distinct().Order().ToList();
        foreach (var m in Compared)
            foreach (var g in new[] { ClientGroups.All, PooledGroups }.Concat(groups))
                foreach (var h in horizons.Prepend(0))
                {
                    var of = rows.Where(r => r.Measure == m && (h == 0 || r.Horizon == h)
                        && (g == PooledGroups ? r.ClientGroup != ClientGroups.All : r.ClientGroup == g)).ToList();
                    if (of.Count > 0) result.Add(BacktestScore.Of(m, g, h, of));
                }
        return result;
    }

    /// <summary>
    /// The summary table: per measure, all groups, the groups pooled and each group, over every horizon, the model's
    /// MAE beside the naive and seasonal-naive MAE, the model's bias, interval coverage, 80% interval score and CRPS.
    /// </summary>
    public static string FormatSummary(PlanningBacktestResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"{"measure",-13} {"group",-17} {"rows",4} {"model MAE",9} {"naive",7} {"s-naive",7} {"bias",7} {"50%",5} {"80%",5} {"95%",5} {"IS80",7} {"CRPS",6}",
        };
        foreach (var s in r.Scores.Where(x => x.Horizon == 0))
            lines.Add(string.Format(ci, "{0,-13} {1,-17} {2,4} {3,9:0.0} {4,7:0.0} {5,7:0.0} {6,7:+0.0;-0.0;0.0} {7,5:0%} {8,5:0%} {9,5:0%} {10,7:0.0} {11,6:0.0}",
                s.Measure, s.ClientGroup == PooledGroups ? "per group (pooled)" : s.ClientGroup, s.Rows, s.ModelMae, s.NaiveMae, s.SeasonalNaiveMae,
                Math.Round(s.ModelBias, 1), s.Coverage50, s.Coverage80, s.Coverage95, s.IntervalScore80, s.Crps));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The backtest as plain text: the summary table, the scores by horizon for all groups, and the substitutions made.</summary>
    public static string Format(PlanningBacktestResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"{r.Model}: {r.Draws} draws, seed {r.Seed}; {r.Origins.Count} origins ({r.OriginRule}); end {r.End:yyyy-MM-dd}; " +
            $"snapshot {r.SnapshotId ?? "none"}, data as of {r.DataAsOf:yyyy-MM-dd}; {r.Seconds.ToString("0.0", ci)} s",
            "",
            FormatSummary(r),
            "",
            "all groups by horizon (years ahead):",
            $"{"measure",-13} {"h",2} {"rows",4} {"model MAE",9} {"naive",7} {"s-naive",7} {"bias",7} {"80%",5}",
        };
        foreach (var s in r.Scores.Where(x => x.Horizon > 0 && x.ClientGroup == ClientGroups.All))
            lines.Add(string.Format(ci, "{0,-13} {1,2} {2,4} {3,9:0.0} {4,7:0.0} {5,7:0.0} {6,7:+0.0;-0.0;0.0} {7,5:0%}",
                s.Measure, s.Horizon, s.Rows, s.ModelMae, s.NaiveMae, s.SeasonalNaiveMae, Math.Round(s.ModelBias, 1), s.Coverage80));
        if (r.Pipeline is { } p)
        {
            lines.Add("");
            lines.Add(PipelineBacktest.Format(p));
        }
        if (r.Substitutions.Count > 0)
        {
            lines.Add("");
            lines.Add($"substitutions ({r.Substitutions.Count}; data not recorded as it was at the origin):");
            lines.AddRange(r.Substitutions.Select(s => "  " + s));
        }
        return string.Join(Environment.NewLine, lines);
    }
}
