using DuckDB.NET.Data;

namespace Forecasting.Store.Forecasts;

/// <summary>A forecast run as stored: its listing columns and the whole run as a JSON document.</summary>
public sealed record StoredForecastRun(string RunId, string Kind, DateTime CreatedAt, string SnapshotId, string RequestedBy,
    int SeriesCount, double Seconds, string Json);

/// <summary>One line of the list of stored runs.</summary>
public sealed record ForecastRunSummary(string RunId, string Kind, DateTime CreatedAt, string SnapshotId, int SeriesCount);

/// <summary>Where forecast runs are kept: only inserted, the oldest beyond a bound per council removed; each names the councils it covers.</summary>
public interface IForecastRunStore
{
    /// <param name="councils">The councils whose data the run used; null = every council.</param>
    void Save(StoredForecastRun run, IReadOnlyCollection<string>? councils);

    /// <summary>The run's JSON document, or null when there is none the caller may see.</summary>
    /// <param name="visibleTo">The caller's councils (null = every council): a run is visible when all its councils are.</param>
    string? GetJson(string runId, IReadOnlyCollection<string>? visibleTo = null);

    /// <summary>The newest runs first.</summary>
    IReadOnlyList<ForecastRunSummary> List(int limit, IReadOnlyCollection<string>? visibleTo = null);
}

/// <summary>
/// Stores every forecast run whole; runs are only inserted, except that each council keeps its newest
/// <paramref name="keep"/> runs, so stored results cannot grow without bound and one council's calls never remove
/// another's runs. A run counts in the partition of exactly the councils it covers (its <c>council_codes</c>): one
/// council, the set of a key limited to several, or every council (NULL). A call can only add runs of the councils
/// its key may use, so it can only push out runs of that same set. A caller sees only runs within its councils.
/// </summary>
public sealed class ForecastRunStore(ForecastingStore store, int keep) : IForecastRunStore
{
    public void Save(StoredForecastRun run, IReadOnlyCollection<string>? councils)
    {
        using var connection = store.Open();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO forecast_runs VALUES ($id, $kind, $at, $snapshot, $by, $count, $seconds, $json, $councils)";
            cmd.Parameters.Add(new DuckDBParameter("id", run.RunId));
            cmd.Parameters.Add(new DuckDBParameter("kind", run.Kind));
            cmd.Parameters.Add(new DuckDBParameter("at", run.CreatedAt));
            cmd.Parameters.Add(new DuckDBParameter("snapshot", run.SnapshotId));
            cmd.Parameters.Add(new DuckDBParameter("by", run.RequestedBy));
            cmd.Parameters.Add(new DuckDBParameter("count", run.SeriesCount));
            cmd.Parameters.Add(new DuckDBParameter("seconds", run.Seconds));
            cmd.Parameters.Add(new DuckDBParameter("json", run.Json));
            cmd.Parameters.Add(new DuckDBParameter("councils", CouncilKey(councils)));
            cmd.ExecuteNonQuery();
        }
        using (var trim = connection.CreateCommand())
        {
            // Planning flow runs are referenced by stored scenario results and are kept with them. Only the partition
            // of the run just stored can have grown past the cap.
            trim.CommandText = """
                DELETE FROM forecast_runs WHERE run_id IN (
                    SELECT run_id FROM (
                        SELECT run_id, row_number() OVER (PARTITION BY council_codes ORDER BY created_at DESC, run_id DESC) AS newest
                        FROM forecast_runs
                        WHERE kind <> 'planning_flows' AND council_codes IS NOT DISTINCT FROM $councils)
                    WHERE newest > $keep)
                """;
            trim.Parameters.Add(new DuckDBParameter("keep", keep));
            trim.Parameters.Add(new DuckDBParameter("councils", CouncilKey(councils)));
            trim.ExecuteNonQuery();
        }
    }

    public string? GetJson(string runId, IReadOnlyCollection<string>? visibleTo = null)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT run_json FROM forecast_runs WHERE run_id = $id AND {Visible(visibleTo, cmd)}";
        cmd.Parameters.Add(new DuckDBParameter("id", runId));
        return cmd.ExecuteScalar() as string;
    }

    public IReadOnlyList<ForecastRunSummary> List(int limit, IReadOnlyCollection<string>? visibleTo = null)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT run_id, kind, created_at, snapshot_id, series_count FROM forecast_runs " +
                          $"WHERE {Visible(visibleTo, cmd)} ORDER BY created_at DESC LIMIT $limit";
        cmd.Parameters.Add(new DuckDBParameter("limit", limit));
        using var reader = cmd.ExecuteReader();
        var runs = new List<ForecastRunSummary>();
        while (reader.Read())
            runs.Add(new ForecastRunSummary(reader.GetString(0), reader.GetString(1), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                reader.IsDBNull(3) ? "" : reader.GetString(3), reader.GetInt32(4)));
        return runs;
    }

    /// <summary>The stored <c>council_codes</c>: the councils sorted and comma-separated; NULL = every council.</summary>
    private static object CouncilKey(IReadOnlyCollection<string>? councils) =>
        councils is null ? DBNull.Value : string.Join(",", councils.Order(StringComparer.Ordinal));

    private static string Visible(IReadOnlyCollection<string>? councils, DuckDBCommand cmd)
    {
        if (councils is null) return "TRUE";
        cmd.Parameters.Add(new DuckDBParameter("allowed", string.Join(",", councils)));
        // Every council of the run must be one of the caller's; a run over every council is not visible to a scoped key.
        return "council_codes IS NOT NULL AND list_has_all(string_split($allowed, ','), string_split(council_codes, ','))";
    }
}
