using System.Security.Claims;
using Forecasting.Server.Security;

namespace Forecasting.Tests.Operations;

/// <summary>How a directory identity's app roles and groups become a role and councils, and which settings are refused.</summary>
[Trait("Category", "unit")]
public sealed class DirectoryGrantTests
{
    private static DirectorySignIn Directory(params DirectoryGrant[] grants) =>
        new(new DirectoryOptions { Authority = TestIssuer.Issuer, Audiences = [TestIssuer.ApiAudience], Grants = [.. grants] });

    private static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)).Append(new Claim("sub", "s1")).Append(new Claim("iss", TestIssuer.Issuer)), "test"));

    [Fact]
    public void The_highest_granted_role_and_every_granted_council_apply()
    {
        var directory = Directory(
            new DirectoryGrant { Value = "Reader", Role = "commissioner" },
            new DirectoryGrant { Value = "Loader", Role = "analyst" },
            new DirectoryGrant { Claim = "groups", Value = "g1", Councils = ["E06009999"] },
            new DirectoryGrant { Claim = "groups", Value = "g2", Councils = ["E06000001"] });
        var (caller, _) = directory.CallerOf(User(("roles", "Reader"), ("roles", "Loader"), ("groups", "g1"), ("groups", "g2"), ("preferred_username", "ann")));
        Assert.NotNull(caller);
        Assert.Equal(("ann", Role.Analyst), (caller.Name, caller.Role));
        Assert.Equal(["E06000001", "E06009999"], caller.Councils!.Order());
        Assert.StartsWith(DirectorySignIn.KeyIdPrefix, caller.KeyId);

        // A group value under the roles claim grants nothing: the claim must match too.
        var (none, refusal) = directory.CallerOf(User(("groups", "Reader"), ("groups", "g1")));
        Assert.Null(none);
        Assert.Contains("role", refusal);
    }

    [Theory]
    [InlineData("superuser", "", "unknown role 'superuser'")]
    [InlineData("", "", "gives a Role, Councils or both")]
    public void A_bad_grant_stops_the_server_naming_the_setting(string role, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Directory(
            new DirectoryGrant { Value = "Reader", Role = "commissioner" },
            new DirectoryGrant { Value = value.Length == 0 ? "X" : value, Role = role }));
        Assert.Contains("Auth:Directory:Grants:1", error.Message);
        Assert.Contains(message, error.Message);
        Assert.Contains("Audiences", Assert.Throws<InvalidOperationException>(() =>
            new DirectorySignIn(new DirectoryOptions { Authority = TestIssuer.Issuer, Grants = [new DirectoryGrant { Value = "R", Role = "analyst" }] })).Message);
    }
}
