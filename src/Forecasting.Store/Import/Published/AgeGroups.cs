using System.Text.RegularExpressions;
using Forecasting.Domain;

namespace Forecasting.Store.Import.Published;

/// <summary>
/// Places ONS age groups in the product's population bands (0-17, 18-24, 25-64, 65-74, 75-84, 85+). A group is placed
/// only when it lies wholly inside one band: single years always do, as do 5-year groups except 15-19, which holds
/// ages on both sides of 18 and is refused rather than split by a guess.
/// </summary>
public static partial class AgeGroups
{
    private static readonly (string Band, int From, int To)[] Bands =
        [("0-17", 0, 17), ("18-24", 18, 24), ("25-64", 25, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85+", 85, int.MaxValue)];

    /// <summary>Labels of the all-ages total, which the per-age rows already hold.</summary>
    public static bool IsTotal(string label) =>
        label.Trim().ToLowerInvariant() is "all ages" or "all_ages" or "allages" or "all" or "total";

    /// <summary>The band of an age group, or null with the reason it cannot be placed.</summary>
    public static string? Band(string label, out string? reason) => Band(label, out _, out _, out reason);

    /// <summary>The oldest age counted: an open group (90 and over) covers the ages up to it.</summary>
    public const int MaxAge = 120;

    /// <summary>The band of an age group and the ages it covers (an open group up to <see cref="MaxAge"/>), or null with the reason it cannot be placed.</summary>
    public static string? Band(string label, out int from, out int to, out string? reason)
    {
        var band = Place(label, out from, out to, out reason);
        from = Math.Min(from, MaxAge);
        to = Math.Min(to, MaxAge);
        return band;
    }

    private static string? Place(string label, out int from, out int to, out string? reason)
    {
        reason = null;
        from = to = 0;
        var text = label.Trim().ToLowerInvariant();
        Match m;
        if ((m = Single().Match(text)).Success) from = to = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        else if ((m = OpenEnded().Match(text)).Success)
        {
            from = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            to = int.MaxValue;
        }
        else if ((m = Range().Match(text)).Success)
        {
            from = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            to = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (to < from)
            {
                reason = "age group ends before it starts";
                return null;
            }
        }
        else
        {
            reason = "not an age group: expected a single year (0, 1, ..., 90), a range (20-24) or an open group (90 and over, 90+)";
            return null;
        }
        foreach (var (band, bandFrom, bandTo) in Bands)
            if (from >= bandFrom && to <= bandTo) return band;
        int first = from, last = to;
        var spanned = Bands.Where(b => b.From <= last && b.To >= first).Select(b => b.Band);
        reason = $"age group spans the product's bands {string.Join(" and ", spanned)}: it cannot be split without a guess; give single years of age";
        return null;
    }

    /// <summary>The bands in the product's order (<see cref="Vocabulary.PopulationAgeBands"/>).</summary>
    public static IReadOnlyList<string> All => Vocabulary.PopulationAgeBands;

    [GeneratedRegex(@"^(\d{1,3})$")]
    private static partial Regex Single();

    [GeneratedRegex(@"^(\d{1,3})\s*(?:\+|and over|plus|or over)$")]
    private static partial Regex OpenEnded();

    [GeneratedRegex(@"^(\d{1,3})\s*(?:-|to)\s*(\d{1,3})$")]
    private static partial Regex Range();
}
