using Forecasting.Cld.Measures;

namespace Forecasting.Store.Performance;

/// <summary>
/// A council's population in the two ASCOF adult bands for a financial year: the mid-year (30 June) that falls inside
/// it, mid-year estimates where the store has them and otherwise the principal projection (the source named).
/// </summary>
public sealed class AscofPopulation(ForecastingStore store)
{
    public (CldPopulation Population, string Source)? For(string council, int financialYear)
    {
        using var connection = store.Open();
        var rows = Db.Query(connection, """
            SELECT variant, source,
                   sum(population) FILTER (WHERE age_band IN ('18-24', '25-64')) AS working,
                   sum(population) FILTER (WHERE age_band IN ('65-74', '75-84', '85+')) AS older
            FROM population
            WHERE council_code = $c AND year = $y AND variant IN ('estimate', 'principal')
            GROUP BY variant, source
            -- Estimates before projections; of several sources of one variant, the lexically last (the newest vintage).
            ORDER BY CASE variant WHEN 'estimate' THEN 0 ELSE 1 END, source DESC
            LIMIT 1
            """, r => (Variant: r.GetString(0), Source: r.GetString(1), Working: r.IsDBNull(2) ? 0 : Db.Double(r, 2), Older: r.IsDBNull(3) ? 0 : Db.Double(r, 3)),
            ("c", council), ("y", financialYear));
        if (rows.Count == 0 || rows[0].Working <= 0 || rows[0].Older <= 0) return null;
        var row = rows[0];
        return (new CldPopulation(financialYear, (long)Math.Round(row.Working), (long)Math.Round(row.Older)),
            $"{row.Source} ({row.Variant}), mid-{financialYear}");
    }
}
