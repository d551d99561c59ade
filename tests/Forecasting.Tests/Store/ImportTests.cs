using System.Diagnostics;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Store;

[Trait("Category", "integration")]
public sealed class SampleImportTests(SampleStoreFixture fixture) : IClassFixture<SampleStoreFixture>
{
    [Fact]
    public void Every_sample_row_is_loaded()
    {
        foreach (var spec in TableSchemas.All)
        {
            var path = Path.Combine(RepoPaths.Samples, spec.Name + ".csv");
            if (spec.Optional && !File.Exists(path)) continue;
            var expected = File.ReadAllLines(path).Skip(1).Count(l => l.Length > 0);
            var count = fixture.SeedReport.Tables.Single(t => t.Table == spec.Name);
            Assert.Equal(expected, count.RowsInFile);
            Assert.Equal(expected, count.RowsAfter);
        }
        Assert.Equal(0, fixture.SeedReport.ErrorCount);
        Assert.Matches("^[0-9a-f]{16}$", fixture.SeedReport.SnapshotId!);
    }

    [Fact]
    public void The_sample_reports_unspecified_psr_and_retired_localities_as_warnings()
    {
        var issues = fixture.SeedReport.Issues;
        Assert.Contains(issues, i => i is { Severity: IssueSeverity.Warning, File: "contacts.csv", Column: "psr" } && i.Reason.Contains("not specified"));
        Assert.DoesNotContain(issues, i => i.Severity == IssueSeverity.Error);
    }

    [Fact]
    public void Reimporting_the_same_files_keeps_the_data_and_the_snapshot_id()
    {
        var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(RepoPaths.TempDirectory(), "again.duckdb") });
        var importer = new DataImporter(store);
        // The first import states the sample's date; the second states none and keeps it, so the snapshot is the same.
        var first = importer.ImportDirectory(RepoPaths.Samples, asOf: SampleDatabase.AsOf);
        var second = importer.ImportDirectory(RepoPaths.Samples);
        Assert.True(first.Succeeded);
        Assert.True(second.Succeeded);
        Assert.Equal(fixture.SeedReport.SnapshotId, first.SnapshotId);
        Assert.Equal(first.SnapshotId, second.SnapshotId);
        Assert.Equal(first.Tables.Select(t => t.RowsAfter), second.Tables.Select(t => t.RowsAfter));
        Assert.Equal(2, store.Snapshots().Count);
    }
}

