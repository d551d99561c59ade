using System.Globalization;
using System.Text.RegularExpressions;
using Forecasting.Domain;
using Forecasting.Store.Analytics;

namespace Forecasting.Store.Import.Published;

/// <summary>One published figure: a council's (or the region's, or England's) value of a measure for a financial year.</summary>
public sealed record PublishedMeasureRow(string AreaCode, string AreaName, string Measure, int FinancialYear, string PublishedCode,
    double? Numerator, double? Denominator, double Value, string Source);

/// <summary>
/// Reads the published ASCOF file in its long layout: one row per area, measure and year with the numerator,
/// denominator and value. Header names are matched loosely (case, spaces and underscores ignored), so both the
/// product's names (council_code, measure, fy, numerator, denominator, value) and NHS England's (ONS Code,
/// ASCOF Measure Code, Year, ...) are read. Measure codes are read by the framework of the row's year: from 2023/24 the
/// renumbered codes (2A short-term support outcome, 2B and 2C admissions, 2D still at home after reablement, 3D
/// self-directed support), before it the old ones (2A(1), 2A(2), 2B(1), 2D, 1C, 1G). Measures the product does not
/// compute are skipped with a warning; suppressed values ([c], [x], *, :, blank) are skipped with a warning. The output of
/// DHSC's ASCOF code (ASC-CLD-LA-Dashboard) is read too: a reporting period for the year, 3D's parts in the description,
/// and a row per group of which the Total row (or a measure's only row) is the figure.
/// </summary>
public static partial class AscofPublishedFile
{
    private static readonly string[] AreaNames = ["councilcode", "lacode", "areacode", "onscode", "geographicalcode", "geographycode", "code"];
    private static readonly string[] AreaNameNames = ["councilname", "laname", "areaname", "geographicaldescription", "geographyname", "name"];
    private static readonly string[] MeasureNames = ["measure", "measurecode", "ascofmeasure", "ascofmeasurecode"];
    private static readonly string[] YearNames = ["fy", "year", "financialyear", "reportingperiod", "period"];
    private static readonly string[] ValueNames = ["value", "outcome", "measurevalue"];

    /// <summary>The first year of the 2023-24 framework's codes.</summary>
    public const int RenumberedFrom = 2023;

    private static readonly Dictionary<string, string> Renumbered = new(StringComparer.Ordinal)
    {
        ["2A"] = "ascof_2d", ["2B"] = "ascof_2a1", ["2C"] = "ascof_2a2", ["2D"] = "ascof_2b1", ["3D(1A)"] = "ascof_1c1", ["3D(2A)"] = "ascof_1c2",
    };

    private static readonly Dictionary<string, string> Old = new(StringComparer.Ordinal)
    {
        ["2A(1)"] = "ascof_2a1", ["2A(2)"] = "ascof_2a2", ["2B(1)"] = "ascof_2b1", ["2D"] = "ascof_2d", ["1C(1A)"] = "ascof_1c1", ["1C(2A)"] = "ascof_1c2",
        ["1G"] = "ascof_1g",
    };

    /// <summary>The product measure a published code names in a year's framework (or a product name given as is), or null.</summary>
    public static string? MeasureOf(string code, int financialYear)
    {
        var text = code.Trim();
        if (MeasureCatalog.Names.Contains(text)) return text;
        var normal = Regex.Replace(text.ToUpperInvariant().Replace("ASCOF", ""), @"\s+", "");
        var name = (financialYear >= RenumberedFrom ? Renumbered : Old).GetValueOrDefault(normal);
        return name is not null && MeasureCatalog.Names.Contains(name) ? name : null;
    }

    /// <summary>The starting year of a financial year written 2024/25, 2024-25 or 2024-2025; null otherwise.</summary>
    public static int? FinancialYearOf(string text)
    {
        // DHSC's ASCOF code labels its output by the reporting period, "1 Apr 24 - 31 Mar 25".
        var period = PeriodPattern().Match(text.Trim());
        if (period.Success)
        {
            int Year(string y) => y.Length == 2 ? 2000 + int.Parse(y, CultureInfo.InvariantCulture) : int.Parse(y, CultureInfo.InvariantCulture);
            var (from, to) = (Year(period.Groups[1].Value), Year(period.Groups[2].Value));
            return to == from + 1 ? from : null;
        }
        var m = YearPattern().Match(text.Trim());
        if (!m.Success) return null;
        var start = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var end = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return (m.Groups[2].Value.Length == 2 ? (start + 1) % 100 == end : start + 1 == end) ? start : null;
    }

