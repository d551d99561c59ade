namespace Forecasting.Domain;

/// <summary>
/// How the product writes one CSV field (RFC 4180), safe against formula injection as OWASP recommends: a text cell
/// that begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return is prefixed with a single quote
/// and quoted, so a spreadsheet shows it as text instead of running it. Numbers the product formats itself from
/// numeric values (a negative change, say <c>-12</c>) are written as they are: they are not text a user typed, and a
/// spreadsheet must still read them as numbers. Every CSV writer (the web downloads, the command line) uses this.
/// </summary>
public static class CsvCell
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    /// <summary>A text cell (names, labels, headings, anything a user or a file may have supplied).</summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (StartsLikeFormula(value)) return "\"'" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return value.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>
    /// A number the writer formatted itself from a numeric value (invariant culture): written unchanged, so a negative
    /// number stays a number. Never pass text through here.
    /// </summary>
    public static string Number(string formatted) => formatted;

    /// <summary>Whether a spreadsheet would take the text for a formula (or a formula's start).</summary>
    public static bool StartsLikeFormula(string value) => value.Length > 0 && Array.IndexOf(FormulaStarts, value[0]) >= 0;
}
