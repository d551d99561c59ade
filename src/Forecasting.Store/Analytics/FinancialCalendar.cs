using System.Globalization;
using Forecasting.Domain;

namespace Forecasting.Store.Analytics;

public enum Period { Month, Quarter, FinancialYear }

/// <summary>UK local-government calendar: financial years run 1 April to 31 March.</summary>
public static class FinancialCalendar
{
    /// <summary>The FY a date falls in, by its starting calendar year (2024 = 2024/25).</summary>
    public static int FinancialYearOf(DateOnly date) => FinancialYear.Of(date);

    public static string FinancialYearLabel(int startYear) => FinancialYear.Label(startYear);

    public static DateOnly FinancialYearStart(int startYear) => FinancialYear.Start(startYear);

    public static DateOnly FinancialYearEnd(int startYear) => FinancialYear.End(startYear);

    /// <summary>Parses 2024/25 (consecutive years) into 2024.</summary>
    public static bool TryParseFinancialYear(string? label, out int startYear) => FinancialYear.TryParseLabel(label, out startYear);

    /// <summary>FY quarter 1-4: Q1 = Apr-Jun, Q4 = Jan-Mar.</summary>
    public static int FinancialQuarterOf(DateOnly date) => FinancialYear.QuarterOf(date);

    public static int MonthsPerPeriod(Period period) => period switch
    {
        Period.Month => 1,
        Period.Quarter => 3,
        _ => 12,
    };

    public static DateOnly PeriodStart(DateOnly date, Period period) => period switch
    {
        Period.Month => new DateOnly(date.Year, date.Month, 1),
        Period.Quarter => new DateOnly(date.Year, (date.Month - 1) / 3 * 3 + 1, 1),
        _ => FinancialYearStart(FinancialYearOf(date)),
    };

    public static string PeriodLabel(DateOnly start, Period period) => period switch
    {
        Period.Month => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        Period.Quarter => $"{FinancialYearLabel(FinancialYearOf(start))} Q{FinancialQuarterOf(start)}",
        _ => FinancialYearLabel(FinancialYearOf(start)),
    };

    /// <summary>Every period start from the period containing from to the one containing to.</summary>
    public static IEnumerable<DateOnly> PeriodStarts(DateOnly from, DateOnly to, Period period)
    {
        var step = MonthsPerPeriod(period);
        for (var p = PeriodStart(from, period); p <= to; p = p.AddMonths(step)) yield return p;
    }

    /// <summary>SQL that maps a DATE expression onto the first day of its period.</summary>
    public static string PeriodStartSql(string dateExpr, Period period) => period switch
    {
        Period.Month => $"CAST(date_trunc('month', {dateExpr}) AS DATE)",
        Period.Quarter => $"CAST(date_trunc('quarter', {dateExpr}) AS DATE)",
        _ => FinancialYear.SqlStart(dateExpr),
    };

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
