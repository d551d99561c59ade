using Forecasting.Contracts.V1;
using Forecasting.Store;
using Forecasting.Store.Import;
using Google.Protobuf.WellKnownTypes;

namespace Forecasting.Server.Services;

/// <summary>Row counts and date coverage of every table, the current snapshot and the councils held.</summary>
public sealed class StoreStatusReader(ForecastingStore store)
{
    /// <param name="councils">The caller's councils (null = every council): counts, dates and the council list cover only these.</param>
    public StoreStatus Read(IReadOnlyCollection<string>? councils = null)
    {
        // The file name only: the server's directory layout is not the caller's business.
        var status = new StoreStatus { SchemaVersion = store.SchemaVersion, DatabasePath = Path.GetFileName(store.DatabasePath) };
        if (store.CurrentSnapshot() is { } snapshot)
        {
            status.SnapshotId = snapshot.SnapshotId;
            status.SnapshotTime = Timestamp.FromDateTime(snapshot.CreatedAt);
        }
        using var connection = store.Open();
        var scope = councils is null ? "TRUE" : "list_contains($councils, council_code)";
        foreach (var table in TableSchemas.All)
        {
            using var cmd = connection.CreateCommand();
            var dates = table.DateColumn is null ? "NULL, NULL" : $"strftime(min({table.DateColumn}), '%Y-%m-%d'), strftime(max({table.DateColumn}), '%Y-%m-%d')";
            cmd.CommandText = $"SELECT count(*), {dates} FROM {table.Name} WHERE {scope}";
            if (councils is not null) cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("councils", councils.ToList()));
            using var reader = cmd.ExecuteReader();
            reader.Read();
            status.Tables.Add(new TableStatus
            {
                Table = table.Name,
                Rows = reader.GetInt64(0),
                DateColumn = table.DateColumn ?? "",
                MinDate = reader.IsDBNull(1) ? "" : reader.GetString(1),
                MaxDate = reader.IsDBNull(2) ? "" : reader.GetString(2),
            });
        }
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT council_code, name, region FROM councils WHERE {scope} ORDER BY council_code";
            if (councils is not null) cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("councils", councils.ToList()));
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
                status.Councils.Add(new CouncilInfo { CouncilCode = reader.GetString(0), Name = reader.GetString(1), Region = reader.GetString(2) });
        }
        return status;
    }
}
