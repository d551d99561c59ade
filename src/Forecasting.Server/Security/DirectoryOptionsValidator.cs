using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Forecasting.Server.Security;

/// <summary>
/// Checks <c>Auth:Directory</c> before the server serves (registered with <c>ValidateOnStart</c>), so a wrong setting
/// stops start-up with the setting's key and what to put there, instead of failing a user's first sign-in or
/// refusing every token. Every fault is reported, not only the first.
/// </summary>
public sealed partial class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
    private const string Section = DirectoryOptions.SectionName;
    public const string RoleNames = "commissioner, strategy_lead or analyst";

    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        var faults = Faults(options).ToList();
        return faults.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(faults);
    }

    /// <summary>Each fault as "key: reason".</summary>
    public static IEnumerable<string> Faults(DirectoryOptions options)
    {
        if (!options.Enabled)
        {
            // Without an authority the directory is off; any other setting means it was meant to be on.
            var given = new[]
            {
                (Key: "Audiences", Set: options.Audiences.Count > 0),
                (Key: "ClientId", Set: !string.IsNullOrWhiteSpace(options.ClientId)),
                (Key: "ClientSecret", Set: !string.IsNullOrWhiteSpace(options.ClientSecret)),
                (Key: "Grants", Set: options.Grants.Count > 0),
            }.Where(s => s.Set).Select(s => s.Key).ToList();
            if (given.Count > 0)
                yield return $"{Section}:Authority: missing, while {string.Join(", ", given)} {(given.Count == 1 ? "is" : "are")} set; give the directory's " +
                             "issuer, for Entra ID https://login.microsoftonline.com/<tenant id>/v2.0 (or remove the other Auth:Directory settings)";
            yield break;
        }

        if (AuthorityFault(options.Authority!) is { } authority) yield return $"{Section}:Authority: {authority}";

        if (options.Audiences.Count == 0)
            yield return $"{Section}:Audiences: missing; name the application's client id and/or its id URI (api://<client id>) that tokens must be for";
        for (var i = 0; i < options.Audiences.Count; i++)
            if (string.IsNullOrWhiteSpace(options.Audiences[i]))
                yield return $"{Section}:Audiences:{i}: empty; give the application's client id or id URI";

        if (string.IsNullOrWhiteSpace(options.NameClaim))
            yield return $"{Section}:NameClaim: empty; name the claim that carries the user's name (preferred_username, the default)";

        var hasClientId = !string.IsNullOrWhiteSpace(options.ClientId);
        var hasSecret = !string.IsNullOrWhiteSpace(options.ClientSecret);
        if (hasSecret && !hasClientId)
            yield return $"{Section}:ClientId: missing, while ClientSecret is set; give the application's client id for the pages' sign-in (or remove ClientSecret)";
        if (hasClientId && !hasSecret)
            yield return $"{Section}:ClientSecret: missing; the pages' sign-in (ClientId is set) redeems the directory's answer with the application's " +
                         "client secret: set it as the environment variable Auth__Directory__ClientSecret";

        if (options.Grants.Count == 0)
        {
            yield return $"{Section}:Grants: missing; map the directory's app roles or groups to a Role ({RoleNames}) and to Councils, " +
                         "or every user of the directory would be refused";
            yield break;
        }

        for (var i = 0; i < options.Grants.Count; i++)
            foreach (var fault in GrantFaults(options.Grants[i], $"{Section}:Grants:{i}"))
                yield return fault;

        if (!options.Grants.Any(g => ParseRole(g.Role) is not null))
            yield return $"{Section}:Grants: no grant gives a Role ({RoleNames}), so every user of the directory would be refused";
        if (!options.Grants.Any(g => g.Councils.Any(c => !string.IsNullOrWhiteSpace(c))))
            yield return $"{Section}:Grants: no grant gives Councils (council codes or *), so every user of the directory would be refused";
    }

    private static IEnumerable<string> GrantFaults(DirectoryGrant grant, string key)
    {
        if (string.IsNullOrWhiteSpace(grant.Claim))
            yield return $"{key}:Claim: empty; give the token claim that carries the value: roles (app roles) or groups (group object ids)";
        if (string.IsNullOrWhiteSpace(grant.Value))
            yield return $"{key}:Value: missing; give the app role's value or the group's object id this grant is for";
        if (grant.Role.Length > 0 && ParseRole(grant.Role) is null)
            yield return $"{key}:Role: unknown role '{grant.Role}'; roles are {RoleNames}";
        if (grant.Role.Length == 0 && grant.Councils.Count == 0)
            yield return $"{key}: gives neither a Role nor Councils; give a Role ({RoleNames}), Councils, or both";
        for (var j = 0; j < grant.Councils.Count; j++)
        {
            var council = grant.Councils[j];
            if (string.IsNullOrWhiteSpace(council))
                yield return $"{key}:Councils:{j}: empty; give a council code (a letter and 8 digits, as E06009999) or * for every council";
            else if (council != "*" && !CouncilCode().IsMatch(council))
                yield return $"{key}:Councils:{j}: '{council}' is not a council code (a letter and 8 digits, as E06009999) nor * for every council";
        }
    }

    /// <summary>The issuer must be an absolute https URL (plain http only on this machine, for a local test issuer).</summary>
    private static string? AuthorityFault(string authority)
    {
        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return $"'{authority}' is not an https:// URL; give the directory's issuer, for Entra ID https://login.microsoftonline.com/<tenant id>/v2.0";
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            return $"'{authority}' is plain http; the directory's keys must be fetched over https (http is accepted only for an issuer on this machine)";
        return null;
    }

    /// <summary>True when the issuer runs on this machine over plain http (a local test issuer).</summary>
    public static bool IsLoopbackHttp(string? authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    /// <summary>The role a grant names, or null for none or an unknown name.</summary>
    public static Role? ParseRole(string role) => role switch
    {
        "commissioner" => Role.Commissioner,
        "strategy_lead" => Role.StrategyLead,
        "analyst" => Role.Analyst,
        _ => null,
    };

    [GeneratedRegex("^[A-Z][0-9]{8}$")]
    private static partial Regex CouncilCode();
}
