using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Forecasting.Server.Security;

/// <summary>
/// One grant of the directory: a claim value (an app role, or a group's object id) that gives a role, councils, or both.
/// </summary>
public sealed class DirectoryGrant
{
    /// <summary>The token claim holding the value: "roles" (app roles, the default) or "groups" (group object ids).</summary>
    public string Claim { get; set; } = "roles";
    public string Value { get; set; } = "";
    /// <summary>commissioner, strategy_lead or analyst; empty when the grant gives councils only.</summary>
    public string Role { get; set; } = "";
    /// <summary>Council codes, or "*" for every council in the store; empty when the grant gives a role only.</summary>
    public List<string> Councils { get; set; } = [];
}

/// <summary>
/// Sign-in with the council's directory (Entra ID or any OpenID Connect provider), beside the API keys. Absent
/// (no <see cref="Authority"/>) the server takes keys only.
/// </summary>
public sealed class DirectoryOptions
{
    public const string SectionName = "Auth:Directory";

    /// <summary>The issuer, whose discovery document (<c>/.well-known/openid-configuration</c>) names its keys; for Entra ID <c>https://login.microsoftonline.com/&lt;tenant id&gt;/v2.0</c>.</summary>
    public string? Authority { get; set; }
    /// <summary>Audiences a bearer token may be for: the application's client id and/or its id URI (<c>api://...</c>).</summary>
    public List<string> Audiences { get; set; } = [];
    /// <summary>The web pages' client (the code flow); without it the pages keep key sign-in only.</summary>
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>The claim that names the user: who wrote a scenario, whose rate a call counts against.</summary>
    public string NameClaim { get; set; } = "preferred_username";
    public List<DirectoryGrant> Grants { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
    public bool WebSignIn => Enabled && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>
/// Maps a validated identity of the directory to the project's <see cref="Caller"/>: the highest role any of its app
/// roles or groups is granted, and every council they grant. An identity with no granted role, or with a role and no
/// council, is refused with the reason, never given a default.
/// </summary>
public sealed class DirectorySignIn
{
    /// <summary>The bearer-token scheme of the API (gRPC and REST); the pages' code flow is <see cref="WebScheme"/>.</summary>
    public const string BearerScheme = "DirectoryBearer";
    public const string WebScheme = "DirectoryWeb";
    /// <summary>Key ids of directory users start with this, so a web session never mistakes one for an API key.</summary>
    public const string KeyIdPrefix = "directory:";

    private readonly List<(string Claim, string Value, Role? Role, IReadOnlyList<string> Councils)> _grants;

    public DirectoryOptions Options { get; }

    /// <summary>Takes settings <see cref="DirectoryOptionsValidator"/> has passed (the server does not start otherwise).</summary>
    public DirectorySignIn(DirectoryOptions options)
    {
        Options = options;
        _grants = options.Enabled
            ? options.Grants.Select(g => (g.Claim, g.Value, DirectoryOptionsValidator.ParseRole(g.Role), (IReadOnlyList<string>)g.Councils)).ToList()
            : [];
    }

    /// <summary>The caller a validated principal maps to, or the reason it is refused (PERMISSION_DENIED).</summary>
    public (Caller? Caller, string? Refusal) CallerOf(ClaimsPrincipal principal)
    {
        var held = _grants.Where(g => principal.HasClaim(g.Claim, g.Value)).ToList();
        var role = held.Select(g => g.Role).Max();
        if (role is null) return (null, "the token carries none of the app roles or groups this server grants a role to");
        var councils = held.SelectMany(g => g.Councils).ToList();
        if (councils.Count == 0) return (null, "the token carries none of the app roles or groups this server grants councils to");
        var subject = principal.FindFirstValue("sub") ?? principal.FindFirstValue("oid") ?? "";
        var issuer = principal.FindFirstValue("iss") ?? "";
        if (subject.Length == 0) return (null, "the token names no subject (sub)");
        var name = principal.FindFirstValue(Options.NameClaim) ?? principal.FindFirstValue("name") ?? subject;
        IReadOnlySet<string>? scope = councils.Contains("*") ? null : councils.ToHashSet(StringComparer.Ordinal);
        return (new Caller(name, role.Value, scope, KeyIdOf(issuer, subject)), null);
    }

    /// <summary>Names a directory user in a web session (a digest of issuer and subject, as a key's id is of its hash).</summary>
    public static string KeyIdOf(string issuer, string subject) =>
        KeyIdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + subject)))[..16];

    /// <summary>What a caller is told when a bearer token is refused: the kind of fault, never the validator's text.</summary>
    public static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "the bearer token has expired",
        SecurityTokenNotYetValidException => "the bearer token is not valid yet",
        SecurityTokenInvalidAudienceException => "the bearer token is not for this application (audience)",
        SecurityTokenInvalidIssuerException => "the bearer token is from another issuer",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the bearer token's signature is not the directory's",
        _ => "the bearer token was refused",
    };

    /// <summary>
    /// Registers the bearer scheme (for the API) when the directory is configured. Claims keep their names in the token
    /// ("roles", "groups", "preferred_username"), so the grants read as the directory writes them.
    /// </summary>
    public static void AddBearer(IServiceCollection services, IConfiguration configuration, DirectoryOptions options)
    {
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DirectoryOptions>, DirectoryOptionsValidator>();
        services.AddSingleton(sp => new DirectorySignIn(sp.GetRequiredService<IOptions<DirectoryOptions>>().Value));
        if (!options.Enabled) return;
        services.AddAuthentication().AddJwtBearer(BearerScheme, bearer =>
        {
            bearer.Authority = options.Authority;
            bearer.RequireHttpsMetadata = !DirectoryOptionsValidator.IsLoopbackHttp(options.Authority);
            bearer.MapInboundClaims = false;
            bearer.TokenValidationParameters.ValidAudiences = options.Audiences;
            bearer.TokenValidationParameters.NameClaimType = options.NameClaim;
        });
    }
}
