namespace Forecasting.SampleData.Infrastructure;

/// <summary>Financial years (1 April to 31 March) and the history window of the sample.</summary>
public static class Calendar
{
    /// <summary>First day of the monthly history (FY 2015/16).</summary>
    public static readonly DateOnly HistoryStart = new(2015, 4, 1);

    /// <summary>Last day of the history (end of FY 2024/25), the date of every stock snapshot.</summary>
    public static readonly DateOnly HistoryEnd = new(2025, 3, 31);

    public const int FirstFy = 2015;
    public const int LastFy = 2024;

    public static int FyOf(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    public static string FyLabel(int startYear) => $"{startYear}/{(startYear + 1) % 100:00}";

    public static DateOnly FyStart(int startYear) => new(startYear, 4, 1);

    public static DateOnly FyEnd(int startYear) => new(startYear + 1, 3, 31);

    /// <summary>The first day of every month of the history, April 2015 to March 2025.</summary>
    public static IEnumerable<DateOnly> HistoryMonths()
    {
        for (var m = HistoryStart; m <= HistoryEnd; m = m.AddMonths(1)) yield return m;
    }

    public static DateOnly Min(DateOnly a, DateOnly b) => a <= b ? a : b;
    public static DateOnly Max(DateOnly a, DateOnly b) => a >= b ? a : b;
}