    private static string Normal(string name) => Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]", "");

    private static bool Suppressed(string text) =>
        text.Trim().ToLowerInvariant() is "" or "[c]" or "[x]" or "[z]" or "[u]" or "c" or "x" or "*" or ":" or "-" or ".." or "n/a" or "na";

    /// <returns>The rows read, or null when the header lacks a column (reported).</returns>
    public static List<PublishedMeasureRow>? Read(string file, IReadOnlyList<string> header, IEnumerable<CsvRecord> records, PublishedIssues issues)
    {
        var normal = header.Select(Normal).ToList();
        int Find(string[] names) => normal.FindIndex(names.Contains);
        int area = Find(AreaNames), name = Find(AreaNameNames), measure = Find(MeasureNames), year = Find(YearNames), value = Find(ValueNames);
        int numerator = normal.IndexOf("numerator"), denominator = normal.IndexOf("denominator"), source = normal.IndexOf("source");
        int group = normal.IndexOf("group"), description = normal.IndexOf("description");
        var missing = new[] { (area, "council code"), (measure, "measure code"), (year, "year"), (value, "value") }.Where(c => c.Item1 < 0).ToList();
        if (missing.Count > 0)
        {
            issues.Error(file, 1, missing[0].Item2,
                $"missing column: the published ASCOF file needs a council code, a measure code, a year and a value (with numerator and denominator where published); missing: {string.Join(", ", missing.Select(m => m.Item2))}");
            return null;
        }

        var rows = new List<PublishedMeasureRow>();
        var seen = new Dictionary<(string, string, int), (long Row, int Index, bool Whole, int Groups)>();
        var unknownCodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var code = record[area].Trim();
            if (code.Length == 0)
            {
                issues.Error(file, record.Line, header[area], "required value is empty");
                continue;
            }
            if (FinancialYearOf(record[year]) is not { } fy)
            {
                issues.Error(file, record.Line, header[year], "not a financial year like 2024-25 or 2024/25", record[year]);
                continue;
            }
            // DHSC's output names 3D's parts in the description ("1a - The proportion of clients ..."), not the measure.
            var published = record[measure].Trim();
            if (description >= 0 && Regex.Replace(published.ToUpperInvariant().Replace("ASCOF", ""), @"\s+", "") == "3D"
                && PartPattern().Match(record[description]) is { Success: true } part)
                published = $"3D({part.Groups[1].Value.ToUpperInvariant()})";
            var measureName = MeasureOf(published, fy);
            if (measureName is null)
            {
                if (unknownCodes.Add(published))
                    issues.Warning(file, record.Line, header[measure], "a measure the product does not compute (or a code not used in that year's framework): its rows are skipped", published);
                continue;
            }
            if (Suppressed(record[value]))
            {
                issues.Warning(file, record.Line, header[value], "value suppressed or not published: the area is left out of the comparison for this measure and year", record[value]);
                continue;
            }
            var parsed = Number(file, record, value, header, issues, required: true);
            double? num = numerator < 0 || Suppressed(record[numerator]) ? null : Number(file, record, numerator, header, issues, required: false);
            double? den = denominator < 0 || Suppressed(record[denominator]) ? null : Number(file, record, denominator, header, issues, required: false);
            if (parsed is null) continue;
            var row = new PublishedMeasureRow(code, name < 0 ? "" : record[name].Trim(), measureName, fy, published, num, den, parsed.Value,
                source >= 0 && record[source].Trim().Length > 0 ? record[source].Trim() : $"published ASCOF {FinancialYear.Label(fy)} ({file})");
            var whole = group < 0 || Whole(record[group]);
            if (seen.TryGetValue((code, measureName, fy), out var first))
            {
                // With a group column a measure has a row per group: the whole figure is the Total row, or a measure's
                // only row (2B's is its age group). Two whole figures, or several groups without a total, are errors.
                if (group >= 0 && !(whole && first.Whole))
                {
                    if (whole) rows[first.Index] = row;
                    seen[(code, measureName, fy)] = (whole ? record.Line : first.Row, first.Index, whole || first.Whole, first.Groups + 1);
                    continue;
                }
                issues.Error(file, record.Line, header[measure], $"a second value for this area, measure and year; the first is at row {first.Row}", $"{code}/{published}/{FinancialYear.Label(fy)}");
                continue;
            }
            seen[(code, measureName, fy)] = (record.Line, rows.Count, whole, 1);
            rows.Add(row);
        }
        foreach (var ((code, measureName, fy), entry) in seen)
            if (entry.Groups > 1 && !entry.Whole)
                issues.Error(file, entry.Row, group < 0 ? "" : header[group], "several groups for this area, measure and year and no Total row: the whole figure is not given",
                    $"{code}/{measureName}/{FinancialYear.Label(fy)}");
        return rows;
    }

    /// <summary>A group label that stands for the whole figure rather than a part of it.</summary>
    private static bool Whole(string group) => group.Trim().ToLowerInvariant() is "" or "total" or "all" or "all ages" or "persons";

    private static double? Number(string file, CsvRecord record, int index, IReadOnlyList<string> header, PublishedIssues issues, bool required)
    {
        var text = record[index].Trim().Replace(",", "");
        if (text.Length == 0 && !required) return null;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
            return v;
        issues.Error(file, record.Line, header[index], "not a number", record[index]);
        return null;
    }

    [GeneratedRegex(@"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"^0?1 apr(?:il)? (\d{2}|\d{4})\s*-\s*31 mar(?:ch)? (\d{2}|\d{4})$", RegexOptions.IgnoreCase)]
    private static partial Regex PeriodPattern();

    [GeneratedRegex(@"^\s*([12][ab])\b", RegexOptions.IgnoreCase)]
    private static partial Regex PartPattern();
}
