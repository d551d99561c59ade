using System.Globalization;
using System.Reflection;
using DuckDB.NET.Data;

namespace Forecasting.Store;

/// <summary>
/// The embedded DuckDB database: opens connections, applies migrations once, and reports
/// the current data snapshot. Connections to one file share a single DuckDB instance, which the
/// store keeps open for its lifetime: without a live connection every Open would reload the file.
/// The file is locked to this process while the store lives.
/// </summary>
public sealed class ForecastingStore : IDisposable
{
    private readonly string _connectionString;
    private readonly DuckDBConnection _keepAlive;

    public ForecastingStore(StoreOptions options)
    {
        DatabasePath = System.IO.Path.GetFullPath(options.Path);
        var directory = System.IO.Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = $"Data Source={DatabasePath}";
        _keepAlive = Open();
        SchemaVersion = Migrate();
        Recovery = StoreIntegrity.CheckAtStartup(this);
    }

    public void Dispose() => _keepAlive.Dispose();

    public string DatabasePath { get; }

    public int SchemaVersion { get; }

    /// <summary>
    /// What the start-up check found when the data did not match the latest snapshot (and what it restored),
    /// or null when the store was consistent. The server logs its message.
    /// </summary>
    public RecoveryReport? Recovery { get; }

    /// <summary>Serialises writers: DuckDB allows one writing transaction at a time per table.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public DuckDBConnection Open()
    {
        var connection = new DuckDBConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>The ordered migration scripts embedded in this assembly (001_initial.sql, ...).</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> MigrationScripts()
    {
        var assembly = typeof(ForecastingStore).Assembly;
        const string prefix = "Forecasting.Store.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..];
                var version = int.Parse(name[..name.IndexOf('_')], CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (version, name, reader.ReadToEnd());
            })
            .OrderBy(m => m.version)
            .ToList();
    }

    private int Migrate()
    {
        using var connection = Open();
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)
            """);
        var applied = new HashSet<int>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT version FROM schema_migrations";
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) applied.Add(reader.GetInt32(0));
        }

        var current = applied.Count == 0 ? 0 : applied.Max();
        foreach (var (version, name, sql) in MigrationScripts().Where(m => !applied.Contains(m.Version)))
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, sql);
            using var record = connection.CreateCommand();
            record.CommandText = "INSERT INTO schema_migrations VALUES ($v, $n, now())";
            record.Parameters.Add(new DuckDBParameter("v", version));
            record.Parameters.Add(new DuckDBParameter("n", name));
            record.ExecuteNonQuery();
            tx.Commit();
            current = Math.Max(current, version);
        }
        return current;
    }

    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Snapshots newest first; of two recorded at the same instant, the greater id counts as the later.</summary>
    private const string NewestFirst = " FROM snapshots ORDER BY created_at DESC, snapshot_id DESC";

    private const string SnapshotsNewestFirst = "SELECT snapshot_id, created_at, source, table_counts, as_of_date" + NewestFirst;

    /// <summary>The id of the latest snapshot alone (cheaper than its details), or null for an empty store.</summary>
    public static string? CurrentSnapshotId(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT snapshot_id" + NewestFirst + " LIMIT 1";
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>
    /// The current snapshot's id and as-of date (null for an empty store): the date the data run to as its import stated
    /// it. Every answer's default period ends at it and rows dated after it are left out of every answer.
    /// </summary>
    public static (string SnapshotId, DateOnly AsOf)? CurrentAsOf(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT snapshot_id, coalesce(as_of_date, CAST(created_at AS DATE))" + NewestFirst + " LIMIT 1";
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), ToDate(reader.GetValue(1))) : null;
    }

    /// <summary>The as-of date of a snapshot by id (of its latest record), or null for an unknown id.</summary>
    public DateOnly? AsOfOf(string? snapshotId)
    {
        if (string.IsNullOrEmpty(snapshotId)) return null;
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT coalesce(as_of_date, CAST(created_at AS DATE)) FROM snapshots WHERE snapshot_id = $id ORDER BY created_at DESC LIMIT 1";
        cmd.Parameters.Add(new DuckDBParameter("id", snapshotId));
        return cmd.ExecuteScalar() is { } value and not DBNull ? ToDate(value) : null;
    }

    /// <summary>A DATE value as DuckDB.NET returns it (DateOnly, or DateTime in older readers).</summary>
    internal static DateOnly ToDate(object value) => value switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        _ => DateOnly.FromDateTime(Convert.ToDateTime(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>The latest snapshot recorded by an import, or null for an empty store.</summary>
    public SnapshotInfo? CurrentSnapshot()
    {
        using var connection = Open();
        return CurrentSnapshot(connection);
    }

    /// <summary>The latest snapshot, read on the caller's connection (inside its transaction, if any).</summary>
    public static SnapshotInfo? CurrentSnapshot(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = SnapshotsNewestFirst + " LIMIT 1";
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? SnapshotInfo.Read(reader) : null;
    }

    /// <summary>How many snapshots the store holds (0 = no data imported yet).</summary>
    public long SnapshotCount()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM snapshots";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<SnapshotInfo> Snapshots()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = SnapshotsNewestFirst;
        using var reader = cmd.ExecuteReader();
        var list = new List<SnapshotInfo>();
        while (reader.Read()) list.Add(SnapshotInfo.Read(reader));
        return list;
    }
}

/// <param name="AsOfDate">The date the data run to, as the import stated it (see <see cref="ForecastingStore.CurrentAsOf"/>).</param>
public sealed record SnapshotInfo(string SnapshotId, DateTime CreatedAt, string Source, IReadOnlyDictionary<string, long> TableRows,
    DateOnly AsOfDate)
{
    internal static SnapshotInfo Read(System.Data.Common.DbDataReader reader) => new(
        reader.GetString(0),
        DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
        reader.GetString(2),
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(3)) ?? new(),
        reader.IsDBNull(4) ? DateOnly.FromDateTime(reader.GetDateTime(1)) : ForecastingStore.ToDate(reader.GetValue(4)));
}
