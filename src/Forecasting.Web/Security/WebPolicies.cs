using Microsoft.AspNetCore.Authorization;

namespace Forecasting.Web.Security;

/// <summary>
/// The authorization policies of the pages, one per role of the API. A policy admits its role and every role above it.
/// Every page declares one of them with <c>[Authorize(Policy = ...)]</c>, or <c>[AllowAnonymous]</c> for sign-in
/// and error pages; a test fails on a page that declares neither.
/// </summary>
public static class WebPolicies
{
    public const string Commissioner = "web:commissioner";
    public const string StrategyLead = "web:strategy_lead";
    public const string Analyst = "web:analyst";

    public static readonly IReadOnlyDictionary<string, WebRole> Roles = new Dictionary<string, WebRole>
    {
        [Commissioner] = WebRole.Commissioner,
        [StrategyLead] = WebRole.StrategyLead,
        [Analyst] = WebRole.Analyst,
    };

    public static void Add(AuthorizationOptions options, string scheme)
    {
        foreach (var (name, role) in Roles)
            options.AddPolicy(name, policy => policy
                .AddAuthenticationSchemes(scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => WebUser.RoleOf(context.User) is { } held && held >= role));
    }
}
