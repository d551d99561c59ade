using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using Forecasting.Store.Import;

namespace Forecasting.Store;

/// <summary>Row count and order-independent content hash of one data table.</summary>
public sealed record TableHash(string Table, long Rows, string Hash);

/// <summary>A table put back from the last good copy at start-up.</summary>
public sealed record RestoredTable(string Table, long RowsBefore, long RowsAfter);

public enum StartupOutcome
{
    /// <summary>Every data table matches the latest snapshot (or the store is empty).</summary>
    Verified,
    /// <summary>Tables did not match; they were restored from the last good copy.</summary>
    Recovered,
    /// <summary>The latest snapshot predates recorded table hashes and its id does not match the content: nothing was changed.</summary>
    Unverified,
}

/// <summary>What the start-up check found and did; <see cref="Message"/> is the line the server logs.</summary>
public sealed record RecoveryReport(
    StartupOutcome Outcome,
    IReadOnlyList<string> Problems,
    IReadOnlyList<RestoredTable> Tables,
    string? RestoredSnapshotId,
    IReadOnlyList<string> DroppedSnapshots,
    string Message);

/// <summary>
/// Crash safety for imports that does not rely on DuckDB's write-ahead-log recovery being right (seen:
/// a process killed during a commit came back with the old and the new rows of a table side by side).
/// Every import records each table's content hash with its snapshot in the commit's transaction; after the
/// commit the store is checkpointed and a last good copy of the data tables and snapshots is written to
/// <c>&lt;db&gt;.good</c> (a new file, then an atomic rename). At start-up the hashes are recomputed; tables
/// that no longer match the latest snapshot are restored from the good copy in one transaction.
/// </summary>
public static class StoreIntegrity
{
    /// <summary>
    /// Tables the API appends to between imports (strategy and target versions): their hash legitimately moves away from
    /// the snapshot's, so they are checked for lost rows and duplicate keys instead and only restored when that fails.
    /// </summary>
    private static readonly HashSet<string> AppendedByApi = ["strategies", "strategy_phases", "strategy_targets", "measure_targets"];

    private const string GoodAlias = "forecasting_good";
    private const string NewGoodAlias = "forecasting_good_new";

    public static string GoodCopyPath(string databasePath) => databasePath + ".good";

    /// <summary>Count and hash of every data table as the given connection sees it (inside its transaction, if any).</summary>
    public static IReadOnlyList<TableHash> Hash(DuckDBConnection connection)
    {
        var list = new List<TableHash>();
        foreach (var spec in TableSchemas.All)
        {
            using var cmd = connection.CreateCommand();
            // 18446744073709551557 is the largest prime below 2^64: the sum stays order independent and bounded.
            cmd.CommandText = $"SELECT count(*), CAST(coalesce(sum(CAST(hash(t) AS HUGEINT)), 0) % 18446744073709551557 AS VARCHAR) FROM main.{spec.Name} t";
            using var reader = cmd.ExecuteReader();
            reader.Read();
            list.Add(new TableHash(spec.Name, reader.GetInt64(0), reader.GetString(1)));
        }
        return list;
    }

