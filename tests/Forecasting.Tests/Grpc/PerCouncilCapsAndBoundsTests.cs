using Forecasting.Application.Planning;
using Forecasting.Contracts.V1;
using Forecasting.Store;
using Forecasting.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>Two councils and small per-council caps on stored forecast runs and scenario results.</summary>
public sealed class PerCouncilCapsServerFactory : ServerFactory
{
    public const int RunsCap = 5;
    public const int ResultsCap = 3;

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Limits:MaxStoredForecastRuns"] = RunsCap.ToString();
        settings["Limits:MaxStoredScenarioResults"] = ResultsCap.ToString();
        return settings;
    }
}

/// <summary>
/// Called as an attacker would: one council's calls never remove another council's stored runs and results, and
/// absurd values (years, unit targets, lever sizes) are INVALID_ARGUMENT naming the field, never INTERNAL.
/// </summary>
[Trait("Category", "integration")]
public sealed class PerCouncilCapsAndBoundsTests : IClassFixture<PerCouncilCapsServerFactory>, IAsyncLifetime
{
    private const string Harbridge = "E06009999";
    private const string Otherton = "E06000001";
    private readonly PerCouncilCapsServerFactory _factory;

    public PerCouncilCapsAndBoundsTests(PerCouncilCapsServerFactory factory) => _factory = factory;

    private ForecastService.ForecastServiceClient Forecasts => new(_factory.Channel());
    private PlanningService.PlanningServiceClient Planning => new(_factory.Channel());

    /// <summary>Otherton with three years of monthly contacts, enough for a forecast.</summary>
    public async Task InitializeAsync()
    {
        var data = new DataService.DataServiceClient(_factory.Channel());
        var status = await data.GetStatusAsync(new StatusRequest(), Key(AnalystKey));
        if (status.Councils.Any(c => c.CouncilCode == Otherton)) return;
        var contacts = Enumerable.Range(0, 36).Select(m => new DateOnly(2021, 4, 3).AddMonths(m))
            .Select((d, i) => $"{Otherton},OT{i:D3},{d:yyyy-MM-dd},community,phone,75-84,physical_support,,information_advice,false");
        using var call = data.Upload(Key(ServerFactory.OthertonAnalystKey));
        foreach (var (table, csv) in new[]
                 {
                     ("councils", $"council_code,name,region\n{Otherton},Otherton,North East\n"),
                     ("contacts", "council_code,contact_id,contact_date,route,channel,age_band,psr,locality,outcome,repeat_within_12m\n" +
                                  string.Join("\n", contacts) + "\n"),
                 })
        {
            await call.RequestStream.WriteAsync(new UploadChunk { Header = new UploadHeader { Table = table, FileName = table + ".csv" } });
            await call.RequestStream.WriteAsync(new UploadChunk { Data = ByteString.CopyFromUtf8(csv) });
        }
        await call.RequestStream.CompleteAsync();
        var report = await call;
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static ForecastRequest ContactsForecast(string council) => new()
    {
        Selector = new SeriesSelector { Metric = "contacts", CouncilCode = council, Period = Period.Month },
        Model = "naive",
        Horizon = 3,
    };

    private static async Task<ScenarioResult> RunToEnd(AsyncServerStreamingCall<RunScenarioProgress> call)
    {
        ScenarioResult? result = null;
        await foreach (var step in call.ResponseStream.ReadAllAsync())
            if (step.Result is not null) result = step.Result;
        return result ?? throw new InvalidOperationException("the run ended without a result");
    }

    private static async Task<RpcException> Refused(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error;
    }

    [Fact]
    public async Task Council_B_making_cap_plus_three_forecasts_leaves_council_As_run_and_evicts_only_its_own_oldest()
    {
        var harbridgeKey = Key(ServerFactory.HarbridgeStrategyKey);
        var othertonKey = Key(ServerFactory.OthertonAnalystKey);
        var harbridgeRun = (await Forecasts.ForecastAsync(ContactsForecast(Harbridge), harbridgeKey)).RunId;

        var othertonRuns = new List<string>();
        for (var i = 0; i < PerCouncilCapsServerFactory.RunsCap + 3; i++)
            othertonRuns.Add((await Forecasts.ForecastAsync(ContactsForecast(Otherton), othertonKey)).RunId);

        // Council A's run is still there (with one global cap of 5 it was gone after B's eighth call).
        Assert.Equal(harbridgeRun, (await Forecasts.GetRunAsync(new GetRunRequest { RunId = harbridgeRun }, harbridgeKey)).RunId);
        // Council B keeps its newest five; its three oldest are removed.
        var listed = (await Forecasts.ListRunsAsync(new ListRunsRequest { Limit = 100 }, othertonKey)).Runs.Select(r => r.RunId).ToList();
        Assert.Equal(othertonRuns.TakeLast(PerCouncilCapsServerFactory.RunsCap).Reverse(), listed);
        foreach (var gone in othertonRuns.Take(3))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Forecasts.GetRunAsync(new GetRunRequest { RunId = gone }, othertonKey).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
        }
    }

