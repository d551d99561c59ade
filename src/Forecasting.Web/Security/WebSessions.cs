using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Forecasting.Store.Web;

namespace Forecasting.Web.Security;

/// <summary>
/// Sign-in with the council's directory (OpenID Connect code flow), registered by the host when it is configured: the
/// sign-in page links to <paramref name="Path"/>. Its users' key ids start with <see cref="KeyIdPrefix"/>.
/// </summary>
public sealed record WebDirectorySignIn(string Path)
{
    public const string KeyIdPrefix = "directory:";
}

/// <summary>
/// How the pages' sessions are kept, given by the host.
/// </summary>
/// <param name="KeyRingDirectory">The data-protection key ring that signs and encrypts the session cookie: this server's own.</param>
/// <param name="ApplicationName">Isolates the key ring's purposes: unique to the store, so a server with another database refuses the cookie.</param>
/// <param name="IdleTimeout">The cookie's sliding expiry: a session not used for this long ends.</param>
/// <param name="MaxAge">The absolute cap: a session ends this long after sign-in, however much it is used.</param>
public sealed record WebSessionSettings(string KeyRingDirectory, string ApplicationName, TimeSpan IdleTimeout, TimeSpan MaxAge)
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromHours(8);
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromHours(12);
}

/// <summary>
/// The pages' sessions, bound to live keys and ended server-side. A session carries a random id, the id of the key
/// that signed in and the time of sign-in; on every request it is refused when its row is gone from the store
/// (signed out, or never opened by this server), when it is older than the absolute cap, or when its key is no longer
/// configured or grants another name, role or councils.
/// </summary>
public sealed class WebSessions(IWebSessionStore store, IWebKeyVerifier keys, WebSessionSettings settings, TimeProvider time,
    ILogger<WebSessions> logger)
{
    internal const string SessionIdClaim = "forecasting:session";
    internal const string IssuedClaim = "forecasting:issued";

    /// <summary>Sessions this process has seen live (the store is the truth; this process is its only writer).</summary>
    private readonly ConcurrentDictionary<string, WebSessionRecord> _live = new(StringComparer.Ordinal);

    /// <summary>Opens a session for a verified key and returns the principal the cookie carries.</summary>
    public ClaimsPrincipal Start(WebUser user, string scheme)
    {
        var now = time.GetUtcNow();
        var pruned = store.Prune(now);
        if (pruned > 0) logger.LogInformation("Removed {Count} expired web sessions", pruned);
        foreach (var (id, old) in _live)
            if (old.ExpiresAt <= now) _live.TryRemove(id, out _);
        var session = new WebSessionRecord(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), user.KeyId, now, now + settings.MaxAge);
        store.Open(session);
        _live[session.SessionId] = session;
        return user.ToPrincipal(scheme,
            new Claim(SessionIdClaim, session.SessionId),
            new Claim(IssuedClaim, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Why a session cookie's principal is refused now, or null when it is good.</summary>
    public string? Refusal(ClaimsPrincipal principal)
    {
        var sessionId = principal.FindFirstValue(SessionIdClaim);
        var user = WebUser.From(principal);
        if (sessionId is null || user is null || user.KeyId.Length == 0
            || !long.TryParse(principal.FindFirstValue(IssuedClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs))
            return "the session carries no session id, key or sign-in time";
        var now = time.GetUtcNow();
        if (now - DateTimeOffset.FromUnixTimeMilliseconds(issuedMs) >= settings.MaxAge)
        {
            End(sessionId);
            return "the session is older than its absolute limit";
        }
        if (!IsLive(sessionId, user.KeyId, now)) return "the session was ended or was not opened by this server";
        // The directory's grant was read from its token at sign-in and cannot be read again without one: it stands
        // until sign-out or the absolute cap, when the user signs in with the directory again.
        if (user.KeyId.StartsWith(WebDirectorySignIn.KeyIdPrefix, StringComparison.Ordinal)) return null;
        if (keys.FindById(user.KeyId) is not { } current)
        {
            End(sessionId);
            return "the key that signed in is no longer configured";
        }
        if (!current.SameGrantAs(user))
        {
            End(sessionId);
            return "the key that signed in now has another name, role or councils";
        }
        return null;
    }

    /// <summary>Ends the principal's session (sign-out): its cookie, wherever copied, is refused from now on, also after a restart.</summary>
    public void End(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(SessionIdClaim) is { } sessionId) End(sessionId);
    }

    private void End(string sessionId)
    {
        _live.TryRemove(sessionId, out _);
        store.End(sessionId);
    }

    private bool IsLive(string sessionId, string keyId, DateTimeOffset now)
    {
        if (!_live.TryGetValue(sessionId, out var session))
        {
            session = store.Find(sessionId, now);
            if (session is null) return false;
            _live[sessionId] = session;
        }
        if (session.ExpiresAt <= now)
        {
            End(sessionId);
            return false;
        }
        return session.KeyId == keyId;
    }
}
