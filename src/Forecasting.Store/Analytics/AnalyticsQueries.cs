using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Forecasting.Domain;
using Forecasting.Store;

namespace Forecasting.Store.Analytics;

public sealed record SeriesQuery(
    string Metric,
    string? CouncilCode = null,
    Period Period = Period.Month,
    DateOnly? From = null,
    DateOnly? To = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Filters = null,
    IReadOnlyList<string>? Breakdown = null,
    IReadOnlyCollection<string>? CouncilScope = null);

public sealed record SeriesValue(DateOnly PeriodStart, string Label, double Value, double YearToDate);

public sealed record Series(IReadOnlyDictionary<string, string> Key, IReadOnlyList<SeriesValue> Points);

public sealed record SeriesResult(string Metric, Period Period, DateOnly From, DateOnly To, IReadOnlyList<Series> Groups, string? SnapshotId);

public sealed record RateValue(DateOnly PeriodStart, string Label, double Count, double Population, double RatePer100k, int PopulationYear);

public sealed record RateSeries(IReadOnlyDictionary<string, string> Key, IReadOnlyList<RateValue> Points);

public sealed record RateResult(string Metric, string AgeGroup, IReadOnlyList<RateSeries> Groups, string Denominator, string? SnapshotId);

public sealed record TableRow(IReadOnlyDictionary<string, string> Dimensions, IReadOnlyDictionary<string, double> Measures);

public sealed record TableResult(string Title, IReadOnlyList<string> DimensionNames, IReadOnlyList<string> MeasureNames,
    IReadOnlyList<TableRow> Rows, DateOnly? AsOf, string? SnapshotId);

/// <summary>
/// Set-based analytics over the store. Every query is one SQL statement built from the catalog's
/// fragments; caller-supplied values are bound as parameters. Zero periods are filled in so series
/// can be charted and forecast directly. A council a query names must be in the store (an unknown code is
/// NotFound, so caches hold only real councils); a council scope limits a query with no council to the
/// councils a caller may see. Cancelling the token interrupts the running statement.
/// </summary>
public sealed partial class AnalyticsQueries(ForecastingStore store, int maxResultCells = AnalyticsQueries.DefaultMaxResultCells)
{
    /// <summary>Default upper bound on points (groups x periods) or cells in one answer.</summary>
    public const int DefaultMaxResultCells = 100_000;

    private int MaxResultCells => maxResultCells;

    private static readonly string[] AdultAgeBands18To64 = ["18-24", "25-64"];
    private static readonly string[] AdultAgeBands65Plus = ["65-74", "75-84", "85+"];

