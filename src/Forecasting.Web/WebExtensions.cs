using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Forecasting.Web;

/// <summary>
/// The web pages for people who do not code: registered by the host with <see cref="AddForecastingWeb"/> and mapped
/// with <see cref="MapForecastingWeb"/>. The pages use the same use cases and queries as the gRPC services.
/// </summary>
public static class WebExtensions
{
    /// <summary>The session cookie's authentication scheme (the gRPC API keeps its key header and does not use it).</summary>
    public const string Scheme = "ForecastingWeb";
    public const string SessionCookie = "forecasting.session";
    public const string AntiforgeryCookie = "forecasting.antiforgery";

    /// <param name="verifier">Checks a key at sign-in against the API's keys (the host's key registry), and finds it by id on every request.</param>
    /// <param name="uploadLimits">The bounds of the API's Upload (the host's limits), applied to uploads from the import page.</param>
    /// <param name="sessions">The session cookie's key ring, its isolation and its expiry. The host also registers the
    /// store of live sessions (<see cref="Forecasting.Store.Web.IWebSessionStore"/>).</param>
    public static IServiceCollection AddForecastingWeb(this IServiceCollection services, Func<IServiceProvider, IWebKeyVerifier> verifier,
        Func<IServiceProvider, WebUploadLimits> uploadLimits, WebSessionSettings sessions)
    {
        services.AddSingleton(verifier);
        services.AddSingleton(uploadLimits);
        services.AddSingleton(sessions);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebSessions>();
        // The cookie (and the anti-forgery token) are protected by this server's own key ring, isolated by a name unique
        // to its store: a cookie from a server with another database does not even decrypt here.
        services.AddDataProtection()
            .PersistKeysToFileSystem(KeyRing(sessions.KeyRingDirectory))
            .SetApplicationName(sessions.ApplicationName);
        services.AddSingleton<WebImports>();
        services.AddSingleton<ScenarioRuns>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<BaselineResults>();
        services.AddSingleton<PrevalenceViews>();
        services.AddSingleton<ForecastViews>();
        services.AddSingleton<PerformanceViews>();
        services.AddSingleton<WebAudit>();
        services.AddSingleton<ReportPrinter>();
        services.AddAuthentication(Scheme)
            .AddCookie(Scheme, options =>
            {
                options.Cookie.Name = SessionCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/signin";
                options.LogoutPath = "/signout";
                options.AccessDeniedPath = "/denied";
                options.ExpireTimeSpan = sessions.IdleTimeout;
                options.SlidingExpiration = true;
                // Every request: the session must still be open in the store, younger than the absolute cap, and its key
                // configured with the same name, role and councils; otherwise it is refused and the cookie removed.
                options.Events.OnValidatePrincipal = async context =>
                {
                    var web = context.HttpContext.RequestServices.GetRequiredService<WebSessions>();
                    var reason = context.Principal is { } principal ? web.Refusal(principal) : "no principal";
                    if (reason is null) return;
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                    context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebSessions))
                        .LogInformation("Web session refused: {Reason}", reason);
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<TimeProvider>((options, clock) => options.TimeProvider = clock);
        services.AddAuthorization(options => WebPolicies.Add(options, Scheme));
        // Forms of every other page are small: a file part of up to 1 MiB is refused rather than buffered, and below the
        // memory threshold nothing is ever written to ASPNETCORE_*.tmp in the system temp directory. The import page reads
        // its own form into the upload staging directory ([UploadBodyLimit]).
        services.Configure<FormOptions>(options =>
        {
            options.MultipartBodyLengthLimit = 1024 * 1024;
            options.MemoryBufferThreshold = 2 * 1024 * 1024;
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookie;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        var assembly = typeof(WebExtensions).Assembly;
        services.AddRazorPages(options =>
            {
                // Fail closed: every page needs a signed-in commissioner or above unless it says [AllowAnonymous];
                // pages for stronger roles add their own policy on top.
                options.Conventions.AuthorizeFolder("/", WebPolicies.Commissioner);
                // The committee report as a PDF file: the same page and model, printed by the server.
                options.Conventions.AddPageRoute("/Report", "report.pdf");
            })
            // The API's rate, lengths and heavy-call places, from the host's one KeyAdmission.
            .AddMvcOptions(options => options.Filters.Add<WebCallLimitsFilter>())
            .ConfigureApplicationPartManager(manager =>
            {
                if (manager.ApplicationParts.Any(p => p is AssemblyPart a && a.Assembly == assembly)) return;
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    manager.ApplicationParts.Add(part);
            });
        return services;
    }

    /// <summary>Maps the pages, the style sheet and the error page (for browser requests only; gRPC calls keep their own error mapping).</summary>
    public static IEndpointRouteBuilder MapForecastingWeb(this WebApplication app)
    {
        // At the top level (a branch would lose the routes the re-executed request needs). gRPC calls map their own
        // failures in an interceptor and always answer with a gRPC status, so these never change a gRPC response.
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.Use((context, next) =>
        {
            if (IsGrpc(context.Request) && context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            return next(context);
        });
        // Explicitly after the two handlers above, so a re-executed error or status page is authorized like any page.
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapGet("/site.css", () => Results.Text(StyleSheet.Value, "text/css; charset=utf-8")).AllowAnonymous();
        return app;
    }

    /// <summary>The key ring's directory, created readable by this user only (it holds the keys that sign the sessions).</summary>
    private static DirectoryInfo KeyRing(string directory)
    {
        var path = Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new DirectoryInfo(path);
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The style sheet's text, for a page printed from a file (<see cref="ReportPrinter"/>).</summary>
    internal static string StyleSheetText => StyleSheet.Value;

    private static readonly Lazy<string> StyleSheet = new(() =>
    {
        using var stream = typeof(WebExtensions).Assembly.GetManifestResourceStream("Forecasting.Web.site.css")
            ?? throw new InvalidOperationException("the style sheet is not embedded in Forecasting.Web");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
