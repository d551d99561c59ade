using System.Globalization;

namespace Forecasting.Planning;

/// <summary>One measure of one year in a backtest: what the model said at the origin against what the data shows.</summary>
public sealed record BacktestRow(
    DateOnly Origin, int Fy, string ClientGroup, string Measure, double Actual, double Mean, double P10, double P50, double P90)
{
    public bool InsideP10P90 => Actual >= P10 && Actual <= P90;
    /// <summary>Mean minus actual.</summary>
    public double Error => Mean - Actual;
}

/// <summary>
/// Share of actuals inside P10-P90 and the weighted absolute percentage error of the headline (sum of |mean - actual|
/// over the sum of actuals, so small groups do not dominate), per measure, over client groups, years and origins.
/// </summary>
public sealed record BacktestSummary(string Measure, int Rows, double CoverageP10P90, double WeightedAbsolutePercentageError);

public sealed record PlanningBacktestResult(
    string CouncilCode, string? SnapshotId, DateOnly End, int Draws, long Seed, string Method,
    IReadOnlyList<BacktestRow> Rows, IReadOnlyList<BacktestSummary> Summary);

/// <summary>
/// Backtest of the planning model: as of each origin (31 March), the baseline is run on the data known then and
/// projected to <c>End</c>; its people housed and on the waiting list at each year end, and new tenancies in each
/// year, are compared with what the data shows. Supply is as it happened (schemes open from their opening dates):
/// the pipeline as it stood at the origin is not in the data, so the backtest tests demand and housing given supply.
/// </summary>
public static class PlanningBacktest
{
    public static readonly IReadOnlyList<string> Compared = [Measures.Housed, Measures.WaitingList, Measures.Lettings];

    /// <summary>Without origins: 31 March four and three years before the end.</summary>
    public const int DefaultOriginCount = 2;

    /// <param name="origins">Empty = 31 March four and three years before the end.</param>
    /// <param name="end">null = the last 31 March in the council's data.</param>
    public static PlanningBacktestResult Run(ScenarioRunner runner, string councilCode, IReadOnlyList<DateOnly> origins, DateOnly? end,
        int draws = 2000, long seed = ScenarioRunner.DefaultSeed, CancellationToken cancellation = default)
    {
        var last = end ?? LastMarch(runner.DefaultAsOf(councilCode));
        if (origins.Count == 0) origins = [last.AddYears(-4), last.AddYears(-3)];
        return RunFrom(runner, councilCode, origins, last, draws, seed, cancellation);
    }

    /// <summary>The last 31 March on or before <paramref name="date"/>.</summary>
    public static DateOnly LastMarch(DateOnly date)
    {
        var march = new DateOnly(date.Year, 3, 31);
        return march <= date ? march : march.AddYears(-1);
    }

    private static PlanningBacktestResult RunFrom(ScenarioRunner runner, string councilCode, IReadOnlyList<DateOnly> origins, DateOnly end,
        int draws, long seed, CancellationToken cancellation)
    {
        var lastFy = FinancialYear.Of(end);
        if (FinancialYear.End(lastFy) != end)
            throw new ScenarioValidationException([new("end", $"{end:yyyy-MM-dd} is not the end of a financial year (31 March)")]);
        var actualBaselines = new Dictionary<int, PlanningBaseline>();
        var latest = runner.Baseline(councilCode, end);
        var rows = new List<BacktestRow>();
        var method = "";
        foreach (var origin in origins.Distinct().Order())
        {
            cancellation.ThrowIfCancellationRequested();
            var firstFy = FinancialYear.Of(origin.AddDays(1));
            if (firstFy > lastFy)
                throw new ScenarioValidationException([new("origins", $"{origin:yyyy-MM-dd} is not before the end {end:yyyy-MM-dd}")]);
            var result = runner.Run(councilCode, ScenarioLevers.Baseline, $"backtest from {origin:yyyy-MM-dd}", null, null,
                new RunOptions(draws, seed, AsOf: origin, Years: lastFy - firstFy + 1, Save: false, Cancellation: cancellation));
            method = result.Simulation!.Method;
            for (var fy = firstFy; fy <= lastFy; fy++)
            {
                if (!actualBaselines.TryGetValue(fy, out var actual))
                    actualBaselines[fy] = actual = runner.Baseline(councilCode, FinancialYear.End(fy));
                foreach (var group in ClientGroups.Known.Append(ClientGroups.All))
                    foreach (var measure in Compared)
                    {
                        var d = result.Simulation.Measures.SingleOrDefault(m => m.Fy == fy && m.ClientGroup == group && m.Measure == measure);
                        if (d is null) continue;
                        rows.Add(new BacktestRow(origin, fy, group, measure, Actual(actual, latest, fy, group, measure), d.Mean, d.P10, d.P50, d.P90));
                    }
            }
        }
        var summary = Compared.Select(m =>
        {
            var of = rows.Where(r => r.Measure == m && r.ClientGroup != ClientGroups.All).ToList();
            var actual = of.Sum(r => r.Actual);
            return new BacktestSummary(m, of.Count, of.Count == 0 ? double.NaN : of.Count(r => r.InsideP10P90) / (double)of.Count,
                actual > 0 ? of.Sum(r => Math.Abs(r.Error)) / actual : double.NaN);
        }).ToList();
        return new PlanningBacktestResult(councilCode, latest.SnapshotId, end, draws, seed, method, rows, summary);
    }

