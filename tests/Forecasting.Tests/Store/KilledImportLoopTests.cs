using System.Diagnostics;
using DuckDB.NET.Data;
using Forecasting.Contracts.V1;
using Forecasting.Store;
using Forecasting.Tests.Support;
using Grpc.Core;
using Xunit.Abstractions;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;
using DataImporter = Forecasting.Store.Import.DataImporter;

namespace Forecasting.Tests.Store;

/// <summary>
/// A short version of the kill-import benchmark (bench/README.md): the server process is killed five times
/// during contacts imports, four of them 0-15 ms after the write-ahead log starts growing (the commit), and
/// each time the reopened store must hold exactly the old or the new extract under its own snapshot.
/// </summary>
[Trait("Category", "slow")]
public sealed class KilledImportLoopTests(ITestOutputHelper output)
{
    private static long Count(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    /// <summary>A directory holding the sample's contacts dated before the given year (and, for a seed, the two tables contacts refer to).</summary>
    private static (string Directory, long Rows) Extract(string root, int beforeYear, bool allTables)
    {
        var dir = Path.Combine(root, $"before{beforeYear}");
        Directory.CreateDirectory(dir);
        if (allTables)
            foreach (var table in new[] { "councils", "localities" })
                File.Copy(Path.Combine(RepoPaths.Samples, table + ".csv"), Path.Combine(dir, table + ".csv"));
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Samples, "contacts.csv"));
        var kept = lines.Skip(1).Where(l => l.Length > 0 && int.Parse(l.Split(',')[2][..4]) < beforeYear).ToList();
        File.WriteAllLines(Path.Combine(dir, "contacts.csv"), kept.Prepend(lines[0]));
        return (dir, kept.Count);
    }

    [Fact]
    public async Task Killing_imports_at_varied_points_never_leaves_a_torn_store()
    {
        var root = RepoPaths.TempDirectory();
        var database = Path.Combine(root, "loop.duckdb");
        var (seed, seedRows) = Extract(root, 2018, allTables: true);
        var (smaller, smallerRows) = Extract(Path.Combine(root, "import"), 2017, allTables: false);
        var (larger, _) = Extract(Path.Combine(root, "import-larger"), 2018, allTables: false);
        // ms after the log starts growing (the commit), or ms after the import starts when negative.
        double[] kills = [0, 5, 10, 15, -200];
        var current = seedRows;

        foreach (var kill in kills)
        {
            var (dir, target) = current == seedRows ? (smaller, smallerRows) : (larger, seedRows);
            ImportReport? reply = null;
            using (var server = await ServerProcess.StartAsync(database, seed))
            {
                using var channel = server.Channel();
                var call = new DataService.DataServiceClient(channel).ImportAsync(new ImportRequest { Directory = dir }, Key(AnalystKey));
                var wal = database + ".wal";
                long Wal() => new FileInfo(wal) is { Exists: true } f ? f.Length : 0;
                var baseline = Wal();
                var watch = Stopwatch.StartNew();
                double? grew = null;
                while (!call.ResponseAsync.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(60))
                {
                    if (grew is null && Wal() > baseline) grew = watch.Elapsed.TotalMilliseconds;
                    if (kill < 0 && watch.Elapsed.TotalMilliseconds >= -kill) break;
                    if (kill >= 0 && grew is { } g && watch.Elapsed.TotalMilliseconds >= g + kill) break;
                    if (grew is null) Thread.Sleep(1); else Thread.SpinWait(100);
                }
                // Already completed: awaiting does not block, and the kill below must follow at once.
                if (call.ResponseAsync.IsCompletedSuccessfully) reply = await call.ResponseAsync;
                server.Kill();
                try { await call.ResponseAsync; }
                catch (RpcException) { }
            }

            using var store = new ForecastingStore(new StoreOptions { Path = database });
            using var connection = store.Open();
            var contacts = Count(connection, "SELECT count(*) FROM contacts");
            var where = $"kill at {kill} ms: contacts = {contacts}, old {current}, new {target}";
            Assert.True(contacts == current || contacts == target, where);
            Assert.Equal(contacts, Count(connection, "SELECT count(DISTINCT contact_id) FROM contacts"));
            var latest = store.CurrentSnapshot()!;
            Assert.Equal(latest.SnapshotId, DataImporter.ComputeSnapshotId(connection));
            Assert.Equal(contacts, latest.TableRows["contacts"]);
            if (reply is not null)
            {
                Assert.True(reply.Succeeded, where);
                Assert.Equal(target, contacts);
                Assert.Equal(reply.SnapshotId, latest.SnapshotId);
            }
            // Whether a recovery was needed depends on where DuckDB's log recovery goes wrong: reported, not required.
            output.WriteLine($"{where}; replied: {reply is not null}; recovery: {store.Recovery?.Message ?? "none"}");
            current = contacts;
        }
    }
}
