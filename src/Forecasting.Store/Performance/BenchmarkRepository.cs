using Forecasting.Domain;
using Forecasting.Store.Analytics;

namespace Forecasting.Store.Performance;

/// <summary>One published comparator value: a peer council, the region, England or a quartile boundary.</summary>
public sealed record BenchmarkComparatorRow(string ComparatorType, string ComparatorCode, string ComparatorName, double Value, string Source);

/// <summary>The comparators of a council's measure for one financial year (starting year: 2024 = 2024/25).</summary>
public sealed record BenchmarkSet(string CouncilCode, string Measure, int FinancialYear, IReadOnlyList<BenchmarkComparatorRow> Comparators);

/// <summary>
/// Reads imported benchmarks. A council listed among its own comparators is left out: its value comes from its data.
/// Rows are ordered council, region, england, quartile, then by code. Where the council's comparators have published
/// figures (published_measures) for a year no earlier than the summary rows' year, those are read instead
/// (<see cref="ReadPublished"/>).
/// </summary>
public sealed partial class BenchmarkRepository(ForecastingStore store)
{
    /// <summary>The comparators of the latest financial year up to and including <paramref name="upToFinancialYear"/>; null when there are none.</summary>
    public BenchmarkSet? LatestUpTo(string councilCode, string measure, int upToFinancialYear, CancellationToken ct = default) =>
        Read(councilCode, measure, upToFinancialYear, exactYear: false, ct);

    /// <summary>The comparators of exactly <paramref name="financialYear"/>; null when there are none.</summary>
    public BenchmarkSet? ForYear(string councilCode, string measure, int financialYear, CancellationToken ct = default) =>
        Read(councilCode, measure, financialYear, exactYear: true, ct);

    private BenchmarkSet? Read(string councilCode, string measure, int financialYear, bool exactYear, CancellationToken ct)
    {
        var council = PerformanceArguments.RequireCouncil(councilCode);
        PerformanceArguments.RequireMeasure(measure);
        PerformanceArguments.RequireFinancialYear(financialYear);
        using var connection = store.Open();
        // One statement: the council row (so an unknown council is told apart from one without benchmarks) left
        // joined to the comparators of the chosen year.
        const string notSelf = "NOT (comparator_type = 'council' AND comparator_code = council_code)";
        var yearCondition = exactYear
            ? "fy = $fy"
            : $"fy = (SELECT max(fy) FROM benchmarks WHERE council_code = $council AND measure = $measure AND fy <= $fy AND {notSelf})";
        var sql = $"""
            SELECT k.council_code IS NOT NULL AS known, r.fy, r.comparator_type, r.comparator_code, r.comparator_name, r.value, r.source
            FROM (SELECT 1) one
            LEFT JOIN (SELECT council_code FROM councils WHERE council_code = $council) k ON TRUE
            LEFT JOIN (
                SELECT fy, comparator_type, comparator_code, comparator_name, value, source
                FROM benchmarks
                WHERE council_code = $council AND measure = $measure AND {yearCondition} AND {notSelf}
            ) r ON TRUE
            ORDER BY CASE r.comparator_type WHEN 'council' THEN 0 WHEN 'region' THEN 1 WHEN 'england' THEN 2 ELSE 3 END, r.comparator_code
            """;
        var rows = PerformanceArguments.Read(connection, sql, ct,
            r => (Known: r.GetBoolean(0), Fy: r.IsDBNull(1) ? (int?)null : Convert.ToInt32(r.GetValue(1)),
                Row: r.IsDBNull(1) ? null : new BenchmarkComparatorRow(r.GetString(2), r.GetString(3), r.GetString(4), Db.Double(r, 5), r.GetString(6))),
            ("council", council), ("measure", measure), ("fy", financialYear));
        if (!rows[0].Known) throw new KeyNotFoundException($"no council '{council}' in the store");
        // The group's published figures replace the summary rows of the same or an earlier year.
        if (ReadPublished(connection, council, measure, financialYear, exactYear, ct) is { } published
            && (rows[0].Fy is not { } summaryYear || published.FinancialYear >= summaryYear))
            return published;
        if (rows[0].Fy is not { } year) return null;
        return new BenchmarkSet(council, measure, year, rows.Select(r => r.Row!).ToList());
    }
}

public sealed partial class BenchmarkRepository
{
    /// <summary>England's area code in published files.</summary>
    public const string EnglandCode = "E92000001";

