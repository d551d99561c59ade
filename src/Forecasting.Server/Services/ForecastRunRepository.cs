using DuckDB.NET.Data;
using Forecasting.Contracts.V1;
using Forecasting.Server.Infrastructure;
using Forecasting.Store;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Forecasting.Server.Services;

/// <summary>
/// Stores every forecast run whole, in the contract's JSON form; runs are only inserted, except that the oldest
/// beyond the configured number are removed so stored results cannot grow without bound. Each run records the
/// councils it covers, and a caller sees only runs within its councils.
/// </summary>
public sealed class ForecastRunRepository(ForecastingStore store, IOptions<LimitsOptions> limits)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <param name="councils">The councils whose data the run used; null = every council.</param>
    public void Save(ForecastRun run, IReadOnlyCollection<string>? councils)
    {
        using var connection = store.Open();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO forecast_runs VALUES ($id, $kind, $at, $snapshot, $by, $count, $seconds, $json, $councils)";
            cmd.Parameters.Add(new DuckDBParameter("id", run.RunId));
            cmd.Parameters.Add(new DuckDBParameter("kind", run.Kind));
            cmd.Parameters.Add(new DuckDBParameter("at", run.CreatedAt.ToDateTime()));
            cmd.Parameters.Add(new DuckDBParameter("snapshot", run.SnapshotId));
            cmd.Parameters.Add(new DuckDBParameter("by", run.RequestedBy));
            cmd.Parameters.Add(new DuckDBParameter("count", run.Series.Count));
            cmd.Parameters.Add(new DuckDBParameter("seconds", run.Seconds));
            cmd.Parameters.Add(new DuckDBParameter("json", Formatter.Format(run)));
            cmd.Parameters.Add(new DuckDBParameter("councils", councils is null ? DBNull.Value : string.Join(",", councils.Order(StringComparer.Ordinal))));
            cmd.ExecuteNonQuery();
        }
        using (var trim = connection.CreateCommand())
        {
            // Planning flow runs are referenced by stored scenario results and are kept with them.
            trim.CommandText = """
                DELETE FROM forecast_runs WHERE run_id IN (
                    SELECT run_id FROM forecast_runs WHERE kind <> 'planning_flows' ORDER BY created_at DESC OFFSET $keep)
                """;
            trim.Parameters.Add(new DuckDBParameter("keep", limits.Value.MaxStoredForecastRuns));
            trim.ExecuteNonQuery();
        }
    }

    /// <param name="visibleTo">The caller's councils (null = every council): a run is visible when all its councils are.</param>
    public ForecastRun? Get(string runId, IReadOnlyCollection<string>? visibleTo = null)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT run_json FROM forecast_runs WHERE run_id = $id AND {Visible(visibleTo, cmd)}";
        cmd.Parameters.Add(new DuckDBParameter("id", runId));
        return cmd.ExecuteScalar() is string json ? Parser.Parse<ForecastRun>(json) : null;
    }

    public IReadOnlyList<RunInfo> List(int limit, IReadOnlyCollection<string>? visibleTo = null)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT run_id, kind, created_at, snapshot_id, series_count FROM forecast_runs " +
                          $"WHERE {Visible(visibleTo, cmd)} ORDER BY created_at DESC LIMIT $limit";
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

    private static string Visible(IReadOnlyCollection<string>? councils, DuckDBCommand cmd)
    {
        if (councils is null) return "TRUE";
        cmd.Parameters.Add(new DuckDBParameter("allowed", string.Join(",", councils)));
        // Every council of the run must be one of the caller's; a run over every council is not visible to a scoped key.
        return "council_codes IS NOT NULL AND list_has_all(string_split($allowed, ','), string_split(council_codes, ','))";
    }
}
