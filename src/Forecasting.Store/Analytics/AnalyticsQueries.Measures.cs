using System.Text;
using DuckDB.NET.Data;
using Forecasting.Domain;

namespace Forecasting.Store.Analytics;

public sealed record MeasureQuery(
    string Measure,
    string? CouncilCode = null,
    Period Period = Period.Month,
    DateOnly? From = null,
    DateOnly? To = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Filters = null,
    IReadOnlyList<string>? Breakdown = null,
    IReadOnlyCollection<string>? CouncilScope = null);

/// <summary>
/// One period of a measure. <paramref name="Denominator"/> is NaN when the measure has none; a rate's denominator is
/// the population. For a flow the year-to-date figures accumulate from 1 April; for a stock they equal the period's.
/// </summary>
public sealed record MeasureValue(DateOnly PeriodStart, DateOnly PeriodEnd, string Label, double Numerator, double Denominator, double Value,
    double YtdNumerator, double YtdDenominator, double YtdValue);

public sealed record MeasureSeries(IReadOnlyDictionary<string, string> Key, IReadOnlyList<MeasureValue> Points);

public sealed record MeasureResult(Measure Measure, Period Period, DateOnly From, DateOnly To, IReadOnlyList<MeasureSeries> Groups,
    string? SnapshotId, IReadOnlyList<string> Notes);

public sealed partial class AnalyticsQueries
{
    /// <summary>
    /// A catalogue measure per period: one set-based statement. Flows group their events by period; stocks are
    /// evaluated at every period's last day (or the range's last day for a period it only partly covers) by joining
    /// a calendar of snapshot dates. The range starts no earlier than the measure's effective date.
    /// </summary>
    public MeasureResult MeasureSeries(MeasureQuery query, CancellationToken ct = default)
    {
        var measure = MeasureCatalog.Find(query.Measure);
        using var connection = store.Open();
        var snapshot = SnapshotId(connection);
        RequireKnownCouncil(snapshot, query.CouncilCode);
        var notes = new List<string>();
        var (from, to) = ResolveMeasureRange(connection, snapshot, measure, query, notes, ct);
        var parameters = new List<DuckDBParameter>();
        var where = BuildWhere(measure.Dimensions, query.CouncilCode, query.CouncilScope, query.Filters, parameters);
        var breakdown = ResolveBreakdown(measure.Dimensions, query.Breakdown);

        var periods = FinancialCalendar.PeriodStarts(from, to, query.Period).ToList();
        var step = FinancialCalendar.MonthsPerPeriod(query.Period);
        DateOnly PeriodEnd(DateOnly start)
        {
            var end = start.AddMonths(step).AddDays(-1);
            return end > to ? to : end;
        }

        var fromSql = measure.FromSql.Replace("$to", $"DATE '{FinancialCalendar.Iso(to)}'", StringComparison.Ordinal);
        var dims = new StringBuilder();
        for (var i = 0; i < breakdown.Count; i++) dims.Append($", CAST({breakdown[i].Sql} AS VARCHAR) AS d{i}");
        var denominator = measure.DenominatorSql is null ? "NULL" : $"CAST({measure.DenominatorSql} AS DOUBLE)";
        string sql;
        if (measure.Shape == MeasureShape.Flow)
        {
            sql = $"SELECT {FinancialCalendar.PeriodStartSql(measure.DateSql!, query.Period)} AS period_start{dims}, " +
                  $"CAST({measure.NumeratorSql} AS DOUBLE), {denominator} FROM {fromSql} " +
                  AppendCondition(fromSql, $"{where} AND {measure.DateSql} BETWEEN DATE '{FinancialCalendar.Iso(from)}' AND DATE '{FinancialCalendar.Iso(to)}'") +
                  " GROUP BY ALL";
        }
        else
        {
            var calendar = string.Join(", ", periods.Select(p => $"(DATE '{FinancialCalendar.Iso(p)}', DATE '{FinancialCalendar.Iso(PeriodEnd(p))}')"));
            var stockFrom = fromSql.Replace("$as_of", "cal.as_of", StringComparison.Ordinal);
            var numerator = measure.NumeratorSql.Replace("$as_of", "cal.as_of", StringComparison.Ordinal);
            denominator = denominator.Replace("$as_of", "cal.as_of", StringComparison.Ordinal);
            sql = $"WITH cal AS (SELECT * FROM (VALUES {calendar}) c(period_start, as_of)) " +
                  $"SELECT cal.period_start{dims}, CAST({numerator} AS DOUBLE), {denominator} FROM cal CROSS JOIN {stockFrom} " +
                  AppendCondition(stockFrom, where) + " GROUP BY ALL";
        }

        var byGroup = new Dictionary<string, (Dictionary<string, string> Key, Dictionary<DateOnly, (double Num, double Den)> Values)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = sql;
            foreach (var p in parameters) cmd.Parameters.Add(p);
            using var interrupt = ct.Register(cmd.Cancel);
            using var reader = ExecuteReader(cmd, ct);
            while (reader.Read())
            {
                var key = new Dictionary<string, string>();
                for (var i = 0; i < breakdown.Count; i++) key[breakdown[i].Name] = reader.IsDBNull(1 + i) ? "" : reader.GetString(1 + i);
                var keyText = string.Join("\u001f", key.Values);
                if (!byGroup.TryGetValue(keyText, out var group))
                {
                    group = (key, new Dictionary<DateOnly, (double, double)>());
                    byGroup[keyText] = group;
                    if ((long)byGroup.Count * periods.Count > MaxResultCells)
                        throw new ResultTooLargeException(
                            $"the answer would exceed {MaxResultCells} points; narrow the date range, use a coarser period or fewer breakdown dimensions");
                }
                var num = reader.IsDBNull(1 + breakdown.Count) ? double.NaN : reader.GetDouble(1 + breakdown.Count);
                var den = reader.IsDBNull(2 + breakdown.Count) ? double.NaN : reader.GetDouble(2 + breakdown.Count);
                group.Values[DateOnly.FromDateTime(reader.GetDateTime(0))] = (num, den);
            }
        }
        if (byGroup.Count == 0 && breakdown.Count == 0) byGroup[""] = (new Dictionary<string, string>(), new Dictionary<DateOnly, (double, double)>());

