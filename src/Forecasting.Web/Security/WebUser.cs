using System.Security.Claims;

namespace Forecasting.Web.Security;

/// <summary>The roles of the API, in increasing order of rights: each role can do everything the ones before it can.</summary>
public enum WebRole
{
    Commissioner = 1,
    StrategyLead = 2,
    Analyst = 3,
}

/// <summary>
/// Who signed in: the key's configured name, its role and the councils it may use (null = every council), and the
/// key's id (a digest of its configured hash, never the key) that the session is bound to.
/// </summary>
public sealed record WebUser(string Name, WebRole Role, IReadOnlySet<string>? Councils, string KeyId = "")
{
    private const string RoleClaim = "forecasting:role";
    private const string CouncilsClaim = "forecasting:councils";
    internal const string KeyIdClaim = "forecasting:key";

    public bool CanSee(string? council) => Councils is null || (council is not null && Councils.Contains(council));

    public static string RoleName(WebRole role) => role switch
    {
        WebRole.Commissioner => "commissioner",
        WebRole.StrategyLead => "strategy_lead",
        _ => "analyst",
    };

    public static WebRole ParseRole(string name) => name switch
    {
        "commissioner" => WebRole.Commissioner,
        "strategy_lead" => WebRole.StrategyLead,
        "analyst" => WebRole.Analyst,
        _ => throw new ArgumentException($"unknown role '{name}'", nameof(name)),
    };

    /// <summary>The claims the session cookie carries (and the session's own, <paramref name="extra"/>); the key itself is never stored.</summary>
    public ClaimsPrincipal ToPrincipal(string scheme, params IEnumerable<Claim> extra)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, Name),
            new(RoleClaim, RoleName(Role)),
            new(CouncilsClaim, CouncilsText(Councils)),
            new(KeyIdClaim, KeyId),
        };
        claims.AddRange(extra);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>Whether another view of the key grants exactly what this one does (same name, role and councils).</summary>
    public bool SameGrantAs(WebUser other) =>
        Name == other.Name && Role == other.Role && CouncilsText(Councils) == CouncilsText(other.Councils);

    private static string CouncilsText(IReadOnlySet<string>? councils) =>
        councils is null ? "*" : string.Join(",", councils.Order(StringComparer.Ordinal));

    /// <summary>The signed-in user of a request, or null for an anonymous one.</summary>
    public static WebUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var name = principal.FindFirstValue(ClaimTypes.Name);
        var role = principal.FindFirstValue(RoleClaim);
        var councils = principal.FindFirstValue(CouncilsClaim);
        if (name is null || role is null || councils is null) return null;
        IReadOnlySet<string>? scope = councils == "*" ? null : councils.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new WebUser(name, ParseRole(role), scope, principal.FindFirstValue(KeyIdClaim) ?? "");
    }

    /// <summary>The role a principal holds, or null when it carries none.</summary>
    public static WebRole? RoleOf(ClaimsPrincipal principal) =>
        principal.FindFirstValue(RoleClaim) is { } role ? ParseRole(role) : null;
}

/// <summary>
/// Checks a key presented at sign-in against the keys of the API, and finds a configured key again by its id for every
/// request of a session. The host implements it over its key registry, so the pages accept exactly the keys, roles and
/// council scopes the gRPC API does.
/// </summary>
public interface IWebKeyVerifier
{
    /// <summary>The key's holder, or null for a key that is not configured.</summary>
    WebUser? Verify(string key);

    /// <summary>The holder of the configured key with this id, or null when no configured key has it.</summary>
    WebUser? FindById(string keyId);
}

/// <summary>A verifier from functions (the host's key registry).</summary>
public sealed class DelegateKeyVerifier(Func<string, WebUser?> verify, Func<string, WebUser?> findById) : IWebKeyVerifier
{
    public WebUser? Verify(string key) => verify(key);

    public WebUser? FindById(string keyId) => findById(keyId);
}