    /// <summary>
    /// The snapshot id: a digest of every table's count and hash and of the as-of date, so the same data stated for the
    /// same date gives the same id, and the same data stated for another date (whose answers differ) another id.
    /// Snapshots recorded before as-of dates were stated (schema version 9) digest the hashes alone (no date).
    /// </summary>
    public static string SnapshotId(IEnumerable<TableHash> hashes, DateOnly? asOf = null)
    {
        var text = new StringBuilder();
        foreach (var h in hashes) text.Append(h.Table).Append(':').Append(h.Rows).Append(':').Append(h.Hash).Append(';');
        if (asOf is { } date) text.Append("as_of:").Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(';');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>
    /// Records a snapshot of the tables as they now are: the snapshot row (id, time, source, rows per table)
    /// and every table's hash. Call inside the transaction that changed the data.
    /// </summary>
    public static SnapshotInfo RecordSnapshot(DuckDBConnection connection, string source, DateOnly asOf)
    {
        var hashes = Hash(connection);
        var rows = hashes.ToDictionary(h => h.Table, h => h.Rows);
        var snapshot = new SnapshotInfo(SnapshotId(hashes, asOf), DateTime.UtcNow, source, rows, asOf);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO snapshots (snapshot_id, created_at, source, table_counts, as_of_date) VALUES ($id, $at, $source, $counts, $as_of)";
            cmd.Parameters.Add(new DuckDBParameter("as_of", asOf.ToDateTime(TimeOnly.MinValue)));
            cmd.Parameters.Add(new DuckDBParameter("id", snapshot.SnapshotId));
            cmd.Parameters.Add(new DuckDBParameter("at", snapshot.CreatedAt));
            cmd.Parameters.Add(new DuckDBParameter("source", source));
            cmd.Parameters.Add(new DuckDBParameter("counts", System.Text.Json.JsonSerializer.Serialize(rows)));
            cmd.ExecuteNonQuery();
        }
        Record(connection, snapshot.SnapshotId, snapshot.CreatedAt, hashes);
        return snapshot;
    }

