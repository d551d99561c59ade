using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>Scenarios end to end: create, run, compare, permissions and lever validation.</summary>
[Trait("Category", "integration")]
public sealed class PlanningGrpcTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private PlanningService.PlanningServiceClient Planning => new(factory.Channel());

    private static async Task<ScenarioResult> RunToEnd(AsyncServerStreamingCall<RunScenarioProgress> call)
    {
        var stages = new List<string>();
        ScenarioResult? result = null;
        await foreach (var step in call.ResponseStream.ReadAllAsync())
        {
            stages.Add(step.Stage);
            if (step.Result is not null) result = step.Result;
        }
        Assert.Contains("loading baseline", stages);
        return result ?? throw new InvalidOperationException("no result in the stream");
    }

    [Fact]
    public async Task A_strategy_lead_creates_runs_and_compares_scenarios_with_traceable_results()
    {
        var key = Key(StrategyKey);
        var slip = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council,
            Name = "Extra care slips a year",
            Levers = new ScenarioLevers { Slippage = { new SchemeSlippage { PipelineId = "PL09", Months = 12 } }, ResidentialToSlMovesPerYear = 30 },
        }, key);
        var more = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council,
            Name = "New 40-unit scheme",
            Levers = new ScenarioLevers
            {
                NewSchemes = { new NewScheme { Name = "Riverside", Units = 40, Category = "supported_living", ClientGroup = "ld_autism", ExpectedDate = "2026-10-01" } },
            },
        }, key);
        Assert.Equal(1, slip.Revision);
        Assert.Equal("development strategy lead", slip.Author);

        var baseline = await RunToEnd(Planning.RunScenario(new RunScenarioRequest { CouncilCode = Council, Draws = 400, Seed = 7 }, key));
        var withScheme = await RunToEnd(Planning.RunScenario(new RunScenarioRequest { ScenarioId = more.ScenarioId, Draws = 400, Seed = 7 }, key));

        Assert.Matches("^[0-9a-f]{16}$", withScheme.SnapshotId);
        Assert.NotEmpty(withScheme.ForecastRunId);
        Assert.Equal(7, withScheme.Seed);
        Assert.Equal(1, withScheme.Revision);
        Assert.NotEmpty(withScheme.Basis.Description);
        // A confirmed 40-unit scheme adds 40 x 0.95 x (1 - void rate) units of supply once open (400 draws: within four
        // standard errors of 40 x (1 - void rate) x sqrt(0.95 x 0.05 / 400)), and never raises the shortfall.
        var lastFy = baseline.Years.Max(y => y.Fy);
        var before = baseline.Years.Single(y => y.Fy == lastFy && y.ClientGroup == "ld_autism");
        var after = withScheme.Years.Single(y => y.Fy == lastFy && y.ClientGroup == "ld_autism");
        var voidRate = withScheme.Basis.VoidRates["ld_autism"];
        var se = 40 * (1 - voidRate) * Math.Sqrt(0.95 * 0.05 / 400);
        Assert.InRange(after.Supply - before.Supply, 40 * 0.95 * (1 - voidRate) - 4 * se, 40 * 0.95 * (1 - voidRate) + 4 * se);
        Assert.True(after.ShortfallCumulative <= before.ShortfallCumulative);
        Assert.True(after.ShortfallDistribution.P50 <= before.ShortfallDistribution.P50);
        Assert.InRange(after.ShortfallDistribution.ProbabilityPositive, 0, 1);
        Assert.True(after.ShortfallDistribution.P10 <= after.ShortfallDistribution.P50 && after.ShortfallDistribution.P50 <= after.ShortfallDistribution.P90);

        var stored = await Planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = withScheme.ResultId }, Key(CommissionerKey));
        Assert.Equal(withScheme.Years.Count, stored.Years.Count);

        // The flows behind the result are a stored forecast run under the id the result names.
        var flows = await new ForecastService.ForecastServiceClient(factory.Channel())
            .GetRunAsync(new GetRunRequest { RunId = withScheme.ForecastRunId }, Key(CommissionerKey));
        Assert.Equal("planning_flows", flows.Kind);
        Assert.Contains(flows.Series, s => s.Metric == "need_arising" && s.Key["client_group"] == "ld_autism" && s.Points.Count > 0);
        Assert.Equal(withScheme.SnapshotId, flows.SnapshotId);

        var comparison = await Planning.CompareScenariosAsync(new CompareScenariosRequest
        {
            CouncilCode = Council, ScenarioIds = { slip.ScenarioId, more.ScenarioId }, Draws = 400, Seed = 7,
        }, Key(CommissionerKey));
        Assert.Equal(2, comparison.Results.Count);
        foreach (var row in comparison.Rows)
        {
            var baseRow = comparison.Baseline.Years.Single(y => y.Fy == row.Fy && y.ClientGroup == row.ClientGroup);
            Assert.Equal(row.ShortfallCumulative - baseRow.ShortfallCumulative, row.DeltaVsBaseline, 6);
        }
    }

    [Fact]
    public async Task Updating_a_scenario_keeps_earlier_revisions_and_delete_is_recorded()
    {
        var key = Key(AnalystKey);
        var created = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council, Name = "Voids", Levers = new ScenarioLevers { VoidRate = 0.05 },
        }, key);
        var updated = await Planning.UpdateScenarioAsync(new UpdateScenarioRequest
        {
            ScenarioId = created.ScenarioId, Levers = new ScenarioLevers { VoidRate = 0.03 },
        }, key);
        Assert.Equal(2, updated.Revision);
        var first = await Planning.GetScenarioAsync(new GetScenarioRequest { ScenarioId = created.ScenarioId, Revision = 1 }, key);
        Assert.Equal(0.05, first.Levers.VoidRate);

        await Planning.DeleteScenarioAsync(new DeleteScenarioRequest { ScenarioId = created.ScenarioId }, key);
        var list = await Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Council }, key);
        Assert.DoesNotContain(list.Scenarios, s => s.ScenarioId == created.ScenarioId);
        var withDeleted = await Planning.ListScenariosAsync(new ListScenariosRequest { CouncilCode = Council, IncludeDeleted = true }, key);
        Assert.Contains(withDeleted.Scenarios, s => s.ScenarioId == created.ScenarioId && s.Deleted);
    }

    [Fact]
    public async Task Commissioners_cannot_write_scenarios()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council, Name = "x",
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Theory]
    [InlineData("probability", "delivery_probability")]
    [InlineData("negative units", "new_schemes")]
    [InlineData("unknown scheme", "cancelled_schemes")]
    [InlineData("unknown client group", "client_group")]
    public async Task Invalid_levers_are_invalid_argument_naming_the_lever(string problem, string lever)
    {
        var levers = new ScenarioLevers();
        switch (problem)
        {
            case "probability": levers.DeliveryProbability["confirmed"] = 1.4; break;
            case "negative units":
                levers.NewSchemes.Add(new NewScheme { Name = "x", Units = -5, Category = "supported_living", ClientGroup = "ld_autism", ExpectedDate = "2027-01-01" });
                break;
            case "unknown scheme": levers.CancelledSchemes.Add("PL999"); break;
            case "unknown client group":
                levers.NewSchemes.Add(new NewScheme { Name = "x", Units = 5, Category = "supported_living", ClientGroup = "adults", ExpectedDate = "2027-01-01" });
                break;
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council, Name = problem, Levers = levers,
        }, Key(StrategyKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(lever, error.Status.Detail);
    }

    [Fact]
    public async Task A_strategy_version_created_through_the_api_survives_a_reimport_of_the_strategy_file()
    {
        var created = await Planning.CreateStrategyVersionAsync(new CreateStrategyVersionRequest
        {
            CouncilCode = Council,
            StrategyId = "sl-2021",
            StartFy = 2025,
            EndFy = 2030,
            Phases = { new StrategyPhase { Name = "Re-based", StartFy = 2025, EndFy = 2030, UnitTarget = 420 } },
            Reason = "pipeline review after the failed procurement",
        }, Key(StrategyKey));
        Assert.Equal(3, created.Version);
        Assert.Equal(420, created.TotalTarget);

        var report = await new DataService.DataServiceClient(factory.Channel()).ImportAsync(new ImportRequest
        {
            Files =
            {
                new ImportFile { Path = Path.Combine(RepoPaths.Samples, "strategies.csv") },
                new ImportFile { Path = Path.Combine(RepoPaths.Samples, "strategy_phases.csv") },
            },
        }, Key(AnalystKey));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));

        var strategies = await Planning.ListStrategiesAsync(new ListStrategiesRequest { CouncilCode = Council }, Key(CommissionerKey));
        Assert.Equal([1, 2, 3], strategies.Strategies.Where(s => s.StrategyId == "sl-2021").Select(s => s.Version).Order());
        var v1 = await Planning.GetStrategyAsync(new GetStrategyRequest { CouncilCode = Council, StrategyId = "sl-2021", Version = 1 }, Key(CommissionerKey));
        Assert.Equal(551, v1.TotalTarget);
        Assert.Equal([196, 262, 551], v1.Phases.Select(p => p.CumulativeTarget));
    }
}
