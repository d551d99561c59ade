using System.Globalization;
using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// The sample's population and comparators as ONS and NHS England publish them (data-samples/harbridge/published):
/// <list type="bullet">
/// <item>snpp_principal.csv, snpp_low_population.csv, snpp_high_population.csv: the 2022-based projections in the ONS
/// layout (persons by single year of age, 90 and over, an all-ages row, one column per year 2022-2035);</item>
/// <item>mye.csv: the mid-year estimates series 2015-2024 in the ONS layout (sex 1 and 2, ages 0 to 90);</item>
/// <item>area_lookup.csv: the district-to-county lookup of Wealdshire, a neighbouring county whose two districts the
/// national files list (Harbridge, a unitary council, needs no lookup);</item>
/// <item>comparator_groups.csv: Harbridge's fifteen nearest neighbours, the comparator councils of benchmarks.csv;</item>
/// <item>ascof_published.csv: those councils', the region's and England's figures in the long layout, under each year's
/// codes (2023-24 onwards: 2A, 2B, 2C, 2D, 3D).</item>
/// </list>
/// Each band total of population.csv is spread over its single years (equal shares, the remainder on the youngest
/// ages) and each age over males and females, so the files add back up to population.csv exactly; the published
/// figures are benchmarks.csv's comparator values.
/// </summary>
public static class PublishedDataGenerator
{
    public const string Directory = "published";

    private static readonly (string Band, int From, int To)[] Bands =
        [("0-17", 0, 17), ("18-24", 18, 24), ("25-64", 25, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85+", 85, 90)];

    // Wealdshire's districts: fixed shares of Harbridge's counts, so the national file has more than one area.
    private static readonly (string Code, string Name, double Share)[] Districts =
        [("E07009101", "Northweald", 0.35), ("E07009102", "Southweald", 0.45)];

    private const string CountyCode = "E10009100", CountyName = "Wealdshire";

    /// <summary>Single years of a band total: ages from..to (90 stands for 90 and over), equal shares, the remainder on the youngest.</summary>
    private static IEnumerable<(int Age, int Count)> Spread(int total, int from, int to)
    {
        var n = to - from + 1;
        for (var age = from; age <= to; age++) yield return (age, total / n + (age - from < total % n ? 1 : 0));
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<(string Code, string Name, Func<int, int> Scale)> Areas() =>
        [(Council.Code, "Harbridge", v => v), .. Districts.Select(d => (d.Code, d.Name, (Func<int, int>)(v => (int)Math.Round(v * d.Share))))];

    public static IEnumerable<CsvTable> Tables(PopulationGenerator population, CsvTable benchmarks)
    {
        foreach (var (variant, file) in new[] { ("principal", "principal"), ("low", "low_population"), ("high", "high_population") })
            yield return Projection(population, variant, file);
        yield return Estimates(population);
        yield return Lookup();
        yield return Group();
        yield return Ascof(benchmarks);
    }

    private static Dictionary<(int Year, int Age), int> Ages(PopulationGenerator population, string variant, Func<int, int> scale)
    {
        var ages = new Dictionary<(int, int), int>();
        foreach (var row in population.Rows.Where(r => r.Variant == variant))
        {
            var (_, from, to) = Bands.Single(b => b.Band == row.Band);
            foreach (var (age, count) in Spread(scale(row.Value), from, to)) ages[(row.Year, age)] = count;
        }
        return ages;
    }

    private static CsvTable Projection(PopulationGenerator population, string variant, string name)
    {
        var years = population.Rows.Where(r => r.Variant == variant).Select(r => r.Year).Distinct().Order().ToList();
        var table = new CsvTable($"{Directory}/snpp_{name}.csv", ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP", .. years.Select(I)]);
        foreach (var (code, areaName, scale) in Areas())
        {
            var ages = Ages(population, variant, scale);
            for (var age = 0; age <= 90; age++)
                table.Add([code, areaName, "Population", "persons", age == 90 ? "90 and over" : I(age), .. years.Select(y => I(ages[(y, age)]))]);
            table.Add([code, areaName, "Population", "persons", "All ages", .. years.Select(y => I(Enumerable.Range(0, 91).Sum(a => ages[(y, a)])))]);
        }
        return table;
    }

    private static CsvTable Estimates(PopulationGenerator population)
    {
        var years = population.Rows.Where(r => r.Variant == "estimate").Select(r => r.Year).Distinct().Order().ToList();
        var table = new CsvTable($"{Directory}/mye.csv", ["ladcode23", "laname23", "country", "sex", "age", .. years.Select(y => $"population_{y}")]);
        foreach (var (code, areaName, scale) in Areas())
        {
            var ages = Ages(population, "estimate", scale);
            foreach (var sex in new[] { 1, 2 })
                for (var age = 0; age <= 90; age++)
                    table.Add([code, areaName, "E", I(sex), I(age), .. years.Select(y => I(sex == 1 ? ages[(y, age)] / 2 : ages[(y, age)] - ages[(y, age)] / 2))]);
        }
        return table;
    }

    private static CsvTable Lookup()
    {
        var table = new CsvTable($"{Directory}/area_lookup.csv", "LAD23CD", "LAD23NM", "CTY23CD", "CTY23NM");
        foreach (var (code, name, _) in Districts) table.Add(code, name, CountyCode, CountyName);
        return table;
    }

    private static CsvTable Group()
    {
        var table = new CsvTable($"{Directory}/comparator_groups.csv", "council_code", "comparator_code", "rank", "source");
        for (var i = 1; i <= 15; i++) table.Add(Council.Code, $"E06009{i:000}", I(i), "Nearest neighbours (sample)");
        return table;
    }

    // The 2023-24 framework's codes of the sample's measures; 1G has none (2E counts every primary support reason).
    private static readonly Dictionary<string, string> Codes = new()
    {
        ["ascof_2d"] = "2A", ["ascof_2a1"] = "2B", ["ascof_2a2"] = "2C", ["ascof_2b1"] = "2D", ["ascof_1c1"] = "3D(1A)", ["ascof_1c2"] = "3D(2A)",
    };

    private static CsvTable Ascof(CsvTable benchmarks)
    {
        var table = new CsvTable($"{Directory}/ascof_published.csv", "Year", "ONS Code", "Geographical Description", "ASCOF Measure Code",
            "Numerator", "Denominator", "Value");
        var columns = benchmarks.Columns.ToList();
        string Get(string?[] row, string column) => row[columns.IndexOf(column)]!;
        foreach (var row in benchmarks.Rows)
        {
            if (!Codes.TryGetValue(Get(row, "measure"), out var code) || Get(row, "comparator_type") is not ("council" or "region" or "england")) continue;
            var area = Get(row, "comparator_type") == "england" ? "E92000001" : Get(row, "comparator_code");
            table.Add(Get(row, "fy").Replace('/', '-'), area, Get(row, "comparator_name"), code, null, null, Get(row, "value"));
        }
        return table;
    }
}
