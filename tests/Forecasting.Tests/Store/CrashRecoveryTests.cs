using DuckDB.NET.Data;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Store;

/// <summary>
/// Issue 8, defect 1: a store whose tables no longer match the latest snapshot (as a torn write-ahead-log
/// recovery leaves it) is detected at start-up and restored from the last good copy. Here the store is torn by
/// hand, outside any import, so each case is exact and fast; <see cref="KilledImportLoopTests"/> kills real imports.
/// </summary>
[Trait("Category", "integration")]
public sealed class CrashRecoveryTests
{
    private const string Warnings = "warnings";

    /// <summary>Row counts of the small 'warnings' dataset, read from its CSVs with plain C#.</summary>
    private static Dictionary<string, long> CsvCounts(string directory) => TableSchemas.All.ToDictionary(
        t => t.Name, t => t.Optional && !File.Exists(Path.Combine(directory, t.Name + ".csv")) ? 0L : Csv.Load(Path.Combine(directory, t.Name + ".csv")).Rows.Count);

    /// <summary>The 'warnings' dataset with its last contact removed: a second, different snapshot.</summary>
    private static string ChangedExtract()
    {
        var dir = RepoPaths.TempDirectory();
        foreach (var file in Directory.GetFiles(RepoPaths.Bad(Warnings), "*.csv")) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        var contacts = File.ReadAllLines(Path.Combine(dir, "contacts.csv")).Where(l => l.Length > 0).ToList();
        File.WriteAllLines(Path.Combine(dir, "contacts.csv"), contacts.Take(contacts.Count - 1));
        return dir;
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    private static void Execute(string database, params string[] statements)
    {
        // Straight at the file, as another tool or a faulty recovery would change it.
        using var connection = new DuckDBConnection($"Data Source={database}");
        connection.Open();
        foreach (var sql in statements) ForecastingStore.Execute(connection, sql);
    }

    /// <summary>A store with two imports (A, then B) and a scenario; returns B's snapshot id.</summary>
    private static (string Database, string SnapshotB, Dictionary<string, long> Counts) TwoImports()
    {
        var database = Path.Combine(RepoPaths.TempDirectory(), "torn.duckdb");
        var changed = ChangedExtract();
        using var store = new ForecastingStore(new StoreOptions { Path = database });
        Assert.Null(store.Recovery);
        var importer = new DataImporter(store);
        Assert.True(importer.ImportDirectory(RepoPaths.Bad(Warnings)).Succeeded);
        var b = importer.ImportDirectory(changed);
        Assert.True(b.Succeeded);
        Assert.True(File.Exists(StoreIntegrity.GoodCopyPath(database)));
        using (var connection = store.Open())
            ForecastingStore.Execute(connection,
                "INSERT INTO planning_scenarios VALUES ('E06009999', 'kept', 1, 'kept', NULL, '{}', 'test', now(), false)");
        return (database, b.SnapshotId!, CsvCounts(changed));
    }

    [Fact]
    public void Duplicated_contacts_are_detected_and_the_last_good_contents_restored()
    {
        var (database, snapshotB, expected) = TwoImports();
        // The defect's shape: the old rows and the uncommitted new rows side by side, under the old snapshot id,
        // plus a lost row in a second table.
        Execute(database,
            "INSERT INTO contacts SELECT * FROM contacts",
            "DELETE FROM admissions WHERE admission_id = (SELECT min(admission_id) FROM admissions)");

        using var store = new ForecastingStore(new StoreOptions { Path = database });

        var recovery = Assert.IsType<RecoveryReport>(store.Recovery);
        Assert.Equal(StartupOutcome.Recovered, recovery.Outcome);
        Assert.Equal(snapshotB, recovery.RestoredSnapshotId);
        Assert.Equal(
            new[] { new RestoredTable("contacts", 2 * expected["contacts"], expected["contacts"]), new RestoredTable("admissions", expected["admissions"] - 1, expected["admissions"]) }
                .OrderBy(t => t.Table),
            recovery.Tables.OrderBy(t => t.Table));
        Assert.Contains($"contacts {2 * expected["contacts"]} -> {expected["contacts"]} rows", recovery.Message);
        Assert.Contains(snapshotB, recovery.Message);
        Assert.Empty(recovery.DroppedSnapshots);

        using var connection = store.Open();
        foreach (var (table, rows) in expected) Assert.Equal(rows, Scalar(connection, $"SELECT count(*) FROM {table}"));
        Assert.Equal(expected["contacts"], Scalar(connection, "SELECT count(DISTINCT contact_id) FROM contacts"));
        Assert.Equal(snapshotB, store.CurrentSnapshot()!.SnapshotId);
        Assert.Equal(snapshotB, DataImporter.ComputeSnapshotId(connection));
        Assert.Equal(2, store.Snapshots().Count);
        // Tables outside the data and snapshots are left as they were.
        Assert.Equal(1, Scalar(connection, "SELECT count(*) FROM planning_scenarios WHERE scenario_id = 'kept'"));
        Assert.Equal(2, Scalar(connection, "SELECT count(*) FROM import_reports"));
    }

    [Fact]
    public void A_restored_store_is_consistent_at_the_next_start()
    {
        var (database, snapshotB, _) = TwoImports();
        Execute(database, "UPDATE population SET population = population + 1");
        using (var store = new ForecastingStore(new StoreOptions { Path = database }))
            Assert.Equal(["population"], store.Recovery!.Tables.Select(t => t.Table));

        using var again = new ForecastingStore(new StoreOptions { Path = database });
        Assert.Null(again.Recovery);
        Assert.Equal(snapshotB, again.CurrentSnapshot()!.SnapshotId);
    }

    [Fact]
    public void A_snapshot_whose_import_did_not_finish_is_dropped_with_its_partial_rows()
    {
        var (database, snapshotB, expected) = TwoImports();
        // A recovered snapshot row with only part of its import's rows: its hashes are those of a fuller table.
        Execute(database,
            "INSERT INTO snapshots (snapshot_id, created_at, source, table_counts) VALUES ('00000000deadbeef', TIMESTAMP '2099-01-01', 'torn', '{}')",
            "INSERT INTO snapshot_tables SELECT '00000000deadbeef', TIMESTAMP '2099-01-01', table_name, row_count + 5, content_hash FROM snapshot_tables " +
            "WHERE created_at = (SELECT max(created_at) FROM snapshot_tables WHERE snapshot_id <> '00000000deadbeef')",
            "DELETE FROM contacts WHERE contact_id IN (SELECT contact_id FROM contacts LIMIT 2)");

        using var store = new ForecastingStore(new StoreOptions { Path = database });

        var recovery = store.Recovery!;
        Assert.Equal(StartupOutcome.Recovered, recovery.Outcome);
        Assert.Equal(["00000000deadbeef"], recovery.DroppedSnapshots);
        Assert.Equal(snapshotB, recovery.RestoredSnapshotId);
        Assert.Contains("dropped snapshot 00000000deadbeef", recovery.Message);
        using var connection = store.Open();
        Assert.Equal(expected["contacts"], Scalar(connection, "SELECT count(*) FROM contacts"));
        Assert.Equal(0, Scalar(connection, "SELECT count(*) FROM snapshot_tables WHERE snapshot_id = '00000000deadbeef'"));
        Assert.Equal(snapshotB, DataImporter.ComputeSnapshotId(connection));
    }

    [Fact]
    public void Strategy_versions_added_through_the_api_are_not_a_torn_store()
    {
        var (database, snapshotB, expected) = TwoImports();
        Execute(database,
            "INSERT INTO strategies SELECT council_code, strategy_id, version + 1, name, start_fy, end_fy, client_group, now(), 'lead', 'rebased' FROM strategies",
            "INSERT INTO strategy_phases SELECT council_code, strategy_id, version + 1, phase, start_fy, end_fy, unit_target + 1 FROM strategy_phases");

        using var store = new ForecastingStore(new StoreOptions { Path = database });

        Assert.Null(store.Recovery);
        using var connection = store.Open();
        Assert.Equal(2 * expected["strategies"], Scalar(connection, "SELECT count(*) FROM strategies"));
        Assert.Equal(snapshotB, store.CurrentSnapshot()!.SnapshotId);
    }

    [Fact]
    public void Duplicated_strategy_versions_are_restored()
    {
        var (database, _, expected) = TwoImports();
        Execute(database, "INSERT INTO strategies SELECT * FROM strategies");

        using var store = new ForecastingStore(new StoreOptions { Path = database });

        Assert.Equal([new RestoredTable("strategies", 2 * expected["strategies"], expected["strategies"])], store.Recovery!.Tables);
    }

    [Fact]
    public void Without_a_good_copy_a_torn_store_refuses_to_open_rather_than_serve_wrong_data()
    {
        var (database, snapshotB, _) = TwoImports();
        File.Delete(StoreIntegrity.GoodCopyPath(database));
        Execute(database, "INSERT INTO contacts SELECT * FROM contacts");

        var error = Assert.Throws<InvalidOperationException>(() => new ForecastingStore(new StoreOptions { Path = database }));
        Assert.Contains(snapshotB, error.Message);
        Assert.Contains("no good copy", error.Message);
    }

    [Fact]
    public void A_store_from_before_recorded_hashes_is_checked_against_its_snapshot_id()
    {
        var (database, snapshotB, _) = TwoImports();
        Execute(database, "DELETE FROM snapshot_tables");
        using (var store = new ForecastingStore(new StoreOptions { Path = database }))
        {
            Assert.Null(store.Recovery);
            using var connection = store.Open();
            Assert.Equal(TableSchemas.All.Count, Scalar(connection, $"SELECT count(*) FROM snapshot_tables WHERE snapshot_id = '{snapshotB}'"));
        }

        // Without hashes and with content that does not give the snapshot id, it cannot tell what is right: it says so and changes nothing.
        Execute(database, "DELETE FROM snapshot_tables", "DELETE FROM population WHERE year = (SELECT min(year) FROM population)");
        using var unverified = new ForecastingStore(new StoreOptions { Path = database });
        Assert.Equal(StartupOutcome.Unverified, unverified.Recovery!.Outcome);
        Assert.Contains(snapshotB, unverified.Recovery.Message);
        Assert.Empty(unverified.Recovery.Tables);
    }

    [Fact]
    public void A_missing_good_copy_of_a_consistent_store_is_written_at_start()
    {
        var (database, _, _) = TwoImports();
        var good = StoreIntegrity.GoodCopyPath(database);
        File.Delete(good);
        File.WriteAllText(good + ".tmp", "an interrupted copy");

        using (var store = new ForecastingStore(new StoreOptions { Path = database })) Assert.Null(store.Recovery);

        Assert.True(File.Exists(good));
        Assert.False(File.Exists(good + ".tmp"));
        Execute(database, "DELETE FROM contacts");
        using var restored = new ForecastingStore(new StoreOptions { Path = database });
        Assert.Equal("contacts", Assert.Single(restored.Recovery!.Tables).Table);
    }
}