    /// <summary>
    /// What the data shows at the end of <paramref name="fy"/>: people in occupied units, people on the waiting list, or
    /// tenancies that started in the year.
    /// </summary>
    private static double Actual(PlanningBaseline atYearEnd, PlanningBaseline latest, int fy, string group, string measure)
    {
        bool Of(string g) => group == ClientGroups.All || g == group;
        return measure switch
        {
            Measures.Housed => atYearEnd.Schemes.Where(s => Of(s.ClientGroup) && s.OpenAt(atYearEnd.AsOf)).Sum(s => (double)s.Occupied),
            Measures.WaitingList => atYearEnd.WaitingList.Where(kv => Of(kv.Key)).Sum(kv => (double)kv.Value),
            Measures.Lettings => latest.NewTenancies.Where(kv => Of(kv.Key)).Sum(kv => SumOfYear(kv.Value, fy)),
            _ => throw new ArgumentOutOfRangeException(nameof(measure)),
        };
    }

    private static double SumOfYear(MonthlySeries series, int fy)
    {
        var first = MonthIndex.Of(FinancialYear.Start(fy));
        double sum = 0;
        for (var m = first; m < first + 12; m++)
        {
            var i = m - series.FirstMonthIndex;
            if (i < 0 || i >= series.Values.Length) throw new InvalidOperationException($"no tenancy history for {FinancialYear.Label(fy)}");
            sum += series.Values[i];
        }
        return sum;
    }

    /// <summary>The backtest as a plain-text table (one row per origin, year and measure for all groups; then the summary).</summary>
    public static string Format(PlanningBacktestResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"{"origin",-11} {"year",-8} {"measure",-13} {"actual",7} {"mean",7} {"P10",7} {"P50",7} {"P90",7}  inside",
        };
        foreach (var row in r.Rows.Where(x => x.ClientGroup == ClientGroups.All))
            lines.Add(string.Format(ci, "{0,-11} {1,-8} {2,-13} {3,7:0} {4,7:0.0} {5,7:0.0} {6,7:0.0} {7,7:0.0}  {8}",
                row.Origin.ToString("yyyy-MM-dd", ci), FinancialYear.Label(row.Fy), row.Measure, row.Actual, row.Mean, row.P10, row.P50, row.P90,
                row.InsideP10P90 ? "yes" : "no"));
        lines.Add("");
        lines.Add("mean error (mean - actual) per client group, all origins and years:");
        foreach (var g in r.Rows.Select(x => x.ClientGroup).Distinct())
            lines.Add(string.Format(ci, "  {0,-17} {1}", g, string.Join("  ", Compared.Select(m =>
            {
                var of = r.Rows.Where(x => x.ClientGroup == g && x.Measure == m).ToList();
                return $"{m} {of.Average(x => x.Error).ToString("+0.0;-0.0", ci)} ({of.Count(x => x.InsideP10P90)}/{of.Count} inside)";
            }))));
        lines.Add("");
        lines.Add("per client group and year, all origins:");
        foreach (var s in r.Summary)
            lines.Add(string.Format(ci, "  {0,-13} {1,3} rows, {2:P0} inside P10-P90, absolute errors {3:P1} of the actuals",
                s.Measure, s.Rows, s.CoverageP10P90, s.WeightedAbsolutePercentageError));
        return string.Join(Environment.NewLine, lines);
    }
}
