using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DuckDB.NET.Data;
using Forecasting.Contracts.V1;
using Forecasting.Store;
using DataImporter = Forecasting.Store.Import.DataImporter;
using Grpc.Core;
using Grpc.Net.Client;

namespace Forecasting.Bench;

/// <summary>
/// The kill loop: the real server process imports a large contacts extract and is killed with
/// SIGKILL at many points across the import, densely in the commit window (0-20 ms after the write-ahead log
/// starts growing). After each kill the database is first opened directly (DuckDB replays its log: this is
/// what a server without the start-up check would serve) and then opened as the store (the start-up check,
/// the same constructor the server runs). Both are checked for a torn store; snapshots the import returned
/// must survive. The next import runs on a newly started server, whose start-up must then find nothing.
/// </summary>
public static class KillImportBenchmark
{
    private const string AnalystKey = "dev-analyst-key";

    public static int Run(string[] args)
    {
        var o = Options.Parse(args);
        var work = Directory.CreateTempSubdirectory("forecasting-kill-import-");
        try
        {
            return Loop(o, work.FullName);
        }
        finally
        {
            if (!o.Keep) work.Delete(recursive: true);
        }
    }

    private static int Loop(Options o, string work)
    {
        var sample = FindSample();
        var small = Path.Combine(work, "small");
        var big = Path.Combine(work, "big");
        Directory.CreateDirectory(small);
        Directory.CreateDirectory(big);
        File.Copy(Path.Combine(sample, "contacts.csv"), Path.Combine(small, "contacts.csv"));
        var smallRows = File.ReadLines(Path.Combine(small, "contacts.csv")).Skip(1).LongCount(l => l.Length > 0);
        var bigRows = WriteBig(Path.Combine(small, "contacts.csv"), Path.Combine(big, "contacts.csv"), o.Copies);
        var database = Path.Combine(work, "kill.duckdb");
        Console.WriteLine($"contacts: {smallRows:N0} (sample) and {bigRows:N0} (generated, {o.Copies} copies with new ids); database {database}");

        var rng = new Random(o.Seed);
        var server = Server.Start(database, sample, work);
        var current = smallRows;
        // Calibration: one complete import each way gives the durations and when the log starts growing.
        var calibration = new Dictionary<long, (double Total, double Wal)>();
        var ids = new Dictionary<long, string>();
        foreach (var (dir, rows) in new[] { (big, bigRows), (small, smallRows) })
        {
            var run = server.Import(dir, database, killAt: null);
            if (run.Reply is not { Succeeded: true } reply) throw new InvalidOperationException("calibration import failed");
            calibration[rows] = (run.KilledAtMs, run.WalGrewMs ?? double.NaN);
            ids[rows] = reply.SnapshotId;
            Console.WriteLine($"complete import of {rows:N0} contacts: {run.KilledAtMs:F0} ms, log grew at {run.WalGrewMs:F0} ms");
        }
        server.Kill();

        var results = new List<Result>();
        for (var i = 0; i < o.Kills; i++)
        {
            var (dir, target) = current == smallRows ? (big, bigRows) : (small, smallRows);
            var (total, wal) = calibration[target];
            // A third spread over the whole import, a third 0-20 ms after the log starts growing (the defect's
            // window), a third from the log's growth to just past the reply (commit, checkpoint, good copy).
            KillAt killAt = (i % 3) switch
            {
                0 => new KillAt(null, rng.NextDouble() * total * 1.1),
                1 => new KillAt(rng.NextDouble() * 20, null),
                _ => new KillAt(20 + rng.NextDouble() * (total - wal + 200), null),
            };
            server = Server.Start(database, sample, work);
            var run = server.Import(dir, database, killAt);
            server.Kill();
            var result = Check(database, run, current, target, ids, server.StoreCheckLines());
            results.Add(result);
            current = result.ContactsAfter == target ? target : current;
            Console.WriteLine($"{i + 1,4} {run.Phase,-12} kill at {run.KilledAtMs,7:F0} ms ({(run.WalGrewMs is { } w ? $"log +{run.KilledAtMs - w,6:F1} ms" : "log quiet"),-16}) " +
                              $"direct {result.ContactsDirect,9:N0}{(result.TornDirect ? " TORN" : "     ")} -> store {result.ContactsAfter,9:N0}" +
                              $"{(result.TornAfter ? " TORN" : "")}{(result.LostSnapshot ? " LOST SNAPSHOT" : "")}{(result.Recovery is { } r ? $" | {r}" : "")}");
            if (result.Fatal is { } fatal)
            {
                Console.WriteLine($"stopping: {fatal}");
                break;
            }
        }

        Console.WriteLine();
        Console.WriteLine($"kills: {results.Count} (validating {results.Count(r => r.Phase == "validating")}, " +
                          $"commit {results.Count(r => r.Phase == "commit")}, after reply {results.Count(r => r.Phase == "after reply")})");
        var window = results.Where(r => r.KillAfterWalMs is >= 0 and <= 20).ToList();
        Console.WriteLine($"kills 0-20 ms after the log started growing: {window.Count} " +
                          $"(of them 5-15 ms: {window.Count(r => r.KillAfterWalMs is >= 5 and <= 15)})");
        Console.WriteLine($"imports that replied before the kill: {results.Count(r => r.Replied)}");
        Console.WriteLine($"torn stores as DuckDB recovered them (what the server served without the check): {results.Count(r => r.TornDirect)}");
        Console.WriteLine($"torn stores after the start-up check: {results.Count(r => r.TornAfter)}");
        Console.WriteLine($"lost snapshots (returned to the caller, missing after restart): {results.Count(r => r.LostSnapshot)}");
        Console.WriteLine($"restarts that reported a recovery: {results.Count(r => r.Recovery is not null)}");
        Console.WriteLine($"server starts that found something more after the store had been checked: {results.Count(r => r.ServerReported)}");
        return results.Any(r => r.TornAfter || r.LostSnapshot || r.Fatal is not null) ? 1 : 0;
    }

