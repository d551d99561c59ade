using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

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

    /// <param name="verifier">Checks a key at sign-in against the API's keys (the host's key registry).</param>
    /// <param name="uploadLimits">The bounds of the API's Upload (the host's limits), applied to uploads from the import page.</param>
    public static IServiceCollection AddForecastingWeb(this IServiceCollection services, Func<IServiceProvider, IWebKeyVerifier> verifier,
        Func<IServiceProvider, WebUploadLimits> uploadLimits)
    {
        services.AddSingleton(verifier);
        services.AddSingleton(uploadLimits);
        services.AddSingleton<WebImports>();
        services.AddSingleton<ScenarioRuns>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<BaselineResults>();
        services.AddSingleton<ForecastViews>();
        services.AddSingleton<PerformanceViews>();
        services.AddSingleton<WebAudit>();
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
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
            });
        services.AddAuthorization(options => WebPolicies.Add(options, Scheme));
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

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    private static readonly Lazy<string> StyleSheet = new(() =>
    {
        using var stream = typeof(WebExtensions).Assembly.GetManifestResourceStream("Forecasting.Web.site.css")
            ?? throw new InvalidOperationException("the style sheet is not embedded in Forecasting.Web");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