    public SeriesResult FlowSeries(SeriesQuery query, CancellationToken ct = default)
    {
        var metric = MetricCatalog.Flow(query.Metric);
        using var connection = store.Open();
        var snapshot = SnapshotId(connection);
        RequireKnownCouncil(snapshot, query.CouncilCode);
        var (from, to) = ResolveRange(connection, snapshot, metric, query, ct);
        var parameters = new List<DuckDBParameter>();
        var where = BuildWhere(metric.Dimensions, query.CouncilCode, query.CouncilScope, query.Filters, parameters);
        var breakdown = ResolveBreakdown(metric.Dimensions, query.Breakdown);

        var sql = new StringBuilder();
        sql.Append($"SELECT {FinancialCalendar.PeriodStartSql(metric.DateSql, query.Period)} AS period_start");
        for (var i = 0; i < breakdown.Count; i++) sql.Append($", CAST({breakdown[i].Sql} AS VARCHAR) AS d{i}");
        sql.Append($", CAST({metric.ValueSql} AS DOUBLE) AS value FROM {metric.FromSql} ");
        sql.Append(AppendCondition(metric.FromSql, where + $" AND {metric.DateSql} BETWEEN DATE '{FinancialCalendar.Iso(from)}' AND DATE '{FinancialCalendar.Iso(to)}'"));
        sql.Append(" GROUP BY ALL");

        var periods = FinancialCalendar.PeriodStarts(from, to, query.Period).ToList();
        var byGroup = new Dictionary<string, (Dictionary<string, string> Key, Dictionary<DateOnly, double> Values)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = sql.ToString();
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
                    group = (key, new Dictionary<DateOnly, double>());
                    byGroup[keyText] = group;
                    if ((long)byGroup.Count * periods.Count > MaxResultCells)
                        throw new ResultTooLargeException(
                            $"the answer would exceed {MaxResultCells} points; narrow the date range, use a coarser period or fewer breakdown dimensions");
                }
                group.Values[DateOnly.FromDateTime(reader.GetDateTime(0))] = reader.IsDBNull(1 + breakdown.Count) ? 0 : reader.GetDouble(1 + breakdown.Count);
            }
        }
        if (byGroup.Count == 0 && breakdown.Count == 0) byGroup[""] = (new Dictionary<string, string>(), new Dictionary<DateOnly, double>());

        var groups = byGroup.Values
            .OrderBy(g => string.Join("\u001f", g.Key.Values), StringComparer.Ordinal)
            .Select(g => new Series(g.Key, WithYearToDate(periods, g.Values, query.Period)))
            .ToList();
        return new SeriesResult(metric.Name, query.Period, from, to, groups, snapshot);
    }

    private static List<SeriesValue> WithYearToDate(List<DateOnly> periods, Dictionary<DateOnly, double> values, Period period)
    {
        var points = new List<SeriesValue>(periods.Count);
        var runningYear = int.MinValue;
        var ytd = 0.0;
        foreach (var start in periods)
        {
            var fy = FinancialCalendar.FinancialYearOf(start);
            if (fy != runningYear) { runningYear = fy; ytd = 0; }
            var value = values.GetValueOrDefault(start);
            ytd += value;
            points.Add(new SeriesValue(start, FinancialCalendar.PeriodLabel(start, period), value, ytd));
        }
        return points;
    }

    /// <summary>
    /// Rates per 100,000 population of the age group. The denominator is the population of the
    /// council(s) at the mid-year of the period's financial year start (2023/24 uses mid-2023), from
    /// the requested variant; years beyond the estimates use the principal projection and say so.
    /// </summary>
    public RateResult Rates(SeriesQuery query, string ageGroup, string? variant, CancellationToken ct = default)
    {
        if (!Vocabulary.AgeGroups.Contains(ageGroup))
            throw new QueryException("age_group", $"must be one of {string.Join(", ", Vocabulary.AgeGroups)}");
        variant = string.IsNullOrEmpty(variant) ? "estimate" : variant;
        if (!Vocabulary.PopulationVariants.Contains(variant))
            throw new QueryException("population_variant", $"unknown variant '{variant}'; valid: {string.Join(", ", Vocabulary.PopulationVariants)}");
        var metric = MetricCatalog.Flow(query.Metric);
        if (metric.Name is not ("admissions" or "contacts"))
            throw new QueryException("selector.metric", "rates are defined for admissions and contacts");
        if (query.Filters?.ContainsKey("age_group") == true || query.Filters?.ContainsKey("age_band") == true)
            throw new QueryException("selector.filters", "the age group of a rate is set by age_group; do not also filter on age");
        if (query.Breakdown?.Any(b => b is "age_group" or "age_band") == true)
            throw new QueryException("selector.breakdown", "a rate has one age group; breakdown by age is not allowed");

        var filters = new Dictionary<string, IReadOnlyList<string>>(query.Filters ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            ["age_group"] = [ageGroup],
        };
        var counts = FlowSeries(query with { Filters = filters }, ct);
        var bands = AgeBandsOf(ageGroup);
        var population = PopulationRows(counts.SnapshotId, query.CouncilCode, query.CouncilScope, ageGroup, variant);

        var usedSources = new SortedSet<string>(StringComparer.Ordinal);
        var populationOf = PopulationByYear(population);
        var groups = counts.Groups.Select(g =>
        {
            g.Key.TryGetValue("council_code", out var council);
            var points = g.Points.Select(p =>
            {
                var year = FinancialCalendar.FinancialYearOf(p.PeriodStart);
                var (people, source) = populationOf(council, year);
                if (source is not null) usedSources.Add(source);
                var rate = people > 0 ? p.Value / people * 100_000 : double.NaN;
                return new RateValue(p.PeriodStart, p.Label, p.Value, people, rate, year);
            }).ToList();
            return new RateSeries(g.Key, points);
        }).ToList();
        var denominator = $"ONS population aged {ageGroup} ({string.Join(" + ", bands)}) at mid-year of the financial year's first year; " +
                          $"sources: {string.Join("; ", usedSources)}";
        return new RateResult(metric.Name, ageGroup, groups, denominator, counts.SnapshotId);
    }

    private sealed record PopulationRow(string Council, int Year, string Variant, string Source, double People);

    private static string[] AgeBandsOf(string ageGroup) => ageGroup == "18-64" ? AdultAgeBands18To64 : AdultAgeBands65Plus;

    /// <summary>
    /// The population rows of an age group for one council (or the scope), kept per snapshot like the date bounds:
    /// population changes only with an import. None is no data.
    /// </summary>
    private List<PopulationRow> PopulationRows(string? snapshot, string? council, IReadOnlyCollection<string>? scope, string ageGroup, string variant)
    {
        var key = $"{council}|{(scope is null ? "*" : string.Join(",", scope.Order(StringComparer.Ordinal)))}|{ageGroup}|{variant}";
        var rows = CacheFor(snapshot).Population.GetOrAdd(key, _ => LoadPopulation(council, scope, AgeBandsOf(ageGroup), variant));
        if (rows.Count == 0)
            throw new NoDataException($"no {variant} population for ages {ageGroup}{(council is null ? "" : $" in {council}")}");
        return rows;
    }

    private List<PopulationRow> LoadPopulation(string? council, IReadOnlyCollection<string>? scope, string[] bands, string variant)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        var scoped = council is null && scope is not null ? "AND " + ScopeCondition("p.council_code", scope, p => cmd.Parameters.Add(p)) : "";
        // The latest source of each variant is the versioned denominator in force.
        cmd.CommandText = $"""
            WITH latest AS (
                SELECT council_code, variant, max(source) AS source FROM population
                WHERE variant IN ($variant, 'principal') GROUP BY ALL)
            SELECT p.council_code, p.year, p.variant, p.source, CAST(sum(p.population) AS DOUBLE)
            FROM population p JOIN latest l USING (council_code, variant, source)
            WHERE p.age_band IN ({string.Join(", ", bands.Select(b => $"'{b}'"))})
              {(council is null ? "" : "AND p.council_code = $council")} {scoped}
            GROUP BY ALL
            """;
        cmd.Parameters.Add(new DuckDBParameter("variant", variant));
        if (council is not null) cmd.Parameters.Add(new DuckDBParameter("council", council));
        using var reader = cmd.ExecuteReader();
        var rows = new List<PopulationRow>();
        while (reader.Read())
        {
            var rowVariant = reader.GetString(2);
            rows.Add(new PopulationRow(reader.GetString(0), reader.GetInt32(1), rowVariant,
                $"{reader.GetString(3)} ({rowVariant})", reader.GetDouble(4)));
        }
        // Keep the principal projection only for years the requested variant does not cover.
        var covered = rows.Where(r => r.Variant == variant).Select(r => (r.Council, r.Year)).ToHashSet();
        return rows.Where(r => r.Variant == variant || !covered.Contains((r.Council, r.Year))).ToList();
    }

    /// <summary>The population of a council (or, for null, of every council) in a financial year's mid-year, with its sources.</summary>
    private static Func<string?, int, (double People, string? Source)> PopulationByYear(List<PopulationRow> rows)
    {
        var byCouncilYear = rows.ToLookup(r => (r.Council, r.Year));
        var byYear = rows.ToLookup(r => r.Year);
        return (council, year) => PopulationFor(council is null ? byYear[year] : byCouncilYear[(council, year)]);
    }

    /// <summary>The population of a council and year (or of every council in a year), summed, with its sources.</summary>
    private static (double People, string? Source) PopulationFor(IEnumerable<PopulationRow> rows)
    {
        var match = rows as IReadOnlyCollection<PopulationRow> ?? rows.ToList();
        return match.Count == 0 ? (0, null) : (match.Sum(r => r.People), string.Join(", ", match.Select(r => r.Source).Distinct()));
    }

    public TableResult StockSnapshot(string measureName, string? council, DateOnly? asOf,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, IReadOnlyList<string>? breakdownNames,
        IReadOnlyCollection<string>? scope = null, CancellationToken ct = default)
    {
        var measure = MetricCatalog.Stock(measureName);
        using var connection = store.Open();
        var snapshot = SnapshotId(connection);
        RequireKnownCouncil(snapshot, council);
        var dataAsOf = AsOfDate(snapshot);
        if (asOf > dataAsOf)
            throw new QueryException("as_of", $"{FinancialCalendar.Iso(asOf.Value)} is after the data's as-of date {FinancialCalendar.Iso(dataAsOf)}");
        var date = asOf ?? dataAsOf;
        var parameters = new List<DuckDBParameter> { new("as_of", date.ToDateTime(TimeOnly.MinValue)) };
        var where = BuildWhere(measure.Dimensions, council, scope, filters, parameters);
        var breakdown = ResolveBreakdown(measure.Dimensions, breakdownNames);
        var select = breakdown.Select((d, i) => $"CAST({d.Sql} AS VARCHAR) AS d{i}")
            .Concat(measure.Measures.Select(m => $"CAST({m.Sql} AS DOUBLE) AS \"{m.Name}\""));
        var sql = $"SELECT {string.Join(", ", select)} FROM {measure.FromSql} {AppendCondition(measure.FromSql, where)}" +
                  (breakdown.Count > 0 ? " GROUP BY ALL ORDER BY ALL" : "");
        var rows = ReadTable(connection, sql, parameters, breakdown, measure.Measures.Select(m => m.Name).ToList(), ct);
        return new TableResult(measure.Description, breakdown.Select(b => b.Name).ToList(), measure.Measures.Select(m => m.Name).ToList(),
            rows, date, snapshot);
    }

    /// <summary>Young people by financial year of their 18th birthday, with the expected number of adult clients.</summary>
    public TableResult TransitionsCohort(string? council, int? fromFy, int? toFy,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, IReadOnlyList<string>? breakdownNames,
        IReadOnlyCollection<string>? scope = null, CancellationToken ct = default)
    {
        using var connection = store.Open();
        var snapshot = SnapshotId(connection);
        RequireKnownCouncil(snapshot, council);
        var parameters = new List<DuckDBParameter>();
        var where = BuildWhere(MetricCatalog.Transitions, council, scope, filters, parameters);
        const string birthday18 = "CAST(x.date_of_birth + INTERVAL 18 YEAR AS DATE)";
        var fy = $"year({birthday18}) - CASE WHEN month({birthday18}) < 4 THEN 1 ELSE 0 END";
        // Young people recorded after the data's as-of date are not yet known at it.
        where += $" AND x.recorded_date <= DATE '{FinancialCalendar.Iso(AsOfDate(snapshot))}'";
        if (fromFy is > 0) where += $" AND {fy} >= {fromFy.Value}";
        if (toFy is > 0) where += $" AND {fy} <= {toFy.Value}";
        var breakdown = ResolveBreakdown(MetricCatalog.Transitions, breakdownNames);
        var select = new[] { $"CAST({fy} AS VARCHAR) AS fy" }
            .Concat(breakdown.Select((d, i) => $"CAST({d.Sql} AS VARCHAR) AS d{i}"))
            .Concat(["CAST(count(*) AS DOUBLE) AS young_people", "CAST(sum(x.likelihood) AS DOUBLE) AS expected_clients",
                     "CAST(count(*) FILTER (WHERE x.out_of_area) AS DOUBLE) AS out_of_area"]);
        var sql = $"SELECT {string.Join(", ", select)} FROM transitions x WHERE {where} GROUP BY ALL ORDER BY ALL";
        var dims = new List<Dimension> { new("financial_year", "") };
        dims.AddRange(breakdown);
        var measures = new List<string> { "young_people", "expected_clients", "out_of_area" };
        var rows = ReadTable(connection, sql, parameters, dims, measures, ct)
            .Select(r => r with { Dimensions = WithFinancialYearLabel(r.Dimensions) }).ToList();
        return new TableResult("Transitions cohort by financial year of 18th birthday", dims.Select(d => d.Name).ToList(), measures,
            rows, null, snapshot);
    }

    /// <summary>Pipeline schemes and units by financial year of expected delivery.</summary>
    public TableResult Pipeline(string? council, IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, IReadOnlyList<string>? breakdownNames,
        IReadOnlyCollection<string>? scope = null, CancellationToken ct = default)
    {
        using var connection = store.Open();
        var snapshot = SnapshotId(connection);
        RequireKnownCouncil(snapshot, council);
        var parameters = new List<DuckDBParameter>();
        var where = BuildWhere(MetricCatalog.Pipeline, council, scope, filters, parameters);
        var breakdown = ResolveBreakdown(MetricCatalog.Pipeline, breakdownNames);
        var fy = "year(x.expected_date) - CASE WHEN month(x.expected_date) < 4 THEN 1 ELSE 0 END";
        var select = new[] { $"CAST({fy} AS VARCHAR) AS fy" }
            .Concat(breakdown.Select((d, i) => $"CAST({d.Sql} AS VARCHAR) AS d{i}"))
            .Concat(["CAST(count(*) AS DOUBLE) AS schemes", "CAST(sum(x.units) AS DOUBLE) AS units"]);
        var sql = $"SELECT {string.Join(", ", select)} FROM pipeline x WHERE {where} GROUP BY ALL ORDER BY ALL";
        var dims = new List<Dimension> { new("financial_year", "") };
        dims.AddRange(breakdown);
        var measures = new List<string> { "schemes", "units" };
        var rows = ReadTable(connection, sql, parameters, dims, measures, ct)
            .Select(r => r with { Dimensions = WithFinancialYearLabel(r.Dimensions) }).ToList();
        return new TableResult("Pipeline by financial year of expected delivery", dims.Select(d => d.Name).ToList(), measures,
            rows, null, snapshot);
    }

    private static Dictionary<string, string> WithFinancialYearLabel(IReadOnlyDictionary<string, string> dims)
    {
        var copy = new Dictionary<string, string>(dims);
        copy["financial_year"] = FinancialCalendar.FinancialYearLabel(int.Parse(dims["financial_year"], CultureInfo.InvariantCulture));
        return copy;
    }

    private List<TableRow> ReadTable(DuckDBConnection connection, string sql, List<DuckDBParameter> parameters,
        IReadOnlyList<Dimension> dims, IReadOnlyList<string> measures, CancellationToken ct)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(p);
        using var interrupt = ct.Register(cmd.Cancel);
        using var reader = ExecuteReader(cmd, ct);
        var rows = new List<TableRow>();
        while (reader.Read())
        {
            if (rows.Count * (dims.Count + measures.Count) > MaxResultCells)
                throw new ResultTooLargeException($"the answer would exceed {MaxResultCells} cells; use fewer breakdown dimensions or filters");
            var d = new Dictionary<string, string>();
            for (var i = 0; i < dims.Count; i++) d[dims[i].Name] = reader.IsDBNull(i) ? "" : reader.GetString(i);
            var m = new Dictionary<string, double>();
            for (var i = 0; i < measures.Count; i++) m[measures[i]] = reader.IsDBNull(dims.Count + i) ? double.NaN : reader.GetDouble(dims.Count + i);
            rows.Add(new TableRow(d, m));
        }
        return rows;
    }

    /// <summary>
    /// Default range: the metric's own dates, starting no earlier than the history window (first contact
    /// to the data's as-of date) so opening-stock admissions dated years back do not stretch the series, and
    /// ending at the as-of date. A recorded event's series never runs past the as-of date, even when asked
    /// (rows after it are not part of the data); only planned dates (a cohort's 18th birthdays) lie ahead.
    /// </summary>
    private (DateOnly From, DateOnly To) ResolveRange(DuckDBConnection connection, string? snapshot, FlowMetric metric, SeriesQuery query,
        CancellationToken ct)
    {
        var asOf = AsOfDate(snapshot);
        (DateOnly, DateOnly) Checked(DateOnly from, DateOnly to)
        {
            if (to < from) throw new QueryException("selector.to_date", "to_date is before from_date");
            if (metric.StartsAtHistoryWindow && to > asOf)
            {
                if (from > asOf)
                    throw new QueryException("selector.from_date", $"from_date is after the data's as-of date {FinancialCalendar.Iso(asOf)}");
                to = asOf;
            }
            return (from, to);
        }
        if (query.From is { } f && query.To is { } t) return Checked(f, t);
        var recorded = metric.StartsAtHistoryWindow ? $"{metric.DateSql} <= DATE '{FinancialCalendar.Iso(asOf)}'" : "TRUE";
        var (min, max) = DateBounds(connection, snapshot, metric.Name, query.CouncilCode, metric.DateSql,
            $"{metric.FromSql} {AppendCondition(metric.FromSql, recorded)}", query.CouncilScope, ct);
        if (min is null) throw new NoDataException($"the store holds no {metric.Name}{(query.CouncilCode is null ? "" : $" for council {query.CouncilCode}")}");
        if (metric.StartsAtHistoryWindow)
        {
            // The history window, not the first and last event, bounds a sparse series: months without
            // events at either end are zeros, not missing.
            var (start, _) = HistoryWindow(connection, snapshot, query.CouncilCode, query.CouncilScope, ct);
            if (start > min) min = start;
            max = asOf;
        }
        var from = query.From ?? min.Value;
        var to = query.To ?? max!.Value;
        return Checked(from, to);
    }

    /// <summary>
    /// The window the council's history covers: from its first contact to the data's as-of date (the snapshot's
    /// stated date, never the latest row); contacts dated after the as-of date are not counted. No contacts: (null, null).
    /// </summary>
    private (DateOnly? Start, DateOnly? End) HistoryWindow(DuckDBConnection connection, string? snapshot, string? council,
        IReadOnlyCollection<string>? scope = null, CancellationToken ct = default)
    {
        var asOf = AsOfDate(snapshot);
        var (start, _) = DateBounds(connection, snapshot, "history", council, "x.contact_date",
            $"contacts x WHERE x.contact_date <= DATE '{FinancialCalendar.Iso(asOf)}'", scope, ct);
        return start is null ? (null, null) : (start, asOf);
    }

    /// <summary>The data's as-of date when the council (every council when null) has contacts up to it, else null.</summary>
    public DateOnly? HistoryEnd(string? council)
    {
        using var connection = store.Open();
        return HistoryWindow(connection, SnapshotId(connection), council).End;
    }

    /// <summary>The current snapshot's id and as-of date (null for an empty store): what every answer names.</summary>
    public (string SnapshotId, DateOnly AsOf)? CurrentAsOf()
    {
        using var connection = store.Open();
        return ForecastingStore.CurrentAsOf(connection);
    }

    /// <summary>The as-of date of a snapshot (today's UTC date for an empty store, whose answers hold no rows).</summary>
    private DateOnly AsOfDate(string? snapshot) => CacheFor(snapshot).AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>
    /// min and max of a date over a table, cached per data snapshot: they change only when an import
    /// does, and each costs a scan of the table. A named council takes precedence over the scope.
    /// </summary>
    private (DateOnly? Min, DateOnly? Max) DateBounds(DuckDBConnection connection, string? snapshot, string name, string? council,
        string dateSql, string fromWhere, IReadOnlyCollection<string>? scope, CancellationToken ct)
    {
        if (council is not null) scope = null;
        var cache = CacheFor(snapshot);
        var key = $"{name}|{council}|{(scope is null ? "" : string.Join(",", scope.Order(StringComparer.Ordinal)))}";
        if (cache.Bounds.TryGetValue(key, out var cached)) return cached;
        using var cmd = connection.CreateCommand();
        var condition = council is not null ? " AND x.council_code = $council"
            : scope is not null ? " AND " + ScopeCondition("x.council_code", scope, p => cmd.Parameters.Add(p)) : "";
        cmd.CommandText = $"SELECT min({dateSql}), max({dateSql}) FROM {fromWhere}{condition}";
        if (council is not null) cmd.Parameters.Add(new DuckDBParameter("council", council));
        using var interrupt = ct.Register(cmd.Cancel);
        using var reader = ExecuteReader(cmd, ct);
        (DateOnly?, DateOnly?) bounds = reader.Read() && !reader.IsDBNull(0)
            ? (DateOnly.FromDateTime(reader.GetDateTime(0)), DateOnly.FromDateTime(reader.GetDateTime(1)))
            : (null, null);
        // Scopes are few (one per configured key); the bound stops a caller growing the cache without end.
        if (cache.Bounds.Count < MaxCachedBounds) cache.Bounds[key] = bounds;
        return bounds;
    }

    private const int MaxCachedBounds = 10_000;

    /// <summary>Per-snapshot answers: replaced whole when an import changes the snapshot, so old entries go with it.</summary>
    private sealed record SnapshotCache(string? SnapshotId, DateOnly? AsOf, HashSet<string> Councils,
        System.Collections.Concurrent.ConcurrentDictionary<string, (DateOnly?, DateOnly?)> Bounds,
        System.Collections.Concurrent.ConcurrentDictionary<string, List<PopulationRow>> Population);

    private SnapshotCache? _cache;

    private SnapshotCache CacheFor(string? snapshot)
    {
        var current = _cache;
        if (current is not null && current.SnapshotId == snapshot) return current;
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT council_code FROM councils";
        using var reader = cmd.ExecuteReader();
        var councils = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) councils.Add(reader.GetString(0));
        var fresh = new SnapshotCache(snapshot, store.AsOfOf(snapshot), councils, new(), new());
        _cache = fresh;
        return fresh;
    }

    /// <summary>The id of the current data snapshot (null for an empty store): read without the snapshot's details.</summary>
    public string? CurrentSnapshotId()
    {
        using var connection = store.Open();
        return SnapshotId(connection);
    }

    private static string? SnapshotId(DuckDBConnection connection) => ForecastingStore.CurrentSnapshotId(connection);

    /// <summary>The councils the current snapshot holds.</summary>
    public IReadOnlySet<string> Councils() => CacheFor(CurrentSnapshotId()).Councils;

    /// <summary>The council, when the current snapshot holds it; otherwise not found.</summary>
    public string RequireKnownCouncil(string council)
    {
        RequireKnownCouncil(CurrentSnapshotId(), council);
        return council;
    }

    private void RequireKnownCouncil(string? snapshot, string? council)
    {
        if (!string.IsNullOrEmpty(council) && !CacheFor(snapshot).Councils.Contains(council))
            throw new KeyNotFoundException($"no council '{council}' in the store");
    }

    /// <summary>Runs a statement so that cancelling the token interrupts DuckDB and surfaces as cancellation.</summary>
    private static System.Data.Common.DbDataReader ExecuteReader(DuckDBCommand cmd, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return cmd.ExecuteReader();
        }
        catch (DuckDBException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }

    /// <summary>column IN (the scope's councils, bound as $scope0, $scope1, ...): one scope per statement.</summary>
    private static string ScopeCondition(string column, IReadOnlyCollection<string> scope, Action<DuckDBParameter> addParameter)
    {
        if (scope.Count == 0) return "FALSE";
        var names = scope.Select((council, i) =>
        {
            addParameter(new DuckDBParameter($"scope{i}", council));
            return $"$scope{i}";
        }).ToList();
        return $"{column} IN ({string.Join(", ", names)})";
    }

    private static string AppendCondition(string fromSql, string condition) =>
        fromSql.Contains(" WHERE ", StringComparison.Ordinal) || fromSql.Contains("\nWHERE ", StringComparison.Ordinal)
            ? $"AND {condition}"
            : $"WHERE {condition}";

    private static string BuildWhere(IReadOnlyList<Dimension> dimensions, string? council, IReadOnlyCollection<string>? scope,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, List<DuckDBParameter> parameters)
    {
        var conditions = new List<string> { "TRUE" };
        if (!string.IsNullOrEmpty(council))
        {
            conditions.Add("x.council_code = $council");
            parameters.Add(new DuckDBParameter("council", council));
        }
        else if (scope is not null)
        {
            conditions.Add(ScopeCondition("x.council_code", scope, parameters.Add));
        }
        var index = 0;
        foreach (var (name, values) in filters ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            var dimension = FindDimension(dimensions, name, "selector.filters");
            if (values.Count == 0) throw new QueryException($"selector.filters[{name}]", "give at least one value");
            if (dimension.Values is { } allowed && values.FirstOrDefault(v => !allowed.Contains(v)) is { } bad)
                throw new QueryException($"selector.filters[{name}]", $"unknown value '{bad}'; valid values: {string.Join(", ", allowed)}");
            if (dimension.Predicates is { } predicates && values.All(predicates.ContainsKey))
            {
                conditions.Add($"({string.Join(" OR ", values.Distinct().Select(v => predicates[v]))})");
                continue;
            }
            var names = new List<string>();
            foreach (var value in values)
            {
                var p = $"f{index++}";
                names.Add("$" + p);
                parameters.Add(new DuckDBParameter(p, value));
            }
            conditions.Add($"({dimension.Sql}) IN ({string.Join(", ", names)})");
        }
        return string.Join(" AND ", conditions);
    }

    private static List<Dimension> ResolveBreakdown(IReadOnlyList<Dimension> dimensions, IReadOnlyList<string>? names)
    {
        var list = new List<Dimension>();
        foreach (var name in names ?? [])
        {
            var dimension = FindDimension(dimensions, name, "selector.breakdown");
            if (list.Contains(dimension)) throw new QueryException("selector.breakdown", $"dimension '{name}' is listed twice");
            list.Add(dimension);
        }
        if (list.Count > 4) throw new QueryException("selector.breakdown", "at most 4 breakdown dimensions");
        return list;
    }

    private static Dimension FindDimension(IReadOnlyList<Dimension> dimensions, string name, string field) =>
        dimensions.FirstOrDefault(d => d.Name == name)
        ?? throw new QueryException(field, $"unknown dimension '{name}'; valid dimensions: {string.Join(", ", dimensions.Select(d => d.Name))}");
}
