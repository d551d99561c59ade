using System.Globalization;
using Forecasting.Application.Performance;
using Forecasting.Domain;
using Forecasting.Engine;
using Forecasting.Store.Analytics;
using Forecasting.Store.Performance;
using Forecasting.Web.Charts;
using Microsoft.Extensions.Configuration;

namespace Forecasting.Web.Dashboard;

/// <summary>
/// The performance scorecard of a council through <see cref="PerformanceUseCases.Performance"/>, called as the API's
/// GetPerformance calls it with no measure named (every measure with data), the months asked for (default every month
/// available) and the default 80% and 95% ranges; and the words, colours and chart the page shows them with.
/// </summary>
public sealed class PerformanceViews(PerformanceUseCases performance, AnalyticsQueries analytics, IConfiguration configuration)
{
    /// <summary>The API's default interval levels; the table shows the first.</summary>
    public static readonly double[] Levels = [80, 95];

    /// <summary>Scorecards kept: a few councils, years and positions; the oldest goes first.</summary>
    private const int Kept = 24;

    private readonly object _lock = new();

    private readonly Dictionary<string, (Task<PerformanceAnswer> Answer, long Used)> _scorecards = new();

    private long _uses;

    /// <summary>
    /// How long a page waits for a scorecard still being computed before it shows that it is being prepared and reloads
    /// (<c>Web:ScorecardWaitSeconds</c>, default 2): a page answers within about that time even on new data.
    /// </summary>
    public TimeSpan Wait { get; } = TimeSpan.FromSeconds(double.TryParse(configuration["Web:ScorecardWaitSeconds"], System.Globalization.NumberStyles.Float,
        CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 ? seconds : 2);

    /// <summary>What a page says while its scorecard is still being computed.</summary>
    public const string PreparingWords =
        "Working out every measure's year end and its chance of meeting the target on the current data: this takes some seconds the first " +
        "time after an import, and this page reloads itself every two seconds until the figures are ready.";

    /// <param name="financialYear">A label like 2024/25; null = the latest financial year in the council's data.</param>
    /// <param name="months">Use only the first N months of the year (e.g. 9 for the position at the end of December); 0 = every month available.</param>
    public PerformanceAnswer Scorecard(string council, string? financialYear, int months, CancellationToken ct) =>
        Started(council, financialYear, months).WaitAsync(ct).GetAwaiter().GetResult();

    /// <summary>
    /// The scorecard if it is ready within <see cref="Wait"/>, else null while it goes on being computed in the background
    /// (the page says so and reloads). Errors (no data, a year outside the data) are thrown as from <see cref="Scorecard"/>.
    /// </summary>
    public async Task<PerformanceAnswer?> ScorecardWithin(string council, string? financialYear, int months, CancellationToken ct)
    {
        var task = Started(council, financialYear, months);
        if (!task.IsCompleted) await Task.WhenAny(task, Task.Delay(Wait, ct));
        ct.ThrowIfCancellationRequested();
        return task.IsCompleted ? await task : null;
    }

    /// <summary>
    /// The scorecard's computation, shared by every page and download that asks while the data and targets stay the same:
    /// kept per data snapshot and set of target versions (targets change without an import), so it is computed once per
    /// import. It runs apart from the request that started it, so a page that stops waiting does not stop it.
    /// </summary>
    private Task<PerformanceAnswer> Started(string council, string? financialYear, int months)
    {
        var year = string.IsNullOrWhiteSpace(financialYear) ? null : financialYear.Trim();
        var key = string.Join('|', council, year ?? "", months.ToString(CultureInfo.InvariantCulture), analytics.CurrentSnapshotId() ?? "",
            performance.TargetsStamp(council, CancellationToken.None));
        lock (_lock)
        {
            if (_scorecards.TryGetValue(key, out var kept) && !kept.Answer.IsFaulted && !kept.Answer.IsCanceled)
            {
                _scorecards[key] = (kept.Answer, ++_uses);
                return kept.Answer;
            }
            var task = Task.Run(() => performance.Performance(council, year, [], months, [], CancellationToken.None));
            _scorecards[key] = (task, ++_uses);
            while (_scorecards.Count > Kept) _scorecards.Remove(_scorecards.MinBy(k => k.Value.Used).Key);
            return task;
        }
    }

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>The exact value for a data-value attribute (round-trip), empty for none.</summary>
    public static string Exact(double value) => double.IsFinite(value) ? value.ToString("R", Ci) : "";

    /// <summary>A figure in the measure's unit, rounded for reading: whole numbers of people, one decimal for rates and shares, money in thousands.</summary>
    public static string Figure(double value, string unit) => DataTable.InUnit(value, unit);

    /// <summary>A year the position holds whole is an outcome: it met its target or missed it, there is no chance left.</summary>
    public static bool YearComplete(MeasurePerformanceAnswer m) => m.MonthsElapsed >= 12;

    /// <summary>
    /// The chance of meeting the target as members read it: a year complete says so (its "chance" is 0 or 1, an outcome);
    /// a chance that none or all of the draws give is "under 1%" or "over 99%", never a certain "0%" or "100%".
    /// </summary>
    public static string ChanceWords(MeasurePerformanceAnswer m)
    {
        if (m.Target is null || !double.IsFinite(m.ProbabilityOfMeetingTarget)) return "–";
        if (YearComplete(m)) return "year complete";
        return ChancePercent(m.ProbabilityOfMeetingTarget);
    }

    /// <summary>A chance (0-1) in whole percent, "under 1%" and "over 99%" at the ends.</summary>
    public static string ChancePercent(double chance) =>
        chance < 0.005 ? "under 1%" : chance > 0.995 ? "over 99%" : Words.Percent(chance, 0);

    /// <summary>The 80% range of the year-end estimate (the first level), or null when the estimate has none.</summary>
    public static YearEndInterval? Range(MeasurePerformanceAnswer m) =>
        m.YearEnd.Intervals.FirstOrDefault(i => i.Level == Levels[0]);

    public static string RagWords(Rag rag) => rag switch
    {
        Rag.Green => "Green: on track, a 70% or better chance of meeting the target",
        Rag.Amber => "Amber: uncertain, a 30% to 70% chance of meeting the target",
        Rag.Red => "Red: off track, less than a 30% chance of meeting the target",
        _ => "No target set",
    };

    /// <summary>The badge's words for a measure: for a year complete, whether the target was met; else the status.</summary>
    public static string RagShort(MeasurePerformanceAnswer m) => YearComplete(m)
        ? m.Rag switch
        {
            Rag.Green => "Green: target met",
            Rag.Amber => "Amber: just missed",
            Rag.Red => "Red: target missed",
            _ => "No target",
        }
        : RagShort(m.Rag);

    /// <summary>The badge's words: the colour and what it means, short enough for a table cell.</summary>
    public static string RagShort(Rag rag) => rag switch
    {
        Rag.Green => "Green: on track",
        Rag.Amber => "Amber: uncertain",
        Rag.Red => "Red: off track",
        _ => "No target",
    };

    /// <summary>The status rule in words (<see cref="RagRules.YearEndStatus"/>), as the pages and the report state it.</summary>
    public static readonly string StatusRule =
        $"The status comes from the chance of meeting the target by 31 March: green (on track) when the chance is {RagRules.GreenChance * 100:0}% or more, " +
        $"amber (uncertain) from {RagRules.RedChance * 100:0}% to under {RagRules.GreenChance * 100:0}%, red (off track) under {RagRules.RedChance * 100:0}%; so a measure " +
        "whose chance is near a coin toss is never shown as on track. A year already complete, and a measure whose estimate has no range, are judged " +
        "by the figure against the target: green when it meets it, amber within the target's amber margin, red beyond, as each month's status is.";

    public static string RagName(Rag rag) => rag switch
    {
        Rag.Green => "green",
        Rag.Amber => "amber",
        Rag.Red => "red",
        _ => "none",
    };

    /// <summary>Background and text colours of the status badge (the same hues as the charts; text dark enough to read).</summary>
    public static (string Background, string Text) RagColours(Rag rag) => rag switch
    {
        Rag.Green => ("#00703c", "#ffffff"),
        Rag.Amber => ("#ffbf47", "#1b1b1b"),
        Rag.Red => ("#b10e1e", "#ffffff"),
        _ => ("#e3e3e3", "#1b1b1b"),
    };

    public static string PolarityWords(Polarity polarity) => polarity switch
    {
        Polarity.HigherIsBetter => "higher is better",
        Polarity.LowerIsBetter => "lower is better",
        _ => "no better direction",
    };

    public static string Ordinal(int n) => n switch
    {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        _ => $"{n}th",
    };

    /// <summary>The last day of the months the answer used: the end of its last month, else the report's date.</summary>
    public static DateOnly DataTo(MeasurePerformanceAnswer m, DateOnly asOf) =>
        m.MonthsElapsed is >= 1 and <= 12 ? new DateOnly(m.FinancialYear, 4, 1).AddMonths(m.MonthsElapsed).AddDays(-1) : asOf;

    /// <summary>
    /// The measure's year to date month by month (April to March), the estimate of the year end made each month, the
    /// path from the last month to the estimated end of year with its 80% and 95% ranges widening to 31 March, and the
    /// year-end target across the year. The legend's names are short so that they fit its two rows.
    /// </summary>
    public static SvgChart Chart(MeasurePerformanceAnswer m, DataContext context, DateOnly asOf)
    {
        var months = Enumerable.Range(0, 12).Select(i => new DateOnly(m.FinancialYear, 4, 1).AddMonths(i)).ToList();
        // Every month is a point; the first month of each quarter is labelled (twelve labels would be thinned to six).
        var categories = months.Select(d => new Category(d.ToString("MMM yyyy", Ci), d.Month % 3 == 1)).ToList();
        double?[] Empty() => new double?[12];
        var ytd = Empty();
        var estimates = Empty();
        for (var i = 0; i < m.Months.Count && i < 12; i++)
        {
            ytd[i] = m.Months[i].YtdValue;
            estimates[i] = double.IsFinite(m.Months[i].YearEndEstimate) ? m.Months[i].YearEndEstimate : null;
        }

        var last = Math.Min(m.Months.Count, 12) - 1;
        var path = Empty();
        var bands = new List<Band>();
        if (last >= 0 && last < 11 && double.IsFinite(m.YearEnd.Estimate))
        {
            var from = m.Months[last].YtdValue;
            for (var i = last; i < 12; i++) path[i] = from + (m.YearEnd.Estimate - from) * (i - last) / (11 - last);
            foreach (var (level, colour) in new[] { (95.0, "#9ecae1"), (80.0, "#3d7ab8") })
            {
                if (m.YearEnd.Intervals.FirstOrDefault(b => b.Level == level) is not { } b) continue;
                var (lo, hi) = (Empty(), Empty());
                for (var i = last; i < 12; i++)
                {
                    var t = (double)(i - last) / (11 - last);
                    lo[i] = from + (b.Lower - from) * t;
                    hi[i] = from + (b.Upper - from) * t;
                }

                bands.Add(new Band($"{level:0}% range", lo, hi, colour, 0.55));
            }
        }

        var lines = new List<LineSeries>
        {
            new("Year to date", ytd, "#1b1b1b", Width: 2.5),
            new("Year-end estimate each month", estimates, "#6b8fb8", Width: 1.2),
        };
        if (path.Any(v => v is not null)) lines.Add(new LineSeries("Path to the year-end estimate", path, "#0b3d91", Dashed: true, Width: 2.5));
        if (m.Target is { } target)
            lines.Add(new LineSeries($"Year-end target ({RagWords(m.Rag).Split(':')[0].ToLowerInvariant()})",
                Enumerable.Repeat<double?>(target.Target, 12).ToList(), RagColours(m.Rag).Background, Dashed: true, Width: 2));

        var code = string.IsNullOrEmpty(m.Measure.Code) ? "" : $" ({m.Measure.Code})";
        return new SvgChart
        {
            Title = $"{m.Measure.Title}{code}, {FinancialYear.Label(m.FinancialYear)}",
            Subtitle = $"{context.CouncilName} · data to {Words.Date(DataTo(m, asOf))}",
            YLabel = $"{m.Measure.Unit}, year to date",
            Counts = m.Measure.Unit is "people" or "days",
            Categories = categories,
            Bands = bands,
            Lines = lines,
        };
    }

    /// <summary>
    /// The measures of a scorecard that have a target, the table the performance page, the report and the overview open
    /// with: the status, the chance of meeting the target, the estimated end of year with its 80% range, the target, the
    /// year to date and the unit; the lowest chance first, so what needs attention leads.
    /// </summary>
    public static DataTable TargetTable(PerformanceAnswer answer)
    {
        var withTargets = answer.Measures.Where(m => m.Target is not null)
            .OrderBy(m => double.IsNaN(m.ProbabilityOfMeetingTarget) ? 2 : m.ProbabilityOfMeetingTarget).ToList();
        var complete = withTargets.Count > 0 && withTargets.All(YearComplete);
        const int unit = 8;
        return DataTable.Build("measure-targets",
            complete
                ? $"Measures with a {FinancialYear.Label(answer.FinancialYear)} target: the year is complete (data to {answer.AsOf:d MMMM yyyy}), so each has met its target or missed it"
                : $"Measures with a {FinancialYear.Label(answer.FinancialYear)} target, data to {answer.AsOf:d MMMM yyyy}, lowest chance first",
            $"GetPerformance, {withTargets.Count} measures with a target; estimated end of year with its 80% range",
            [
                new("Measure"), new("Status"), new("Chance of meeting the target (%)", 1) { Chance = true },
                new(complete ? "End of year" : "Estimated end of year", 2) { UnitColumn = unit }, new("80% range from", 2) { UnitColumn = unit },
                new("80% range to", 2) { UnitColumn = unit }, new("Target", 2) { UnitColumn = unit }, new("Year to date", 2) { UnitColumn = unit }, new("Unit"),
            ],
            withTargets.Select(m => new object?[]
            {
                string.IsNullOrEmpty(m.Measure.Code) ? m.Measure.Title : $"{m.Measure.Code} {m.Measure.Title}",
                RagShort(m), YearComplete(m) ? null : m.ProbabilityOfMeetingTarget * 100, m.YearEnd.Estimate,
                Range(m) is { } r && r.Upper > r.Lower ? r.Lower : null, Range(m) is { } r2 && r2.Upper > r2.Lower ? r2.Upper : null,
                m.Target!.Target, m.YtdValue, m.Measure.Unit,
            }));
    }

    /// <summary>
    /// The scorecard as a table for the downloads: every measure of the page's table, numbers as numbers in the measure's
    /// unit (a missing figure is an empty cell, never "NaN"), the range as two columns and the status in words.
    /// </summary>
    public static DataTable ScorecardTable(PerformanceAnswer answer) =>
        DataTable.Build("scorecard", $"Scorecard, {FinancialYear.Label(answer.FinancialYear)}: {answer.Measures.Count} measures, data to {answer.AsOf:d MMMM yyyy}",
            $"GetPerformance, snapshot {answer.SnapshotId}",
            [
                new("Measure"), new("Code"), new("Unit"), new("Better when"), new("Months of the year", 0), new("Year to date", 2),
                new("Estimated end of year", 2), new("80% range from", 2), new("80% range to", 2), new("Target", 2), new("Status"), new("Chance of meeting the target (%)", 1) { Chance = true },
                new("Quartile among comparators (1 = best)", 0), new("Rank among comparators", 0), new("Comparators", 0), new("Change to reach the next quartile", 2),
            ],
            answer.Measures.Select(m => new object?[]
            {
                m.Measure.Title, m.Measure.Code, m.Measure.Unit, PolarityWords(m.Measure.Polarity), m.MonthsElapsed, m.YtdValue, m.YearEnd.Estimate,
                Range(m) is { } r && r.Upper > r.Lower ? r.Lower : null, Range(m) is { } r2 && r2.Upper > r2.Lower ? r2.Upper : null, m.Target?.Target,
                RagShort(m), YearComplete(m) ? null : m.ProbabilityOfMeetingTarget * 100,
                m.Benchmark is { Quartile: > 0 } b ? b.Quartile : null, m.Benchmark is { Quartile: > 0 } b2 ? b2.Rank : null,
                m.Benchmark is { Quartile: > 0 } b3 ? b3.Of : null, m.Benchmark is { Quartile: > 1 } b4 ? b4.ChangeToNextQuartile : null,
            }));
}
