using DuckDB.NET.Data;
using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Reading;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Store.Import.Cld;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Import;

/// <summary>
/// The CLD import in the store: the CLD sample lands with the counts a second method (SQL straight over the CSVs)
/// gives, reads back as the cleaning produced it, and a bad or interrupted CLD import leaves the store as it was.
/// </summary>
public sealed class CldImportTests(CldImportTests.SampleImport sample) : IClassFixture<CldImportTests.SampleImport>
{
    /// <summary>The CLD sample imported once into a store the read-only tests share.</summary>
    [Trait("Category", "integration")]
    public sealed class SampleImport
    {
        public ForecastingStore Store { get; }
        public ImportReport Report { get; }

        public SampleImport()
        {
            (Store, var importer) = NewStore();
            Report = importer.ImportDirectory(SampleDirectory);
        }
    }

    private const string Council = "E06009999";
    private static readonly DateOnly AsOf = new(2026, 4, 30);

    private static string SampleDirectory => Path.Combine(RepoPaths.Root, "data-samples", "harbridge-cld");
    private static string MainFile => Path.Combine(SampleDirectory, "cld_2022-04-01_2026-03-31.csv");
    private static string Resubmission => Path.Combine(SampleDirectory, "cld_2025-10-01_2026-03-31_resubmission.csv");

