using System.Globalization;
using System.Net;
using System.Text.Json;
using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Rest;

/// <summary>
/// Every REST/JSON route against the gRPC call it transcodes, in process: the same service method answers both,
/// so the JSON, parsed back into the message, must equal the gRPC response (runs: the same figures, new ids).
/// </summary>
[Trait("Category", "integration")]
public sealed class RestTranscodingTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";

    private RestClient Rest => new(factory.CreateClient());
    private AnalyticsService.AnalyticsServiceClient Analytics => new(factory.Channel());
    private DataService.DataServiceClient Data => new(factory.Channel());
    private ForecastService.ForecastServiceClient Forecasts => new(factory.Channel());
    private PlanningService.PlanningServiceClient Planning => new(factory.Channel());
    private AuditService.AuditServiceClient Audit => new(factory.Channel());

    [Fact]
    public async Task Contacts_per_financial_year_and_route_in_json_match_the_csv()
    {
        var (status, body) = await Rest.SendAsync(HttpMethod.Get,
            $"/v1/flow-series/contacts?selector.councilCode={Council}&selector.period=FINANCIAL_YEAR&selector.breakdown=route", CommissionerKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);

        // What a BI tool reads: plain JSON, camelCase names, numbers as numbers.
        using var json = JsonDocument.Parse(body);
        var served = new Dictionary<(string Route, string Year), double>();
        foreach (var group in json.RootElement.GetProperty("groups").EnumerateArray())
            foreach (var point in group.GetProperty("points").EnumerateArray())
                served[(group.GetProperty("key").GetProperty("route").GetString()!, point.GetProperty("periodLabel").GetString()!)] =
                    point.GetProperty("value").GetDouble();

        var csv = Csv.Sample("contacts");
        var expected = csv.Rows
            .Where(r => csv.Get(r, "council_code") == Council)
            .GroupBy(r => (csv.Get(r, "route"), FinancialYearLabel(Csv.Date(csv.Get(r, "contact_date")))))
            .ToDictionary(g => g.Key, g => (double)g.Count());
        Assert.Equal(expected.Count, served.Count);
        foreach (var (key, count) in expected) Assert.Equal(count, served[key]);
    }

    private static string FinancialYearLabel(DateOnly date)
    {
        var start = date.Month >= 4 ? date.Year : date.Year - 1;
        return string.Create(CultureInfo.InvariantCulture, $"{start}/{(start + 1) % 100:00}");
    }

    [Fact]
    public async Task Data_status_and_snapshots_match_grpc()
    {
        var key = ServerFactory.Key(CommissionerKey);
        Assert.Equal(await Data.GetStatusAsync(new StatusRequest(), key), await Rest.GetAsync<StoreStatus>("/v1/status", CommissionerKey));
        Assert.Equal(await Data.ListSnapshotsAsync(new ListSnapshotsRequest(), key),
            await Rest.GetAsync<ListSnapshotsResponse>("/v1/snapshots", CommissionerKey));
        // Validation reports quote imported rows: the analyst reads them, over REST as over gRPC.
        var report = await Data.GetValidationReportAsync(new ValidationReportRequest(), ServerFactory.Key(AnalystKey));
        Assert.Equal(report, await Rest.GetAsync<ImportReport>("/v1/validation-reports", AnalystKey));
        Assert.Equal(report, await Rest.GetAsync<ImportReport>($"/v1/validation-reports?importId={report.ImportId}", AnalystKey));
        Assert.Equal(HttpStatusCode.Forbidden, (await Rest.SendAsync(HttpMethod.Get, "/v1/validation-reports", CommissionerKey)).Status);
    }

    [Fact]
    public async Task The_planning_backtest_matches_grpc()
    {
        var request = new BacktestPlanningRequest { CouncilCode = Council, Origins = { "2022-03-31" }, Draws = 200, Seed = 5 };
        var grpc = await Planning.BacktestPlanningAsync(request, ServerFactory.Key(CommissionerKey));
        var rest = await Rest.PostAsync<PlanningBacktest>("/v1/planning-backtests", CommissionerKey,
            $$"""{"councilCode":"{{Council}}","origins":["2022-03-31"],"draws":200,"seed":5}""");
        // Everything but the run time.
        Assert.True(grpc.Seconds > 0 && rest.Seconds > 0);
        grpc.Seconds = rest.Seconds = 0;
        Assert.Equal(grpc, rest);
        Assert.NotEmpty(rest.Rows);
    }

    [Fact]
    public async Task A_publication_made_over_grpc_is_listed_by_REST_as_by_grpc()
    {
        using var call = Planning.RunScenario(new RunScenarioRequest { CouncilCode = Council, Draws = 20, Seed = 3 }, ServerFactory.Key(CommissionerKey));
        ScenarioResult? run = null;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
            if (call.ResponseStream.Current.Result is { } r) run = r;
        var published = await Planning.PublishResultAsync(new PublishResultRequest { ResultId = run!.ResultId, Label = "REST test" }, ServerFactory.Key(StrategyKey));
        var grpc = await Planning.ListPublicationsAsync(new ListPublicationsRequest { CouncilCode = Council }, ServerFactory.Key(CommissionerKey));
        Assert.Equal(published, grpc.Publications[0]);
        Assert.Equal(grpc, await Rest.GetAsync<ListPublicationsResponse>($"/v1/publications?councilCode={Council}", CommissionerKey));
    }

    [Fact]
    public async Task Analytics_reads_match_grpc()
    {
        var key = ServerFactory.Key(CommissionerKey);
        Assert.Equal(await Analytics.ListMetricsAsync(new ListMetricsRequest(), key), await Rest.GetAsync<MetricCatalog>("/v1/metrics", CommissionerKey));

        var byYear = new FlowSeriesRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.FinancialYear } };
        Assert.Equal(await Analytics.GetFlowSeriesAsync(byYear, key),
            await Rest.GetAsync<FlowSeriesResponse>($"/v1/flow-series/contacts?selector.councilCode={Council}&selector.period=FINANCIAL_YEAR", CommissionerKey));

        var filtered = new FlowSeriesRequest
        {
            Selector = new SeriesSelector
            {
                Metric = "admissions", CouncilCode = Council, Period = Period.Quarter, FromDate = "2021-04-01",
                Filters = { new Filter { Dimension = "age_group", Values = { "65+" } } }, Breakdown = { "setting" },
            },
        };
        Assert.Equal(await Analytics.GetFlowSeriesAsync(filtered, key), await Rest.PostAsync<FlowSeriesResponse>("/v1/flow-series", CommissionerKey,
            $$$"""{"selector":{"metric":"admissions","councilCode":"{{{Council}}}","period":"QUARTER","fromDate":"2021-04-01","filters":[{"dimension":"age_group","values":["65+"]}],"breakdown":["setting"]}}"""));

        var rates = new RateRequest { Selector = new SeriesSelector { Metric = "admissions", CouncilCode = Council }, AgeGroup = "65+" };
        Assert.Equal(await Analytics.GetRatesAsync(rates, key),
            await Rest.GetAsync<RateResponse>($"/v1/rates/admissions?selector.councilCode={Council}&ageGroup=65%2B", CommissionerKey));
        Assert.Equal(await Analytics.GetRatesAsync(rates, key), await Rest.PostAsync<RateResponse>("/v1/rates", CommissionerKey,
            $$"""{"selector":{"metric":"admissions","councilCode":"{{Council}}"},"ageGroup":"65+"}"""));

        var units = new StockRequest { Measure = "units", CouncilCode = Council, AsOf = "2025-03-31", Breakdown = { "client_group" } };
        Assert.Equal(await Analytics.GetStockSnapshotAsync(units, key),
            await Rest.GetAsync<TableResponse>($"/v1/stock/units?councilCode={Council}&asOf=2025-03-31&breakdown=client_group", CommissionerKey));

        var cohort = new TransitionsRequest { CouncilCode = Council, FromFy = 2025, ToFy = 2028 };
        Assert.Equal(await Analytics.GetTransitionsCohortAsync(cohort, key),
            await Rest.GetAsync<TableResponse>($"/v1/transitions?councilCode={Council}&fromFy=2025&toFy=2028", CommissionerKey));

        var pipeline = new PipelineRequest { CouncilCode = Council, Breakdown = { "status" } };
        Assert.Equal(await Analytics.GetPipelineAsync(pipeline, key),
            await Rest.GetAsync<TableResponse>($"/v1/pipeline?councilCode={Council}&breakdown=status", CommissionerKey));
        Assert.Equal(await Analytics.GetPipelineAsync(pipeline, key),
            await Rest.PostAsync<TableResponse>("/v1/pipeline", CommissionerKey, $$"""{"councilCode":"{{Council}}","breakdown":["status"]}"""));
    }

    [Fact]
    public async Task Forecast_reads_and_runs_match_grpc()
    {
        var key = ServerFactory.Key(CommissionerKey);
        Assert.Equal(await Forecasts.ListModelsAsync(new ListModelsRequest(), key), await Rest.GetAsync<ListModelsResponse>("/v1/models", CommissionerKey));

        var request = new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.Month }, Horizon = 12, Model = "snaive",
        };
        var grpcRun = await Forecasts.ForecastAsync(request, key);
        var restRun = await Rest.PostAsync<ForecastRun>("/v1/forecasts", CommissionerKey,
            $$"""{"selector":{"metric":"contacts","councilCode":"{{Council}}","period":"MONTH"},"horizon":12,"model":"snaive"}""");
        Assert.NotEqual(grpcRun.RunId, restRun.RunId);
        Assert.Equal(RestClient.WithoutRunIdentity(grpcRun), RestClient.WithoutRunIdentity(restRun));
        Assert.Equal(12, restRun.Series.Single().Points.Count);

        Assert.Equal(await Forecasts.ListRunsAsync(new ListRunsRequest { Limit = 5 }, key),
            await Rest.GetAsync<ListRunsResponse>("/v1/forecast-runs?limit=5", CommissionerKey));
        Assert.Equal(await Forecasts.GetRunAsync(new GetRunRequest { RunId = restRun.RunId }, key),
            await Rest.GetAsync<ForecastRun>($"/v1/forecast-runs/{restRun.RunId}", CommissionerKey));

        var yearEnd = new YearEndRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council }, FinancialYear = "2023/24", MonthsElapsed = 9 };
        Assert.Equal(await Forecasts.EstimateYearEndAsync(yearEnd, key),
            await Rest.GetAsync<YearEndResponse>($"/v1/year-end/contacts?selector.councilCode={Council}&financialYear=2023%2F24&monthsElapsed=9", CommissionerKey));
    }

    [Fact]
    public async Task Planning_reads_runs_and_comparisons_match_grpc()
    {
        var key = ServerFactory.Key(CommissionerKey);
        Assert.Equal(await Planning.ListStrategiesAsync(new ListStrategiesRequest { CouncilCode = Council }, key),
            await Rest.GetAsync<ListStrategiesResponse>($"/v1/strategies?councilCode={Council}", CommissionerKey));
        Assert.Equal(await Planning.GetStrategyAsync(new GetStrategyRequest { CouncilCode = Council, StrategyId = "sl-2021" }, key),
            await Rest.GetAsync<Strategy>($"/v1/strategies/sl-2021?councilCode={Council}", CommissionerKey));

        var scenario = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council, Name = "Extra care slips a year",
            Levers = new ScenarioLevers { Slippage = { new SchemeSlippage { PipelineId = "PL09", Months = 12 } }, ResidentialToSlMovesPerYear = 30 },
        }, ServerFactory.Key(StrategyKey));
        Assert.Equal(await Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Council }, key),
            await Rest.GetAsync<ListScenariosResponse>($"/v1/scenarios?councilCode={Council}", CommissionerKey));
        Assert.Equal(await Planning.GetScenarioAsync(new GetScenarioRequest { ScenarioId = scenario.ScenarioId }, key),
            await Rest.GetAsync<Scenario>($"/v1/scenarios/{scenario.ScenarioId}", CommissionerKey));

        // The server-streaming run: one JSON message per line, the last carrying the stored result.
        var lines = await Rest.StreamAsync<RunScenarioProgress>("/v1/scenario-runs", CommissionerKey,
            $$"""{"scenarioId":"{{scenario.ScenarioId}}","councilCode":"{{Council}}","draws":300,"seed":11}""");
        Assert.True(lines.Count >= 2, $"{lines.Count} progress lines");
        Assert.All(lines.SkipLast(1), l => Assert.Null(l.Result));
        var restResult = lines[^1].Result;
        Assert.Equal(lines[^1].Total, lines[^1].Done);

        using var call = Planning.RunScenario(new RunScenarioRequest { ScenarioId = scenario.ScenarioId, CouncilCode = Council, Draws = 300, Seed = 11 }, key);
        ScenarioResult? grpcResult = null;
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) grpcResult = call.ResponseStream.Current.Result ?? grpcResult;
        Assert.NotNull(grpcResult);
        Assert.NotEqual(grpcResult.ResultId, restResult.ResultId);
        Assert.Equal(RestClient.WithoutRunIdentity(grpcResult), RestClient.WithoutRunIdentity(restResult));
        Assert.Contains(restResult.Years, y => y.ClientGroup == "all");

        Assert.Equal(await Planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = restResult.ResultId }, key),
            await Rest.GetAsync<ScenarioResult>($"/v1/scenario-results/{restResult.ResultId}", CommissionerKey));
        Assert.Equal(await Planning.ListScenarioResultsAsync(new ListScenarioResultsRequest { ScenarioId = scenario.ScenarioId }, key),
            await Rest.GetAsync<ListScenarioResultsResponse>($"/v1/scenarios/{scenario.ScenarioId}/results", CommissionerKey));

        var compared = await Planning.CompareScenariosAsync(new CompareScenariosRequest
        {
            CouncilCode = Council, ScenarioIds = { scenario.ScenarioId }, Draws = 300, Seed = 11,
        }, key);
        var restCompared = await Rest.PostAsync<ScenarioComparison>("/v1/scenario-comparisons", CommissionerKey,
            $$"""{"councilCode":"{{Council}}","scenarioIds":["{{scenario.ScenarioId}}"],"draws":300,"seed":11}""");
        Assert.Equal(RestClient.WithoutRunIdentity(compared), RestClient.WithoutRunIdentity(restCompared));
        Assert.NotEmpty(restCompared.Rows);
    }

    [Fact]
    public async Task Transcoded_calls_pass_the_same_interceptors_audit_included()
    {
        // The audit interceptor records the REST run with the key's name, as it does a gRPC one.
        var lines = await Rest.StreamAsync<RunScenarioProgress>("/v1/scenario-runs", CommissionerKey,
            $$"""{"councilCode":"{{Council}}","draws":200,"seed":5}""");
        var resultId = lines[^1].Result.ResultId;
        var events = (await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Method = "RunScenario", Limit = 1000 }, ServerFactory.Key(AnalystKey))).Events;
        var run = Assert.Single(events, e => e.Target.Contains(resultId, StringComparison.Ordinal));
        Assert.Equal(("development commissioner", "commissioner", "forecasting.v1.PlanningService/RunScenario", "OK"), (run.KeyName, run.Role, run.Method, run.Outcome));

        // The analyst reads the audit trail over REST too, the same as over gRPC.
        Assert.Equal(await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Limit = 20 }, ServerFactory.Key(AnalystKey)),
            await Rest.GetAsync<ListAuditEventsResponse>("/v1/audit-events?limit=20", AnalystKey));
    }
}
