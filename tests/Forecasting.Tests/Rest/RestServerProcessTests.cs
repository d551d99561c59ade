using System.Net;
using System.Text;
using Forecasting.Contracts.V1;
using Forecasting.Server.Infrastructure;
using Forecasting.Tests.Support;
using Google.Protobuf;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Rest;

/// <summary>
/// The server process as configured by appsettings.json (its two named endpoints on free ports): REST/JSON over
/// HTTP/1.1 on the "Http" endpoint, as Excel's and Power BI's web connectors call it, and over HTTP/2 on the
/// "Grpc" endpoint, next to gRPC itself. In-process tests cannot show this: the test server has no protocol version.
/// </summary>
[Trait("Category", "integration")]
public sealed class RestServerProcessTests
{
    private const string AdmissionsIn2023 =
        "/v1/flow-series/admissions?selector.period=FINANCIAL_YEAR&selector.fromDate=2023-04-01&selector.toDate=2024-03-31";

    private static HttpClient Client(Version version) => new()
    {
        DefaultRequestVersion = version,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(HttpClient client, string url, string? key)
    {
        // A request message of its own does not take the client's defaults: the version is set on it.
        using var request = new HttpRequestMessage(HttpMethod.Get, url)
        {
            Version = client.DefaultRequestVersion, VersionPolicy = client.DefaultVersionPolicy,
        };
        if (key is not null) request.Headers.Add("x-api-key", key);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rest_answers_over_http1_on_the_http_endpoint_and_http2_on_the_grpc_endpoint_with_the_grpc_figures()
    {
        using var server = await ServerProcess.StartWithNamedEndpointsAsync(Path.Combine(RepoPaths.TempDirectory(), "rest.duckdb"));
        Assert.NotNull(server.HttpAddress);

        using var channel = server.Channel();
        var grpc = await new AnalyticsService.AnalyticsServiceClient(channel).GetFlowSeriesAsync(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "admissions", Period = Period.FinancialYear, FromDate = "2023-04-01", ToDate = "2024-03-31" },
        }, Key(CommissionerKey));
        var csv = Csv.Sample("admissions");
        var expected = csv.Rows.Count(r => Csv.Date(csv.Get(r, "admission_date")) is var d && d >= new DateOnly(2023, 4, 1) && d <= new DateOnly(2024, 3, 31));

        using var http1 = Client(HttpVersion.Version11);
        var (response1, body1) = await GetAsync(http1, server.HttpAddress + AdmissionsIn2023, CommissionerKey);
        Assert.Equal(HttpStatusCode.OK, response1.StatusCode);
        Assert.Equal(HttpVersion.Version11, response1.Version);
        Assert.Equal("application/json", response1.Content.Headers.ContentType?.MediaType);
        var rest1 = JsonParser.Default.Parse<FlowSeriesResponse>(body1);
        Assert.Equal(grpc, rest1);
        Assert.Equal(expected, Assert.Single(Assert.Single(rest1.Groups).Points).Value);

        using var http2 = Client(HttpVersion.Version20);
        var (response2, body2) = await GetAsync(http2, server.Address + AdmissionsIn2023, CommissionerKey);
        Assert.Equal(HttpStatusCode.OK, response2.StatusCode);
        Assert.Equal(HttpVersion.Version20, response2.Version);
        Assert.Equal(grpc, JsonParser.Default.Parse<FlowSeriesResponse>(body2));

        // Keys and errors over HTTP/1.1 as in process.
        var (noKey, _) = await GetAsync(http1, server.HttpAddress + AdmissionsIn2023, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        var (denied, _) = await GetAsync(http1, server.HttpAddress + "/v1/audit-events", CommissionerKey);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var (missing, _) = await GetAsync(http1, server.HttpAddress + "/v1/scenario-results/res-unknown", CommissionerKey);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The OpenAPI document, without a key.
        var (document, documentBody) = await GetAsync(http1, server.HttpAddress + RestApi.DocumentPath, key: null);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Contains("\"/v1/scenario-runs\"", documentBody);
    }

    [Fact]
    public async Task A_scenario_run_streams_one_json_line_per_progress_message_over_http1()
    {
        using var server = await ServerProcess.StartWithNamedEndpointsAsync(Path.Combine(RepoPaths.TempDirectory(), "rest-run.duckdb"));
        using var http1 = Client(HttpVersion.Version11);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.HttpAddress + "/v1/scenario-runs")
        {
            Content = new StringContent("""{"councilCode":"E06009999","draws":200,"seed":3}""", Encoding.UTF8, "application/json"),
            Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add("x-api-key", CommissionerKey);
        using var response = await http1.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);

        var lines = new List<RunScenarioProgress>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.Length > 0) lines.Add(JsonParser.Default.Parse<RunScenarioProgress>(line));
        Assert.True(lines.Count >= 2);
        var result = lines[^1].Result;
        Assert.NotNull(result);

        // The stored result read back over gRPC is the one the stream ended with.
        using var channel = server.Channel();
        var stored = await new PlanningService.PlanningServiceClient(channel).GetScenarioResultAsync(
            new GetScenarioResultRequest { ResultId = result.ResultId }, Key(CommissionerKey));
        Assert.Equal(stored, result);
    }
}
