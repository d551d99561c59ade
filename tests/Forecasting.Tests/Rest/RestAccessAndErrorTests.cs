using System.Net;
using System.Text.Json;
using Forecasting.Contracts.V1;
using Forecasting.Server.Infrastructure;
using Forecasting.Server.Security;
using Forecasting.Tests.Support;
using AnnotationsExtensions = Google.Api.AnnotationsExtensions;
using HttpRule = Google.Api.HttpRule;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Rest;

/// <summary>Keys, roles and errors of the REST/JSON routes, the OpenAPI document, and every HTTP endpoint declared.</summary>
[Trait("Category", "integration")]
public sealed class RestAccessAndErrorTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private RestClient Rest => new(factory.CreateClient());

    private static readonly Google.Protobuf.Reflection.ServiceDescriptor[] Services = Forecasting.TestSupport.ContractServices.All;

    /// <summary>The JSON error body: the gRPC status code and message, nothing else.</summary>
    private static (int Code, string Message) Error(string body)
    {
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("code").GetInt32(), json.RootElement.GetProperty("message").GetString()!);
    }

    private static void AssertNoInternalText(string body)
    {
        foreach (var leak in new[] { "Exception", "   at ", "/work/", "/src/", "/home/", "/tmp/", "DuckDB", "SELECT " })
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_key_or_an_unknown_key_is_401_and_a_role_without_the_right_403()
    {
        var (none, noneBody) = await Rest.SendAsync(HttpMethod.Get, "/v1/status", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, none);
        Assert.Equal(16, Error(noneBody).Code); // UNAUTHENTICATED
        Assert.Contains("x-api-key", Error(noneBody).Message);

        var (unknown, unknownBody) = await Rest.SendAsync(HttpMethod.Get, "/v1/status", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown);
        Assert.Equal(16, Error(unknownBody).Code);

        foreach (var key in new[] { CommissionerKey, StrategyKey })
        {
            var (denied, deniedBody) = await Rest.SendAsync(HttpMethod.Get, "/v1/audit-events", key);
            Assert.Equal(HttpStatusCode.Forbidden, denied);
            Assert.Equal(7, Error(deniedBody).Code); // PERMISSION_DENIED
            Assert.Contains("analyst", Error(deniedBody).Message);
        }
        var (allowed, _) = await Rest.SendAsync(HttpMethod.Get, "/v1/audit-events", AnalystKey);
        Assert.Equal(HttpStatusCode.OK, allowed);

        // A scenario run is refused before it starts streaming.
        var (runDenied, _) = await Rest.SendAsync(HttpMethod.Post, "/v1/scenario-runs", key: null, json: $$"""{"councilCode":"{{Council}}"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, runDenied);
    }

    [Fact]
    public async Task Bad_arguments_are_400_and_unknown_ids_404_with_messages_for_the_caller_only()
    {
        var cases = new (HttpMethod Method, string Path, string? Json, HttpStatusCode Status, int Code, string Says)[]
        {
            (HttpMethod.Get, "/v1/flow-series/beds", null, HttpStatusCode.BadRequest, 3, "contacts"),
            (HttpMethod.Get, "/v1/flow-series/contacts?selector.period=DECADE", null, HttpStatusCode.BadRequest, 3, "DECADE"),
            (HttpMethod.Get, "/v1/flow-series/contacts?selector.fromDate=2023-02-30", null, HttpStatusCode.BadRequest, 3, "from_date"),
            (HttpMethod.Get, "/v1/stock/beds", null, HttpStatusCode.BadRequest, 3, "units"),
            (HttpMethod.Post, "/v1/flow-series", "{\"selector\":", HttpStatusCode.BadRequest, 3, "JSON"),
            (HttpMethod.Post, "/v1/scenario-runs", """{"draws":100}""", HttpStatusCode.BadRequest, 3, "council_code"),
            (HttpMethod.Get, "/v1/forecast-runs/fr-0000000000000000", null, HttpStatusCode.NotFound, 5, "fr-0000000000000000"),
            (HttpMethod.Get, "/v1/scenarios/sc-unknown", null, HttpStatusCode.NotFound, 5, "sc-unknown"),
            (HttpMethod.Get, "/v1/scenario-results/res-unknown", null, HttpStatusCode.NotFound, 5, "res-unknown"),
            (HttpMethod.Get, $"/v1/strategies/no-such-strategy?councilCode={Council}", null, HttpStatusCode.NotFound, 5, "no-such-strategy"),
        };
        foreach (var (method, path, json, expected, code, says) in cases)
        {
            var (status, body) = await Rest.SendAsync(method, path, CommissionerKey, json);
            Assert.True(expected == status, $"{method} {path}: {(int)status} {body}");
            var error = Error(body);
            Assert.Equal(code, error.Code);
            Assert.Contains(says, error.Message, StringComparison.Ordinal);
            AssertNoInternalText(body);
        }
    }

    [Fact]
    public async Task An_oversized_comparison_is_429()
    {
        var scenario = await new PlanningService.PlanningServiceClient(factory.Channel()).CreateScenarioAsync(
            new CreateScenarioRequest { CouncilCode = Council, Name = "Voids", Levers = new ScenarioLevers { VoidRate = 0.05 } }, Key(StrategyKey));
        // Two runs (the baseline and the scenario) of 100,000 draws each: over the 120,000 a comparison may ask for.
        var (status, body) = await Rest.SendAsync(HttpMethod.Post, "/v1/scenario-comparisons", CommissionerKey,
            $$"""{"councilCode":"{{Council}}","scenarioIds":["{{scenario.ScenarioId}}"],"draws":100000}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(8, Error(body).Code); // RESOURCE_EXHAUSTED
        AssertNoInternalText(body);
    }

    [Fact]
    public async Task The_call_limits_apply_to_json_bodies_too()
    {
        var limit = new LimitsOptions().MaxFilterValues;
        var values = string.Join(",", Enumerable.Range(0, limit + 1).Select(i => $"\"v{i}\""));
        var (status, body) = await Rest.SendAsync(HttpMethod.Post, "/v1/flow-series", CommissionerKey,
            $$$"""{"selector":{"metric":"contacts","filters":[{"dimension":"route","values":[{{{values}}}]}]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"at most {limit}", Error(body).Message);
    }

    [Fact]
    public async Task The_openapi_document_is_public_and_lists_every_route_of_the_protos()
    {
        var (status, body) = await Rest.SendAsync(HttpMethod.Get, RestApi.DocumentPath, key: null);
        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        var documented = json.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(verb => $"{verb.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();

        // Expected from the protos' own google.api.http options, read from the descriptors.
        var expected = new HashSet<string>();
        foreach (var method in Services.SelectMany(s => s.Methods))
        {
            if (method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is not { } rule) continue;
            foreach (var binding in new[] { rule }.Concat(rule.AdditionalBindings)) expected.Add(Route(binding));
        }
        Assert.Equal(42, expected.Count);
        Assert.Equal(expected.Order(), documented.Order());
        Assert.Contains("GET /v1/flow-series/{selector.metric}", documented);
        Assert.Contains("POST /v1/scenario-runs", documented);

        // The key header is declared for the routes.
        Assert.Equal("x-api-key", json.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("name").GetString());
    }

    /// <summary>"GET /v1/forecast-runs/{runId}": the document names route fields by their JSON (camelCase) names.</summary>
    private static string Route(HttpRule rule)
    {
        var (verb, pattern) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
            HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
            _ => throw new InvalidOperationException($"unexpected HTTP rule {rule}"),
        };
        var path = System.Text.RegularExpressions.Regex.Replace(pattern, "{([a-z_.]+)}",
            m => "{" + string.Join('.', m.Groups[1].Value.Split('.').Select(JsonName)) + "}");
        return $"{verb} {path}";
    }

    private static string JsonName(string field)
    {
        var parts = field.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    [Fact]
    public void Every_mapped_http_endpoint_declares_its_access()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var undeclared = new List<string>();
        var transcoded = new HashSet<string>();
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.DisplayName ?? endpoint.ToString()!;
            if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc)
            {
                var method = grpc.Method.FullName;
                if (!AccessPolicy.IsPublic(method) && AccessPolicy.For(method) is null) undeclared.Add($"{name} ({method})");
                if (endpoint is RouteEndpoint route && route.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal)) transcoded.Add(method);
            }
            else if (UndeclaredEndpointGuard.IsGrpcUnimplemented(endpoint))
            {
                Assert.StartsWith("gRPC - Unimplemented", name);
            }
            else if (UndeclaredEndpointGuard.HasAuthorization(endpoint))
            {
                // A web page or asset: open to anyone, or a named policy (a role), not merely "signed in".
                var open = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
                var policy = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
                    .Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles));
                if (!open && !policy) undeclared.Add(name);
                Assert.True(UndeclaredEndpointGuard.IsDeclared(endpoint), name);
            }
            else if (endpoint.Metadata.GetMetadata<HttpAccess>() is null)
            {
                undeclared.Add(name);
                Assert.False(UndeclaredEndpointGuard.IsDeclared(endpoint), name);
            }
            // The guard that refuses undeclared endpoints at run time agrees with this enumeration (gRPC methods it
            // leaves to the key interceptor, which refuses a method missing from the access policy).
            else Assert.True(UndeclaredEndpointGuard.IsDeclared(endpoint), name);
        }
        Assert.True(undeclared.Count == 0, string.Join("\n", undeclared));
        // The transcoded methods: the 34 read calls, runs and target writes with HTTP rules in the protos (every rpc but
        // the imports, refresh, strategy and scenario writes).
        Assert.Equal(34, transcoded.Count);
        Assert.Contains(endpoints, e => e.Metadata.GetMetadata<HttpAccess>() is { IsPublic: true });
    }

    [Fact]
    public async Task The_guard_refuses_an_undeclared_endpoint_at_run_time()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        UndeclaredEndpointGuard.Use(app);
        app.MapGet("/undeclared", () => "ran");
        app.MapGet("/declared", () => "ran").WithMetadata(HttpAccess.Public("test"));
        await app.StartAsync();
        using var client = app.GetTestClient();
        var undeclared = await client.GetAsync("/undeclared");
        Assert.Equal(HttpStatusCode.Forbidden, undeclared.StatusCode);
        Assert.Equal("", await undeclared.Content.ReadAsStringAsync());
        Assert.Equal("ran", await client.GetStringAsync("/declared"));
    }

    [Fact]
    public void An_endpoint_without_a_declaration_is_not_declared()
    {
        var bare = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(), "bare");
        Assert.False(UndeclaredEndpointGuard.IsDeclared(bare));
        var declared = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(HttpAccess.ForRole(Role.Commissioner, "test")), "declared");
        Assert.True(UndeclaredEndpointGuard.IsDeclared(declared));
    }
}
