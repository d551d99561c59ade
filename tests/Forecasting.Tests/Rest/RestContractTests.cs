using System.Net;
using System.Text.Json;
using Forecasting.Server.Infrastructure;
using Forecasting.Tests.Support;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Rest;

/// <summary>The REST face is strict and documented: unknown query parameters refused, every operation described.</summary>
public sealed class RestContractTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private RestClient Rest => new(factory.CreateClient());

    private static string Message(string body)
    {
        using var json = JsonDocument.Parse(body);
        Assert.Equal(3, json.RootElement.GetProperty("code").GetInt32());
        return json.RootElement.GetProperty("message").GetString()!;
    }

    [Fact]
    public async Task A_misspelt_query_parameter_is_400_naming_it_and_the_right_spelling_answers()
    {
        var (status, body) = await Rest.SendAsync(HttpMethod.Get, $"/v1/flow-series/contacts?selector.councilCode={Council}&selector.breakdwon=route", AnalystKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = Message(body);
        Assert.StartsWith("unknown query parameter 'selector.breakdwon': this route takes ", message);
        Assert.Contains("selector.breakdown", message);

        // Top-level names of a nested field are not guessed either: the selector's breakdown is selector.breakdown.
        var (top, topBody) = await Rest.SendAsync(HttpMethod.Get, $"/v1/flow-series/contacts?breakdown=route&limit=3", AnalystKey);
        Assert.Equal(HttpStatusCode.BadRequest, top);
        Assert.StartsWith("unknown query parameters 'breakdown', 'limit':", Message(topBody));

        // Proto and JSON spellings both bind, as transcoding accepts both.
        foreach (var query in new[] { "selector.breakdown=route&selector.councilCode=", "selector.breakdown=route&selector.council_code=" })
        {
            var (ok, okBody) = await Rest.SendAsync(HttpMethod.Get, $"/v1/flow-series/contacts?{query}{Council}", AnalystKey);
            Assert.True(ok == HttpStatusCode.OK, okBody);
        }
        // The stock snapshot's own breakdown is a top-level field: the guard lets it through.
        var (_, stockBody) = await Rest.SendAsync(HttpMethod.Get, $"/v1/stock/units?councilCode={Council}&breakdown=client_group", AnalystKey);
        Assert.DoesNotContain("unknown query parameter", stockBody);
    }

    [Fact]
    public void Every_transcoded_route_refuses_an_unknown_name_and_accepts_each_field_of_its_request()
    {
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>()).OfType<GrpcJsonTranscodingMetadata>().ToList();
        Assert.True(routes.Count >= 38, $"{routes.Count} routes");
        foreach (var route in routes)
        {
            var unknown = RestQueryGuard.Unknown(route, new QueryCollection(new Dictionary<string, StringValues> { ["breakdwon"] = "x" }));
            Assert.Equal(["breakdwon"], unknown);
            if (route.HttpRule.Body == "*") continue;
            // Each scalar field of the request (one level down through single messages), by its JSON name.
            foreach (var field in route.MethodDescriptor.InputType.Fields.InDeclarationOrder())
            {
                var names = field.FieldType == Google.Protobuf.Reflection.FieldType.Message && !field.IsRepeated && !field.IsMap
                            && !field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal)
                    ? field.MessageType.Fields.InDeclarationOrder().Select(f => field.JsonName + "." + f.JsonName)
                    : [field.JsonName];
                foreach (var name in names)
                    Assert.Empty(RestQueryGuard.Unknown(route, new QueryCollection(new Dictionary<string, StringValues> { [name] = "x" })));
            }
        }
    }

    [Fact]
    public async Task Every_openapi_operation_carries_its_proto_comment()
    {
        var (status, body) = await Rest.SendAsync(HttpMethod.Get, RestApi.DocumentPath, key: null);
        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        var operations = 0;
        var undescribed = new List<string>();
        foreach (var path in json.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var text = operation.Value.TryGetProperty("summary", out var s) ? s.GetString()
                    : operation.Value.TryGetProperty("description", out var d) ? d.GetString() : null;
                if (string.IsNullOrWhiteSpace(text)) undescribed.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
            }
        Assert.True(operations >= 38, $"{operations} operations");
        Assert.Empty(undescribed);
        // The flow series' operation says what the rpc comment says.
        var flow = json.RootElement.GetProperty("paths").GetProperty("/v1/flow-series/{selector.metric}").GetProperty("get");
        Assert.Contains("flow", flow.GetProperty("summary").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