        Func<string?, int, double>? population = null;
        if (measure.PopulationAgeGroup is { } ageGroup)
        {
            population = PopulationLookup(snapshot, query.CouncilCode, query.CouncilScope, ageGroup, "estimate", out var source);
            notes.Add($"denominator: {measure.DenominatorText}, {source}");
        }

        var groups = byGroup.Values
            .OrderBy(g => string.Join("\u001f", g.Key.Values), StringComparer.Ordinal)
            .Select(g =>
            {
                g.Key.TryGetValue("council_code", out var council);
                return new MeasureSeries(g.Key, MeasurePoints(measure, query.Period, periods, PeriodEnd, g.Values,
                    population is null ? null : fy => population(council, fy)));
            })
            .ToList();
        return new MeasureResult(measure, query.Period, from, to, groups, snapshot, notes);
    }

    private static List<MeasureValue> MeasurePoints(Measure measure, Period period, List<DateOnly> periods, Func<DateOnly, DateOnly> periodEnd,
        Dictionary<DateOnly, (double Num, double Den)> values, Func<int, double>? population)
    {
        var points = new List<MeasureValue>(periods.Count);
        var runningYear = int.MinValue;
        double ytdNum = 0, ytdDen = 0;
        // Periods without rows hold no events (flows) or nobody (stock counts); a statistic of nobody is undefined.
        var empty = measure.EmptyIsZero ? (0.0, measure.DenominatorSql is null ? double.NaN : 0.0) : (double.NaN, double.NaN);
        foreach (var start in periods)
        {
            var (num, den) = values.TryGetValue(start, out var v) ? v : empty;
            var fy = FinancialCalendar.FinancialYearOf(start);
            if (population is not null) den = population(fy);
            if (measure.Shape == MeasureShape.Stock)
            {
                ytdNum = num;
                ytdDen = den;
            }
            else
            {
                if (fy != runningYear) { runningYear = fy; ytdNum = 0; ytdDen = 0; }
                ytdNum += num;
                ytdDen = population is not null ? den : ytdDen + den;
            }
            points.Add(new MeasureValue(start, periodEnd(start), FinancialCalendar.PeriodLabel(start, period), num, den,
                measure.ValueOf(num, den), ytdNum, ytdDen, measure.ValueOf(ytdNum, ytdDen)));
        }
        return points;
    }

    /// <summary>
    /// The measure's range: its table's dates up to the data's as-of date, no earlier than its effective date or the start
    /// of the council's history window, and to the as-of date (or the date asked, when earlier).
    /// </summary>
    private (DateOnly From, DateOnly To) ResolveMeasureRange(DuckDBConnection connection, string? snapshot, Measure measure, MeasureQuery query,
        List<string> notes, CancellationToken ct)
    {
        var table = measure.FromSql.TrimStart().Split(' ', 2)[0];
        var asOf = AsOfDate(snapshot);
        var (min, _) = DateBounds(connection, snapshot, $"measure:{table}:{measure.RangeDateSql}", query.CouncilCode, measure.RangeDateSql,
            $"{table} x WHERE {measure.RangeDateSql} <= DATE '{FinancialCalendar.Iso(asOf)}'", query.CouncilScope, ct);
        if (min is null) throw new NoDataException($"the store holds no {table} data{(query.CouncilCode is null ? "" : $" for council {query.CouncilCode}")}");
        var (start, _) = HistoryWindow(connection, snapshot, query.CouncilCode, query.CouncilScope, ct);
        var from = query.From ?? (start is { } s && s > min ? s : min.Value);
        // A measure never runs past the data's as-of date: rows dated after it are not part of the data.
        var to = query.To is { } asked && asked < asOf ? asked : asOf;
        if (from > asOf) throw new QueryException("from_date", $"the range starts after the data's as-of date {FinancialCalendar.Iso(asOf)}");
        if (from < measure.EffectiveFromDate)
        {
            notes.Add($"{measure.Title} is reported from {FinancialCalendar.Iso(measure.EffectiveFromDate)}, when its definition took effect; earlier periods are left out");
            from = measure.EffectiveFromDate;
        }
        if (to < from) throw new QueryException(query.To is null ? "from_date" : "to_date", "the range ends before it starts (or before the measure's effective date)");
        return (from, to);
    }

    /// <summary>Population of the age group per financial year for one council (or the scope summed), from the per-snapshot cache.</summary>
    private Func<string?, int, double> PopulationLookup(string? snapshot, string? council, IReadOnlyCollection<string>? scope, string ageGroup,
        string variant, out string description)
    {
        var rows = PopulationRows(snapshot, council, scope, ageGroup, variant);
        description = $"ages {string.Join(" + ", AgeBandsOf(ageGroup))} at mid-year of the financial year's first year; sources: {string.Join("; ", rows.Select(r => r.Source).Distinct())}";
        var populationOf = PopulationByYear(rows);
        return (c, fy) => populationOf(c, fy).People;
    }
}

