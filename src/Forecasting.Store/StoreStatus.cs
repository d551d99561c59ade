using Forecasting.Store.Import;

namespace Forecasting.Store;

/// <summary>Rows and date coverage of one table.</summary>
public sealed record TableCoverage(string Table, long Rows, string? DateColumn, string? MinDate, string? MaxDate);

/// <summary>A council the store holds.</summary>
public sealed record CouncilRecord(string CouncilCode, string Name, string Region);

/// <summary>What the store holds: schema, file name, current snapshot, every table's coverage and the councils.</summary>
public sealed record StoreStatusReport(int SchemaVersion, string DatabaseFileName, SnapshotInfo? Snapshot,
    IReadOnlyList<TableCoverage> Tables, IReadOnlyList<CouncilRecord> Councils);

/// <summary>Row counts and date coverage of every table, the current snapshot and the councils held.</summary>
public interface IStoreStatus
{
    /// <param name="councils">The caller's councils (null = every council): counts, dates and the council list cover only these.</param>
    StoreStatusReport Read(IReadOnlyCollection<string>? councils = null);

    /// <summary>Every data snapshot, newest first.</summary>
    IReadOnlyList<SnapshotInfo> Snapshots();
}

public sealed class StoreStatusReader(ForecastingStore store) : IStoreStatus
{
    public IReadOnlyList<SnapshotInfo> Snapshots() => store.Snapshots();

    public StoreStatusReport Read(IReadOnlyCollection<string>? councils = null)
    {
        var snapshot = store.CurrentSnapshot();
        using var connection = store.Open();
        var scope = councils is null ? "TRUE" : "list_contains($councils, council_code)";
        var tables = new List<TableCoverage>();
        foreach (var table in TableSchemas.All)
        {
            using var cmd = connection.CreateCommand();
            var dates = table.DateColumn is null ? "NULL, NULL" : $"strftime(min({table.DateColumn}), '%Y-%m-%d'), strftime(max({table.DateColumn}), '%Y-%m-%d')";
            cmd.CommandText = $"SELECT count(*), {dates} FROM {table.Name} WHERE {scope}";
            if (councils is not null) cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("councils", councils.ToList()));
            using var reader = cmd.ExecuteReader();
            reader.Read();
            tables.Add(new TableCoverage(table.Name, reader.GetInt64(0), table.DateColumn,
                reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        var held = new List<CouncilRecord>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT council_code, name, region FROM councils WHERE {scope} ORDER BY council_code";
            if (councils is not null) cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("councils", councils.ToList()));
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) held.Add(new CouncilRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        // The file name only: the server's directory layout is not the caller's business.
        return new StoreStatusReport(store.SchemaVersion, Path.GetFileName(store.DatabasePath), snapshot, tables, held);
    }
}