    /// <summary>Records the hashes of a snapshot; call inside the transaction that inserts the snapshot row.</summary>
    public static void Record(DuckDBConnection connection, string snapshotId, DateTime createdAt, IReadOnlyList<TableHash> hashes)
    {
        foreach (var h in hashes)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO snapshot_tables VALUES ($id, $at, $t, $n, $h)";
            cmd.Parameters.Add(new DuckDBParameter("id", snapshotId));
            cmd.Parameters.Add(new DuckDBParameter("at", createdAt));
            cmd.Parameters.Add(new DuckDBParameter("t", h.Table));
            cmd.Parameters.Add(new DuckDBParameter("n", h.Rows));
            cmd.Parameters.Add(new DuckDBParameter("h", h.Hash));
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// After an import's commit: fold the write-ahead log into the database file, so the committed data no
    /// longer depends on replaying it, and write the last good copy. The caller holds the store's write lock.
    /// </summary>
    public static void AfterCommit(ForecastingStore store, DuckDBConnection connection)
    {
        Checkpoint(connection);
        WriteGoodCopy(store, connection);
    }

    private static void Checkpoint(DuckDBConnection connection)
    {
        // A checkpoint can be refused while readers hold transactions; DuckDB then checkpoints later by itself,
        // and the good copy written next does not depend on it.
        try { ForecastingStore.Execute(connection, "CHECKPOINT"); }
        catch (DuckDBException) { }
    }

    /// <summary>
    /// Copies every data table, the snapshots and their hashes into a new file in one read transaction (one
    /// consistent view), flushes it to disk and renames it over <c>&lt;db&gt;.good</c>: a crash at any point leaves
    /// the previous good copy or the new one whole, never a partial file under that name.
    /// </summary>
    public static void WriteGoodCopy(ForecastingStore store, DuckDBConnection connection)
    {
        var good = GoodCopyPath(store.DatabasePath);
        var tmp = good + ".tmp";
        DeleteDatabaseFile(tmp);
        ForecastingStore.Execute(connection, $"ATTACH '{Quote(tmp)}' AS {NewGoodAlias}");
        try
        {
            using (var tx = connection.BeginTransaction())
            {
                foreach (var table in TableSchemas.All.Select(t => t.Name).Concat(["snapshots", "snapshot_tables"]))
                    ForecastingStore.Execute(connection, $"CREATE TABLE {NewGoodAlias}.{table} AS SELECT * FROM main.{table}");
                // The copy's own hashes, from the same view, so a restore can tell which tables differ from it.
                ForecastingStore.Execute(connection,
                    $"CREATE TABLE {NewGoodAlias}.good_copy_tables (table_name VARCHAR, row_count BIGINT, content_hash VARCHAR)");
                foreach (var h in Hash(connection))
                    ForecastingStore.Execute(connection,
                        $"INSERT INTO {NewGoodAlias}.good_copy_tables VALUES ('{h.Table}', {h.Rows}, '{h.Hash}')");
                tx.Commit();
            }
        }
        finally
        {
            ForecastingStore.Execute(connection, $"DETACH {NewGoodAlias}");
        }
        using (var stream = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
        File.Move(tmp, good, overwrite: true);
    }

    /// <summary>
    /// The start-up check: recompute every table's hash and compare it with the latest snapshot's; restore the
    /// tables that differ from the last good copy; (re)write the good copy when it is missing or stale.
    /// Returns null when there is nothing to say.
    /// </summary>
    public static RecoveryReport? CheckAtStartup(ForecastingStore store)
    {
        using var connection = store.Open();
        var current = Hash(connection);
        var latest = LatestSnapshot(connection);
        var problems = new List<Mismatch>();
        var goodPath = GoodCopyPath(store.DatabasePath);
        DeleteDatabaseFile(goodPath + ".tmp"); // a good copy whose writing was interrupted

        if (latest is null)
        {
            // No import ever committed, so every data table should be empty.
            problems.AddRange(current.Where(h => h.Rows > 0).Select(h => new Mismatch(h.Table, $"{h.Table} holds {h.Rows} rows but no import committed")));
            if (problems.Count == 0) return null;
        }
        else
        {
            var recorded = RecordedHashes(connection, latest.Value.Id, latest.Value.CreatedAt);
            if (recorded.Count == 0)
            {
                // Snapshots from before schema version 4 carry no table hashes; their id is a digest of them.
                // Ids digest the as-of date since schema version 9; older ones the hashes alone.
                var statedAsOf = ForecastingStore.CurrentAsOf(connection)?.AsOf;
                if (SnapshotId(current) != latest.Value.Id && SnapshotId(current, statedAsOf) != latest.Value.Id)
                {
                    return new RecoveryReport(StartupOutcome.Unverified, ["the latest snapshot has no recorded table hashes and its id does not match the data"],
                        [], null, [], $"Store check: could not verify the data against snapshot {latest.Value.Id} (it predates recorded table hashes and the content differs from its id); nothing was changed");
                }
                using (var tx = connection.BeginTransaction())
                {
                    Record(connection, latest.Value.Id, latest.Value.CreatedAt, current);
                    tx.Commit();
                }
            }
            else
            {
                problems.AddRange(Compare(connection, current, recorded));
            }
        }

        if (problems.Count == 0)
        {
            if (GoodCopyIsStale(connection, goodPath, current, latest?.Id)) WriteGoodCopy(store, connection);
            return null;
        }
        return Restore(store, connection, current, latest?.Id, problems);
    }

    /// <summary>A table that does not match what it should hold, and how.</summary>
    private sealed record Mismatch(string Table, string Text);

    private static IEnumerable<Mismatch> Compare(DuckDBConnection connection, IReadOnlyList<TableHash> current, IReadOnlyDictionary<string, TableHash> recorded)
    {
        foreach (var h in current)
        {
            if (!recorded.TryGetValue(h.Table, out var r))
            {
                // A table added after the snapshot that the API appends to starts from no rows.
                if (AppendedByApi.Contains(h.Table)) r = new TableHash(h.Table, 0, "");
                else
                {
                    if (h.Rows > 0) yield return new(h.Table, $"{h.Table} has {h.Rows} rows but no recorded hash");
                    continue;
                }
            }
            if (AppendedByApi.Contains(h.Table))
            {
                if (h.Rows < r.Rows) yield return new(h.Table, $"{h.Table} has {h.Rows} rows, fewer than the {r.Rows} of the snapshot");
                var duplicates = DuplicateKeys(connection, h.Table);
                if (duplicates > 0) yield return new(h.Table, $"{h.Table} has {duplicates} duplicate keys");
            }
            else if (h.Rows != r.Rows || h.Hash != r.Hash)
            {
                yield return new(h.Table, h.Rows != r.Rows
                    ? $"{h.Table} has {h.Rows} rows, the snapshot {r.Rows}"
                    : $"{h.Table} has the snapshot's {h.Rows} rows but different content");
            }
        }
    }

    private static long DuplicateKeys(DuckDBConnection connection, string table)
    {
        var key = string.Join(", ", TableSchemas.Find(table)!.Key);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT count(*) - count(DISTINCT ({key})) FROM main.{table}";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static RecoveryReport Restore(ForecastingStore store, DuckDBConnection connection, IReadOnlyList<TableHash> current,
        string? latestId, List<Mismatch> problems)
    {
        var goodPath = GoodCopyPath(store.DatabasePath);
        var problemText = string.Join("; ", problems.Select(p => p.Text));
        var failedAppendTables = problems.Select(p => p.Table).Where(AppendedByApi.Contains).ToHashSet();
        var restored = new List<RestoredTable>();
        var dropped = new List<string>();
        string? restoredSnapshot;

        if (!File.Exists(goodPath))
        {
            if (latestId is not null)
                throw new InvalidOperationException(
                    $"Store check: {store.DatabasePath} does not match its snapshot {latestId} ({problemText}) and there is no good copy at {goodPath} to restore; " +
                    "move the database aside and re-import.");
            // No import ever committed and no good copy: the expected contents are empty tables.
            using var tx = connection.BeginTransaction();
            foreach (var h in current.Where(h => h.Rows > 0))
            {
                ForecastingStore.Execute(connection, $"DELETE FROM main.{h.Table}");
                restored.Add(new RestoredTable(h.Table, h.Rows, 0));
            }
            tx.Commit();
            restoredSnapshot = null;
        }
        else
        {
            ForecastingStore.Execute(connection, $"ATTACH '{Quote(goodPath)}' AS {GoodAlias} (READ_ONLY)");
            try
            {
                var goodHashes = new Dictionary<string, TableHash>();
                using (var cmd = connection.CreateCommand())
                {
                    cmd.CommandText = $"SELECT table_name, row_count, content_hash FROM {GoodAlias}.good_copy_tables";
                    using var reader = cmd.ExecuteReader();
                    while (reader.Read()) goodHashes[reader.GetString(0)] = new TableHash(reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
                }
                using var tx = connection.BeginTransaction();
                foreach (var h in current)
                {
                    var good = goodHashes[h.Table];
                    // API-appended tables that passed their check keep the versions added since the good copy.
                    if (AppendedByApi.Contains(h.Table) && !failedAppendTables.Contains(h.Table)) continue;
                    if (good.Rows == h.Rows && good.Hash == h.Hash) continue;
                    ForecastingStore.Execute(connection, $"DELETE FROM main.{h.Table}");
                    ForecastingStore.Execute(connection, $"INSERT INTO main.{h.Table} BY NAME SELECT * FROM {GoodAlias}.{h.Table}");
                    restored.Add(new RestoredTable(h.Table, h.Rows, good.Rows));
                }
                // Snapshots newer than the good copy belong to an import that never returned: drop them.
                using (var cmd = connection.CreateCommand())
                {
                    cmd.CommandText = $"""
                        SELECT snapshot_id FROM main.snapshots m
                        WHERE NOT EXISTS (SELECT 1 FROM {GoodAlias}.snapshots g WHERE g.snapshot_id = m.snapshot_id AND g.created_at = m.created_at)
                        ORDER BY created_at
                        """;
                    using var reader = cmd.ExecuteReader();
                    while (reader.Read()) dropped.Add(reader.GetString(0));
                }
                foreach (var table in new[] { "snapshots", "snapshot_tables" })
                {
                    // Only differing rows are deleted and inserted: both tables have primary keys.
                    var same = $"g.snapshot_id = m.snapshot_id AND g.created_at = m.created_at" + (table == "snapshot_tables" ? " AND g.table_name = m.table_name" : "");
                    ForecastingStore.Execute(connection,
                        $"DELETE FROM main.{table} m WHERE NOT EXISTS (SELECT 1 FROM {GoodAlias}.{table} g WHERE {same})");
                    ForecastingStore.Execute(connection,
                        $"INSERT INTO main.{table} BY NAME SELECT * FROM {GoodAlias}.{table} g WHERE NOT EXISTS (SELECT 1 FROM main.{table} m WHERE {same})");
                }
                tx.Commit();
            }
            finally
            {
                ForecastingStore.Execute(connection, $"DETACH {GoodAlias}");
            }
            restoredSnapshot = LatestSnapshot(connection)?.Id;
        }

        Checkpoint(connection);
        // The restored store must now pass the same check; if it does not, serving it would repeat the defect.
        var after = Hash(connection);
        var latest = LatestSnapshot(connection);
        var remaining = latest is null
            ? after.Where(h => h.Rows > 0).Select(h => $"{h.Table} holds {h.Rows} rows").ToList()
            : Compare(connection, after, RecordedHashes(connection, latest.Value.Id, latest.Value.CreatedAt)).Select(p => p.Text).ToList();
        if (remaining.Count > 0)
            throw new InvalidOperationException(
                $"Store check: restoring {store.DatabasePath} from {goodPath} did not give a consistent store ({string.Join("; ", remaining)}); move the database aside and re-import.");
        if (latest is not null) WriteGoodCopy(store, connection);

        var tables = string.Join(", ", restored.Select(t => $"{t.Table} {t.RowsBefore} -> {t.RowsAfter} rows"));
        var message = $"Store check: the data did not match snapshot {latestId ?? "(none)"} ({problemText}); " +
                      $"restored from the last good copy: {(tables.Length == 0 ? "no table" : tables)}; " +
                      $"current snapshot {restoredSnapshot ?? "(none, empty store)"}" +
                      (dropped.Count > 0 ? $"; dropped snapshot {string.Join(", ", dropped)} of an import that did not finish" : "");
        return new RecoveryReport(StartupOutcome.Recovered, problems.Select(p => p.Text).ToList(), restored, restoredSnapshot, dropped, message);
    }

    private static bool GoodCopyIsStale(DuckDBConnection connection, string goodPath, IReadOnlyList<TableHash> current, string? latestId)
    {
        if (latestId is null) return false; // an empty store has nothing to keep
        if (!File.Exists(goodPath)) return true;
        try
        {
            ForecastingStore.Execute(connection, $"ATTACH '{Quote(goodPath)}' AS {GoodAlias} (READ_ONLY)");
        }
        catch (DuckDBException)
        {
            return true; // unreadable: write a new one
        }
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT table_name, row_count, content_hash FROM {GoodAlias}.good_copy_tables";
            var good = new Dictionary<string, (long, string)>();
            using (var reader = cmd.ExecuteReader())
                while (reader.Read()) good[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
            using var snap = connection.CreateCommand();
            snap.CommandText = $"SELECT count(*) FROM (SELECT snapshot_id, created_at FROM main.snapshots EXCEPT SELECT snapshot_id, created_at FROM {GoodAlias}.snapshots)";
            var missingSnapshots = Convert.ToInt64(snap.ExecuteScalar(), CultureInfo.InvariantCulture);
            return missingSnapshots > 0 || current.Any(h => !good.TryGetValue(h.Table, out var g) || g != (h.Rows, h.Hash));
        }
        catch (DuckDBException)
        {
            return true;
        }
        finally
        {
            ForecastingStore.Execute(connection, $"DETACH {GoodAlias}");
        }
    }

    private static (string Id, DateTime CreatedAt)? LatestSnapshot(DuckDBConnection connection) =>
        ForecastingStore.CurrentSnapshot(connection) is { } latest
            ? (latest.SnapshotId, DateTime.SpecifyKind(latest.CreatedAt, DateTimeKind.Unspecified))
            : null;

    private static Dictionary<string, TableHash> RecordedHashes(DuckDBConnection connection, string snapshotId, DateTime createdAt)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT table_name, row_count, content_hash FROM main.snapshot_tables WHERE snapshot_id = $id AND created_at = $at";
        cmd.Parameters.Add(new DuckDBParameter("id", snapshotId));
        cmd.Parameters.Add(new DuckDBParameter("at", createdAt));
        using var reader = cmd.ExecuteReader();
        var map = new Dictionary<string, TableHash>();
        while (reader.Read()) map[reader.GetString(0)] = new TableHash(reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
        return map;
    }

    private static void DeleteDatabaseFile(string path)
    {
        File.Delete(path);
        File.Delete(path + ".wal");
    }

    private static string Quote(string path) => path.Replace("'", "''");
}
