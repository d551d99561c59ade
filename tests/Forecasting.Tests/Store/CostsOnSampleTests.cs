using Forecasting.Planning;
using Forecasting.Store.Planning;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Store;

/// <summary>
/// The cost model on the Harbridge sample: a cost range from the same draws as the headline, people waiting priced where
/// they wait, and what cancelling the pipeline costs against the baseline.
/// </summary>
[Trait("Category", "integration")]
public sealed class CostsOnSampleTests(SampleStoreFixture fixture) : IClassFixture<SampleStoreFixture>
{
    private const string Council = "E06009999";

    private static ScenarioRunner Runner(DuckDB.NET.Data.DuckDBConnection connection) =>
        new(new PlanningDataLoader(connection), new ScenarioRepository(connection), new NeedRateProjector());

    [Fact]
    public void The_headline_net_cost_is_the_mean_of_the_per_draw_costs_and_lies_within_their_range()
    {
        using var connection = fixture.Store.Open();
        var runner = Runner(connection);
        // With two draws, the type-7 P10 and P90 are 0.1 and 0.9 of the way between them, so their midpoint is the mean of the two.
        var two = runner.RunBaseline(Council, new RunOptions(2, 11, Save: false)).Projection.Costs!;
        Assert.All(two.Rows, r => Assert.Equal(r.NetCost, (r.NetCostRange!.P10 + r.NetCostRange.P90) / 2, 1e-6 * Math.Abs(r.NetCost)));

        var run = runner.RunBaseline(Council, new RunOptions(300, 11, Save: false)).Projection.Costs!;
        Assert.All(run.Rows, r =>
        {
            var range = r.NetCostRange!;
            Assert.True(range.P10 <= r.NetCost && r.NetCost <= range.P90, $"{r.Fy} {r.ClientGroup}: {r.NetCost} outside {range.P10}-{range.P90}");
            Assert.True(range.P10 <= range.P50 && range.P50 <= range.P90);
        });
        // The range is not a point: need arising, exits and delivery vary between draws.
        Assert.True(run.At(run.Rows.Max(r => r.Fy))!.NetCostRange is { } last && last.P90 - last.P10 > 100_000);
    }

    [Fact]
    public void Cancelling_the_pipeline_prices_the_people_left_waiting_where_they_wait()
    {
        using var connection = fixture.Store.Open();
        var runner = Runner(connection);
        var options = new RunOptions(300, 7, Save: false);
        var baseline = runner.RunBaseline(Council, options);
        var live = new PlanningDataLoader(connection).Load(Council, baseline.AsOf).Pipeline
            .Where(p => p.Status is not (PipelineStatuses.Delivered or PipelineStatuses.Failed)).Select(p => p.PipelineId).ToList();
        var cancelled = runner.Run(Council, new ScenarioLevers { CancelledSchemes = live }, "cancel", null, null, options);
        var b = baseline.Projection.Costs!;
        var c = cancelled.Projection.Costs!;
        foreach (var fy in baseline.Projection.Period.FinancialYears)
        {
            var (before, after) = (b.At(fy)!, c.At(fy)!);
            var moreWaiting = cancelled.Projection.ShortfallAt(fy).Shortfall - baseline.Projection.ShortfallAt(fy).Shortfall;
            if (moreWaiting < 1) continue;
            // More people wait, and each of their weeks is priced where they wait: the waiting cost rises, so the change in net
            // cost is the placements no longer paid less the cost of waiting, never the placements alone.
            Assert.True(after.WaitingCost > before.WaitingCost, $"{fy}: waiting cost {after.WaitingCost} not above {before.WaitingCost}");
            var placements = after.PlacementsCost - before.PlacementsCost;
            var net = after.NetCost - before.NetCost;
            Assert.Equal(placements + (after.WaitingCost - before.WaitingCost) - (after.AvoidedResidentialCost - before.AvoidedResidentialCost), net, 1e-3);
            Assert.True(net > placements, $"{fy}: net change {net} is the placements change {placements} or less");
        }
    }
}
