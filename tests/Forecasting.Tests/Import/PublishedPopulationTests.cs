using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Store.Import.Published;
using Forecasting.TestSupport;

namespace Forecasting.Tests.Import;

/// <summary>
/// ONS population files as published, imported into the population table: districts added up to their county by the
/// lookup, ages placed in the product's bands and variants named as ONS names them, every figure worked by hand from
/// the rows below; and each bad input refused with its file, row, column and reason, leaving the store as it was.
/// </summary>
[Trait("Category", "integration")]
public sealed class PublishedPopulationTests
{
    private const string Councils = """
        council_code,name,region
        E10000099,Shirecounty County Council,East Midlands
        E06000099,Unitown Council,East Midlands

        """;

    // Shirecounty (E10000099) is not in the file itself: its two districts are. Unitown is given by sex.
    private const string Snpp = """
        AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2022,2023
        E07000901,Northdale,Population,persons,17,100,101
        E07000901,Northdale,Population,persons,18,50,50.25
        E07000901,Northdale,Population,persons,90 and over,7,8
        E07000901,Northdale,Population,persons,All ages,157,159.25
        E07000902,Southdale,Population,persons,0,200,199
        E07000902,Southdale,Population,persons,20,0,0.25
        E07000902,Southdale,Population,persons,64,30,31.3
        E07000902,Southdale,Population,persons,65,20,21
        E06000099,Unitown,Population,males,0,10,11
        E06000099,Unitown,Population,females,0,12,13
        E06000099,Unitown,Population,males,85,3,3
        E06000099,Unitown,Population,females,85,5,6
        E92000001,England,Population,persons,17,999999,999999

        """;

    private const string Lookup = """
        LAD23CD,LAD23NM,CTY23CD,CTY23NM
        E07000901,Northdale,E10000099,Shirecounty
        E07000902,Southdale,E10000099,Shirecounty
        E07000950,Elsewhere,E10000050,Othershire

        """;

    // The estimates series: sex 1 and 2, 90 meaning 90 and over.
    private const string MyeSeries = """
        ladcode23,laname23,country,sex,age,population_2021,population_2022
        E06000099,Unitown,E,1,30,40,41
        E06000099,Unitown,E,2,30,45,44
        E06000099,Unitown,E,1,90,2,2
        E06000099,Unitown,E,2,90,3,4

        """;

