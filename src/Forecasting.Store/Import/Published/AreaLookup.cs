using System.Text.RegularExpressions;

namespace Forecasting.Store.Import.Published;

/// <summary>
/// District to council: the ONS lookups "Local Authority District to County" (LADyyCD, CTYyyCD) and "Lower Tier Local
/// Authority to Upper Tier Local Authority" (LTLAyyCD, UTLAyyCD), or a file of one's own with district_code and
/// council_code. Name columns are ignored. A district may belong to one council only.
/// </summary>
public sealed partial class AreaLookup
{
    private readonly Dictionary<string, (string Council, long Row)> _council = new(StringComparer.Ordinal);

    public static readonly AreaLookup Empty = new();

    /// <summary>The council a district belongs to, or null.</summary>
    public string? CouncilOf(string district) => _council.TryGetValue(district, out var c) ? c.Council : null;

    /// <summary>The districts of a council and the lookup rows that name them.</summary>
    public IEnumerable<(string District, long Row)> DistrictsOf(string council) =>
        _council.Where(p => p.Value.Council == council).Select(p => (p.Key, p.Value.Row)).OrderBy(p => p.Row);

    public int Count => _council.Count;

    /// <returns>The lookup, or null when its header has no district or council column (reported).</returns>
    public static AreaLookup? Read(string file, IReadOnlyList<string> header, IEnumerable<CsvRecord> records, PublishedIssues issues)
    {
        var names = header.Select(h => h.ToLowerInvariant()).ToList();
        var district = names.FindIndex(n => n == "district_code" || DistrictColumn().IsMatch(n));
        var council = names.FindIndex(n => n == "council_code" || CouncilColumn().IsMatch(n));
        if (district < 0 || council < 0)
        {
            issues.Error(file, 1, district < 0 ? "district_code" : "council_code",
                "an area lookup needs a district code column (LADyyCD, LTLAyyCD or district_code) and a council code column (CTYyyCD, UTLAyyCD or council_code)");
            return null;
        }
        var lookup = new AreaLookup();
        foreach (var record in records)
        {
            string d = record[district].Trim(), c = record[council].Trim();
            if (d.Length == 0 || c.Length == 0)
            {
                issues.Error(file, record.Line, header[d.Length == 0 ? district : council], "required value is empty");
                continue;
            }
            if (lookup._council.TryGetValue(d, out var first))
            {
                if (first.Council != c)
                    issues.Error(file, record.Line, header[district],
                        $"district is placed in two councils: {first.Council} at row {first.Row} and {c} here", d);
                continue;
            }
            lookup._council[d] = (c, record.Line);
        }
        return lookup;
    }

    [GeneratedRegex(@"^(?:lad|ltla)\d{2}cd$")]
    private static partial Regex DistrictColumn();

    [GeneratedRegex(@"^(?:cty|utla|ctyua)\d{2}cd$")]
    private static partial Regex CouncilColumn();
}