    [Fact]
    public async Task Council_B_running_cap_plus_three_scenarios_leaves_council_As_result_and_evicts_only_its_own_oldest()
    {
        // Otherton has no planning data to run; its stored result is planted as a copy of a Harbridge baseline result.
        var harbridgeKey = Key(ServerFactory.HarbridgeStrategyKey);
        var first = await RunToEnd(Planning.RunScenario(new RunScenarioRequest { CouncilCode = Harbridge, Draws = 1 }, harbridgeKey));
        var session = _factory.Services.GetRequiredService<PlanningSession>();
        var othertonResult = await session.RunAsync((runner, _) =>
        {
            var copy = runner.Repository.GetResult(first.ResultId)! with
            {
                ResultId = "res-otherton-kept",
                CouncilCode = Otherton,
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-1),
            };
            runner.Repository.SaveResult(copy);
            return copy.ResultId;
        }, CancellationToken.None);

        var harbridgeResults = new List<string> { first.ResultId };
        for (var i = 0; i < PerCouncilCapsServerFactory.ResultsCap + 3; i++)
            harbridgeResults.Add((await RunToEnd(Planning.RunScenario(new RunScenarioRequest { CouncilCode = Harbridge, Draws = 1 }, harbridgeKey))).ResultId);

        var kept = await Planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = othertonResult }, Key(ServerFactory.OthertonAnalystKey));
        Assert.Equal(Otherton, kept.CouncilCode);
        var listed = (await Planning.ListScenarioResultsAsync(new ListScenarioResultsRequest(), harbridgeKey)).Results.Select(r => r.ResultId).ToList();
        Assert.Equal(harbridgeResults.TakeLast(PerCouncilCapsServerFactory.ResultsCap).Reverse(), listed);
        var evicted = await Assert.ThrowsAsync<RpcException>(() =>
            Planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = first.ResultId }, harbridgeKey).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, evicted.StatusCode);
    }

    [Theory]
    [InlineData(1, 0, "start_fy: 1 is not a financial year from 1990 to 2100")]
    [InlineData(13, 0, "start_fy: 13 is not a financial year")]
    [InlineData(int.MaxValue, 0, "start_fy: 2147483647 is not a financial year")]
    [InlineData(2025, int.MaxValue, "end_fy: 2147483647 is not a financial year")]
    [InlineData(2030, 2025, "end_fy: 2025 is before start_fy 2030")]
    [InlineData(2025, 2055, "end_fy: a strategy period is at most 30 financial years (2025/26-2055/56 is 31)")]
    public async Task A_strategy_version_with_years_outside_the_window_is_invalid_argument_naming_the_field(int startFy, int endFy, string expected)
    {
        var error = await Refused(() => Planning.CreateStrategyVersionAsync(new CreateStrategyVersionRequest
        {
            CouncilCode = Harbridge, StrategyId = "sl-2021", StartFy = startFy, EndFy = endFy, Reason = "typing error",
            Phases = { new StrategyPhase { Name = "all", StartFy = 2030, EndFy = 2030, UnitTarget = 10 } },
        }, Key(StrategyKey)).ResponseAsync);
        Assert.Contains(expected, error.Status.Detail);
        Assert.DoesNotContain("levers.", error.Status.Detail);
    }

    [Fact]
    public async Task A_unit_target_beyond_the_maximum_is_invalid_argument_and_a_baseline_run_still_works()
    {
        var phase = await Refused(() => Planning.CreateStrategyVersionAsync(new CreateStrategyVersionRequest
        {
            CouncilCode = Harbridge, StrategyId = "sl-2021", StartFy = 2025, EndFy = 2030, Reason = "typing error",
            Phases = { new StrategyPhase { Name = "all", StartFy = 2025, EndFy = 2030, UnitTarget = int.MaxValue } },
        }, Key(StrategyKey)).ResponseAsync);
        Assert.Contains("phases[0].unit_target: at most 100,000 units (got 2,147,483,647)", phase.Status.Detail);

        var target = await Refused(() => Planning.CreateStrategyVersionAsync(new CreateStrategyVersionRequest
        {
            CouncilCode = Harbridge, StrategyId = "sl-2021", StartFy = 2025, EndFy = 2030, Reason = "typing error",
            Targets = { new StrategyTarget { ClientGroup = "ld_autism", Fy = 2026, UnitTarget = int.MaxValue } },
        }, Key(StrategyKey)).ResponseAsync);
        Assert.Contains("targets[0].unit_target: at most 100,000 units", target.Status.Detail);

        var run = await RunToEnd(Planning.RunScenario(new RunScenarioRequest { CouncilCode = Harbridge, Draws = 1 }, Key(CommissionerKey)));
        Assert.NotEmpty(run.Years);
    }

    [Theory]
    [InlineData("9999/00")]
    [InlineData("0000/01")]
    [InlineData("1989/90")]
    public async Task A_forecast_until_a_year_outside_the_window_is_invalid_argument_naming_until_fy(string untilFy)
    {
        var request = ContactsForecast(Harbridge);
        request.Horizon = 0;
        request.UntilFy = untilFy;
        var error = await Refused(() => Forecasts.ForecastAsync(request, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal($"until_fy: '{untilFy}' is outside the financial years 1990/91 to 2100/01", error.Status.Detail);
    }

    [Fact]
    public async Task Other_years_outside_the_window_are_invalid_argument_naming_the_field()
    {
        var yearEnd = await Refused(() => Forecasts.EstimateYearEndAsync(new YearEndRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Harbridge }, FinancialYear = "9999/00",
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.StartsWith("financial_year: ", yearEnd.Status.Detail);

        var performance = new PerformanceService.PerformanceServiceClient(_factory.Channel());
        var scorecard = await Refused(() => performance.GetPerformanceAsync(new PerformanceRequest
        {
            CouncilCode = Harbridge, FinancialYear = "0000/01",
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.StartsWith("financial_year: ", scorecard.Status.Detail);

        var analytics = new AnalyticsService.AnalyticsServiceClient(_factory.Channel());
        var cohort = await Refused(() => analytics.GetTransitionsCohortAsync(new TransitionsRequest
        {
            CouncilCode = Harbridge, FromFy = int.MaxValue,
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.StartsWith("from_fy: 2147483647 is not a financial year", cohort.Status.Detail);
    }

    [Theory]
    [InlineData("start_fy", "levers.start_fy: 2147483647 is not a financial year")]
    [InlineData("end_fy", "levers.end_fy: 2147483647 is not a financial year")]
    [InlineData("new_schemes", "levers.new_schemes[0].units: at most 100,000 units")]
    [InlineData("moves", "levers.residential_to_sl_moves_per_year: must be between 0 and 100000")]
    [InlineData("multiplier", "levers.transitions_cohort_multiplier: must be between 0 and 100")]
    [InlineData("shared_lives", "levers.shared_lives_placements_per_year: must be between 0 and 100000")]
    public async Task Absurd_scenario_levers_are_invalid_argument_naming_the_lever(string lever, string expected)
    {
        var levers = new ScenarioLevers();
        switch (lever)
        {
            case "start_fy": levers.StartFy = int.MaxValue; break;
            case "end_fy": levers.EndFy = int.MaxValue; break;
            case "new_schemes":
                levers.NewSchemes.Add(new NewScheme
                {
                    Name = "everything", Units = int.MaxValue, Category = "supported_living", ClientGroup = "ld_autism", ExpectedDate = "2027-06-01",
                });
                break;
            case "moves": levers.ResidentialToSlMovesPerYear = 1e12; break;
            case "multiplier": levers.TransitionsCohortMultiplier = 1e9; break;
            case "shared_lives": levers.SharedLivesPlacementsPerYear = 1e12; break;
        }
        var error = await Refused(() => Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Harbridge, Name = "absurd " + lever, Levers = levers,
        }, Key(StrategyKey)).ResponseAsync);
        Assert.Contains(expected, error.Status.Detail);
    }

    [Fact]
    public async Task A_stored_version_outside_the_bounds_is_passed_over_by_a_baseline_run_and_refused_when_named()
    {
        // A version stored before the bounds were checked: sl-2021 re-based to 2024/25-2147483647 with 2147483647 units.
        var session = _factory.Services.GetRequiredService<PlanningSession>();
        var store = _factory.Services.GetRequiredService<ForecastingStore>();
        var badVersion = await session.RunAsync((_, strategies) =>
        {
            var latest = strategies.Get(Harbridge, "sl-2021")!.Latest;
            using var connection = store.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"""
                INSERT INTO strategies SELECT council_code, strategy_id, {latest.Version + 1}, name, start_fy, 2147483647, client_group,
                    now()::TIMESTAMP + INTERVAL 1 MINUTE, author, 'stored before the bounds' FROM strategies
                    WHERE council_code = '{Harbridge}' AND strategy_id = 'sl-2021' AND version = {latest.Version};
                INSERT INTO strategy_phases VALUES ('{Harbridge}', 'sl-2021', {latest.Version + 1}, 'all', 2024, 2147483647, 2147483647);
                """;
            cmd.ExecuteNonQuery();
            return latest.Version + 1;
        }, CancellationToken.None, changesBaseline: true);

        var run = await RunToEnd(Planning.RunScenario(new RunScenarioRequest { CouncilCode = Harbridge, Draws = 1 }, Key(CommissionerKey)));
        Assert.NotEmpty(run.Years);
        Assert.NotEqual(badVersion, run.StrategyVersion);

        var named = await Refused(() => Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Harbridge, Name = "on the bad version",
            Levers = new ScenarioLevers { StrategyId = "sl-2021", StrategyVersion = badVersion },
        }, Key(StrategyKey)).ResponseAsync);
        Assert.Contains($"levers.strategy_version: strategy 'sl-2021' version {badVersion} cannot be used (end_fy: 2147483647 is not a financial year", named.Status.Detail);
    }
}
