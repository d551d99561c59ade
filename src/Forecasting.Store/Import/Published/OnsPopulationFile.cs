using System.Globalization;
using System.Text.RegularExpressions;

namespace Forecasting.Store.Import.Published;

public enum OnsPopulationLayout
{
    /// <summary>Subnational projection: AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, then one column per mid-year.</summary>
    Snpp,
    /// <summary>Mid-year estimates time series: an area code (ladcode23, ...), name, country, sex, age, then population_YYYY per year.</summary>
    MyeSeries,
    /// <summary>Mid-year estimates of one year: Code, Name, Geography, All ages, then one column per age (0, 1, ..., 90+).</summary>
    MyeSingleYear,
}

/// <summary>
/// One ONS population file read into counts per area, year and product age band: persons where the file gives them,
/// otherwise males and females (added when the area is summed). Only wanted areas are kept; the first unwanted area is
/// remembered so a file that places nothing can say which code it did not know.
/// </summary>
public sealed class OnsPopulationCounts
{
    public required OnsPopulationLayout Layout { get; init; }
    public required IReadOnlyList<int> Years { get; init; }

    /// <summary>(area, year, band) to persons, from rows whose sex is persons.</summary>
    public Dictionary<(string Area, int Year, string Band), decimal> Persons { get; } = [];

    /// <summary>(area, year, band) to males plus females, from rows by sex.</summary>
    public Dictionary<(string Area, int Year, string Band), decimal> BySex { get; } = [];

    /// <summary>Per wanted area: the first row it appears on and the sexes it has rows for.</summary>
    public Dictionary<string, (long FirstRow, HashSet<string> Sexes)> Areas { get; } = new(StringComparer.Ordinal);

    public (string Code, long Row)? FirstUnwanted { get; set; }
}

/// <summary>Reads the ONS population layouts (<see cref="OnsPopulationLayout"/>); no I/O: the caller gives the records.</summary>
public static partial class OnsPopulationFile
{
    public const string Persons = "persons", Male = "male", Female = "female";

    /// <summary>The layout the header shows, or null.</summary>
    public static OnsPopulationLayout? Detect(IReadOnlyList<string> header)
    {
        var names = header.Select(h => h.ToLowerInvariant()).ToList();
        if (names.Contains("area_code") && names.Contains("age_group") && names.Contains("sex")) return OnsPopulationLayout.Snpp;
        if (names.Any(n => SeriesArea().IsMatch(n)) && names.Contains("sex") && names.Contains("age")) return OnsPopulationLayout.MyeSeries;
        if (names.Contains("code") && names.Contains("geography")) return OnsPopulationLayout.MyeSingleYear;
        return null;
    }

    public const string LayoutHelp =
        "not an ONS population layout: expected a subnational projection (AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, one column per year), " +
        "a mid-year estimates series (ladcodeYY, laname, country, sex, age, population_YYYY, ...) or a one-year mid-year estimates table (Code, Name, Geography, All ages, 0, 1, ..., 90+)";

    /// <param name="year">The mid-year of a one-year table (<see cref="OnsPopulationLayout.MyeSingleYear"/>), which its columns do not state.</param>
    /// <param name="wanted">Whether an area code is a council in the store or a district the lookup places.</param>
    /// <returns>null when the header itself is wrong (reported); otherwise the counts, with bad cells reported.</returns>
    public static OnsPopulationCounts? Read(string file, IReadOnlyList<string> header, IEnumerable<CsvRecord> records, int? year,
        Func<string, bool> wanted, PublishedIssues issues)
    {
        var layout = Detect(header);
        if (layout is null)
        {
            issues.Error(file, 1, "", LayoutHelp);
            return null;
        }
        return layout switch
        {
            OnsPopulationLayout.Snpp => ReadLong(file, header, records, layout.Value, "area_code", "age_group", SnppYear, ["area_name", "component"], wanted, issues),
            OnsPopulationLayout.MyeSeries => ReadLong(file, header, records, layout.Value, header.First(h => SeriesArea().IsMatch(h.ToLowerInvariant())).ToLowerInvariant(),
                "age", SeriesYear, ["country", "geography"], wanted, issues),
            _ => ReadSingleYear(file, header, records, year, wanted, issues),
        };
    }

    private static int? SnppYear(string name) => Year(name, SnppYearColumn());
    private static int? SeriesYear(string name) => Year(name, SeriesYearColumn());

