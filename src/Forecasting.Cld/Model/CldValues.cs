namespace Forecasting.Cld.Model;

/// <summary>Values the cleaning and the measures share. Cleaned values use the Release 2 wording; compare them without case.</summary>
public static class CldValues
{
    /// <summary>A submitted value that is neither Release 2 wording nor a known Release 1 value.</summary>
    public const string Invalid = "Invalid and not mapped";

    public const string Request = "Request";
    public const string Assessment = "Assessment";
    public const string Service = "Service";
    public const string Review = "Review";

    public const string ServiceUser = "Service user";
    public const string UnpaidCarer = "Unpaid carer";
    public const string UnpaidCarerKnownByAssociation = "Unpaid carer known by association";

    public static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.TrimEnd(), b.TrimEnd(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Age as the national code takes it: whole years of 365.25 days from the first of the birth month.</summary>
    public static int Age(DateOnly birthDate, DateOnly on) =>
        (int)Math.Floor((on.DayNumber - new DateOnly(birthDate.Year, birthDate.Month, 1).DayNumber) / 365.25);
}
