using System.Globalization;

namespace Forecasting.Domain;

/// <summary>
/// UK local-government financial years (1 April to 31 March), identified by their starting calendar year
/// (2024 = 2024/25). The one definition, in C# and rendered to SQL for queries that group by year.
/// </summary>
public static class FinancialYear
{
    /// <summary>
    /// The first and last financial years the product accepts (1990/91 to 2100/01): every year a caller gives
    /// (a label such as <c>until_fy</c> or <c>financial_year</c>, or a number such as a strategy's <c>start_fy</c>)
    /// must lie within them, and a stored strategy version outside them is never used. Event data start in 1990
    /// (the import's plausible-date window); 2100/01 is 75 years past today's strategies, beyond any planning period.
    /// </summary>
    public const int First = 1990;

    /// <inheritdoc cref="First"/>
    public const int Last = 2100;

    /// <summary>"1990/91 to 2100/01", for messages.</summary>
    public static string WindowText => $"{Label(First)} to {Label(Last)}";

    /// <summary>True when <paramref name="fy"/> lies within <see cref="First"/>..<see cref="Last"/>.</summary>
    public static bool InWindow(int fy) => fy is >= First and <= Last;

    /// <summary>The year, or an <see cref="InvalidArgumentException"/> naming <paramref name="field"/> when it is outside the window.</summary>
    public static int Check(int fy, string field) =>
        InWindow(fy) ? fy : throw new InvalidArgumentException(field, $"{fy} is not a financial year from {First} to {Last} ({WindowText}; 2025 = 2025/26)");

    /// <summary>
    /// A caller's label such as "2030/31" as its starting year; null when empty. Not a label, or a year outside
    /// the window, is an <see cref="InvalidArgumentException"/> naming <paramref name="field"/>.
    /// </summary>
    public static int? ParseOptional(string? label, string field)
    {
        if (string.IsNullOrEmpty(label)) return null;
        if (!TryParseLabel(label, out var fy)) throw new InvalidArgumentException(field, $"'{label}' is not a financial year like 2030/31");
        if (!InWindow(fy)) throw new InvalidArgumentException(field, $"'{label}' is outside the financial years {WindowText}");
        return fy;
    }

    public static int Of(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    public static DateOnly Start(int fy) => new(fy, 4, 1);

    public static DateOnly End(int fy) => new(fy + 1, 3, 31);

    /// <summary>2024 gives "2024/25".</summary>
    public static string Label(int fy) => $"{fy}/{(fy + 1) % 100:D2}";

    /// <summary>Parses "2024/25" (consecutive years, four then two digits) into 2024.</summary>
    public static bool TryParseLabel(string? label, out int fy)
    {
        fy = 0;
        if (label is null || label.Length != 7 || label[4] != '/') return false;
        if (!int.TryParse(label.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var first)) return false;
        if (!int.TryParse(label.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var second)) return false;
        if ((first + 1) % 100 != second) return false;
        fy = first;
        return true;
    }

    /// <summary>Quarter of the financial year, 1-4: Q1 = April-June, Q4 = January-March.</summary>
    public static int QuarterOf(DateOnly date) => ((date.Month + 8) % 12) / 3 + 1;

    /// <summary>SQL for the financial year (starting calendar year) of a DATE expression.</summary>
    public static string Sql(string dateExpression) =>
        $"(year({dateExpression}) - CASE WHEN month({dateExpression}) < 4 THEN 1 ELSE 0 END)";

    /// <summary>SQL for the first day of the financial year of a DATE expression.</summary>
    public static string SqlStart(string dateExpression) => $"make_date({Sql(dateExpression)}, 4, 1)";
}
