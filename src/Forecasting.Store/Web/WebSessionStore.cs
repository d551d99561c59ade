using System.Globalization;
using DuckDB.NET.Data;

namespace Forecasting.Store.Web;

/// <summary>One live web session: which key signed in, when, and when it ends whatever the sliding expiry says.</summary>
public sealed record WebSessionRecord(string SessionId, string KeyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The web pages' live sessions, kept in the store so that a session ended by signing out stays ended after a restart.
/// A session is live while its row exists and has not expired.
/// </summary>
public interface IWebSessionStore
{
    void Open(WebSessionRecord session);

    /// <summary>The live session, or null when it was ended, has expired or never existed here.</summary>
    WebSessionRecord? Find(string sessionId, DateTimeOffset now);

    /// <summary>Ends a session (sign-out, or a key that changed); true when it was live.</summary>
    bool End(string sessionId);

    /// <summary>Removes the rows of sessions past their absolute expiry; returns how many went.</summary>
    int Prune(DateTimeOffset now);
}

public sealed class WebSessionStore(ForecastingStore store) : IWebSessionStore
{
    public void Open(WebSessionRecord session)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO web_sessions VALUES ($id, $key, $issued, $expires)";
        cmd.Parameters.Add(new DuckDBParameter("id", session.SessionId));
        cmd.Parameters.Add(new DuckDBParameter("key", session.KeyId));
        cmd.Parameters.Add(new DuckDBParameter("issued", session.IssuedAt.UtcDateTime));
        cmd.Parameters.Add(new DuckDBParameter("expires", session.ExpiresAt.UtcDateTime));
        cmd.ExecuteNonQuery();
    }

    public WebSessionRecord? Find(string sessionId, DateTimeOffset now)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT session_id, key_id, issued_at, expires_at FROM web_sessions WHERE session_id = $id AND expires_at > $now";
        cmd.Parameters.Add(new DuckDBParameter("id", sessionId));
        cmd.Parameters.Add(new DuckDBParameter("now", now.UtcDateTime));
        using var reader = cmd.ExecuteReader();
        if (!reader.Read()) return null;
        return new WebSessionRecord(reader.GetString(0), reader.GetString(1), Utc(reader.GetDateTime(2)), Utc(reader.GetDateTime(3)));
    }

    public bool End(string sessionId)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM web_sessions WHERE session_id = $id";
        cmd.Parameters.Add(new DuckDBParameter("id", sessionId));
        return cmd.ExecuteNonQuery() > 0;
    }

    public int Prune(DateTimeOffset now)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM web_sessions WHERE expires_at <= $now";
        cmd.Parameters.Add(new DuckDBParameter("now", now.UtcDateTime));
        return Convert.ToInt32(cmd.ExecuteNonQuery(), CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