    private sealed record Result(string Phase, double? KillAfterWalMs, bool Replied, long ContactsDirect, bool TornDirect,
        long ContactsAfter, bool TornAfter, bool LostSnapshot, string? Recovery, bool ServerReported, string? Fatal);

    private static Result Check(string database, ImportRun run, long before, long target, Dictionary<long, string> ids, IReadOnlyList<string> serverLines)
    {
        var afterWal = run.WalGrewMs is { } w ? run.KilledAtMs - w : (double?)null;
        bool Torn(DuckDBConnection c, out long contacts)
        {
            contacts = Scalar(c, "SELECT count(*) FROM contacts");
            var distinct = Scalar(c, "SELECT count(DISTINCT contact_id) FROM contacts");
            var latest = LatestSnapshot(c);
            // Exactly the old or the new extract, no duplicate ids, the content hash of the latest snapshot,
            // and that snapshot the one the rows belong to.
            return (contacts != before && contacts != target) || distinct != contacts || latest is null
                   || DataImporter.ComputeSnapshotId(c) != latest.Value.Id || ids[contacts == target ? target : before] != latest.Value.Id;
        }

        long direct;
        bool tornDirect;
        try
        {
            using var connection = new DuckDBConnection($"Data Source={database}");
            connection.Open();
            tornDirect = Torn(connection, out direct);
        }
        catch (Exception ex) when (ex is DuckDBException or KeyNotFoundException)
        {
            return new Result(run.Phase, afterWal, run.Reply is not null, -1, true, -1, true, false, null, false, $"direct open failed: {ex.Message}");
        }

        try
        {
            using var store = new ForecastingStore(new StoreOptions { Path = database });
            using var connection = store.Open();
            var tornAfter = Torn(connection, out var after);
            var lost = false;
            if (run.Reply is { Succeeded: true } reply)
            {
                // The snapshot the caller was given must be the latest one, at the time it was given.
                var latest = LatestSnapshot(connection)!.Value;
                lost = latest.Id != reply.SnapshotId || Math.Abs((latest.CreatedAt - reply.CreatedAt.ToDateTime()).TotalMilliseconds) > 1;
            }
            return new Result(run.Phase, afterWal, run.Reply is not null, direct, tornDirect, after, tornAfter, lost,
                store.Recovery?.Message, serverLines.Count > 0, null);
        }
        catch (Exception ex) when (ex is DuckDBException or InvalidOperationException or KeyNotFoundException)
        {
            return new Result(run.Phase, afterWal, run.Reply is not null, direct, tornDirect, -1, true, false, null, false, $"store open failed: {ex.Message}");
        }
    }

    private static (string Id, DateTime CreatedAt)? LatestSnapshot(DuckDBConnection c) =>
        ForecastingStore.CurrentSnapshot(c) is { } latest ? (latest.SnapshotId, latest.CreatedAt) : null;

