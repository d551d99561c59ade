using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>Strategy versions with targets per client group and year: created, read back and compared with delivery.</summary>
[Trait("Category", "integration")]
public sealed class StrategyTargetGrpcTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private PlanningService.PlanningServiceClient Planning => new(factory.Channel());

    [Fact]
    public async Task A_version_with_group_targets_is_read_back_and_compared_per_group_in_a_run()
    {
        // ld_autism 30, 30 and 40 in 2025/26-2027/28; mental_health 30 over the period (10 a year).
        var created = await Planning.CreateStrategyVersionAsync(new CreateStrategyVersionRequest
        {
            CouncilCode = Council,
            StrategyId = "sl-2021",
            StartFy = 2025,
            EndFy = 2027,
            Targets =
            {
                new StrategyTarget { ClientGroup = "ld_autism", Fy = 2025, UnitTarget = 30 },
                new StrategyTarget { ClientGroup = "ld_autism", Fy = 2026, UnitTarget = 30 },
                new StrategyTarget { ClientGroup = "ld_autism", Fy = 2027, UnitTarget = 40 },
                new StrategyTarget { ClientGroup = "mental_health", UnitTarget = 30 },
            },
            Reason = "targets per client group after the needs assessment",
        }, Key(StrategyKey));
        Assert.Equal(3, created.Version);
        Assert.Equal(130, created.TotalTarget);

        var read = await Planning.GetStrategyAsync(new GetStrategyRequest { CouncilCode = Council, StrategyId = "sl-2021", Version = 3 }, Key(CommissionerKey));
        Assert.Equal(["ld_autism/2025/30", "ld_autism/2026/30", "ld_autism/2027/40", "mental_health/0/30"],
            read.Targets.Select(t => $"{t.ClientGroup}/{t.Fy}/{t.UnitTarget}").Order());
        Assert.Empty(read.Phases);

        ScenarioResult? result = null;
        var call = Planning.RunScenario(new RunScenarioRequest { CouncilCode = Council, Draws = 100, Seed = 3 }, Key(StrategyKey));
        await foreach (var step in call.ResponseStream.ReadAllAsync())
            if (step.Result is not null) result = step.Result;
        Assert.NotNull(result);
        Assert.Equal(3, result.StrategyVersion);
        Assert.Equal(["all", "ld_autism", "mental_health"], result.Targets.Select(t => t.ClientGroup).Distinct().Order());
        var expected = new Dictionary<(string, int), double>
        {
            [("ld_autism", 2025)] = 30, [("ld_autism", 2026)] = 60, [("ld_autism", 2027)] = 100,
            [("mental_health", 2025)] = 10, [("mental_health", 2026)] = 20, [("mental_health", 2027)] = 30,
            [("all", 2025)] = 40, [("all", 2026)] = 80, [("all", 2027)] = 130,
        };
        Assert.NotEmpty(result.Targets);
        foreach (var t in result.Targets)
        {
            Assert.Equal(expected[(t.ClientGroup, t.Fy)], t.TargetDue, 9);
            Assert.True(t.RemainingRequirement >= 0 && t.Surplus >= 0);
            var balance = t.TargetDue - (t.DeliveredNetted ? t.DeliveredToDate : 0) - t.PipelineCounted;
            Assert.Equal(balance, t.RemainingRequirement - t.Surplus, 9);
            Assert.Contains(t.Surplus > 0 ? $"surplus of" : "still to find", t.Statement);
            var year = result.Years.Single(y => y.Fy == t.Fy && y.ClientGroup == t.ClientGroup);
            Assert.Equal(t.TargetDue, year.TargetCumulative, 9);
        }
        Assert.All(result.Years.Where(y => y.ClientGroup == "older_dementia"), y => Assert.Equal(0, y.TargetCumulative));

        var error = await Assert.ThrowsAsync<RpcException>(() => Planning.CreateStrategyVersionAsync(new CreateStrategyVersionRequest
        {
            CouncilCode = Council,
            StrategyId = "sl-2021",
            Targets = { new StrategyTarget { ClientGroup = "ld_autism", Fy = 2025, UnitTarget = 1 }, new StrategyTarget { ClientGroup = "x", Fy = 2026, UnitTarget = 1 } },
            Reason = "typo",
        }, Key(StrategyKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("targets[1].client_group: unknown client group 'x'", error.Status.Detail);
    }
}
