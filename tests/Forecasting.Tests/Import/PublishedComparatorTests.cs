using Forecasting.Application.Performance;
using Forecasting.Store;
using Forecasting.Store.Analytics;
using Forecasting.Store.Import;
using Forecasting.Store.Import.Published;
using Forecasting.Store.Performance;

namespace Forecasting.Tests.Import;

/// <summary>
/// A comparator group and the published ASCOF long file: the council is compared with its group's real published
/// figures (quartiles computed by hand below), summary-row benchmarks still answer where no published figure does, and
/// bad rows are refused with file, row, column and reason.
/// </summary>
[Trait("Category", "integration")]
public sealed class PublishedComparatorTests
{
    private const string Councils = """
        council_code,name,region
        E06000001,Alderby,East Midlands
        E06000002,Brookfield,East Midlands

        """;

    private const string Group = """
        council_code,comparator_code,rank,source
        E06000001,E06000015,5,CIPFA nearest neighbours 2024
        E06000001,E06000011,1,CIPFA nearest neighbours 2024
        E06000001,E06000012,2,CIPFA nearest neighbours 2024
        E06000001,E06000013,3,CIPFA nearest neighbours 2024
        E06000001,E06000014,4,CIPFA nearest neighbours 2024

        """;

    // NHS England's column names; 2C in 2024-25 is admissions of people aged 65+ per 100,000 (2A(2) before 2023-24).
    private const string Ascof = """
        Year,ONS Code,Geographical Description,ASCOF Measure Code,Numerator,Denominator,Value
        2024-25,E06000011,Neighbour One,2C,50,10000,500
        2024-25,E06000012,Neighbour Two,2C,56,10000,560
        2024-25,E06000013,Neighbour Three,2C,62,10000,620
        2024-25,E06000014,Neighbour Four,2C,68,10000,680
        2024-25,E06000015,Neighbour Five,2C,74,10000,740
        2024-25,E06000077,Not A Neighbour,2C,90,10000,900
        2024-25,E06000001,Alderby,2C,60,10000,600
        2024-25,E12000004,East Midlands,2C,,,590
        2024-25,E92000001,England,2C,5660,1000000,566
        2024-25,E06000011,Neighbour One,1A,,,19.1
        2022-23,E06000011,Neighbour One,2A(2),45,10000,450
        2022-23,E06000012,Neighbour Two,2A(2),[c],,[c]

        """;

    private const string Summary = """
        council_code,measure,fy,comparator_type,comparator_code,comparator_name,value,source
        E06000001,ascof_2a2,2023/24,council,E06000011,Neighbour One,510,ASCOF 2023/24
        E06000001,ascof_2a2,2023/24,quartile,lower_quartile,Lower quartile,480,ASCOF 2023/24
        E06000001,ascof_2a2,2023/24,quartile,median,Median,560,ASCOF 2023/24
        E06000001,ascof_2a2,2023/24,quartile,upper_quartile,Upper quartile,640,ASCOF 2023/24
        E06000001,ascof_1g,2024/25,council,E06000011,Neighbour One,81,ASCOF 2024/25

        """;

