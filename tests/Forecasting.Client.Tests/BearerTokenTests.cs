using Forecasting.Cli;
using Grpc.Core;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client.Tests;

/// <summary>
/// The client and the command line signing in with a token of the council's directory, against the server in process
/// trusting <see cref="TestIssuer"/> (app roles give roles, groups give councils).
/// </summary>
[Trait("Category", "integration")]
public sealed class BearerTokenTests(DirectoryServerFactory server) : IClassFixture<DirectoryServerFactory>
{
    private const string Council = SampleServerFactory.Council;

    private string Token(string appRole, string group = "harbridge-staff", string name = "jane.doe@harbridge.test",
        string audience = TestIssuer.ApiAudience, DateTime? expires = null) =>
        server.Issuer.Token("sub-" + name, name, [appRole], [group], audience, expires);

    private ForecastingClient Client(ForecastingClientOptions options) => new(options, server.Server.CreateHandler());

    private ForecastingClient Client(string token) =>
        Client(new ForecastingClientOptions { Address = server.Server.BaseAddress.ToString(), BearerToken = token });

    private static V1.CreateScenarioRequest NewScenario(string name) =>
        new() { CouncilCode = Council, Name = name, Levers = new V1.ScenarioLevers { VoidRate = 0.05 } };

    [Fact]
    public async Task A_valid_token_acts_with_its_granted_role_and_name()
    {
        // Audit events are for analysts only; an analyst app role with the Harbridge group reaches them.
        using var analyst = Client(Token("Forecasting.Analyst"));
        Assert.NotNull(await analyst.ListAuditEventsAsync(new V1.ListAuditEventsRequest { Limit = 3 }));

        using var lead = Client(Token("Forecasting.StrategyLead", name: "sam.lead@harbridge.test"));
        var scenario = await lead.CreateScenarioAsync(NewScenario("Written with a directory token"));
        Assert.Equal("sam.lead@harbridge.test", scenario.Author);
        await lead.DeleteScenarioAsync(new V1.DeleteScenarioRequest { ScenarioId = scenario.ScenarioId });
    }

    [Fact]
    public async Task A_token_provider_is_asked_before_every_call()
    {
        var asked = 0;
        var token = Token("Forecasting.Commissioner");
        using var client = Client(new ForecastingClientOptions
        {
            Address = server.Server.BaseAddress.ToString(),
            BearerTokenProvider = _ => { Interlocked.Increment(ref asked); return ValueTask.FromResult(token); },
        });
        await client.GetStatusAsync();
        await client.ListScenariosAsync(new V1.ListScenariosRequest { CouncilCode = Council });
        Assert.Equal(2, asked);

        // A provider's token with the scheme in front is refused before the call, without quoting it.
        using var prefixed = Client(new ForecastingClientOptions
        {
            Address = server.Server.BaseAddress.ToString(),
            BearerTokenProvider = _ => ValueTask.FromResult("Bearer " + token),
        });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => prefixed.GetStatusAsync());
        Assert.Contains("the token alone", error.Message);
        Assert.DoesNotContain(token, error.Message);
    }

    [Fact]
    public async Task Expired_and_other_audience_tokens_are_unauthenticated()
    {
        var expired = Token("Forecasting.Analyst", expires: DateTime.UtcNow.AddMinutes(-10));
        var otherAudience = Token("Forecasting.Analyst", audience: "api://another-app");
        foreach (var (token, reason) in new[] { (expired, "expired"), (otherAudience, "audience") })
        {
            using var client = Client(token);
            var error = await Assert.ThrowsAsync<ForecastingClientException>(() => client.GetStatusAsync());
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
            Assert.Contains(reason, error.Detail);
        }
    }

    [Fact]
    public async Task A_group_that_grants_only_reading_may_read_but_not_write()
    {
        using var commissioner = Client(Token("Forecasting.Commissioner"));
        await commissioner.ListScenariosAsync(new V1.ListScenariosRequest { CouncilCode = Council });
        var error = await Assert.ThrowsAsync<ForecastingClientException>(() => commissioner.CreateScenarioAsync(NewScenario("Refused")));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("strategy_lead", error.Detail);
    }

    [Fact]
    public void A_key_and_a_token_together_or_a_token_with_its_scheme_are_refused_and_never_printed()
    {
        const string token = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
        var both = Assert.Throws<ArgumentException>(() =>
            new ForecastingClient(new ForecastingClientOptions { Address = "http://127.0.0.1:5080", ApiKey = "k", BearerToken = token }));
        Assert.Contains("ApiKey and BearerToken", both.Message);
        var prefixed = Assert.Throws<ArgumentException>(() =>
            new ForecastingClient(new ForecastingClientOptions { Address = "http://127.0.0.1:5080", BearerToken = "Bearer " + token }));
        Assert.Contains("the token alone", prefixed.Message);
        Assert.DoesNotContain(token, prefixed.Message);

        var printed = new ForecastingClientOptions { Address = "http://127.0.0.1:5080", BearerToken = token }.ToString();
        Assert.Contains("Credential = bearer token", printed);
        Assert.DoesNotContain(token, printed);
    }

    private async Task<(int Code, string Out, string Err)> Cli(Dictionary<string, string?> env, params string[] args)
    {
        env["FORECASTING_SERVER"] = server.Server.BaseAddress.ToString();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, name => env.GetValueOrDefault(name), httpHandler: server.Server.CreateHandler());
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_command_line_takes_a_token_by_option_or_environment_and_never_echoes_it()
    {
        var token = Token("Forecasting.Commissioner");
        var byOption = await Cli([], "scenario", "list", "--council", Council, "--token", token);
        Assert.Equal(ExitCodes.Ok, byOption.Code);
        var byEnvironment = await Cli(new() { ["FORECASTING_TOKEN"] = token }, "scenario", "list", "--council", Council, "--format", "json");
        Assert.Equal(ExitCodes.Ok, byEnvironment.Code);

        var expired = Token("Forecasting.Commissioner", expires: DateTime.UtcNow.AddMinutes(-10));
        var refused = await Cli(new() { ["FORECASTING_TOKEN"] = expired }, "status");
        Assert.Equal(ExitCodes.Auth, refused.Code);
        Assert.Contains("did not accept the token", refused.Err);
        Assert.Contains("expired", refused.Err);
        Assert.DoesNotContain(expired, refused.Err + refused.Out);

        // The audit trail is for analysts: a commissioner's token is refused it.
        var denied = await Cli([], "audit", "--token", token);
        Assert.Equal(ExitCodes.Auth, denied.Code);
        Assert.Contains("this token's role may not do that", denied.Err);

        var both = await Cli(new() { ["FORECASTING_API_KEY"] = SampleServerFactory.CommissionerKey, ["FORECASTING_TOKEN"] = token }, "status");
        Assert.Equal(ExitCodes.Usage, both.Code);
        Assert.Contains("FORECASTING_API_KEY and FORECASTING_TOKEN are both set", both.Err);
        var bothOptions = await Cli([], "status", "--key", SampleServerFactory.CommissionerKey, "--token", token);
        Assert.Equal(ExitCodes.Usage, bothOptions.Code);
        Assert.DoesNotContain(token, bothOptions.Err);
    }
}
