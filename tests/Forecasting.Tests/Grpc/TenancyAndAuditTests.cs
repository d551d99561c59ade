using Forecasting.Contracts.V1;
using Forecasting.Server.Security;
using Forecasting.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>
/// Keys limited to councils: another council's data and objects are not found, authors come from the key, and
/// every write is in the audit trail. The store holds the sample (Harbridge) and a small second council (Otherton).
/// </summary>
[Trait("Category", "integration")]
public sealed class TenancyAndAuditTests : IClassFixture<ServerFactory>, IAsyncLifetime
{
    private const string Harbridge = "E06009999";
    private const string Otherton = "E06000001";
    private readonly ServerFactory _factory;
    private readonly string[] _othertonContacts =
    [
        "E06000001,OT001,2024-04-03,community,phone,75-84,physical_support,,information_advice,false",
        "E06000001,OT002,2024-05-10,community,phone,65-74,physical_support,,information_advice,false",
        "E06000001,OT003,2024-05-21,hospital_discharge,professional_referral,85+,memory_and_cognition,,short_term_support,false",
    ];

    public TenancyAndAuditTests(ServerFactory factory) => _factory = factory;

    private DataService.DataServiceClient Data => new(_factory.Channel());
    private AnalyticsService.AnalyticsServiceClient Analytics => new(_factory.Channel());
    private PlanningService.PlanningServiceClient Planning => new(_factory.Channel());
    private AuditService.AuditServiceClient Audit => new(_factory.Channel());