    private static (ForecastingStore Store, string Directory) NewStore()
    {
        var directory = RepoPaths.TempDirectory();
        var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(directory, "store.duckdb") });
        return (store, directory);
    }

    private static string Extract(params (string Name, string Text)[] files)
    {
        var directory = RepoPaths.TempDirectory();
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(directory, name), text);
        return directory;
    }

    private static Dictionary<(string Council, int Year, string Band, string Variant), (long Population, string Source)> Population(ForecastingStore store)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT council_code, year, age_band, variant, population, source FROM population";
        using var reader = cmd.ExecuteReader();
        var rows = new Dictionary<(string, int, string, string), (long, string)>();
        while (reader.Read())
            rows[(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3))] = (reader.GetInt64(4), reader.GetString(5));
        return rows;
    }

    [Fact]
    public void Districts_are_summed_to_the_county_and_ages_placed_in_bands()
    {
        var (store, _) = NewStore();
        var report = new DataImporter(store).ImportDirectory(Extract(("councils.csv", Councils), ("snpp_principal.csv", Snpp), ("area_lookup.csv", Lookup)));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        var rows = Population(store);

        // Shirecounty = Northdale + Southdale. 2022: 0-17 = 100 (17) + 200 (0) = 300; 18-24 = 50 (18) + 0 (20) = 50;
        // 25-64 = 30 (64); 65-74 = 20 (65); 85+ = 7 (90 and over). The all-ages row is a total and is not added again.
        // 2023: 0-17 = 101 + 199 = 300; 18-24 = 50.25 + 0.25 = 50.5, rounded half away from zero to 51; 25-64 = 31.3 -> 31.
        var expected = new Dictionary<(int, string), long>
        {
            [(2022, "0-17")] = 300, [(2022, "18-24")] = 50, [(2022, "25-64")] = 30, [(2022, "65-74")] = 20, [(2022, "85+")] = 7,
            [(2023, "0-17")] = 300, [(2023, "18-24")] = 51, [(2023, "25-64")] = 31, [(2023, "65-74")] = 21, [(2023, "85+")] = 8,
        };
        var shire = rows.Where(r => r.Key.Council == "E10000099").ToDictionary(r => (r.Key.Year, r.Key.Band), r => r.Value.Population);
        Assert.Equal(expected.OrderBy(e => e.Key), shire.OrderBy(e => e.Key));

        // Unitown by sex: 2022 0-17 = 10 + 12 = 22, 85+ = 3 + 5 = 8; 2023 0-17 = 24, 85+ = 9. England's row is not a council here.
        var uni = rows.Where(r => r.Key.Council == "E06000099").ToDictionary(r => (r.Key.Year, r.Key.Band), r => r.Value.Population);
        Assert.Equal(new Dictionary<(int, string), long> { [(2022, "0-17")] = 22, [(2022, "85+")] = 8, [(2023, "0-17")] = 24, [(2023, "85+")] = 9 }
            .OrderBy(e => e.Key), uni.OrderBy(e => e.Key));
        Assert.Equal(14, rows.Count);
        Assert.All(rows, r => Assert.Equal(("principal", "ONS 2022-based SNPP"), (r.Key.Variant, r.Value.Source)));
    }

    [Fact]
    public void Variants_keep_their_ONS_names_and_estimates_join_them_in_one_import()
    {
        var (store, _) = NewStore();
        var report = new DataImporter(store).ImportDirectory(Extract(("councils.csv", Councils), ("area_lookup.csv", Lookup),
            ("snpp_principal.csv", Snpp), ("snpp_low_population.csv", Snpp), ("snpp_high_international_migration.csv", Snpp), ("mye.csv", MyeSeries)));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        var rows = Population(store);
        // ONS's low population variant is the product's "low"; the others keep ONS's name; estimates are "estimate".
        Assert.Equal(["estimate", "high_international_migration", "low", "principal"], rows.Keys.Select(k => k.Variant).Distinct().Order());
        Assert.Equal(300, rows[("E10000099", 2022, "0-17", "high_international_migration")].Population);

        // Estimates: 2021 25-64 = 40 + 45 = 85, 85+ = 2 + 3 = 5; 2022 25-64 = 41 + 44 = 85, 85+ = 2 + 4 = 6.
        Assert.Equal((85L, "ONS MYE 2022"), rows[("E06000099", 2021, "25-64", "estimate")]);
        Assert.Equal(5, rows[("E06000099", 2021, "85+", "estimate")].Population);
        Assert.Equal(6, rows[("E06000099", 2022, "85+", "estimate")].Population);
        Assert.Equal(4, rows.Keys.Count(k => k.Variant == "estimate"));
    }

    [Fact]
    public void A_one_year_estimates_table_takes_its_year_from_the_file_name()
    {
        const string single = """
            Code,Name,Geography,All ages,0,17,18,24,25,74,75,84,85,90+
            E06000099,Unitown,Unitary Authority,55,1,2,3,4,5,6,7,8,9,10

            """;
        var (store, _) = NewStore();
        var report = new DataImporter(store).ImportDirectory(Extract(("councils.csv", Councils), ("mye_2023.csv", single)));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        var rows = Population(store);
        // 0-17 = 1 + 2; 18-24 = 3 + 4; 25-64 = 5; 65-74 = 6; 75-84 = 7 + 8; 85+ = 9 + 10.
        Assert.Equal([3L, 7, 5, 6, 15, 19], AgeGroups.All.Select(b => rows[("E06000099", 2023, b, "estimate")].Population));

        var missingYear = new DataImporter(NewStore().Store).ImportDirectory(Extract(("councils.csv", Councils), ("mye.csv", single)));
        Assert.False(missingYear.Succeeded);
        Assert.Contains("name the file mye_<year>.csv", Assert.Single(missingYear.Issues).Reason);
    }

    [Fact]
    public void The_published_sample_adds_up_to_the_sample_population()
    {
        // The sample's ONS files (data-samples/harbridge/published) spread population.csv's band totals over single years
        // and sexes; imported, they give population.csv back row for row, read here with the independent CSV reader.
        var directory = RepoPaths.TempDirectory();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Samples, "published"), "*.csv"))
            if (Path.GetFileName(file).StartsWith("snpp_", StringComparison.Ordinal) || Path.GetFileName(file) is "mye.csv" or "area_lookup.csv")
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        File.Copy(Path.Combine(RepoPaths.Samples, "councils.csv"), Path.Combine(directory, "councils.csv"));
        var (store, _) = NewStore();
        var report = new DataImporter(store).ImportDirectory(directory);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));

        var sample = Csv.Sample("population");
        var expected = sample.Records().ToDictionary(
            r => (r["council_code"], int.Parse(r["year"], System.Globalization.CultureInfo.InvariantCulture), r["age_band"], r["variant"]),
            r => (long.Parse(r["population"], System.Globalization.CultureInfo.InvariantCulture), r["source"]));
        Assert.Equal(expected.OrderBy(e => e.Key), Population(store).OrderBy(e => e.Key));
    }

    [Theory]
    [InlineData("0", "0-17")]
    [InlineData("17", "0-17")]
    [InlineData("18", "18-24")]
    [InlineData("20-24", "18-24")]
    [InlineData("60-64", "25-64")]
    [InlineData("65 to 69", "65-74")]
    [InlineData("84", "75-84")]
    [InlineData("85-89", "85+")]
    [InlineData("90 and over", "85+")]
    [InlineData("90+", "85+")]
    public void Age_groups_land_in_the_band_that_holds_them(string group, string band) =>
        Assert.Equal(band, AgeGroups.Band(group, out _));

    [Theory]
    [InlineData("15-19", "0-17 and 18-24")]
    [InlineData("60-69", "25-64 and 65-74")]
    [InlineData("80+", "75-84 and 85+")]
    [InlineData("adults", "not an age group")]
    public void Age_groups_across_two_bands_are_refused(string group, string reason)
    {
        Assert.Null(AgeGroups.Band(group, out var why));
        Assert.Contains(reason, why);
    }

    private static ImportReport Failing(params (string Name, string Text)[] files)
    {
        var (store, _) = NewStore();
        var importer = new DataImporter(store);
        var report = importer.ImportDirectory(Extract([("councils.csv", Councils), .. files]));
        Assert.False(report.Succeeded);
        // Nothing half-written: not even the councils file of the same import.
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT (SELECT count(*) FROM population) + (SELECT count(*) FROM councils)";
        Assert.Equal(0L, Convert.ToInt64(cmd.ExecuteScalar()));
        return report;
    }

    [Fact]
    public void A_district_without_a_lookup_is_refused()
    {
        const string districtsOnly = """
            AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2022
            E07000901,Northdale,Population,persons,17,100

            """;
        var error = Assert.Single(Failing(("snpp_principal.csv", districtsOnly)).Issues);
        Assert.Equal(("snpp_principal.csv", 2L, "AREA_CODE", "E07000901"), (error.File, error.Row, error.Column, error.Value));
        Assert.Contains("not a council in the store, and no area_lookup file places it in one", error.Reason);
    }

    [Fact]
    public void A_district_of_the_lookup_missing_from_the_file_is_refused()
    {
        var lookup = Lookup + "E07000903,Westdale,E10000099,Shirecounty\n";
        var error = Assert.Single(Failing(("snpp_principal.csv", Snpp), ("area_lookup.csv", lookup)).Issues);
        Assert.Equal(("snpp_principal.csv", "AREA_CODE", "E07000903"), (error.File, error.Column, error.Value));
        Assert.Contains("(area_lookup.csv row 5) has no rows in the file: the council's total would be short", error.Reason);
    }

    [Fact]
    public void An_age_group_the_bands_cannot_hold_is_refused()
    {
        var banded = Snpp.Replace("persons,17,100,101", "persons,15-19,100,101");
        var error = Assert.Single(Failing(("snpp_principal.csv", banded), ("area_lookup.csv", Lookup)).Issues);
        Assert.Equal(("snpp_principal.csv", 2L, "AGE_GROUP", "15-19"), (error.File, error.Row, error.Column, error.Value));
        Assert.Contains("spans the product's bands 0-17 and 18-24", error.Reason);
    }

    [Fact]
    public void A_year_column_that_is_not_a_year_is_refused()
    {
        var error = Assert.Single(Failing(("snpp_principal.csv", Snpp.Replace(",2023\n", ",mid-2023\n")), ("area_lookup.csv", Lookup)).Issues);
        Assert.Equal(("snpp_principal.csv", 1L, "mid-2023"), (error.File, error.Row, error.Column));
        Assert.Contains("not a year", error.Reason);
    }

    [Fact]
    public void Bad_counts_sexes_variants_and_a_second_population_file_are_refused()
    {
        var count = Assert.Single(Failing(("snpp_principal.csv", Snpp.Replace("persons,65,20,21", "persons,65,20,n/a")), ("area_lookup.csv", Lookup)).Issues);
        Assert.Equal((9L, "2023", "n/a"), (count.Row, count.Column, count.Value));

        var sex = Assert.Single(Failing(("snpp_principal.csv", Snpp.Replace("E06000099,Unitown,Population,females,0", "E06000099,Unitown,Population,f3,0")),
            ("area_lookup.csv", Lookup)).Issues);
        Assert.Equal((11L, "SEX", "f3"), (sex.Row, sex.Column, sex.Value));

        var variant = Assert.Single(Failing(("snpp_medium.csv", Snpp), ("area_lookup.csv", Lookup)).Issues);
        Assert.Equal(("snpp_medium.csv", "variant", "medium"), (variant.File, variant.Column, variant.Value));

        var twice = Assert.Single(Failing(("snpp_principal.csv", Snpp), ("area_lookup.csv", Lookup),
            ("population.csv", "council_code,year,age_band,variant,source,population\n")).Issues);
        Assert.Contains("the population table is given twice", twice.Reason);
    }

    [Fact]
    public void Ages_counted_twice_are_refused()
    {
        // Unitown's males aged 0 are at row 10; a 0-4 group for them would count age 0 again.
        var overlap = Assert.Single(Failing(("snpp_principal.csv", Snpp + "E06000099,Unitown,Population,males,0-4,1,1\n"), ("area_lookup.csv", Lookup)).Issues);
        Assert.Equal((15L, "AGE_GROUP", "0-4"), (overlap.Row, overlap.Column, overlap.Value));
        Assert.Contains("at row 10", overlap.Reason);
        var repeated = Assert.Single(Failing(("snpp_principal.csv", Snpp + "E07000902,Southdale,Population,persons,65,20,21\n"), ("area_lookup.csv", Lookup)).Issues);
        Assert.Equal(15L, repeated.Row);
        Assert.Contains("at row 9", repeated.Reason);

        const string columns = """
            Code,Name,Geography,All ages,0,0-4
            E06000099,Unitown,Unitary Authority,5,1,4

            """;
        var column = Assert.Single(Failing(("mye_2023.csv", columns)).Issues);
        Assert.Equal((1L, "0-4"), (column.Row, column.Column));
        Assert.Contains("column 5 (0)", column.Reason);
    }

    [Fact]
    public void A_district_placed_in_two_councils_is_refused()
    {
        var error = Assert.Single(Failing(("snpp_principal.csv", Snpp), ("area_lookup.csv", Lookup + "E07000901,Northdale,E10000050,Othershire\n")).Issues);
        Assert.Equal(("area_lookup.csv", 5L, "LAD23CD", "E07000901"), (error.File, error.Row, error.Column, error.Value));
        Assert.Contains("placed in two councils", error.Reason);
    }
}