    private static (ForecastingStore Store, DataImporter Importer) NewStore()
    {
        var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(RepoPaths.TempDirectory(), "cld.duckdb") });
        return (store, new DataImporter(store) { AsOf = () => AsOf });
    }

    private static long Scalar(ForecastingStore store, string sql)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The national rules written again in SQL over the raw CSVs (the second method): rows, rows dropped, rows of the
    /// first file inside the resubmission's period, unique events (the national key under the collation) and people.
    /// </summary>
    private static (long Rows, long Dropped, long Replaced, long Events, long People) CountedBySql()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            WITH raw AS (
                SELECT *, filename LIKE '%resubmission%' AS resubmitted
                FROM read_csv(['{MainFile}', '{Resubmission}'], header = true, all_varchar = true, filename = true)),
            typed AS (
                SELECT *, CAST(Event_Start_Date AS DATE) AS s, CAST(Event_End_Date AS DATE) AS e, CAST(Date_of_Death AS DATE) AS dod,
                       coalesce(Der_NHS_Number_Traced_Pseudo, Der_NHS_Number_Pseudo, LA_Code || '_' || LA_Person_Unique_Identifier) AS person
                FROM raw),
            kept AS (
                SELECT *, CASE WHEN dod BETWEEN s AND e OR (e IS NULL AND dod > s) THEN dod ELSE e END AS der_end
                FROM typed
                WHERE Event_Type IS NOT NULL AND s IS NOT NULL AND NOT coalesce(dod < s, false) AND person IS NOT NULL),
            keyed AS (
                SELECT *, (LA_Code, s, CASE WHEN Event_Type ILIKE '%service%' THEN NULL ELSE der_end END, upper(rtrim(Client_Type)), upper(person),
                           upper(rtrim(Event_Type)),
                           CASE WHEN Event_Type ILIKE '%request%' THEN upper(rtrim(Request_Route_of_Access))
                                WHEN Event_Type ILIKE '%assessment%' THEN upper(rtrim(Assessment_Type))
                                WHEN Event_Type ILIKE '%service%' THEN upper(rtrim(Service_Type)) END,
                           CASE WHEN Event_Type ILIKE '%service%' THEN upper(rtrim(Service_Component)) END) AS event
                FROM kept),
            -- The first file's events that run into the resubmission's period are the resubmission's, except a service
            -- started before that period which the resubmission no longer has: that one stays (ended before it).
            current AS (
                SELECT * FROM keyed k
                WHERE resubmitted OR coalesce(der_end, DATE '2026-03-31') < DATE '2025-10-01'
                   OR (Event_Type ILIKE '%service%' AND s < DATE '2025-10-01'
                       AND NOT EXISTS (SELECT 1 FROM keyed r WHERE r.resubmitted AND r.event IS NOT DISTINCT FROM k.event)))
            SELECT (SELECT count(*) FROM raw),
                   (SELECT count(*) FROM raw) - (SELECT count(*) FROM kept),
                   (SELECT count(*) FROM kept) - (SELECT count(*) FROM current),
                   (SELECT count(DISTINCT event) FROM current),
                   (SELECT count(DISTINCT person) FROM current)
            """;
        using var reader = cmd.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    [Fact]
    public void The_CLD_sample_imports_with_the_counts_SQL_over_the_CSVs_gives()
    {
        var (store, report) = (sample.Store, sample.Report);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues.Where(i => i.Severity == IssueSeverity.Error)));

        var (rows, dropped, replaced, events, people) = CountedBySql();
        // Lines of the two files less their headers: a third count of the rows read.
        Assert.Equal(File.ReadLines(MainFile).Count() + File.ReadLines(Resubmission).Count() - 2, rows);
        Assert.Equal(rows, report.Tables.Single(t => t.Table == CldTables.Events).RowsInFile);
        Assert.Equal(events, report.Tables.Single(t => t.Table == CldTables.Events).RowsAfter);
        Assert.Equal(events, Scalar(store, "SELECT count(*) FROM cld_events"));
        Assert.Equal(people, Scalar(store, "SELECT count(*) FROM cld_people"));

        var quality = new CldStore(store).Quality(Council);
        long Count(string section) => quality.Where(l => l.Section == section).Sum(l => l.Count);
        Assert.Equal(dropped, Count(CldQualitySections.Dropped));
        Assert.Equal(replaced, quality.Single(l => l.Category == CldQualityCategories.ReplacedByLater).Count);
        // Services the resubmission dropped stay, ended the day before it: the sample has some.
        Assert.True(quality.Single(l => l.Category == CldQualityCategories.CroppedService).Count > 0);
        Assert.Equal(rows - dropped - replaced - events, Count(CldQualitySections.Duplicates));
        // The sample carries every kind of mess the report names.
        foreach (var category in new[] { CldQualityCategories.ExactDuplicate, CldQualityCategories.CaseOnlyDuplicate, CldQualityCategories.AnotherOutcome })
            Assert.Contains(quality, l => l.Section == CldQualitySections.Duplicates && l.Category == category && l.Count > 0);
        foreach (var category in new[] { CldQualityCategories.NoEventType, CldQualityCategories.NoStartDate, CldQualityCategories.NoIdentifier, CldQualityCategories.DiedBeforeEvent })
            Assert.Contains(quality, l => l.Section == CldQualitySections.Dropped && l.Category == category && l.Count > 0);
        Assert.Contains(quality, l => l.Section == CldQualitySections.FieldValues && l.Category == CldQualityCategories.Mapped && l.Count > 0);
        Assert.Contains(quality, l => l.Section == CldQualitySections.FieldValues && l.Category == CldQualityCategories.Invalid && l.Count > 0);
        Assert.Contains(quality, l => l.Section == CldQualitySections.PersonDetails && l.Category == CldQualityCategories.Conflict && l.Count > 0);
        Assert.Contains(report.Issues, i => i.Severity == IssueSeverity.Warning && i.Reason.StartsWith("row left out by the national rules", StringComparison.Ordinal));
    }

    [Fact]
    public void The_stored_events_and_people_read_back_as_the_cleaning_produced_them()
    {
        var store = sample.Store;
        Assert.True(sample.Report.Succeeded);
        var errors = new List<CldReadError>();
        var (periods, rows) = CldSubmissions.Open([new CldFile(MainFile, "main.csv"), new CldFile(Resubmission, "resubmission.csv")], errors.Add);
        var cleaned = CldPipeline.Clean(rows, periods);
        Assert.Empty(errors);

        var loaded = new CldStore(store).Load(Council);
        // Amounts compare as numbers (the store keeps 45, the file said 45.00); linked ids by value.
        static string Key(Forecasting.Cld.Model.CldEvent e) =>
            (e with { LinkedPersonIds = [], UnitCost = null, PlannedUnitsPerWeek = null }) + $"{(double?)e.UnitCost}|{(double?)e.PlannedUnitsPerWeek}|" + string.Join(";", e.LinkedPersonIds);
        Assert.Equal(cleaned.Events.Select(Key).Order(StringComparer.Ordinal), loaded.Events.Select(Key).Order(StringComparer.Ordinal));
        Assert.Equal(cleaned.People.Values.OrderBy(p => p.PersonId, StringComparer.Ordinal), loaded.People.Values.OrderBy(p => p.PersonId, StringComparer.Ordinal));
        // Every event type, carers with linked people, and their support are there for the measures.
        Assert.Equal(["Assessment", "Request", "Review", "Service"], loaded.Events.Select(e => e.EventType).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(loaded.Events, e => e.ClientType == "Unpaid carer" && e.LinkedPersonIds.Count == 1 && e.ServiceType == "Unpaid carer support: Direct to unpaid carer");
        Assert.Contains(loaded.People.Values, p => p.HasUnpaidCarer == "Yes");
    }

    [Fact]
    public void A_bad_CLD_file_names_file_row_column_and_reason_and_leaves_the_store_as_it_was()
    {
        var (store, importer) = NewStore();
        Assert.True(importer.ImportDirectory(SampleDirectory).Succeeded);
        var snapshot = store.CurrentSnapshot()!.SnapshotId;
        var counts = StoreCounts.Of(store);

        var lines = File.ReadAllLines(MainFile);
        var header = lines[0].Split(',');
        var start = Array.IndexOf(header, "Event_Start_Date");
        // Line 4 of the file gets a date that does not exist; the sample's first fields hold no quoted commas before it.
        var fields = lines[3].Split(',');
        var shift = fields.Length - header.Length;
        fields[start + shift] = "2023-02-30";
        lines[3] = string.Join(',', fields);
        var dir = RepoPaths.TempDirectory();
        File.WriteAllLines(Path.Combine(dir, "cld_bad.csv"), lines);

        var report = importer.Import([new ImportFileSpec(CldTables.Submission, Path.Combine(dir, "cld_bad.csv"))]);
        Assert.False(report.Succeeded);
        var error = report.Issues.Single(i => i.Severity == IssueSeverity.Error);
        Assert.Equal(("cld_bad.csv", 4L, "Event_Start_Date", "not a real date in the form yyyy-mm-dd", "2023-02-30"),
            (error.File, error.Row, error.Column, error.Reason, error.Value));
        Assert.Equal(snapshot, store.CurrentSnapshot()!.SnapshotId);
        Assert.Equal(counts, StoreCounts.Of(store));
    }

    [Fact]
    public void A_CLD_import_that_fails_while_swapping_leaves_the_store_as_it_was()
    {
        var (store, importer) = NewStore();
        Assert.True(importer.Import([new ImportFileSpec(CldTables.Submission, MainFile)]).Succeeded);
        var snapshot = store.CurrentSnapshot()!.SnapshotId;
        var counts = StoreCounts.Of(store);

        importer.BeforeTableSwap = table => { if (table == CldTables.People) throw new IOException("disk full while swapping"); };
        Assert.Throws<IOException>(() => importer.ImportDirectory(SampleDirectory));
        Assert.Equal(snapshot, store.CurrentSnapshot()!.SnapshotId);
        Assert.Equal(counts, StoreCounts.Of(store));
    }

    [Fact]
    public void A_torn_CLD_table_is_found_at_start_up_and_restored_from_the_last_good_copy()
    {
        var database = Path.Combine(RepoPaths.TempDirectory(), "torn-cld.duckdb");
        string snapshot;
        long events;
        using (var store = new ForecastingStore(new StoreOptions { Path = database }))
        {
            var report = new DataImporter(store) { AsOf = () => AsOf }.ImportDirectory(SampleDirectory);
            Assert.True(report.Succeeded);
            snapshot = report.SnapshotId!;
            events = Scalar(store, "SELECT count(*) FROM cld_events");
        }
        // Straight at the file, as a torn write would leave it: half of one service's rows lost, a person changed.
        using (var connection = new DuckDBConnection($"Data Source={database}"))
        {
            connection.Open();
            ForecastingStore.Execute(connection, "DELETE FROM cld_events WHERE event_type = 'Service' AND record_id % 2 = 0");
            ForecastingStore.Execute(connection, "UPDATE cld_people SET gender = 'Unknown'");
        }

        using var reopened = new ForecastingStore(new StoreOptions { Path = database });
        var recovery = Assert.IsType<RecoveryReport>(reopened.Recovery);
        Assert.Equal(StartupOutcome.Recovered, recovery.Outcome);
        Assert.Equal([CldTables.Events, CldTables.People], recovery.Tables.Select(t => t.Table).Order(StringComparer.Ordinal));
        Assert.Equal(events, Scalar(reopened, "SELECT count(*) FROM cld_events"));
        Assert.Equal(snapshot, reopened.CurrentSnapshot()!.SnapshotId);
    }

    [Fact]
    public void A_later_import_with_the_resubmission_replaces_the_councils_events()
    {
        var (store, importer) = NewStore();
        Assert.True(importer.Import([new ImportFileSpec(CldTables.Submission, MainFile)]).Succeeded);
        var before = Scalar(store, "SELECT count(*) FROM cld_events WHERE end_date IS NULL OR end_date >= DATE '2025-10-01'");
        Assert.True(importer.ImportDirectory(SampleDirectory).Succeeded);
        var (_, _, _, events, _) = CountedBySql();
        Assert.Equal(events, Scalar(store, "SELECT count(*) FROM cld_events"));
        // The resubmission dropped some events of its period and corrected outcomes: the stored half-year changed.
        var after = Scalar(store, "SELECT count(*) FROM cld_events WHERE end_date IS NULL OR end_date >= DATE '2025-10-01'");
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void A_derived_table_cannot_be_imported_from_a_file_and_a_scoped_key_cannot_import_another_council()
    {
        var (_, importer) = NewStore();
        var derived = importer.Import([new ImportFileSpec(CldTables.Events, MainFile)]);
        Assert.Contains(derived.Issues, i => i.Severity == IssueSeverity.Error && i.Reason.Contains("derived from CLD submissions", StringComparison.Ordinal));

        var scoped = importer.Import([new ImportFileSpec(CldTables.Submission, Resubmission)], councils: ["E06000001"]);
        Assert.False(scoped.Succeeded);
        var summary = scoped.Summaries!.Single(s => s.Severity == IssueSeverity.Error);
        Assert.Equal(("LA_Code", File.ReadLines(Resubmission).Count() - 1L), (summary.Column, summary.Count));
    }
}
