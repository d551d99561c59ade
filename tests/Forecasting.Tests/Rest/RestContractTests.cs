using System.Net;
using System.Text.Json;
using Forecasting.Contracts.V1;
using Forecasting.Server.Infrastructure;
using Google.Protobuf;
using Forecasting.TestSupport;
using Forecasting.Tests.Support;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Rest;

/// <summary>The REST face is strict and documented: unknown query parameters refused, every operation described.</summary>
[Trait("Category", "integration")]
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

        // Every path and query parameter says what it is, from its field's comment.
        var parameters = new List<string>();
        foreach (var path in json.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                if (operation.Value.TryGetProperty("parameters", out var list))
                    foreach (var parameter in list.EnumerateArray())
                        if (!parameter.TryGetProperty("description", out var d) || string.IsNullOrWhiteSpace(d.GetString()))
                            parameters.Add($"{operation.Name.ToUpperInvariant()} {path.Name} {parameter.GetProperty("name").GetString()}");
        Assert.Empty(parameters);

        // Every property of every schema of the contract's messages (not protobuf's own, such as Any), from its field's comment.
        var messages = ContractServices.All.Select(s => s.File).Distinct().SelectMany(f => f.MessageTypes)
            .SelectMany(m => m.NestedTypes.Prepend(m)).Select(m => m.Name).ToHashSet();
        var fields = new List<string>();
        foreach (var schema in json.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject())
            if (messages.Contains(schema.Name) && schema.Value.TryGetProperty("properties", out var properties))
                foreach (var property in properties.EnumerateObject())
                    if (!property.Value.TryGetProperty("description", out var d) || string.IsNullOrWhiteSpace(d.GetString()))
                        fields.Add($"{schema.Name}.{property.Name}");
        Assert.Empty(fields);
        // The flow series' operation says what the rpc comment says.
        var flow = json.RootElement.GetProperty("paths").GetProperty("/v1/flow-series/{selector.metric}").GetProperty("get");
        Assert.Contains("flow", flow.GetProperty("summary").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Undefined_numbers_are_left_out_or_null_in_json_never_nan_strings()
    {
        // The sample's budgets have open years (no outturn yet) and lines no service maps to: NaN over gRPC.
        var grpc = await new PerformanceService.PerformanceServiceClient(factory.Channel())
            .GetBudgetOutturnAsync(new BudgetOutturnRequest { CouncilCode = Council }, Key(AnalystKey));
        var undefined = grpc.Rows.Sum(r => r.Measures.Count(m => double.IsNaN(m.Value)));
        Assert.True(undefined > 0);

        var (status, body) = await Rest.SendAsync(HttpMethod.Get, $"/v1/budgets?councilCode={Council}", AnalystKey);
        Assert.Equal(HttpStatusCode.OK, status);
        // (The table's title may say "NaN" in words; no value is the string.)
        Assert.DoesNotContain("\"NaN\"", body);
        Assert.DoesNotContain("Infinity\"", body);
        Assert.Contains("\"NaN\"", JsonFormatter.Default.Format(grpc));
        var rest = JsonParser.Default.Parse<TableResponse>(body);
        Assert.Equal(grpc.Rows.Count, rest.Rows.Count);
        for (var i = 0; i < grpc.Rows.Count; i++)
        {
            Assert.Equal(grpc.Rows[i].Dimensions, rest.Rows[i].Dimensions);
            Assert.Equal(grpc.Rows[i].Measures.Where(m => !double.IsNaN(m.Value)).OrderBy(m => m.Key), rest.Rows[i].Measures.OrderBy(m => m.Key));
        }

        // The scorecard and the scenario comparison, whose undefined figures (a chance without a distribution, a
        // median without draws) are numeric fields: null, never a string.
        var (_, scorecard) = await Rest.SendAsync(HttpMethod.Get, $"/v1/performance?councilCode={Council}", AnalystKey);
        Assert.DoesNotContain("\"NaN\"", scorecard);
        Assert.DoesNotContain("Infinity\"", scorecard);
    }

    [Fact]
    public void Only_numeric_fields_are_rewritten_and_text_that_reads_nan_is_kept()
    {
        var row = new ComparisonRow { ScenarioName = "NaN", Demand = 12.5, ShortfallP50 = double.NaN, ProbabilityPositive = double.PositiveInfinity };
        var json = JsonFormatter.Default.Format(row);
        Assert.Contains("\"shortfallP50\": \"NaN\"", json);
        using var rewritten = JsonDocument.Parse(JsonUndefinedNumbers.Rewrite(json, ComparisonRow.Descriptor));
        var root = rewritten.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("shortfallP50").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("probabilityPositive").ValueKind);
        Assert.Equal(12.5, root.GetProperty("demand").GetDouble());
        Assert.Equal("NaN", root.GetProperty("scenarioName").GetString());
    }
}
