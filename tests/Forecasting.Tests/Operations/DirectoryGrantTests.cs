using System.Security.Claims;
using Forecasting.Server.Security;

namespace Forecasting.Tests.Operations;

/// <summary>How a directory identity's app roles and groups become a role and councils.</summary>
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
}
