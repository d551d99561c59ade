using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

[Trait("Category", "unit")]
public class EngineIntegrationTests
{
    private static MonthlySeries Seasonal(double level, int months = 48) =>
        new(new DateOnly(2025, 3, 1).AddMonths(-(months - 1)),
            Enumerable.Range(0, months).Select(m => Math.Round(level * (1 + 0.3 * Math.Sin(2 * Math.PI * m / 12.0)) + (m % 5 == 0 ? 1 : 0))).ToArray());

    [Fact]
    public void The_engine_projects_flows_that_the_model_and_simulation_use()
    {
        var b = TestData.Small() with
        {
            NeedArising = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = Seasonal(4) },
        };
        var period = new ProjectionPeriod(2025, 2029);
        var projector = new EngineFlowProjector(model: "ets");
        var flows = BaselineFlows.Project(b, period, projector);
        Assert.Equal(60, flows.Horizon);
        var starts = flows.Arising[ClientGroups.LdAutism];
        Assert.Equal(60, starts.Mean.Length);
        for (var h = 0; h < 60; h++)
        {
            Assert.True(double.IsFinite(starts.Mean[h]) && starts.Mean[h] >= 0);
            Assert.True(starts.Lower[h] <= starts.Mean[h] + 1e-9 && starts.Mean[h] <= starts.Upper[h] + 1e-9);
        }
        // A seasonal level of about 4 a month projects to roughly 48 people a year.
        Assert.InRange(starts.Mean.Take(12).Sum(), 30, 70);
        Assert.Equal(flows.ForecastRunId, BaselineFlows.Project(b, period, new EngineFlowProjector(model: "ets")).ForecastRunId);

        var prepared = PreparedScenario.Create(b, ScenarioLevers.Baseline, period, flows);
        var projection = PlanningProjector.Project(prepared);
        Assert.Equal(starts.Mean.Take(12).Sum(), projection.Flow(2025, ClientGroups.LdAutism, FlowNames.NeedArising), 6);
        var sim1 = ShortfallSimulator.Run(prepared, new SimulationOptions(2000, Seed: 4));
        var sim2 = ShortfallSimulator.Run(prepared, new SimulationOptions(2000, Seed: 4));
        Assert.Equal(sim1.Summary.Rows, sim2.Summary.Rows);
        var last = sim1.Summary.Rows.Single(r => r.Fy == 2029 && r.ClientGroup == ClientGroups.LdAutism);
        Assert.True(last.P90 - last.P10 > 0, "engine intervals give a spread");
    }
}