    /// <summary>
    /// The comparators from published figures (published_measures): the councils of the council's comparator group
    /// (comparator_groups) or, without a group, every council in the published file (area codes other than England's
    /// E92 and the regions' E12), each with its published value, and England's published value. The year is the latest
    /// up to <paramref name="financialYear"/> (or exactly it) in which a comparator has a figure; null when none has.
    /// No quartile rows are given, so the quartiles are those of the comparators' real figures.
    /// </summary>
    private static BenchmarkSet? ReadPublished(DuckDB.NET.Data.DuckDBConnection connection, string council, string measure, int financialYear,
        bool exactYear, CancellationToken ct)
    {
        const string peers = """
            WITH grp AS (SELECT comparator_code, rank FROM comparator_groups WHERE council_code = $council),
                 peers AS (
                    SELECT p.*, g.rank FROM published_measures p LEFT JOIN grp g ON g.comparator_code = p.council_code
                    WHERE p.measure = $measure AND p.council_code <> $council
                      AND CASE WHEN EXISTS (SELECT 1 FROM grp) THEN g.rank IS NOT NULL
                               ELSE p.council_code NOT LIKE 'E92%' AND p.council_code NOT LIKE 'E12%' END)
            """;
        var yearCondition = exactYear ? "fy = $fy" : "fy <= $fy";
        var sql = $"""
            {peers},
                 year AS (SELECT max(fy) AS fy FROM peers WHERE {yearCondition})
            SELECT y.fy, 'council', p.council_code, coalesce(nullif(p.area_name, ''), p.council_code), p.value, p.source, p.rank
            FROM peers p JOIN year y ON p.fy = y.fy
            UNION ALL
            SELECT y.fy, 'england', 'england', coalesce(nullif(e.area_name, ''), 'England'), e.value, e.source, NULL
            FROM published_measures e JOIN year y ON e.fy = y.fy
            WHERE e.council_code = '{EnglandCode}' AND e.measure = $measure
            ORDER BY 2, 7 NULLS LAST, 3
            """;
        var rows = PerformanceArguments.Read(connection, sql, ct,
            r => (Fy: Convert.ToInt32(r.GetValue(0)), Row: new BenchmarkComparatorRow(r.GetString(1), r.GetString(2), r.GetString(3), Db.Double(r, 4), r.GetString(5))),
            ("council", council), ("measure", measure), ("fy", financialYear));
        return rows.Count == 0 ? null : new BenchmarkSet(council, measure, rows[0].Fy, rows.Select(r => r.Row).ToList());
    }
}

/// <summary>Argument checks and the cancellable reader shared by the performance stores.</summary>
internal static class PerformanceArguments
{
    /// <summary>Financial years the performance tables accept (starting years): the product's window.</summary>
    public const int MinFinancialYear = FinancialYear.First, MaxFinancialYear = FinancialYear.Last;

    public static string RequireCouncil(string? councilCode) =>
        string.IsNullOrWhiteSpace(councilCode) ? throw new InvalidArgumentException("council_code", "a council is required") : councilCode;

    public static void RequireMeasure(string? measure)
    {
        if (string.IsNullOrEmpty(measure))
            throw new InvalidArgumentException("measure", $"a measure is required; valid measures: {string.Join(", ", MeasureCatalog.Names)}");
        if (!MeasureCatalog.Names.Contains(measure))
            throw new InvalidArgumentException("measure", $"unknown measure '{measure}'; valid measures: {string.Join(", ", MeasureCatalog.Names)}");
    }

    public static void RequireFinancialYear(int financialYear)
    {
        if (financialYear is < MinFinancialYear or > MaxFinancialYear)
            throw new InvalidArgumentException("financial_year",
                $"must be from {FinancialYear.Label(MinFinancialYear)} to {FinancialYear.Label(MaxFinancialYear)}");
    }

    /// <summary>Runs one query; cancelling the token interrupts DuckDB and surfaces as cancellation.</summary>
    public static List<T> Read<T>(DuckDB.NET.Data.DuckDBConnection connection, string sql, CancellationToken ct,
        Func<System.Data.Common.DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        ct.ThrowIfCancellationRequested();
        using var cmd = Db.Command(connection, sql, parameters);
        using var interrupt = ct.Register(cmd.Cancel);
        try
        {
            using var reader = cmd.ExecuteReader();
            var list = new List<T>();
            while (reader.Read()) list.Add(map(reader));
            return list;
        }
        catch (DuckDB.NET.Data.DuckDBException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }
}
