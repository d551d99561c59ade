using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>On the sample, over the API: the gaps members read, the target basis of its own, and levers that cannot apply.</summary>
[Trait("Category", "integration")]
public sealed class MembersReadGrpcTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private PlanningService.PlanningServiceClient Planning => new(factory.Channel());

    private static async Task<ScenarioResult> RunToEnd(AsyncServerStreamingCall<RunScenarioProgress> call)
    {
        ScenarioResult? result = null;
        await foreach (var step in call.ResponseStream.ReadAllAsync())
            if (step.Result is not null) result = step.Result;
        return result ?? throw new InvalidOperationException("no result in the stream");
    }

    [Fact]
    public async Task All_groups_carry_the_sum_of_gaps_and_the_surpluses_beside_the_net_and_the_target_basis_leaves_the_simulation_alone()
    {
        var key = Key(StrategyKey);
        var reading = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council,
            Name = "Strategy v1 at reasonable confidence, netted",
            Levers = new ScenarioLevers { StrategyId = "sl-2021", StrategyVersion = 1, NetDeliveredUnits = true, TargetPipelineMinStatus = "reasonable_confidence" },
        }, key);
        var same = await Planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = Council,
            Name = "Strategy v1, netted",
            Levers = new ScenarioLevers { StrategyId = "sl-2021", StrategyVersion = 1, NetDeliveredUnits = true },
        }, key);
        var r = await RunToEnd(Planning.RunScenario(new RunScenarioRequest { ScenarioId = reading.ScenarioId, Draws = 300, Seed = 5 }, key));
        var s = await RunToEnd(Planning.RunScenario(new RunScenarioRequest { ScenarioId = same.ScenarioId, Draws = 300, Seed = 5 }, key));

        foreach (var all in r.Years.Where(y => y.ClientGroup == "all"))
        {
            var groups = r.Years.Where(y => y.Fy == all.Fy && y.ClientGroup != "all").ToList();
            Assert.Equal(groups.Sum(g => Math.Max(0, g.ShortfallCumulative)), all.SumOfGroupGaps, 6);
            Assert.Equal(groups.Sum(g => Math.Max(0, -g.ShortfallCumulative)), all.SumOfGroupSurpluses, 6);
            Assert.Equal(all.SumOfGroupGaps - all.SumOfGroupSurpluses, all.ShortfallCumulative, 6);
            Assert.Equal(12, all.MonthsCovered);
        }
        // The target lever changes the targets only: the simulation is the same draw for draw.
        Assert.Equal(s.Years.Select(y => (y.ShortfallCumulative, y.ShortfallDistribution.P50)), r.Years.Select(y => (y.ShortfallCumulative, y.ShortfallDistribution.P50)));
        Assert.Equal("reasonable_confidence", r.Basis.TargetPipelineMinStatus);
        Assert.Contains("this is the target arithmetic only", r.Basis.TargetDescription);
        // pipeline.csv: PL01-PL04 delivered (56); by 2025/26 only the confirmed PL05-PL08 (36) are due.
        var t = r.Targets.Single(x => x.Fy == 2025 && x.ClientGroup == "all");
        Assert.Equal((262.0, 56.0, 36.0, 170.0), (t.TargetDue, t.DeliveredToDate, t.PipelineCounted, t.RemainingRequirement));
        var weighted = s.Targets.Single(x => x.Fy == 2025 && x.ClientGroup == "all");
        Assert.Equal(36 * 0.95, weighted.PipelineCounted, 9);

        var cmp = await Planning.CompareScenariosAsync(new CompareScenariosRequest { CouncilCode = Council, ScenarioIds = { same.ScenarioId }, Draws = 300, Seed = 5 }, key);
        var row = cmp.Rows.First(x => x.ClientGroup == "all" && x.ScenarioId == same.ScenarioId);
        Assert.Equal(0, row.SumOfGroupGapsDeltaVsBaseline, 9);
        Assert.True(row.SumOfGroupGaps >= row.ShortfallCumulative - 1e-9, $"{row.SumOfGroupGaps} < {row.ShortfallCumulative}");
    }

    [Fact]
    public async Task Levers_on_a_delivered_or_failed_scheme_or_beyond_todays_direct_payment_share_are_invalid_arguments()
    {
        var key = Key(StrategyKey);
        foreach (var (levers, field) in new (ScenarioLevers, string)[]
                 {
                     (new ScenarioLevers { Slippage = { new SchemeSlippage { PipelineId = "PL18", Months = 6 } } }, "levers.slippage[0].pipeline_id: scheme 'PL18' has failed"),
                     (new ScenarioLevers { SchemeOverrides = { new SchemeOverride { PipelineId = "PL01", Units = 20 } } }, "levers.scheme_overrides[0].pipeline_id: scheme 'PL01' is delivered"),
                     (new ScenarioLevers { DirectPaymentShareChange = -0.5 }, "levers.direct_payment_share_change: ld_autism: today's share met by direct payments is"),
                 })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => Planning.CreateScenarioAsync(new CreateScenarioRequest
            {
                CouncilCode = Council, Name = "cannot apply", Levers = levers,
            }, key).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains(field, e.Status.Detail);
        }
    }
}
