using DuckDB.NET.Data;
using Forecasting.Contracts.V1;
using Forecasting.Store;
using Google.Protobuf;

namespace Forecasting.Server.Services;

/// <summary>Stores every forecast run whole, in the contract's JSON form; runs are only ever inserted.</summary>
public sealed class ForecastRunRepository(ForecastingStore store)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public void Save(ForecastRun run)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO forecast_runs VALUES ($id, $kind, $at, $snapshot, $by, $count, $seconds, $json)";
        cmd.Parameters.Add(new DuckDBParameter("id", run.RunId));
        cmd.Parameters.Add(new DuckDBParameter("kind", run.Kind));
        cmd.Parameters.Add(new DuckDBParameter("at", run.CreatedAt.ToDateTime()));
        cmd.Parameters.Add(new DuckDBParameter("snapshot", run.SnapshotId));
        cmd.Parameters.Add(new DuckDBParameter("by", run.RequestedBy));
        cmd.Parameters.Add(new DuckDBParameter("count", run.Series.Count));
        cmd.Parameters.Add(new DuckDBParameter("seconds", run.Seconds));
        cmd.Parameters.Add(new DuckDBParameter("json", Formatter.Format(run)));
        cmd.ExecuteNonQuery();
    }

    public ForecastRun? Get(string runId)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT run_json FROM forecast_runs WHERE run_id = $id";
        cmd.Parameters.Add(new DuckDBParameter("id", runId));
        return cmd.ExecuteScalar() is string json ? Parser.Parse<ForecastRun>(json) : null;
    }

    public IReadOnlyList<RunInfo> List(int limit)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT run_id, kind, created_at, snapshot_id, series_count FROM forecast_runs ORDER BY created_at DESC LIMIT $limit";
        cmd.Parameters.Add(new DuckDBParameter("limit", limit));
        using var reader = cmd.ExecuteReader();
        var runs = new List<RunInfo>();
        while (reader.Read())
            runs.Add(new RunInfo
            {
                RunId = reader.GetString(0),
                Kind = reader.GetString(1),
                CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)),
                SnapshotId = reader.IsDBNull(3) ? "" : reader.GetString(3),
                SeriesCount = reader.GetInt32(4),
            });
        return runs;
    }
}