    private static ForecastingStore Store(out ImportReport report, params (string Name, string Text)[] files)
    {
        var directory = RepoPaths.TempDirectory();
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(directory, name), text);
        var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(RepoPaths.TempDirectory(), "store.duckdb") });
        report = new DataImporter(store).ImportDirectory(directory);
        return store;
    }

    private static ForecastingStore Loaded(out ImportReport report) =>
        Store(out report, ("councils.csv", Councils), ("comparator_groups.csv", Group), ("ascof_published.csv", Ascof), ("benchmarks.csv", Summary));

    [Fact]
    public void The_group_is_compared_on_its_published_figures()
    {
        var store = Loaded(out var report);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        var set = new BenchmarkRepository(store).LatestUpTo("E06000001", "ascof_2a2", 2025)!;
        Assert.Equal(2024, set.FinancialYear);
        // The five neighbours by rank, then England; not the council outside the group, the region or Alderby itself.
        Assert.Equal(
            [("council", "E06000011", 500.0), ("council", "E06000012", 560), ("council", "E06000013", 620), ("council", "E06000014", 680),
             ("council", "E06000015", 740), ("england", "england", 566)],
            set.Comparators.Select(c => (c.ComparatorType, c.ComparatorCode, c.Value)));

        // With Alderby's own 600 (lower is better): values 500, 560, 600, 620, 680, 740 (n = 6). The product's rule is R's
        // type 7: h = (n - 1)p + 1. p = .25: h = 2.25, 560 + .25 x 40 = 570; p = .5: h = 3.5, 600 + .5 x 20 = 610;
        // p = .75: h = 4.75, 620 + .75 x 60 = 665. 570 < 600 <= 610: second quarter; 500 and 560 are lower: rank 3 of 6.
        var placement = BenchmarkPositioning.Position(600, set.Comparators, Polarity.LowerIsBetter);
        Assert.Equal(new QuartileBoundaries(570, 610, 665), placement.Boundaries);
        Assert.Equal(BenchmarkPositioning.ComputedMethod, placement.QuartileMethod);
        Assert.Equal((2, 3, 6), (placement.Quartile, placement.Rank, placement.Of));
    }

    [Fact]
    public void Without_a_group_every_council_in_the_file_is_a_comparator()
    {
        var store = Loaded(out _);
        var set = new BenchmarkRepository(store).LatestUpTo("E06000002", "ascof_2a2", 2025)!;
        // Seven council rows (England's E92 and the region's E12 are not councils), England shown beside them.
        Assert.Equal(["E06000001", "E06000011", "E06000012", "E06000013", "E06000014", "E06000015", "E06000077"],
            set.Comparators.Where(c => c.ComparatorType == "council").Select(c => c.ComparatorCode));
        Assert.Equal(566, Assert.Single(set.Comparators, c => c.ComparatorType == "england").Value);
    }

    [Fact]
    public void Old_codes_count_in_their_years_and_summary_rows_still_answer()
    {
        var store = Loaded(out var report);
        var benchmarks = new BenchmarkRepository(store);
        // 2022-23 used the old code 2A(2); Neighbour Two's value was suppressed, so Neighbour One alone is compared.
        var old = benchmarks.ForYear("E06000001", "ascof_2a2", 2022)!;
        Assert.Equal(("E06000011", 450.0), (Assert.Single(old.Comparators).ComparatorCode, old.Comparators[0].Value));
        // 2023/24 has only the summary rows (newer than the published 2022-23): their published quartiles are used.
        var summary = benchmarks.LatestUpTo("E06000001", "ascof_2a2", 2023)!;
        Assert.Equal(2023, summary.FinancialYear);
        Assert.Equal(BenchmarkPositioning.PublishedMethod, BenchmarkPositioning.Position(600, summary.Comparators, Polarity.LowerIsBetter).QuartileMethod);
        // A measure with no published figures: the summary rows.
        Assert.Equal(81, Assert.Single(benchmarks.LatestUpTo("E06000001", "ascof_1g", 2024)!.Comparators).Value);

        // The skipped rows are warnings of the import, with their rows.
        Assert.Contains(report.Issues, i => i is { Severity: IssueSeverity.Warning, File: "ascof_published.csv", Row: 11, Column: "ASCOF Measure Code", Value: "1A" });
        Assert.Contains(report.Issues, i => i is { Severity: IssueSeverity.Warning, File: "ascof_published.csv", Row: 13, Column: "Value", Value: "[c]" });
    }

    [Fact]
    public void The_published_sample_gives_the_sample_comparators_their_own_figures()
    {
        // data-samples/harbridge/published holds Harbridge's group (the fifteen comparator councils of benchmarks.csv) and
        // their figures in the published layout; read back, each measure with a 2023-24 code has the council and England
        // rows of benchmarks.csv (read with the independent CSV reader), the group by rank.
        var published = Path.Combine(RepoPaths.Samples, "published");
        var store = Store(out var report, ("councils.csv", File.ReadAllText(Path.Combine(RepoPaths.Samples, "councils.csv"))),
            ("comparator_groups.csv", File.ReadAllText(Path.Combine(published, "comparator_groups.csv"))),
            ("ascof_published.csv", File.ReadAllText(Path.Combine(published, "ascof_published.csv"))));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        var sample = Csv.Sample("benchmarks").Records().ToList();
        foreach (var measure in new[] { "ascof_1c1", "ascof_1c2", "ascof_2a1", "ascof_2a2", "ascof_2b1", "ascof_2d" })
            foreach (var fy in new[] { 2023, 2024 })
            {
                var expected = sample.Where(r => r["measure"] == measure && r["fy"] == Forecasting.Domain.FinancialYear.Label(fy) && r["comparator_type"] is "council" or "england")
                    .OrderBy(r => r["comparator_type"]).ThenBy(r => r["comparator_code"])
                    .Select(r => (r["comparator_type"], r["comparator_code"], double.Parse(r["value"], System.Globalization.CultureInfo.InvariantCulture)));
                var set = new BenchmarkRepository(store).ForYear("E06009999", measure, fy)!;
                Assert.Equal(expected, set.Comparators.Select(c => (c.ComparatorType, c.ComparatorCode, c.Value)));
            }
        // 1G has no code in the 2023-24 framework: its rows are not in the published file, so its summary rows stay in use.
        Assert.Null(new BenchmarkRepository(store).ForYear("E06009999", "ascof_1g", 2024));
    }

    [Fact]
    public void The_published_folder_imported_after_the_sample_adds_the_group_and_changes_no_population_row()
    {
        var path = SampleDatabase.CopyTo(Path.Combine(RepoPaths.TempDirectory(), "sample.duckdb"));
        using var store = new ForecastingStore(new StoreOptions { Path = path });
        var before = new BenchmarkRepository(store).ForYear("E06009999", "ascof_2a2", 2024)!;
        Assert.Equal(BenchmarkPositioning.PublishedMethod, BenchmarkPositioning.Position(600, before.Comparators, Polarity.LowerIsBetter).QuartileMethod);

        var report = new DataImporter(store).ImportDirectory(Path.Combine(RepoPaths.Samples, "published"), asOf: SampleDatabase.AsOf);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        var population = Assert.Single(report.Changes!, c => c.Table == "population");
        var rows = Csv.Sample("population").Rows.Count;
        Assert.Equal((0L, 0L, 0L, (long)rows), (population.RowsAdded, population.RowsRemoved, population.RowsChanged, population.RowsUnchanged));
        Assert.Equal(15, Assert.Single(report.Changes!, c => c.Table == "comparator_groups").RowsAdded);

        // The same year's summary rows (with published England quartiles) give way to the group's own figures.
        var after = new BenchmarkRepository(store).ForYear("E06009999", "ascof_2a2", 2024)!;
        Assert.DoesNotContain(after.Comparators, c => c.ComparatorType == "quartile");
        Assert.Equal(15, after.Comparators.Count(c => c.ComparatorType == "council"));
        Assert.Equal(BenchmarkPositioning.ComputedMethod, BenchmarkPositioning.Position(600, after.Comparators, Polarity.LowerIsBetter).QuartileMethod);
    }

    // The layout DHSC's ASCOF code writes (ASC-CLD-LA-Dashboard, ASCOF_measures): a reporting period, 3D's parts named in
    // the description, and a row per group with the whole figure in the Total row (2B and 2C have their age group only).
    private const string DhscLayout = """
        Reporting_Period,LA_Code,LA_Name,Measure,Description,Group,Numerator,Denominator,Outcome
        1 Apr 24 - 31 Mar 25,E06000011,One,ASCOF 2C,"Admissions, for 65 and over (per 100,000 population)",65 and above,50,10000,500
        1 Apr 24 - 31 Mar 25,E06000011,One,ASCOF 3D,1a - The proportion of clients who use services who receive self-directed support (%),18 to 64,10,20,50
        1 Apr 24 - 31 Mar 25,E06000011,One,ASCOF 3D,1a - The proportion of clients who use services who receive self-directed support (%),Total,40,60,66.7
        1 Apr 24 - 31 Mar 25,E06000011,One,ASCOF 3D,1a - The proportion of clients who use services who receive self-directed support (%),65 and above,30,40,75
        1 Apr 24 - 31 Mar 25,E06000011,One,ASCOF 3D,2a - The proportion of clients who use services who receive direct payments (%),Total,6,60,10
        1 Apr 24 - 31 Mar 25,E06000011,One,ASCOF 3D,1b - The proportion of carers who receive self-directed support (%),Total,5,10,50

        """;

    private static (List<PublishedMeasureRow>? Rows, List<ValidationIssue> Issues) ReadAscof(string text)
    {
        var issues = new PublishedIssues();
        var (header, records) = PublishedCsv.Read(new StringReader(text));
        var rows = AscofPublishedFile.Read("ascof_published.csv", header, records, issues);
        return (rows, issues.All.ToList());
    }

    [Fact]
    public void The_layout_of_the_national_code_is_read_by_its_total_rows()
    {
        var (rows, issues) = ReadAscof(DhscLayout);
        Assert.Equal([("ascof_2a2", 2024, 500.0, "ASCOF 2C"), ("ascof_1c1", 2024, 66.7, "3D(1A)"), ("ascof_1c2", 2024, 10, "3D(2A)")],
            rows!.Select(r => (r.Measure, r.FinancialYear, r.Value, r.PublishedCode)));
        Assert.Equal((40.0, 60.0), (rows![1].Numerator!.Value, rows[1].Denominator!.Value));
        // Carers' 3D(1B) is not a measure the product computes: skipped with a warning naming its row.
        var skipped = Assert.Single(issues);
        Assert.Equal((IssueSeverity.Warning, 7L, "3D(1B)"), (skipped.Severity, skipped.Row, skipped.Value));

        var (_, noTotal) = ReadAscof(DhscLayout.Replace(",Total,40,60,66.7", ",Unknown,40,60,66.7"));
        var error = Assert.Single(noTotal, i => i.Severity == IssueSeverity.Error);
        Assert.Equal((3L, "Group"), (error.Row, error.Column));
        Assert.Contains("no Total row", error.Reason);
    }

    [Theory]
    [InlineData("2024-25", 2024)]
    [InlineData("2024/25", 2024)]
    [InlineData("2024-2025", 2024)]
    [InlineData("1 Apr 24 - 31 Mar 25", 2024)]
    [InlineData("2024-26", null)]
    [InlineData("1 Apr 24 - 31 Mar 24", null)]
    public void Financial_years_as_published(string text, int? year) => Assert.Equal(year, AscofPublishedFile.FinancialYearOf(text));

    [Theory]
    [InlineData("2A", 2024, "ascof_2d")]
    [InlineData("2B", 2024, "ascof_2a1")]
    [InlineData("ASCOF 2C", 2023, "ascof_2a2")]
    [InlineData("2D", 2024, "ascof_2b1")]
    [InlineData("3D(2a)", 2025, "ascof_1c2")]
    [InlineData("2A(1)", 2022, "ascof_2a1")]
    [InlineData("2D", 2022, "ascof_2d")]
    [InlineData("1G", 2021, "ascof_1g")]
    [InlineData("ascof_2b1", 2024, "ascof_2b1")]
    [InlineData("2A(1)", 2024, null)]
    [InlineData("2C", 2022, null)]
    public void Published_codes_are_read_in_their_years_framework(string code, int year, string? measure) =>
        Assert.Equal(measure, AscofPublishedFile.MeasureOf(code, year));

    private static ValidationIssue Refused(params (string Name, string Text)[] files)
    {
        var store = Store(out var report, [("councils.csv", Councils), .. files]);
        Assert.False(report.Succeeded);
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT (SELECT count(*) FROM councils) + (SELECT count(*) FROM comparator_groups) + (SELECT count(*) FROM published_measures)";
        Assert.Equal(0L, Convert.ToInt64(cmd.ExecuteScalar()));
        return Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error);
    }

    [Fact]
    public void Bad_groups_are_refused()
    {
        var self = Refused(("comparator_groups.csv", Group + "E06000001,E06000001,6,CIPFA\n"));
        Assert.Equal(("comparator_groups.csv", 7L, "comparator_code", "E06000001"), (self.File, self.Row, self.Column, self.Value));
        var rank = Refused(("comparator_groups.csv", Group + "E06000001,E06000016,2,CIPFA\n"));
        Assert.Equal((7L, "rank", "2"), (rank.Row, rank.Column, rank.Value));
        var council = Refused(("comparator_groups.csv", Group + "E06000009,E06000016,1,CIPFA\n"));
        Assert.Equal((7L, "council_code", "no matching row in councils"), (council.Row, council.Column, council.Reason));
    }

    [Fact]
    public void A_key_for_some_councils_may_not_import_every_areas_figures()
    {
        var directory = RepoPaths.TempDirectory();
        File.WriteAllText(Path.Combine(directory, "ascof_published.csv"), Ascof);
        var store = Loaded(out _);
        var report = new DataImporter(store).ImportDirectory(directory, councils: ["E06000001"]);
        Assert.False(report.Succeeded);
        var error = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal(("ascof_published.csv", 0L), (error.File, error.Row));
        Assert.Contains("only a key for every council", error.Reason);
    }

    [Fact]
    public void Bad_published_rows_are_refused()
    {
        var year = Refused(("ascof_published.csv", Ascof.Replace("2024-25,E06000013", "2024-26,E06000013")));
        Assert.Equal(("ascof_published.csv", 4L, "Year", "2024-26"), (year.File, year.Row, year.Column, year.Value));
        var value = Refused(("ascof_published.csv", Ascof.Replace("10000,620", "10000,6 20")));
        Assert.Equal((4L, "Value", "not a number"), (value.Row, value.Column, value.Reason));
        var twice = Refused(("ascof_published.csv", Ascof + "2024-25,E06000011,Neighbour One,2C,1,1,100\n"));
        Assert.Equal(14L, twice.Row);
        Assert.Contains("the first is at row 2", twice.Reason);
        var column = Refused(("ascof_published.csv", Ascof.Replace("Year,", "When,")));
        Assert.Equal((1L, "year"), (column.Row, column.Column));
    }
}