    private static long Scalar(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The sample's contacts repeated with new ids (K{copy}-{id}): same mixes, ten times the rows.</summary>
    private static long WriteBig(string source, string target, int copies)
    {
        var lines = File.ReadAllLines(source);
        using var writer = new StreamWriter(target);
        writer.WriteLine(lines[0]);
        long rows = 0;
        for (var k = 0; k < copies; k++)
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var comma = line.IndexOf(',');
                writer.Write(line.AsSpan(0, comma + 1));
                writer.Write($"K{k}-");
                writer.WriteLine(line.AsSpan(comma + 1));
                rows++;
            }
        return rows;
    }

    /// <summary>When to kill: this many ms after the write-ahead log starts growing, or after the import starts.</summary>
    private sealed record KillAt(double? AfterWalMs, double? AfterStartMs);

    private sealed record ImportRun(ImportReport? Reply, double ReplyMs, double? WalGrewMs, double KilledAtMs, string Phase);

    private sealed class Server
    {
        private readonly BenchServer _server;
        private readonly ConcurrentQueue<string> _storeCheck;

        private Server(BenchServer server, ConcurrentQueue<string> storeCheck)
        {
            _server = server;
            _storeCheck = storeCheck;
        }

        public string Address => _server.Address;

        public IReadOnlyList<string> StoreCheckLines() => _storeCheck.ToList();

        public static Server Start(string database, string seed, string importDirectory)
        {
            var lines = new ConcurrentQueue<string>();
            var server = BenchServer.Start(database, seed, onOutput: line =>
            {
                if (line.Contains("Store check", StringComparison.Ordinal)) lines.Enqueue(line);
            }, importDirectory: importDirectory);
            return new Server(server, lines);
        }

        /// <summary>Starts the import, watches the log file, kills the process at the given moment (null: let it finish).</summary>
        public ImportRun Import(string directory, string database, KillAt? killAt)
        {
            using var channel = GrpcChannel.ForAddress(Address);
            var data = new DataService.DataServiceClient(channel);
            var wal = database + ".wal";
            long WalLength() { var f = new FileInfo(wal); return f.Exists ? f.Length : 0; }
            var baseline = WalLength();
            var watch = Stopwatch.StartNew();
            // The loop swaps 1.85 million contacts for the sample's 184,906 and back: the shrink is intended.
            var call = data.ImportAsync(new ImportRequest { Directory = directory, AllowShrink = true }, new Metadata { { "x-api-key", AnalystKey } });
            double? walGrew = null;
            double replyMs = double.NaN;
            _ = call.ResponseAsync.ContinueWith(_ => replyMs = watch.Elapsed.TotalMilliseconds, TaskScheduler.Default);
            while (true)
            {
                var now = watch.Elapsed.TotalMilliseconds;
                if (walGrew is null && WalLength() > baseline) walGrew = now;
                if (killAt is { AfterStartMs: { } s } && now >= s) break;
                if (killAt is { AfterWalMs: { } a } && walGrew is { } g && now >= g + a) break;
                if (call.ResponseAsync.IsCompleted && (killAt is null || now > 600_000)) break;
                if (killAt is { AfterWalMs: not null } && call.ResponseAsync.IsCompleted) break; // it finished first
                if (walGrew is null) Thread.Sleep(1); else Thread.SpinWait(200);
            }
            var killedAt = watch.Elapsed.TotalMilliseconds;
            var replied = call.ResponseAsync.IsCompletedSuccessfully;
            if (killAt is not null) Kill();
            ImportReport? reply = null;
            try { reply = call.ResponseAsync.GetAwaiter().GetResult(); }
            catch (RpcException) { }
            // Only a reply that had arrived before the kill counts as given to the caller.
            if (!replied && killAt is not null) reply = null;
            var phase = replied ? "after reply" : walGrew is null ? "validating" : "commit";
            return new ImportRun(reply, replyMs, walGrew, killedAt, phase);
        }

        public void Kill()
        {
            _server.Kill();
        }
    }

    private static string FindSample()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data-samples", "harbridge");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("data-samples/harbridge not found; run from the repository");
    }

    private sealed record Options(int Kills, int Copies, int Seed, bool Keep)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options(100, 10, 1, false);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                o = args[i] switch
                {
                    "--kills" => o with { Kills = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--copies" => o with { Copies = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--keep" => o with { Keep = true },
                    _ => throw new ArgumentException($"unknown option {args[i]}; options: --kills --copies --seed --keep"),
                };
            }
            return o;
        }
    }
}
