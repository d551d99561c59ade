using Forecasting.Domain;
using Forecasting.Planning;
using Forecasting.Store;
using Forecasting.Store.Planning;
using Forecasting.TestSupport;

namespace Forecasting.Tests.Planning;

/// <summary>
/// Properties of the planning model on the Harbridge sample (zero-variance path, so each comparison is exact): a slip
/// of any pipeline scheme never lowers its group's shortfall in any year, and extra units keep lowering the shortfall
/// of a group that is short after they open, rather than the relief fading as need evaporates.
/// </summary>
[Trait("Category", "slow")]
public sealed class PlanningPropertiesOnSampleTests : IDisposable
{
    private readonly ForecastingStore _store;
    private readonly DuckDB.NET.Data.DuckDBConnection _connection;
    private readonly PlanningBaseline _baseline;
    private readonly ProjectionPeriod _period;
    private readonly BaselineFlows _flows;

    public PlanningPropertiesOnSampleTests()
    {
        var path = SampleDatabase.CopyTo(Path.Combine(RepoPaths.TempDirectory(), "planning-properties.duckdb"));
        _store = new ForecastingStore(new StoreOptions { Path = path });
        _connection = _store.Open();
        _baseline = new PlanningDataLoader(_connection).Load(SampleServerFactory.Council, SampleDatabase.AsOf);
        _period = ProjectionPeriod.For(_baseline.AsOf, PreparedScenario.SelectStrategy(_baseline, ScenarioLevers.Baseline), ScenarioLevers.Baseline);
        _flows = BaselineFlows.Project(_baseline, _period, new NeedRateProjector());
    }

    private ProjectionResult Project(ScenarioLevers levers) => PlanningProjector.Project(PreparedScenario.Create(_baseline, levers, _period, _flows));

    [Fact]
    public void A_slip_of_any_pipeline_scheme_never_lowers_the_shortfall_in_any_year()
    {
        var baseline = Project(ScenarioLevers.Baseline);
        var schemes = _baseline.Pipeline.Where(p => p.Status is not PipelineStatuses.Delivered and not PipelineStatuses.Failed).ToList();
        Assert.True(schemes.Count >= 10, $"{schemes.Count} open pipeline schemes in the sample");
        foreach (var scheme in schemes)
        {
            var slipped = Project(ScenarioLevers.Baseline with { Slippage = [new SchemeSlippage(scheme.PipelineId, 24)] });
            foreach (var row in baseline.Shortfall.Where(r => r.ClientGroup == scheme.ClientGroup))
            {
                var after = slipped.ShortfallAt(row.Fy, row.ClientGroup).Shortfall;
                Assert.True(after >= row.Shortfall - 1e-9,
                    $"{scheme.PipelineId} slipped 24 months lowers {scheme.ClientGroup} {FinancialYear.Label(row.Fy)}: {row.Shortfall:0.000} -> {after:0.000}");
                Assert.True(slipped.ShortfallAt(row.Fy, ClientGroups.All).SumOfGroupGaps >= baseline.ShortfallAt(row.Fy, ClientGroups.All).SumOfGroupGaps - 1e-9);
            }
        }
    }

    [Fact]
    public void Extra_units_keep_lowering_the_shortfall_of_a_group_that_is_short()
    {
        var baseline = Project(ScenarioLevers.Baseline);
        var opening = new DateOnly(2026, 9, 30);
        var extra = Project(ScenarioLevers.Baseline with
        {
            NewSchemes = [new NewScheme("Extra units", 20, "supported_living", ClientGroups.LdAutism, opening)],
        });
        var openFy = FinancialYear.Of(opening);
        var atOpening = baseline.ShortfallAt(openFy, ClientGroups.LdAutism).Shortfall - extra.ShortfallAt(openFy, ClientGroups.LdAutism).Shortfall;
        Assert.True(atOpening > 10, $"20 confirmed units lower the shortfall by {atOpening:0.0} in their first year");
        for (var fy = openFy + 1; fy <= _period.LastFy; fy++)
        {
            var relief = baseline.ShortfallAt(fy, ClientGroups.LdAutism).Shortfall - extra.ShortfallAt(fy, ClientGroups.LdAutism).Shortfall;
            if (extra.ShortfallAt(fy, ClientGroups.LdAutism).Shortfall <= 0) continue;
            Assert.True(relief >= atOpening - 1e-9, $"{FinancialYear.Label(fy)}: relief {relief:0.00} below {atOpening:0.00} at opening");
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _store.Dispose();
    }
}
