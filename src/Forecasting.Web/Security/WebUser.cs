using System.Security.Claims;

namespace Forecasting.Web.Security;

/// <summary>The roles of the API, in increasing order of rights: each role can do everything the ones before it can.</summary>
public enum WebRole
{
    Commissioner = 1,
    StrategyLead = 2,
    Analyst = 3,
}

/// <summary>Who signed in: the key's configured name, its role and the councils it may use (null = every council).</summary>
public sealed record WebUser(string Name, WebRole Role, IReadOnlySet<string>? Councils)
{
    private const string RoleClaim = "forecasting:role";
    private const string CouncilsClaim = "forecasting:councils";

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

    /// <summary>The claims the session cookie carries; the key itself is never stored.</summary>
    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, Name),
            new(RoleClaim, RoleName(Role)),
            new(CouncilsClaim, Councils is null ? "*" : string.Join(",", Councils.Order(StringComparer.Ordinal))),
        };
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The signed-in user of a request, or null for an anonymous one.</summary>
    public static WebUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var name = principal.FindFirstValue(ClaimTypes.Name);
        var role = principal.FindFirstValue(RoleClaim);
        var councils = principal.FindFirstValue(CouncilsClaim);
        if (name is null || role is null || councils is null) return null;
        IReadOnlySet<string>? scope = councils == "*" ? null : councils.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new WebUser(name, ParseRole(role), scope);
    }

    /// <summary>The role a principal holds, or null when it carries none.</summary>
    public static WebRole? RoleOf(ClaimsPrincipal principal) =>
        principal.FindFirstValue(RoleClaim) is { } role ? ParseRole(role) : null;
}

/// <summary>
/// Checks a key presented at sign-in against the keys of the API. The host implements it over its key registry, so
/// the pages accept exactly the keys, roles and council scopes the gRPC API does.
/// </summary>
public interface IWebKeyVerifier
{
    /// <summary>The key's holder, or null for a key that is not configured.</summary>
    WebUser? Verify(string key);
}

/// <summary>A verifier from a function (the host's key registry).</summary>
public sealed class DelegateKeyVerifier(Func<string, WebUser?> verify) : IWebKeyVerifier
{
    public WebUser? Verify(string key) => verify(key);
}
