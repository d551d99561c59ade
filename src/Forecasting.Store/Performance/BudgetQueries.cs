using System.Globalization;
using Forecasting.Domain;
using Forecasting.Store.Analytics;

namespace Forecasting.Store.Performance;

/// <summary>
/// Budget against outturn by service line and financial year, beside the spend the services data accounts for.
/// One set-based statement per call; cancelling the token interrupts it.
/// </summary>
public sealed class BudgetQueries(ForecastingStore store)
{
    /// <summary>The budget line each service type's spend is counted under. Lines no service type maps to (reablement, staffing) have no services spend.</summary>
    public static readonly IReadOnlyDictionary<string, string> ServiceLineOfServiceType = new Dictionary<string, string>
    {
        ["home_care"] = "home_care",
        ["residential"] = "residential",
        ["nursing"] = "nursing",
        ["supported_living"] = "supported_living",
        ["extra_care"] = "extra_care",
        ["shared_lives"] = "shared_lives",
        ["day_care"] = "day_care",
        ["direct_payment"] = "direct_payments",
        ["other_community"] = "other",
    };

    /// <summary>The service_line of the row that sums a year's lines.</summary>
    public const string TotalLine = "total";

    public static readonly IReadOnlyList<string> MeasureNames =
        ["budget", "outturn", "forecast_outturn", "variance", "variance_percent", "services_spend"];

    public const string Title =
        "Budget and outturn by service line and financial year (GBP). outturn is NaN while the year is open and forecast_outturn NaN once it " +
        "is closed; variance = outturn (else forecast outturn) - budget; variance_percent = variance / budget x 100. services_spend is the " +
        "weekly cost of the service episodes mapped to the line x days open within the year / 7, an open episode counted to the year end; " +
        "NaN for lines no service type maps to (reablement, staffing). The total row of each year sums its lines: budget and services_spend " +
        "(over the lines that have it) always; outturn, forecast_outturn and variance only when every line has them, else NaN; its " +
        "variance_percent is the total variance / total budget x 100.";

    /// <summary>
    /// Rows of (financial_year label, service_line) for every budget line of the council, in financial year order and the
    /// vocabulary's line order, each year followed by its total row. <paramref name="financialYear"/> (starting year)
    /// limits the answer to one year. The council must be in the store.
    /// </summary>
    public TableResult BudgetOutturn(string councilCode, int? financialYear = null, CancellationToken ct = default)
    {
        var council = PerformanceArguments.RequireCouncil(councilCode);
        if (financialYear is { } fy) PerformanceArguments.RequireFinancialYear(fy);
        var mapping = string.Join(", ", ServiceLineOfServiceType.Select(kv => $"('{kv.Key}', '{kv.Value}')"));
        var lineOrder = string.Join(", ", Vocabulary.BudgetServiceLines.Select(l => $"'{l}'"));
        using var connection = store.Open();
        var sql = $"""
            WITH line_map(service_type, service_line) AS (VALUES {mapping}),
            b AS (
                SELECT fy, service_line, budget, outturn, forecast_outturn,
                       make_date(fy, 4, 1) AS fy_start, make_date(fy + 1, 4, 1) AS next_fy_start
                FROM budgets
                WHERE council_code = $council AND (CAST($fy AS INTEGER) IS NULL OR fy = $fy)),
            spend AS (
                SELECT b.fy, b.service_line,
                       sum(s.weekly_cost * date_diff('day', greatest(s.start_date, b.fy_start),
                           least(coalesce(s.end_date, b.next_fy_start), b.next_fy_start)) / 7.0) AS spend
                FROM b
                JOIN line_map m ON m.service_line = b.service_line
                JOIN services s ON s.council_code = $council AND s.service_type = m.service_type
                     AND s.start_date < b.next_fy_start AND (s.end_date IS NULL OR s.end_date > b.fy_start)
                GROUP BY b.fy, b.service_line),
            lines AS (
                SELECT b.fy, b.service_line, b.budget, b.outturn,
                       CASE WHEN b.outturn IS NULL THEN b.forecast_outturn END AS forecast_outturn,
                       coalesce(b.outturn, b.forecast_outturn) - b.budget AS variance,
                       CASE WHEN b.service_line IN (SELECT service_line FROM line_map) THEN coalesce(sp.spend, 0) END AS services_spend
                FROM b LEFT JOIN spend sp ON sp.fy = b.fy AND sp.service_line = b.service_line),
            result AS (
                SELECT fy, GROUPING(service_line) AS is_total, coalesce(service_line, '{TotalLine}') AS service_line,
                       sum(budget) AS budget,
                       CASE WHEN count(outturn) = count(*) THEN sum(outturn) END AS outturn,
                       CASE WHEN count(forecast_outturn) = count(*) THEN sum(forecast_outturn) END AS forecast_outturn,
                       CASE WHEN count(variance) = count(*) THEN sum(variance) END AS variance,
                       CASE WHEN count(services_spend) > 0 THEN sum(services_spend) END AS services_spend
                FROM lines
                GROUP BY GROUPING SETS ((fy, service_line), (fy)))
            SELECT k.council_code IS NOT NULL AS known,
                   (SELECT snapshot_id FROM snapshots ORDER BY created_at DESC, snapshot_id DESC LIMIT 1) AS snapshot_id,
                   r.fy, r.service_line,
                   CAST(r.budget AS DOUBLE), CAST(r.outturn AS DOUBLE), CAST(r.forecast_outturn AS DOUBLE), CAST(r.variance AS DOUBLE),
                   CAST(r.variance / nullif(r.budget, 0) * 100 AS DOUBLE), CAST(r.services_spend AS DOUBLE)
            FROM (SELECT 1) one
            LEFT JOIN (SELECT council_code FROM councils WHERE council_code = $council) k ON TRUE
            LEFT JOIN result r ON TRUE
            ORDER BY r.fy, r.is_total, list_position([{lineOrder}], r.service_line)
            """;
        string? snapshot = null;
        var known = false;
        var rows = new List<TableRow>();
        foreach (var row in PerformanceArguments.Read(connection, sql, ct, r =>
                 {
                     known = r.GetBoolean(0);
                     snapshot = r.IsDBNull(1) ? null : r.GetString(1);
                     if (r.IsDBNull(2)) return null;
                     var dims = new Dictionary<string, string>
                     {
                         ["financial_year"] = FinancialYear.Label(Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture)),
                         ["service_line"] = r.GetString(3),
                     };
                     var measures = new Dictionary<string, double>();
                     for (var i = 0; i < MeasureNames.Count; i++) measures[MeasureNames[i]] = r.IsDBNull(4 + i) ? double.NaN : r.GetDouble(4 + i);
                     return new TableRow(dims, measures);
                 }, ("council", council), ("fy", financialYear)))
            if (row is not null) rows.Add(row);
        if (!known) throw new KeyNotFoundException($"no council '{council}' in the store");
        return new TableResult(Title, ["financial_year", "service_line"], MeasureNames, rows, null, snapshot);
    }
}