public sealed partial class AnalyticsQueries
{
    /// <summary>
    /// The series a forecast fits: a flow metric's counts, or a catalogue measure's values per period (a stock at each
    /// period's last day), so "people in residential care at each month end" is forecast like admissions are.
    /// </summary>
    public SeriesResult ForecastableSeries(SeriesQuery query, CancellationToken ct = default)
    {
        if (MetricCatalog.Flows.Any(m => m.Name == query.Metric)) return FlowSeries(query, ct);
        if (!MeasureCatalog.Names.Contains(query.Metric))
            throw new QueryException("selector.metric", $"unknown metric '{query.Metric}'; valid metrics: " +
                $"{string.Join(", ", MetricCatalog.Flows.Select(m => m.Name))}, and the measures {string.Join(", ", MeasureCatalog.Names)}");
        var result = MeasureSeries(new MeasureQuery(query.Metric, query.CouncilCode, query.Period, query.From, query.To, query.Filters,
            query.Breakdown, query.CouncilScope), ct);
        var groups = result.Groups.Select(g =>
        {
            if (g.Points.FirstOrDefault(p => double.IsNaN(p.Value)) is { } gap)
                throw new NoDataException($"{result.Measure.Title} has no value in {gap.Label} (nothing to measure), so it cannot be forecast");
            return new Series(g.Key, g.Points.Select(p => new SeriesValue(p.PeriodStart, p.Label, p.Value, p.YtdValue)).ToList());
        }).ToList();
        return new SeriesResult(query.Metric, query.Period, result.From, result.To, groups, result.SnapshotId);
    }
}