    private static int? Year(string name, Regex pattern)
    {
        var m = pattern.Match(name.ToLowerInvariant());
        if (!m.Success) return null;
        var y = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return y is >= 1990 and <= 2100 ? y : null;
    }

    /// <summary>Rows by area, sex and age with one column per year (the projections and the estimates series).</summary>
    private static OnsPopulationCounts? ReadLong(string file, IReadOnlyList<string> header, IEnumerable<CsvRecord> records, OnsPopulationLayout layout,
        string areaColumn, string ageColumn, Func<string, int?> yearOf, string[] descriptive, Func<string, bool> wanted, PublishedIssues issues)
    {
        int Index(string name) => header.ToList().FindIndex(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        int area = Index(areaColumn), sex = Index("sex"), age = Index(ageColumn), component = Index("component");
        var years = new List<(int Index, int Year)>();
        var ok = true;
        for (var i = 0; i < header.Count; i++)
        {
            if (i == area || i == sex || i == age) continue;
            var name = header[i].ToLowerInvariant();
            if (descriptive.Contains(name) || (layout == OnsPopulationLayout.MyeSeries && SeriesName().IsMatch(name))) continue;
            if (yearOf(header[i]) is { } y) years.Add((i, y));
            else
            {
                issues.Error(file, 1, header[i], layout == OnsPopulationLayout.Snpp
                    ? "not a year: every column after AGE_GROUP must be a mid-year such as 2025"
                    : "not a year column: expected population_YYYY such as population_2023");
                ok = false;
            }
        }
        if (years.Count == 0 && ok)
        {
            issues.Error(file, 1, "", "no year columns: the file holds no population counts");
            ok = false;
        }
        if (!ok) return null;

        var counts = new OnsPopulationCounts { Layout = layout, Years = years.Select(y => y.Year).ToList() };
        var covered = new Dictionary<(string Area, string Sex), long[]>();
        foreach (var record in records)
        {
            var code = record[area].Trim();
            if (component >= 0 && !record[component].Trim().Equals("population", StringComparison.OrdinalIgnoreCase))
            {
                issues.Error(file, record.Line, header[component], "not a population count: the projection's component files (births, deaths, migration) are not population", record[component]);
                continue;
            }
            if (AgeGroups.IsTotal(record[age])) continue;
            if (!Wanted(counts, code, record.Line, wanted)) continue;
            var band = AgeGroups.Band(record[age], out var from, out var to, out var reason);
            if (band is null)
            {
                issues.Error(file, record.Line, header[age], reason!, record[age]);
                continue;
            }
            var sexCode = Sex(record[sex]);
            if (sexCode is null)
            {
                issues.Error(file, record.Line, header[sex], "not a sex ONS uses: persons, males or females (or 1 and 2)", record[sex]);
                continue;
            }
            if (Overlap(covered, code, sexCode, from, to, record.Line) is { } first)
            {
                issues.Error(file, record.Line, header[age], $"ages already counted for this area and sex at row {first}: they would be added twice", record[age]);
                continue;
            }
            Note(counts, code, record.Line, sexCode);
            foreach (var (index, y) in years)
                if (Count(file, record, index, header[index], issues) is { } value)
                    Add(counts, code, y, band, sexCode, value);
        }
        return counts;
    }

    /// <summary>One row per area with one column per age; the year comes from the caller.</summary>
    private static OnsPopulationCounts? ReadSingleYear(string file, IReadOnlyList<string> header, IEnumerable<CsvRecord> records, int? year,
        Func<string, bool> wanted, PublishedIssues issues)
    {
        if (year is null)
        {
            issues.Error(file, 0, "", "a one-year mid-year estimates table does not state its year: name the file mye_<year>.csv, e.g. mye_2023.csv");
            return null;
        }
        var area = header.ToList().FindIndex(h => h.Equals("code", StringComparison.OrdinalIgnoreCase));
        var sex = header.ToList().FindIndex(h => h.Equals("sex", StringComparison.OrdinalIgnoreCase));
        var ages = new List<(int Index, string Band)>();
        var columns = new Dictionary<(string Area, string Sex), long[]>();
        var ok = true;
        for (var i = 0; i < header.Count; i++)
        {
            if (i == area || i == sex || header[i].ToLowerInvariant() is "name" or "geography" || AgeGroups.IsTotal(header[i])) continue;
            var band = AgeGroups.Band(header[i], out var from, out var to, out var reason);
            if (band is null)
            {
                issues.Error(file, 1, header[i], reason!, header[i]);
                ok = false;
            }
            else if (Overlap(columns, "", "", from, to, i + 1) is { } first)
            {
                issues.Error(file, 1, header[i], $"ages already counted in column {first} ({header[(int)first - 1]}): they would be added twice", header[i]);
                ok = false;
            }
            else ages.Add((i, band));
        }
        if (!ok) return null;
        var counts = new OnsPopulationCounts { Layout = OnsPopulationLayout.MyeSingleYear, Years = [year.Value] };
        var rows = new Dictionary<(string Area, string Sex), long>();
        foreach (var record in records)
        {
            var code = record[area].Trim();
            if (!Wanted(counts, code, record.Line, wanted)) continue;
            var sexCode = sex < 0 ? Persons : Sex(record[sex]);
            if (sexCode is null)
            {
                issues.Error(file, record.Line, header[sex], "not a sex ONS uses: persons, males or females (or 1 and 2)", record[sex]);
                continue;
            }
            if (rows.TryGetValue((code, sexCode), out var firstRow))
            {
                issues.Error(file, record.Line, header[area], $"area already given at row {firstRow}: it would be added twice", code);
                continue;
            }
            rows[(code, sexCode)] = record.Line;
            Note(counts, code, record.Line, sexCode);
            foreach (var (index, band) in ages)
                if (Count(file, record, index, header[index], issues) is { } value)
                    Add(counts, code, year.Value, band, sexCode, value);
        }
        return counts;
    }

    /// <summary>
    /// Marks ages <paramref name="from"/> to <paramref name="to"/> as counted for an area and sex; when one was counted
    /// already, returns where (its row or column) and marks nothing.
    /// </summary>
    private static long? Overlap(Dictionary<(string Area, string Sex), long[]> covered, string area, string sex, int from, int to, long where)
    {
        if (!covered.TryGetValue((area, sex), out var ages)) covered[(area, sex)] = ages = new long[AgeGroups.MaxAge + 1];
        for (var a = from; a <= to; a++)
            if (ages[a] != 0) return ages[a];
        for (var a = from; a <= to; a++) ages[a] = where;
        return null;
    }

    private static bool Wanted(OnsPopulationCounts counts, string code, long line, Func<string, bool> wanted)
    {
        if (wanted(code)) return true;
        counts.FirstUnwanted ??= (code, line);
        return false;
    }

    private static void Note(OnsPopulationCounts counts, string code, long line, string sex)
    {
        if (!counts.Areas.TryGetValue(code, out var area)) counts.Areas[code] = area = (line, []);
        area.Sexes.Add(sex);
    }

    private static void Add(OnsPopulationCounts counts, string code, int year, string band, string sex, decimal value)
    {
        var target = sex == Persons ? counts.Persons : counts.BySex;
        var key = (code, year, band);
        target[key] = target.GetValueOrDefault(key) + value;
    }

    private static decimal? Count(string file, CsvRecord record, int index, string column, PublishedIssues issues)
    {
        var text = record[index].Trim();
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return value;
        issues.Error(file, record.Line, column, text.Length == 0 ? "empty count" : "not a count: expected a number of people such as 1234 or 1234.5", text);
        return null;
    }

    /// <summary>ONS writes sex as words in the projections and as 1 (male) and 2 (female) in the estimates.</summary>
    public static string? Sex(string text) => text.Trim().ToLowerInvariant() switch
    {
        "persons" or "person" or "people" or "all persons" or "all" or "0" => Persons,
        "males" or "male" or "m" or "1" => Male,
        "females" or "female" or "f" or "2" => Female,
        _ => null,
    };

    [GeneratedRegex(@"^(?:ladcode|ltlacode|utlacode|lacode|areacode|area_code)\d*$")]
    private static partial Regex SeriesArea();

    [GeneratedRegex(@"^(?:laname|ltlaname|utlaname|laname|areaname|area_name|name)\d*$")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"^(\d{4})$")]
    private static partial Regex SnppYearColumn();

    [GeneratedRegex(@"^population_(\d{4})$")]
    private static partial Regex SeriesYearColumn();
}