[Trait("Category", "integration")]
public sealed class ImportValidationTests
{
    /// <summary>A store holding the small valid 'warnings' dataset, so a failed import can be seen to change nothing.</summary>
    private static (ForecastingStore Store, DataImporter Importer, string Snapshot, Dictionary<string, long> Counts) LoadedStore()
    {
        var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(RepoPaths.TempDirectory(), "v.duckdb") });
        var importer = new DataImporter(store);
        var report = importer.ImportDirectory(RepoPaths.Bad("warnings"));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        return (store, importer, report.SnapshotId!, Counts(store));
    }

    private static Dictionary<string, long> Counts(ForecastingStore store) => StoreCounts.Of(store);

    [Theory]
    [InlineData("duplicate_contact_id", "contacts.csv", 5, "council_code+contact_id", "duplicate key; first seen at row 3")]
    [InlineData("unknown_route", "contacts.csv", 4, "route", "not an allowed value")]
    [InlineData("unparseable_date", "contacts.csv", 6, "contact_date", "not a date in the form yyyy-mm-dd")]
    [InlineData("negative_age", "admissions.csv", 3, "age_at_admission", "below the minimum of 18")]
    [InlineData("unknown_scheme", "units.csv", 5, "scheme_id", "no matching row in schemes")]
    [InlineData("leaver_before_admission", "leavers.csv", 2, "leave_date", "leave_date is before the admission_date")]
    [InlineData("likelihood_out_of_range", "transitions.csv", 3, "likelihood", "above the maximum of 1")]
    [InlineData("bad_fy_label", "strategies.csv", 2, "start_fy", "not a financial year label")]
    [InlineData("implausible_date", "contacts.csv", 4, "contact_date", "implausible date: before 1990-01-01")]
    [InlineData("fractional_integer", "admissions.csv", 4, "age_at_admission", "not a whole number")]
    [InlineData("nan_likelihood", "transitions.csv", 2, "likelihood", "not a number (NaN or infinity)")]
    [InlineData("short_date", "waiting_list.csv", 3, "date_added", "not a date in the form yyyy-mm-dd")]
    public void A_bad_file_is_rejected_with_file_row_column_and_reason_and_changes_nothing(
        string dataset, string file, long row, string column, string reason)
    {
        var (store, importer, snapshot, counts) = LoadedStore();

        var report = importer.ImportDirectory(RepoPaths.Bad(dataset));

        Assert.False(report.Succeeded);
        Assert.Null(report.SnapshotId);
        var error = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal(file, error.File);
        Assert.Equal(row, error.Row);
        Assert.Equal(column, error.Column);
        Assert.Contains(reason, error.Reason);
        Assert.Equal(snapshot, store.CurrentSnapshot()!.SnapshotId);
        Assert.Equal(counts, Counts(store));
    }

    [Fact]
    public void Suspicious_rows_load_with_warnings_naming_row_and_column()
    {
        var (store, importer, _, _) = LoadedStore();
        var report = importer.GetReport(null)!;
        Assert.True(report.Succeeded);
        var warnings = report.Issues.Where(i => i.Severity == IssueSeverity.Warning).ToList();
        Assert.Contains(warnings, w => w is { File: "contacts.csv", Row: 8, Column: "contact_date" });
        Assert.Contains(warnings, w => w is { File: "contacts.csv", Row: 7, Column: "locality" } && w.Reason.Contains("retired"));
        Assert.Contains(warnings, w => w is { File: "admissions.csv", Row: 3, Column: "age_at_admission" });
        Assert.Contains(warnings, w => w is { File: "contacts.csv", Column: "psr" } && w.Reason.Contains("4 of 7"));
        Assert.NotNull(store.CurrentSnapshot());
    }

    [Fact]
    public void A_failure_in_the_middle_of_the_swap_rolls_everything_back()
    {
        var (store, importer, snapshot, counts) = LoadedStore();
        var swapped = new List<string>();
        importer.BeforeTableSwap = table =>
        {
            swapped.Add(table);
            if (table == "leavers") throw new IOException("disk full");
        };

        // allowShrink: the sample re-keys some of the small dataset's rows, which the shrink guard would refuse first.
        Assert.Throws<IOException>(() => importer.ImportDirectory(RepoPaths.Samples, allowShrink: true));

        Assert.Contains("contacts", swapped);
        Assert.Equal(snapshot, store.CurrentSnapshot()!.SnapshotId);
        Assert.Equal(counts, Counts(store));
    }

    [Fact]
    public void A_missing_column_an_unknown_table_and_a_missing_file_are_reported()
    {
        var (store, importer, snapshot, _) = LoadedStore();
        var dir = RepoPaths.TempDirectory();
        var noRoute = Path.Combine(dir, "contacts.csv");
        File.WriteAllLines(noRoute, File.ReadAllLines(Path.Combine(RepoPaths.Bad("warnings"), "contacts.csv"))
            .Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 3))));

        var report = importer.Import([
            new ImportFileSpec("contacts", noRoute),
            new ImportFileSpec("referrals", noRoute),
            new ImportFileSpec("admissions", Path.Combine(dir, "nope.csv")),
        ]);

        Assert.False(report.Succeeded);
        Assert.Contains(report.Issues, i => i.Column == "table" && i.Reason.Contains("unknown table 'referrals'"));
        Assert.Contains(report.Issues, i => i.Column == "path" && i.Reason.Contains("does not exist"));
        Assert.Equal(snapshot, store.CurrentSnapshot()!.SnapshotId);

        var missing = importer.Import([new ImportFileSpec("contacts", noRoute)]);
        Assert.Contains(missing.Issues, i => i is { Severity: IssueSeverity.Error, Row: 1, Column: "route" } && i.Reason.StartsWith("missing column"));
    }

    [Fact]
    public void Empty_ragged_and_doubled_header_files_are_reported_not_thrown()
    {
        var (store, importer, snapshot, _) = LoadedStore();
        var dir = RepoPaths.TempDirectory();
        var empty = Path.Combine(dir, "contacts.csv");
        File.WriteAllText(empty, "");
        var doubled = Path.Combine(dir, "councils.csv");
        File.WriteAllText(doubled, "council_code,name,name\nE06000001,Otherton,North East\n");
        var ragged = Path.Combine(dir, "localities.csv");
        File.WriteAllText(ragged, "council_code,locality_code,name,valid_from,valid_to,replaced_by\nE06009999,X1,Somewhere,2020-01-01\n");

        var report = importer.Import([new ImportFileSpec("contacts", empty), new ImportFileSpec("councils", doubled), new ImportFileSpec("localities", ragged)]);

        Assert.False(report.Succeeded);
        Assert.Contains(report.Issues, i => i is { File: "contacts.csv", Row: 0 } && i.Reason.StartsWith("cannot read the file"));
        Assert.Contains(report.Issues, i => i is { File: "councils.csv", Row: 1, Column: "name" } && i.Reason.Contains("twice"));
        Assert.Contains(report.Issues, i => i is { File: "localities.csv", Row: 2, Column: "valid_to" } && i.Reason.StartsWith("too few fields"));
        Assert.Equal(snapshot, store.CurrentSnapshot()!.SnapshotId);
    }

    [Trait("Category", "slow")]
    [Fact]
    public void Parquet_files_import_to_the_same_snapshot_as_their_csv()
    {
        var dir = RepoPaths.TempDirectory();
        var csvStore = new ForecastingStore(new StoreOptions { Path = Path.Combine(dir, "csv.duckdb") });
        var csvReport = new DataImporter(csvStore).ImportDirectory(RepoPaths.Bad("warnings"));

        var parquetDir = Path.Combine(dir, "parquet");
        Directory.CreateDirectory(parquetDir);
        using (var connection = csvStore.Open())
            foreach (var table in TableSchemas.All)
            {
                // Written from the CSV as text, so the parquet carries the same values the CSV does.
                var csv = Path.Combine(RepoPaths.Bad("warnings"), table.Name + ".csv");
                if (table.Optional && !File.Exists(csv)) continue;
                ForecastingStore.Execute(connection,
                    $"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{Path.Combine(parquetDir, table.Name + ".parquet")}' (FORMAT parquet)");
            }
        var parquetStore = new ForecastingStore(new StoreOptions { Path = Path.Combine(dir, "parquet.duckdb") });
        var parquetReport = new DataImporter(parquetStore).ImportDirectory(parquetDir);

        Assert.True(parquetReport.Succeeded, string.Join("; ", parquetReport.Issues));
        Assert.Equal(csvReport.SnapshotId, parquetReport.SnapshotId);
    }

    [Fact]
    public void A_second_council_is_kept_when_the_first_is_reimported()
    {
        var (store, importer, _, _) = LoadedStore();
        var dir = RepoPaths.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "councils.csv"), "council_code,name,region\nE06000001,Otherton,North East\n");
        File.WriteAllText(Path.Combine(dir, "contacts.csv"),
            "council_code,contact_id,contact_date,route,channel,age_band,psr,locality,outcome,repeat_within_12m\n" +
            "E06000001,X1,2024-05-01,community,phone,65-74,,,long_term_support,false\n");
        Assert.True(importer.ImportDirectory(dir).Succeeded);
        var before = Counts(store)["contacts"];

        Assert.True(importer.ImportDirectory(RepoPaths.Bad("warnings")).Succeeded);

        Assert.Equal(before, Counts(store)["contacts"]);
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM contacts WHERE council_code = 'E06000001'";
        Assert.Equal(1L, Convert.ToInt64(cmd.ExecuteScalar()));
    }
}
