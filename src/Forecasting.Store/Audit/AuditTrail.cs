using DuckDB.NET.Data;

namespace Forecasting.Store.Audit;

/// <summary>One write to record: who, what, where, how it ended and how long it took.</summary>
public sealed record AuditEntry(string KeyName, string Role, string Method, string? CouncilCode, string? Target,
    string Outcome, string? Detail, double Seconds, string CorrelationId);

/// <summary>One recorded event.</summary>
public sealed record AuditEventRecord(string EventId, DateTime At, string KeyName, string Role, string Method, string? CouncilCode,
    string? Target, string Outcome, string? Detail, double Seconds, string CorrelationId);

/// <summary>The audit trail of writes.</summary>
public interface IAuditTrail
{
    void Record(AuditEntry entry);

    bool WasImportedBy(string importId, string keyName);

    /// <summary>The import id of the latest (or the given) import or upload made with this key.</summary>
    string? LatestImportBy(string keyName, string? importId = null);

    /// <param name="councils">null = every event; otherwise events naming one of these councils or made by <paramref name="ownKey"/>.</param>
    IReadOnlyList<AuditEventRecord> List(DateTime? since, string? keyName, string? method, int limit,
        IReadOnlyCollection<string>? councils, string ownKey);
}

/// <summary>The audit trail of writes, kept in the store; the oldest events beyond <paramref name="keep"/> are removed.</summary>
public sealed class AuditTrail(ForecastingStore store, int keep) : IAuditTrail
{
    private int _sinceTrim;

    public void Record(AuditEntry entry)
    {
        using var connection = store.Open();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO audit_log VALUES ($id, $at, $key, $role, $method, $council, $target, $outcome, $detail, $seconds, $cid)";
            cmd.Parameters.Add(new DuckDBParameter("id", "ev-" + Guid.NewGuid().ToString("N")[..16]));
            cmd.Parameters.Add(new DuckDBParameter("at", DateTime.UtcNow));
            cmd.Parameters.Add(new DuckDBParameter("key", entry.KeyName));
            cmd.Parameters.Add(new DuckDBParameter("role", entry.Role));
            cmd.Parameters.Add(new DuckDBParameter("method", entry.Method));
            cmd.Parameters.Add(new DuckDBParameter("council", (object?)entry.CouncilCode ?? DBNull.Value));
            cmd.Parameters.Add(new DuckDBParameter("target", (object?)entry.Target ?? DBNull.Value));
            cmd.Parameters.Add(new DuckDBParameter("outcome", entry.Outcome));
            cmd.Parameters.Add(new DuckDBParameter("detail", (object?)entry.Detail ?? DBNull.Value));
            cmd.Parameters.Add(new DuckDBParameter("seconds", entry.Seconds));
            cmd.Parameters.Add(new DuckDBParameter("cid", entry.CorrelationId));
            cmd.ExecuteNonQuery();
        }
        if (Interlocked.Increment(ref _sinceTrim) % 500 == 0) Trim(connection);
    }

    private void Trim(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM audit_log WHERE event_id IN (SELECT event_id FROM audit_log ORDER BY occurred_at DESC OFFSET $keep)";
        cmd.Parameters.Add(new DuckDBParameter("keep", keep));
        cmd.ExecuteNonQuery();
    }

    public bool WasImportedBy(string importId, string keyName) => LatestImportBy(keyName, importId) is not null;

    public string? LatestImportBy(string keyName, string? importId = null)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT regexp_extract(target, 'import_id=([^ ]+)', 1) AS id FROM audit_log
            WHERE key_name = $key AND method IN ('forecasting.v1.DataService/Import', 'forecasting.v1.DataService/Upload')
              AND regexp_extract(target, 'import_id=([^ ]+)', 1) <> '' AND ($id IS NULL OR regexp_extract(target, 'import_id=([^ ]+)', 1) = $id)
            ORDER BY occurred_at DESC LIMIT 1
            """;
        cmd.Parameters.Add(new DuckDBParameter("key", keyName));
        cmd.Parameters.Add(new DuckDBParameter("id", (object?)importId ?? DBNull.Value));
        return cmd.ExecuteScalar() as string;
    }

    public IReadOnlyList<AuditEventRecord> List(DateTime? since, string? keyName, string? method, int limit,
        IReadOnlyCollection<string>? councils, string ownKey)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        var where = new List<string> { "TRUE" };
        if (since is { } s)
        {
            where.Add("occurred_at >= $since");
            cmd.Parameters.Add(new DuckDBParameter("since", s));
        }
        if (!string.IsNullOrEmpty(keyName))
        {
            where.Add("key_name = $key");
            cmd.Parameters.Add(new DuckDBParameter("key", keyName));
        }
        if (!string.IsNullOrEmpty(method))
        {
            where.Add("(method = $method OR method LIKE '%/' || $method)");
            cmd.Parameters.Add(new DuckDBParameter("method", method));
        }
        if (councils is not null)
        {
            where.Add("(key_name = $own OR list_contains($councils, council_code))");
            cmd.Parameters.Add(new DuckDBParameter("own", ownKey));
            cmd.Parameters.Add(new DuckDBParameter("councils", councils.ToList()));
        }
        cmd.CommandText = "SELECT event_id, occurred_at, key_name, role, method, council_code, target, outcome, detail, seconds, correlation_id " +
                          $"FROM audit_log WHERE {string.Join(" AND ", where)} ORDER BY occurred_at DESC, event_id LIMIT $limit";
        cmd.Parameters.Add(new DuckDBParameter("limit", limit));
        using var reader = cmd.ExecuteReader();
        var events = new List<AuditEventRecord>();
        while (reader.Read())
            events.Add(new AuditEventRecord(
                reader.GetString(0),
                DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetDouble(9),
                reader.GetString(10)));
        return events;
    }
}
