using System.Net;
using Forecasting.Web;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Forecasting.Server.Security;

/// <summary>
/// The pages' sign-in with the directory: the OpenID Connect code flow (with PKCE) started at <see cref="Path"/>, its
/// answer received at <see cref="CallbackPath"/>. The identity is mapped as a bearer token's is
/// (<see cref="DirectorySignIn.CallerOf"/>) and opens the same server-side session a key opens, so the pages, their
/// roles and their council scopes work as for a key.
/// </summary>
public static class DirectoryWebSignIn
{
    public const string Path = "/signin/directory";
    public const string CallbackPath = "/signin-oidc";

    public static void Add(IServiceCollection services, DirectoryOptions options)
    {
        if (!options.WebSignIn) return;
        services.AddSingleton(new WebDirectorySignIn(Path));
        services.AddAuthentication().AddOpenIdConnect(DirectorySignIn.WebScheme, oidc =>
        {
            oidc.Authority = options.Authority;
            oidc.RequireHttpsMetadata = !DirectoryOptionsValidator.IsLoopbackHttp(options.Authority);
            oidc.ClientId = options.ClientId;
            oidc.ClientSecret = options.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            oidc.CallbackPath = CallbackPath;
            oidc.MapInboundClaims = false;
            oidc.SaveTokens = false;
            oidc.TokenValidationParameters.NameClaimType = options.NameClaim;
            // The session is opened below, as key sign-in opens it; this scheme only has to be a cookie scheme.
            oidc.SignInScheme = WebExtensions.Scheme;
            oidc.Events.OnTokenValidated = OpenSession;
            oidc.Events.OnRemoteFailure = context =>
            {
                Logger(context.HttpContext).LogWarning(context.Failure, "Directory sign-in failed");
                context.HandleResponse();
                context.Response.Redirect("/signin?directory=failed");
                return Task.CompletedTask;
            };
        });
    }

    public static void Map(WebApplication app)
    {
        if (app.Services.GetService<WebDirectorySignIn>() is null) return;
        app.MapGet(Path, (string? returnUrl) => Results.Challenge(
                new AuthenticationProperties { RedirectUri = IsLocal(returnUrl) ? returnUrl : "/" }, [DirectorySignIn.WebScheme]))
            .WithMetadata(HttpAccess.Public("starts sign-in with the directory; no data"));
    }

    private static async Task OpenSession(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var (caller, refusal) = http.RequestServices.GetRequiredService<DirectorySignIn>().CallerOf(context.Principal!);
        context.HandleResponse();
        if (caller is null)
        {
            Logger(http).LogInformation("Directory sign-in refused: {Reason}", refusal);
            http.Response.Redirect("/signin?directory=role");
            return;
        }
        var user = new WebUser(caller.Name, WebUser.ParseRole(ApiKeyHasher.RoleName(caller.Role)), caller.Councils, caller.KeyId);
        var sessions = http.RequestServices.GetRequiredService<WebSessions>();
        await http.SignInAsync(WebExtensions.Scheme, sessions.Start(user, WebExtensions.Scheme));
        Logger(http).LogInformation("Web sign-in with the directory by {Name} ({Role})", user.Name, WebUser.RoleName(user.Role));
        // The directory posts back from its own site, and a browser does not send the SameSite=Strict session cookie on
        // a redirect that follows such a post: a page of this site moves on instead, a same-site navigation.
        var target = context.Properties?.RedirectUri is { } uri && IsLocal(uri) ? uri : "/";
        http.Response.ContentType = "text/html; charset=utf-8";
        var encoded = WebUtility.HtmlEncode(target);
        await http.Response.WriteAsync(
            $"<!doctype html><html lang=\"en\"><head><meta http-equiv=\"refresh\" content=\"0;url={encoded}\"><title>Signed in</title></head>" +
            $"<body><p>Signed in. <a href=\"{encoded}\">Continue</a>.</p></body></html>");
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectoryWebSignIn));
}
