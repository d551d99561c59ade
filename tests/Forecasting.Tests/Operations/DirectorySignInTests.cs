using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Forecasting.Contracts.V1;
using Grpc.Core;
using Microsoft.IdentityModel.Tokens;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Operations;

/// <summary>Bearer tokens of the council's directory on the API (gRPC and REST), beside the API keys.</summary>
[Trait("Category", "integration")]
public sealed class DirectorySignInTests(DirectoryServerFactory factory) : IClassFixture<DirectoryServerFactory>
{
    private TestIssuer Issuer => factory.Issuer;
    private PlanningService.PlanningServiceClient Planning => new(factory.Channel());
    private AuditService.AuditServiceClient Audit => new(factory.Channel());

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    private string Token(string role, string group = "harbridge-staff", string name = "jane.doe@harbridge.test") =>
        Issuer.Token("sub-" + name, name, [role], [group]);

    [Fact]
    public async Task A_token_with_the_analyst_app_role_reaches_an_analyst_method_and_an_api_key_still_does()
    {
        var events = await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Limit = 5 }, Bearer(Token("Forecasting.Analyst")));
        Assert.NotNull(events);
        await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Limit = 5 }, Key(AnalystKey));
    }

    [Fact]
    public async Task A_write_records_the_directory_user_as_its_author()
    {
        var scenario = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council, Name = "Directory author", Levers = new ScenarioLevers { VoidRate = 0.05 },
        }, Bearer(Token("Forecasting.StrategyLead", name: "sam.lead@harbridge.test")));
        Assert.Equal("sam.lead@harbridge.test", scenario.Author);
    }

    [Fact]
    public async Task Expired_wrong_audience_and_foreign_signatures_are_unauthenticated()
    {
        var request = new ListScenariosRequest { CouncilCode = Council };
        var expired = Issuer.Token("sub-1", "late@harbridge.test", ["Forecasting.Analyst"], ["harbridge-staff"], expires: DateTime.UtcNow.AddHours(-1));
        var otherAudience = Issuer.Token("sub-1", "a@harbridge.test", ["Forecasting.Analyst"], ["harbridge-staff"], audience: "api://another-app");
        var forged = Issuer.Token("sub-1", "a@harbridge.test", ["Forecasting.Analyst"], ["harbridge-staff"], signingKey: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" });
        foreach (var (token, reason) in new[] { (expired, "expired"), (otherAudience, "audience"), (forged, "signature") })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Planning.ListScenariosAsync(request, Bearer(token)).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
            Assert.Contains(reason, error.Status.Detail);
        }
        var garbage = await Assert.ThrowsAsync<RpcException>(() => Planning.ListScenariosAsync(request, Bearer("not-a-token")).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, garbage.StatusCode);
    }

    [Fact]
    public async Task A_commissioner_token_may_read_but_not_write_and_a_token_without_a_granted_role_is_refused()
    {
        var commissioner = Bearer(Token("Forecasting.Commissioner"));
        await Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Council }, commissioner);
        var write = await Assert.ThrowsAsync<RpcException>(() => Planning.CreateScenarioAsync(
            new CreateScenarioRequest { CouncilCode = Council, Name = "Not allowed", Levers = new ScenarioLevers() }, commissioner).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, write.StatusCode);
        Assert.Contains("strategy_lead", write.Status.Detail);

        var noRole = await Assert.ThrowsAsync<RpcException>(() =>
            Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Council }, Bearer(Token("Some.Other.App.Role"))).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, noRole.StatusCode);
        var noCouncil = await Assert.ThrowsAsync<RpcException>(() =>
            Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Council }, Bearer(Token("Forecasting.Analyst", "canteen-staff"))).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, noCouncil.StatusCode);
    }

    [Fact]
    public async Task The_council_of_the_users_groups_is_enforced()
    {
        var otherton = Bearer(Token("Forecasting.Analyst", "otherton-staff", "o.user@otherton.test"));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Council }, otherton).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        await Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Council }, Bearer(Token("Forecasting.Analyst", "all-councils")));
    }

    [Fact]
    public async Task Rest_takes_the_same_bearer_tokens()
    {
        using var http = factory.CreateClient();
        async Task<HttpStatusCode> Get(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/scenarios?councilCode={Council}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await Get(Token("Forecasting.Commissioner")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(Issuer.Token("s", "n", ["Forecasting.Commissioner"], ["harbridge-staff"], expires: DateTime.UtcNow.AddHours(-1))));
        Assert.Equal(HttpStatusCode.NotFound, await Get(Token("Forecasting.Commissioner", "otherton-staff")));
    }
}
