using System.Security.Cryptography;
using Forecasting.Server.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Forecasting.TestSupport;

/// <summary>
/// A directory inside the tests: an RSA key that signs tokens as an OpenID Connect provider would, and the discovery
/// document the server would have fetched (issuer, endpoints, signing key), handed to it offline.
/// </summary>
public sealed class TestIssuer
{
    public const string Issuer = "https://login.test/harbridge/v2.0";
    public const string ApiAudience = "api://forecasting-test";
    public const string WebClientId = "forecasting-web-test";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };

    public OpenIdConnectConfiguration Discovery { get; }

    public TestIssuer()
    {
        Discovery = new OpenIdConnectConfiguration
        {
            Issuer = Issuer,
            AuthorizationEndpoint = "https://login.test/harbridge/oauth2/v2.0/authorize",
            TokenEndpoint = "https://login.test/harbridge/oauth2/v2.0/token",
        };
        Discovery.SigningKeys.Add(_key);
    }

    /// <summary>A signed token; <paramref name="expires"/> defaults to an hour from now.</summary>
    public string Token(string subject, string name, string[] roles, string[]? groups = null, string audience = ApiAudience,
        DateTime? expires = null, RsaSecurityKey? signingKey = null, IDictionary<string, object>? extra = null)
    {
        var until = expires ?? DateTime.UtcNow.AddHours(1);
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["preferred_username"] = name, ["roles"] = roles };
        if (groups is not null) claims["groups"] = groups;
        foreach (var (k, v) in extra ?? new Dictionary<string, object>()) claims[k] = v;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = until.AddHours(-2),
            NotBefore = until.AddHours(-2),
            Expires = until,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signingKey ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Settings of a server that trusts this issuer: app roles give roles, groups give councils.</summary>
    public static void AddSettings(IDictionary<string, string?> settings)
    {
        settings["Auth:Directory:Authority"] = Issuer;
        settings["Auth:Directory:Audiences:0"] = ApiAudience;
        settings["Auth:Directory:ClientId"] = WebClientId;
        settings["Auth:Directory:ClientSecret"] = "test-secret";
        string[][] grants =
        [
            ["roles", "Forecasting.Commissioner", "commissioner", ""],
            ["roles", "Forecasting.StrategyLead", "strategy_lead", ""],
            ["roles", "Forecasting.Analyst", "analyst", ""],
            ["groups", "harbridge-staff", "", "E06009999"],
            ["groups", "otherton-staff", "", "E06000001"],
            ["groups", "all-councils", "", "*"],
        ];
        for (var i = 0; i < grants.Length; i++)
        {
            settings[$"Auth:Directory:Grants:{i}:Claim"] = grants[i][0];
            settings[$"Auth:Directory:Grants:{i}:Value"] = grants[i][1];
            if (grants[i][2].Length > 0) settings[$"Auth:Directory:Grants:{i}:Role"] = grants[i][2];
            if (grants[i][3].Length > 0) settings[$"Auth:Directory:Grants:{i}:Councils:0"] = grants[i][3];
        }
    }

    /// <summary>Hands the server this issuer's discovery document instead of fetching it.</summary>
    public void Configure(IServiceCollection services, HttpMessageHandler? tokenEndpoint = null)
    {
        var manager = new StaticConfigurationManager<OpenIdConnectConfiguration>(Discovery);
        services.PostConfigure<JwtBearerOptions>(DirectorySignIn.BearerScheme, options =>
        {
            options.Configuration = Discovery;
            options.ConfigurationManager = manager;
        });
        services.PostConfigure<OpenIdConnectOptions>(DirectorySignIn.WebScheme, options =>
        {
            options.Configuration = Discovery;
            options.ConfigurationManager = manager;
            if (tokenEndpoint is not null) options.Backchannel = new HttpClient(tokenEndpoint);
        });
    }
}

/// <summary>The sample server trusting <see cref="TestIssuer"/> beside its API keys.</summary>
public class DirectoryServerFactory : SampleServerFactory
{
    public TestIssuer Issuer { get; } = new();

    /// <summary>The directory's token endpoint, for the pages' code flow; set before the server starts.</summary>
    public HttpMessageHandler? TokenEndpoint { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // As host settings, so the composition root sees them while it registers the schemes (app configuration added
        // here arrives only once the host is built).
        var directory = new Dictionary<string, string?>();
        TestIssuer.AddSettings(directory);
        foreach (var (key, value) in directory) builder.UseSetting(key, value);
        builder.ConfigureServices(services => Issuer.Configure(services, new DelegatingTokenEndpoint(this)));
    }

    /// <summary>Forwards to <see cref="TokenEndpoint"/>, which a test sets after the server is built.</summary>
    private sealed class DelegatingTokenEndpoint(DirectoryServerFactory factory) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            factory.TokenEndpoint is { } handler
                ? new HttpMessageInvoker(handler).SendAsync(request, cancellationToken)
                : throw new InvalidOperationException("no token endpoint in this test");
    }
}