    public async Task InitializeAsync()
    {
        var status = await Data.GetStatusAsync(new StatusRequest(), Key(AnalystKey));
        if (status.Councils.Any(c => c.CouncilCode == Otherton)) return;
        var report = await Upload(OthertonAnalystKey,
            ("councils", "council_code,name,region\nE06000001,Otherton,North East\n"),
            ("contacts", "council_code,contact_id,contact_date,route,channel,age_band,psr,locality,outcome,repeat_within_12m\n" +
                         string.Join("\n", _othertonContacts) + "\n"));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<ImportReport> Upload(string key, params (string Table, string Csv)[] files)
    {
        using var call = Data.Upload(Key(key));
        foreach (var (table, csv) in files)
        {
            await call.RequestStream.WriteAsync(new UploadChunk { Header = new UploadHeader { Table = table, FileName = table + ".csv" } });
            await call.RequestStream.WriteAsync(new UploadChunk { Data = ByteString.CopyFromUtf8(csv) });
        }
        await call.RequestStream.CompleteAsync();
        return await call;
    }

    [Fact]
    public void Every_rpc_of_every_service_declares_its_role()
    {
        var services = Forecasting.TestSupport.ContractServices.All;
        Assert.Equal(6, services.Length);
        Assert.Empty(AccessPolicy.Undeclared(services));
        Assert.Equal(42, services.Sum(s => s.Methods.Count));
        Assert.Null(AccessPolicy.For("/forecasting.v1.DataService/DropEverything"));
    }

    [Fact]
    public async Task A_scoped_key_reads_only_its_councils_data()
    {
        var key = Key(OthertonAnalystKey);
        var other = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Harbridge, Period = Period.FinancialYear },
        }, key).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, other.StatusCode);

        // No council named: only Otherton's rows, even broken down by council.
        var all = await Analytics.GetFlowSeriesAsync(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", Period = Period.FinancialYear, Breakdown = { "council_code" } },
        }, key);
        var group = Assert.Single(all.Groups);
        Assert.Equal(Otherton, group.Key["council_code"]);
        Assert.Equal(_othertonContacts.Length, group.Points.Sum(p => p.Value));

        var status = await Data.GetStatusAsync(new StatusRequest(), key);
        Assert.Equal([Otherton], status.Councils.Select(c => c.CouncilCode));
        Assert.Equal(_othertonContacts.Length, status.Tables.Single(t => t.Table == "contacts").Rows);
        Assert.DoesNotContain("/", status.DatabasePath);

        var pipeline = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetPipelineAsync(new PipelineRequest { CouncilCode = Harbridge }, key).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, pipeline.StatusCode);
        Assert.Empty((await Analytics.GetPipelineAsync(new PipelineRequest(), key)).Rows);
    }

    [Fact]
    public async Task A_scoped_key_cannot_import_another_councils_rows()
    {
        var before = await Data.GetStatusAsync(new StatusRequest(), Key(AnalystKey));
        var report = await Upload(OthertonAnalystKey,
            ("councils", "council_code,name,region\nE06000001,Otherton,North East\nE06009999,Harbridge City Council,East Midlands\n"));
        Assert.False(report.Succeeded);
        var issue = Assert.Single(report.Issues, i => i.Severity == Severity.Error);
        Assert.Equal(("councils.csv", 3L, "council_code", Harbridge), (issue.File, issue.Row, issue.Column, issue.Value));
        Assert.Contains("may import: E06000001", issue.Reason);
        var after = await Data.GetStatusAsync(new StatusRequest(), Key(AnalystKey));
        Assert.Equal(before.SnapshotId, after.SnapshotId);
    }

    [Fact]
    public async Task An_unknown_council_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = "E0600XXXX" },
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Another_councils_scenarios_and_results_are_not_found_and_cannot_be_changed()
    {
        var scenario = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Harbridge, Name = "Harbridge only", Levers = new ScenarioLevers { ResidentialToSlMovesPerYear = 10 },
        }, Key(HarbridgeStrategyKey));
        Assert.Equal("harbridge strategy lead", scenario.Author);

        var other = Key(OthertonAnalystKey);
        async Task NotFound(Func<Task> call) => Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(call)).StatusCode);
        await NotFound(() => Planning.GetScenarioAsync(new GetScenarioRequest { ScenarioId = scenario.ScenarioId }, other).ResponseAsync);
        await NotFound(() => Planning.UpdateScenarioAsync(new UpdateScenarioRequest { ScenarioId = scenario.ScenarioId, Name = "taken over" }, other).ResponseAsync);
        await NotFound(() => Planning.DeleteScenarioAsync(new DeleteScenarioRequest { ScenarioId = scenario.ScenarioId }, other).ResponseAsync);
        await NotFound(() => Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Harbridge }, other).ResponseAsync);
        await NotFound(() => Planning.ListStrategiesAsync(new ListStrategiesRequest { CouncilCode = Harbridge }, other).ResponseAsync);

        // The scenario is untouched.
        var still = await Planning.GetScenarioAsync(new GetScenarioRequest { ScenarioId = scenario.ScenarioId }, Key(CommissionerKey));
        Assert.Equal("Harbridge only", still.Name);
        Assert.False(still.Deleted);
        Assert.Equal(1, still.Revision);
    }

    [Fact]
    public async Task The_author_of_a_strategy_version_is_the_key_not_the_request()
    {
        var created = await Planning.CreateStrategyVersionAsync(new CreateStrategyVersionRequest
        {
            CouncilCode = Harbridge,
            StrategyId = "sl-2021",
            Author = "Somebody Else",
            Reason = "annual re-base",
            Phases = { new StrategyPhase { Name = "Re-based", StartFy = 2025, EndFy = 2030, UnitTarget = 400 } },
        }, Key(HarbridgeStrategyKey));
        Assert.Equal("harbridge strategy lead", created.Author);
    }

    [Fact]
    public async Task Forecast_runs_of_another_council_are_not_listed_or_readable()
    {
        var run = await new ForecastService.ForecastServiceClient(_factory.Channel()).ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Harbridge, Period = Period.FinancialYear },
            Model = "naive", Horizon = 2,
        }, Key(HarbridgeStrategyKey));
        var forecasts = new ForecastService.ForecastServiceClient(_factory.Channel());
        var other = Key(OthertonAnalystKey);
        Assert.DoesNotContain((await forecasts.ListRunsAsync(new ListRunsRequest(), other)).Runs, r => r.RunId == run.RunId);
        var error = await Assert.ThrowsAsync<RpcException>(() => forecasts.GetRunAsync(new GetRunRequest { RunId = run.RunId }, other).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains((await forecasts.ListRunsAsync(new ListRunsRequest(), Key(CommissionerKey))).Runs, r => r.RunId == run.RunId);
    }

    [Fact]
    public async Task Writes_are_audited_with_who_what_and_the_outcome_and_only_analysts_read_the_trail()
    {
        var scenario = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Harbridge, Name = "Audited", Levers = new ScenarioLevers(),
        }, Key(StrategyKey));
        var refused = await Assert.ThrowsAsync<RpcException>(() => Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Harbridge, Name = "Not allowed",
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var events = (await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Method = "CreateScenario", Limit = 1000 }, Key(AnalystKey))).Events;
        var created = Assert.Single(events, e => e.Target.Contains($"scenario_id={scenario.ScenarioId}"));
        Assert.Equal(("development strategy lead", "strategy_lead", "OK", Harbridge),
            (created.KeyName, created.Role, created.Outcome, created.CouncilCode));
        Assert.Equal("forecasting.v1.PlanningService/CreateScenario", created.Method);
        Assert.Matches("^[0-9a-f]{12}$", created.CorrelationId);
        Assert.Contains(events, e => e is { KeyName: "development commissioner", Outcome: "PermissionDenied" });

        // Uploads are audited with the import id; reads are not audited.
        var imports = (await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Method = "Upload" }, Key(AnalystKey))).Events;
        Assert.Contains(imports, e => e.KeyName == "otherton analyst" && e.Target.Contains("import_id="));
        var all = (await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Limit = 1000 }, Key(AnalystKey))).Events;
        Assert.DoesNotContain(all, e => e.Method.EndsWith("/GetFlowSeries", StringComparison.Ordinal));

        // A key limited to Otherton sees its own calls and Otherton's, not Harbridge's.
        var scoped = (await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Limit = 1000 }, Key(OthertonAnalystKey))).Events;
        Assert.All(scoped, e => Assert.True(e.KeyName == "otherton analyst" || e.CouncilCode == Otherton, e.ToString()));

        var denied = await Assert.ThrowsAsync<RpcException>(() => Audit.ListAuditEventsAsync(new ListAuditEventsRequest(), Key(StrategyKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task A_scoped_key_reads_only_the_validation_reports_of_its_own_imports()
    {
        var theirs = await Upload(AnalystKey, ("councils", "council_code,name,region\nE06009999,Harbridge City Council,East Midlands\n"));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Data.GetValidationReportAsync(new ValidationReportRequest { ImportId = theirs.ImportId }, Key(OthertonAnalystKey)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var own = await Data.GetValidationReportAsync(new ValidationReportRequest(), Key(OthertonAnalystKey));
        Assert.NotEqual(theirs.ImportId, own.ImportId);
    }
}
