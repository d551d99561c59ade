using DuckDB.NET.Data;
using Forecasting.Planning;

namespace Forecasting.Store.Planning;

/// <summary>
/// What the planning cost model reads from the store for one council at one date: the median weekly cost of the services
/// open that day by setting and client group (and by age band for residential and nursing), the council's cost
/// assumptions and its budget lines.
/// </summary>
public static class CostDataLoader
{
    /// <summary>Service types the cost model prices (placements, and home care for people waiting at home).</summary>
    private static readonly string[] Types = ["supported_living", "extra_care", "shared_lives", "residential", "nursing", "home_care"];

    public static CostData Load(DuckDBConnection connection, string councilCode, DateOnly asOf)
    {
        var c = ("c", (object?)councilCode);
        // An episode covers start_date to the day before end_date. A supported-living or extra-care service without a
        // locality is a tenancy of a scheme out of the council's area: an out-of-area placement.
        var open = Db.Query(connection, $"""
            SELECT service_type, psr, age_band, locality IS NULL, weekly_cost FROM services
            WHERE council_code = $c AND service_type IN ({string.Join(", ", Types.Select(t => $"'{t}'"))})
              AND start_date <= $d AND (end_date IS NULL OR end_date > $d)
            """, r => (Type: r.GetString(0), Psr: Db.NullableString(r, 1), AgeBand: Db.NullableString(r, 2), NoLocality: r.GetBoolean(3), Cost: Db.Double(r, 4)),
            c, ("d", asOf));
        var priced = open.Select(s => (Setting: s.NoLocality && s.Type is "supported_living" or "extra_care" ? CostSettings.OutOfArea : s.Type,
            Group: ClientGroups.FromPsr(s.Psr, LowerAge(s.AgeBand)), s.AgeBand, s.Cost)).ToList();

        var cells = new List<WeeklyCostCell>();
        foreach (var setting in priced.GroupBy(s => s.Setting).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            cells.Add(new WeeklyCostCell(setting.Key, ClientGroups.All, null, Median(setting.Select(s => s.Cost)), setting.Count()));
            foreach (var group in setting.GroupBy(s => s.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
                cells.Add(new WeeklyCostCell(setting.Key, group.Key, null, Median(group.Select(s => s.Cost)), group.Count()));
            if (setting.Key is CostSettings.Residential or CostSettings.Nursing)
                foreach (var band in setting.Where(s => s.AgeBand is not null).GroupBy(s => s.AgeBand!).OrderBy(g => g.Key, StringComparer.Ordinal))
                    cells.Add(new WeeklyCostCell(setting.Key, ClientGroups.All, band.Key, Median(band.Select(s => s.Cost)), band.Count()));
        }

        var assumptions = Db.Query(connection, """
            SELECT setting, client_group, weekly_cost, source, valid_from FROM cost_assumptions
            WHERE council_code = $c ORDER BY setting, client_group, valid_from
            """, r => new CostAssumption(r.GetString(0), r.GetString(1), Db.Double(r, 2), r.GetString(3), Db.Date(r, 4)), c);
        var budgets = Db.Query(connection, """
            SELECT fy, service_line, budget, outturn, forecast_outturn FROM budgets WHERE council_code = $c ORDER BY fy, service_line
            """, r => new BudgetLine((int)Db.Long(r, 0), r.GetString(1), Db.Double(r, 2), r.IsDBNull(3) ? null : Db.Double(r, 3),
                r.IsDBNull(4) ? null : Db.Double(r, 4)), c);
        return new CostData(cells, assumptions, budgets);
    }

    /// <summary>The youngest age of a band ("65-74" = 65, "85+" = 85): enough for the PSR rule, which only asks whether a person is 65 or over.</summary>
    private static int LowerAge(string? band) =>
        band is not null && int.TryParse(band.Split('-', '+')[0], System.Globalization.CultureInfo.InvariantCulture, out var age) ? age : 18;

    /// <summary>The middle value, or the mean of the two middle values (as DuckDB's median).</summary>
    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
