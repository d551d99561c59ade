using DuckDB.NET.Data;

namespace Forecasting.Store.Audit;

/// <summary>One write to record: who, what, where, how it ended and how long it took.</summary>
public sealed record AuditEntry(string KeyName, string Role, string Method, string? CouncilCode, string? Target,
    string Outcome, string? Detail, double Seconds, string CorrelationId);

/// <summary>
/// Refused calls of one key (or one client address, for unknown keys), method, council and outcome within one minute:
/// stored as one event that carries their count.
/// </summary>
public sealed record AuditSummary(string KeyName, string Role, string Method, string? CouncilCode, string Outcome, string? Detail,
    DateTime Minute, long Calls);

/// <summary>One recorded event; <paramref name="Calls"/> is 1 for a write and the count of a summary of refused calls.</summary>
public sealed record AuditEventRecord(string EventId, DateTime At, string KeyName, string Role, string Method, string? CouncilCode,
    string? Target, string Outcome, string? Detail, double Seconds, string CorrelationId, long Calls = 1);

/// <summary>
/// The audit trail: append-only. It has no method that deletes or rewrites an event: the only removal is of events
/// older than the retention, and a summary's count only grows.
/// </summary>
public interface IAuditTrail
{
    void Record(AuditEntry entry);

    /// <summary>Adds the counts to the summary events of their key, method, council, outcome and minute (one event each).</summary>
    void RecordSummaries(IReadOnlyCollection<AuditSummary> summaries);

    /// <param name="councils">null = every event; otherwise events naming one of these councils or made by <paramref name="ownKey"/>.</param>
    IReadOnlyList<AuditEventRecord> List(DateTime? since, string? keyName, string? method, int limit,
        IReadOnlyCollection<string>? councils, string ownKey);
}

/// <summary>
/// The audit trail of writes, kept in the store. Events are kept for <paramref name="retention"/> (at least
/// <see cref="MinimumRetention"/>) and removed by age only: no caller of any council can push another's events out.
/// </summary>
public sealed class AuditTrail : IAuditTrail
{
    /// <summary>Thirteen months: a full financial year and the month after it, so a year-end review can read the year.</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromDays(396);

    private readonly ForecastingStore _store;
    private readonly TimeProvider _clock;
    private int _sinceTrim;

    public AuditTrail(ForecastingStore store, TimeSpan retention, TimeProvider? clock = null)
    {
        if (retention < MinimumRetention)
            throw new InvalidOperationException(
                $"Limits:AuditRetentionDays: the audit trail is kept at least {MinimumRetention.TotalDays:0} days (13 months); got {retention.TotalDays:0}");
        _store = store;
        Retention = retention;
        _clock = clock ?? TimeProvider.System;
    }

    public TimeSpan Retention { get; }

    private const string Columns = "event_id, occurred_at, key_name, role, method, council_code, target, outcome, detail, seconds, correlation_id, calls";

    public void Record(AuditEntry entry)
    {
        using var connection = _store.Open();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"INSERT INTO audit_log ({Columns}) VALUES ($id, $at, $key, $role, $method, $council, $target, $outcome, $detail, $seconds, $cid, 1)";
            cmd.Parameters.Add(new DuckDBParameter("id", "ev-" + Guid.NewGuid().ToString("N")[..16]));
            cmd.Parameters.Add(new DuckDBParameter("at", _clock.GetUtcNow().UtcDateTime));
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
        if (Interlocked.Increment(ref _sinceTrim) % 500 == 0) RemoveExpired(connection);
    }

    public void RecordSummaries(IReadOnlyCollection<AuditSummary> summaries)
    {
        if (summaries.Count == 0) return;
        using var connection = _store.Open();
        using var tx = connection.BeginTransaction();
        foreach (var s in summaries)
        {
            using var cmd = connection.CreateCommand();
            // The id is the summary's key, so a later flush of the same minute adds to the one event.
            cmd.CommandText = $"""
                INSERT INTO audit_log ({Columns}) VALUES ($id, $at, $key, $role, $method, $council, NULL, $outcome, $detail, 0, $cid, $calls)
                ON CONFLICT (event_id) DO UPDATE SET calls = audit_log.calls + excluded.calls
                """;
            cmd.Parameters.Add(new DuckDBParameter("id", SummaryId(s)));
            cmd.Parameters.Add(new DuckDBParameter("at", s.Minute));
            cmd.Parameters.Add(new DuckDBParameter("key", s.KeyName));
            cmd.Parameters.Add(new DuckDBParameter("role", s.Role));
            cmd.Parameters.Add(new DuckDBParameter("method", s.Method));
            cmd.Parameters.Add(new DuckDBParameter("council", (object?)s.CouncilCode ?? DBNull.Value));
            cmd.Parameters.Add(new DuckDBParameter("outcome", s.Outcome));
            cmd.Parameters.Add(new DuckDBParameter("detail", (object?)s.Detail ?? DBNull.Value));
            cmd.Parameters.Add(new DuckDBParameter("cid", "summary"));
            cmd.Parameters.Add(new DuckDBParameter("calls", s.Calls));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        if (Interlocked.Add(ref _sinceTrim, summaries.Count) % 500 < summaries.Count) RemoveExpired(connection);
    }

    private static string SummaryId(AuditSummary s)
    {
        var text = string.Join("\u001f", s.KeyName, s.Method, s.CouncilCode ?? "", s.Outcome, s.Minute.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return "sum-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..20];
    }

    /// <summary>Removes the events older than the retention; nothing else ever removes one.</summary>
    public int RemoveExpired()
    {
        using var connection = _store.Open();
        return RemoveExpired(connection);
    }

    private int RemoveExpired(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM audit_log WHERE occurred_at < $cutoff";
        cmd.Parameters.Add(new DuckDBParameter("cutoff", _clock.GetUtcNow().UtcDateTime - Retention));
        return cmd.ExecuteNonQuery();
    }

    public IReadOnlyList<AuditEventRecord> List(DateTime? since, string? keyName, string? method, int limit,
        IReadOnlyCollection<string>? councils, string ownKey)
    {
        using var connection = _store.Open();
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
        cmd.CommandText = $"SELECT {Columns} FROM audit_log WHERE {string.Join(" AND ", where)} ORDER BY occurred_at DESC, event_id LIMIT $limit";
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
                reader.GetString(10),
                reader.IsDBNull(11) ? 1 : reader.GetInt64(11)));
        return events;
    }
}
