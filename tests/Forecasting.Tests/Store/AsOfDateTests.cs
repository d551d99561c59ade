using Forecasting.Domain;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Tests.Support;
using Forecasting.TestSupport;

namespace Forecasting.Tests.Store;

/// <summary>
/// The import's as-of date: rows dated after it are refused (planned dates excepted), a stated date after today is
/// refused, old outlier dates are warned about, and Parquet text is held to the CSV field limit before it is staged.
/// </summary>
[Trait("Category", "integration")]
public sealed class AsOfDateTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static (ForecastingStore Store, DataImporter Importer) SampleStore()
    {
        var store = new ForecastingStore(new StoreOptions { Path = SampleDatabase.CopyTo(Path.Combine(RepoPaths.TempDirectory(), "s.duckdb")) });
        return (store, new DataImporter(store));
    }

    private static string Written(string fileName, IEnumerable<string> lines)
    {
        var path = Path.Combine(RepoPaths.TempDirectory(), fileName);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string[] SampleLines(string table) => File.ReadAllLines(Path.Combine(RepoPaths.Samples, table + ".csv"));

    [Fact]
    public void The_sample_snapshot_states_its_as_of_date()
    {
        var (store, _) = SampleStore();
        using (store)
        {
            Assert.Equal(SampleDatabase.AsOf, store.CurrentSnapshot()!.AsOfDate);
            Assert.Equal(SampleDatabase.AsOf, store.AsOfOf(store.CurrentSnapshot()!.SnapshotId));
        }
    }

    [Fact]
    public void A_contact_dated_a_year_after_the_as_of_date_is_an_error_naming_file_row_and_column_and_the_store_is_unchanged()
    {
        var (store, importer) = SampleStore();
        using (store)
        {
            var before = store.CurrentSnapshot()!;
            var counts = StoreCounts.Of(store);
            var future = Today.AddDays(364).ToString("yyyy-MM-dd");
            var lines = SampleLines("contacts").ToList();
            lines.Add($"E06009999,CFUTURE,{future},community,phone,25-64,,,information_advice,false");
            var path = Written("contacts.csv", lines);

            foreach (var asOf in new DateOnly?[] { null, SampleDatabase.AsOf })
            {
                var report = importer.Import([new ImportFileSpec("contacts", path)], asOf: asOf);
                Assert.False(report.Succeeded);
                var issue = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error);
                Assert.Equal(("contacts.csv", (long)lines.Count, "contact_date", future), (issue.File, issue.Row, issue.Column, issue.Value));
                // Stating none keeps the current snapshot's date (the sample's), never today and never the latest row.
                Assert.Contains($"after the import's as-of date {SampleDatabase.AsOf:yyyy-MM-dd}", issue.Reason);
                Assert.Equal(SampleDatabase.AsOf, report.AsOfDate);
            }
            Assert.Equal(before.SnapshotId, store.CurrentSnapshot()!.SnapshotId);
            Assert.Equal(counts, StoreCounts.Of(store));
        }
    }

    [Fact]
    public void A_planned_pipeline_date_after_the_as_of_date_is_accepted_but_a_status_date_after_it_is_not()
    {
        var (store, importer) = SampleStore();
        using (store)
        {
            var lines = SampleLines("pipeline").ToList();
            var planned = Today.AddYears(3).ToString("yyyy-MM-dd");
            lines.Add($"E06009999,PLFUTURE,Future Court,10,supported_living,ld_autism,self_contained,true,{planned},,identified,2025-03-01");
            var report = importer.Import([new ImportFileSpec("pipeline", Written("pipeline.csv", lines))], dryRun: true, asOf: SampleDatabase.AsOf);
            Assert.True(report.Succeeded, string.Join("; ", report.Issues));

            lines[^1] = lines[^1].Replace(",2025-03-01", ",2025-04-01");
            var refused = importer.Import([new ImportFileSpec("pipeline", Written("pipeline.csv", lines))], dryRun: true, asOf: SampleDatabase.AsOf);
            Assert.Equal("status_date", Assert.Single(refused.Issues, i => i.Severity == IssueSeverity.Error).Column);
        }
    }

    [Fact]
    public void A_stated_as_of_date_after_today_or_not_a_date_is_refused()
    {
        var (store, importer) = SampleStore();
        using (store)
        {
            var e = Assert.Throws<InvalidArgumentException>(() => importer.ImportDirectory(RepoPaths.Samples, asOf: Today.AddDays(1)));
            Assert.Equal("as_of_date", e.ParamName);
            Assert.Throws<InvalidArgumentException>(() => DataImporter.ParseAsOf("2025-3-31"));
            Assert.Equal(new DateOnly(2025, 3, 31), DataImporter.ParseAsOf("2025-03-31"));
        }
    }

    [Fact]
    public void A_contact_on_1990_01_01_is_warned_about_as_an_old_outlier()
    {
        var (store, importer) = SampleStore();
        using (store)
        {
            var lines = SampleLines("contacts");
            var fields = lines[1].Split(',');
            fields[2] = "1990-01-01";
            lines[1] = string.Join(',', fields);
            var report = importer.Import([new ImportFileSpec("contacts", Written("contacts.csv", lines))], dryRun: true, asOf: SampleDatabase.AsOf);
            Assert.True(report.Succeeded, string.Join("; ", report.Issues.Where(i => i.Severity == IssueSeverity.Error)));
            var warning = Assert.Single(report.Issues, i => i.Reason.Contains("before the rest", StringComparison.Ordinal));
            Assert.Equal((IssueSeverity.Warning, "contacts.csv", 2L, "contact_date"), (warning.Severity, warning.File, warning.Row, warning.Column));
            Assert.StartsWith("1990-01-01 (the rest start 2015-04-01", warning.Value);
            // The sample itself has no outliers.
            Assert.DoesNotContain(SampleDatabase.Report.Issues, i => i.Reason.Contains("before the rest", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Parquet_text_over_the_field_limit_is_a_validation_error_naming_file_row_and_column()
    {
        var (store, importer) = SampleStore();
        using (store)
        {
            var path = Path.Combine(RepoPaths.TempDirectory(), "contacts.parquet");
            using (var connection = store.Open())
                ForecastingStore.Execute(connection, $"""
                    COPY (SELECT 'E06009999' AS council_code, 'CBIG' || i AS contact_id, '2024-01-0' || (i + 1) AS contact_date,
                                 CASE WHEN i = 1 THEN 'community' ELSE repeat('x', {DataImporter.MaxFieldBytes + 1}) END AS route,
                                 'phone' AS channel, NULL AS age_band, NULL AS psr, NULL AS locality, 'information_advice' AS outcome, false AS repeat_within_12m
                          FROM range(3) t(i)) TO '{path}' (FORMAT parquet)
                    """);
            var report = importer.Import([new ImportFileSpec("contacts", path)], dryRun: true, asOf: SampleDatabase.AsOf);
            Assert.False(report.Succeeded);
            Assert.True(report.Issues.All(i => i.Row > 0), string.Join("; ", report.Issues));
            Assert.Equal([("contacts.parquet", 2L, "route"), ("contacts.parquet", 4L, "route")],
                report.Issues.Select(i => (i.File, i.Row, i.Column)).ToList());
            Assert.All(report.Issues, i => Assert.Equal("text longer than the 2,000,000-byte limit of a field", i.Reason));
            Assert.All(report.Issues, i => Assert.Null(i.Value));
        }
    }
}
