using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>The simulation is the model: its properties on hand-made and random councils.</summary>
[Trait("Category", "unit")]
public class StockFlowSimulationTests
{
    private static readonly ScenarioLevers None = ScenarioLevers.Baseline;

    [Fact]
    public void Same_seed_gives_the_same_result_whatever_the_blocks_and_threads()
    {
        var p = TestData.Prepare(TestData.Small(), None, sd: 0.5);
        var a = ShortfallSimulator.Run(p, new SimulationOptions(3000, Seed: 11));
        var b = ShortfallSimulator.Run(p, new SimulationOptions(3000, Seed: 11, BlockSize: 7, MaxDegreeOfParallelism: 1));
        var c = ShortfallSimulator.Run(p, new SimulationOptions(3000, Seed: 12));
        Assert.Equal(a.Summary.Rows, b.Summary.Rows);
        Assert.Equal(a.Projection.Shortfall.Select(r => Math.Round(r.Shortfall, 9)), b.Projection.Shortfall.Select(r => Math.Round(r.Shortfall, 9)));
        Assert.NotEqual(a.Summary.Rows, c.Summary.Rows);
    }

    [Trait("Category", "slow")]
    [Fact]
    public void Delivery_and_slippage_probabilities_are_reproduced()
    {
        // mental_health has 4 units in discussion (p 0.35) due October 2025 and no one waiting to fill them beyond the
        // Elm House tenants, so its supply at March 2026 is 8 + 4 with probability 0.35 (no random slippage).
        var p = TestData.Prepare(TestData.Small(), None);
        var noSlip = ShortfallSimulator.Run(p, new SimulationOptions(20000, Seed: 5, RandomSlippage: false)).Summary.Measures
            .Single(r => r.Fy == 2025 && r.ClientGroup == ClientGroups.MentalHealth && r.Measure == Measures.Supply);
        Assert.InRange(noSlip.Mean, 8 + 4 * 0.35 - 4 * 4 * Se(0.35), 8 + 4 * 0.35 + 4 * 4 * Se(0.35));
        Assert.Equal(8, noSlip.P10);
        Assert.Equal(12, noSlip.P90);
        // With slippage uniform over 0..18 months only delays of 0..5 months land by March 2026: P = 0.35 x 6/19.
        var slip = ShortfallSimulator.Run(p, new SimulationOptions(20000, Seed: 5)).Summary.Measures
            .Single(r => r.Fy == 2025 && r.ClientGroup == ClientGroups.MentalHealth && r.Measure == Measures.Supply);
        var q = 0.35 * 6 / 19;
        Assert.InRange(slip.Mean, 8 + 4 * q - 4 * 4 * Se(q), 8 + 4 * q + 4 * 4 * Se(q));
    }

    private static double Se(double p) => Math.Sqrt(p * (1 - p) / 20000);

    [Fact]
    public void With_zero_variance_every_draw_is_the_headline_path()
    {
        var p = TestData.Prepare(TestData.Small(), None, sd: 2);
        var zero = ShortfallSimulator.Run(p, new SimulationOptions(500, Seed: 4, ZeroVariance: true));
        var path = PlanningProjector.Project(p);
        foreach (var row in zero.Summary.Rows)
        {
            var headline = path.ShortfallAt(row.Fy, row.ClientGroup).Shortfall;
            Assert.Equal(headline, row.P10, 4);
            Assert.Equal(headline, row.P50, 4);
            Assert.Equal(headline, row.P90, 4);
            Assert.Equal(headline, zero.Projection.ShortfallAt(row.Fy, row.ClientGroup).Shortfall, 9);
        }
    }

    [Fact]
    public void Yearly_spread_of_need_arising_follows_the_persistent_variance_not_fully_correlated_months()
    {
        // Flat projection with sd 2 a month: a variance that does not grow with the horizon is month-to-month noise, not an
        // uncertain level, so nothing persists and the sum of twelve months has variance 12 x 4 = 48, not the 444 of a
        // first month's noise loaded as a permanent level (12 x 1 + 144 x 3) nor the 576 of fully correlated months.
        var b = TestData.Small() with { NeedArising = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(1.0) } };
        var p = TestData.Prepare(b, None, sd: 2);
        var paths = p.ArisingPaths(ClientGroups.LdAutism);
        Assert.Equal(48, paths.VarianceOfSum(0, 11), 6);
        Assert.All(paths.PersistentVariance, v => Assert.Equal(0, v, 9));
        var sim = ShortfallSimulator.Run(p, new SimulationOptions(20000, Seed: 8));
        // The level is positive and keeps its mean (no cut at zero lifting small counts): 12 within Monte Carlo error.
        var mean = sim.Projection.Flow(2025, ClientGroups.LdAutism, FlowNames.NeedArising);
        Assert.InRange(mean, 12 - 4 * Math.Sqrt(48.0 / 20000), 12 + 4 * Math.Sqrt(48.0 / 20000));
    }

    [Trait("Category", "slow")]
    [Fact]
    public void On_random_councils_stocks_reconcile_and_the_headline_and_its_range_agree()
    {
        var rng = new Random(20251129);
        for (var trial = 0; trial < 25; trial++)
        {
            var b = RandomCouncil.Baseline(rng);
            var levers = RandomLevers(rng, b);
            var period = new ProjectionPeriod(2025, 2025 + rng.Next(2, 8));
            var p = PreparedScenario.Create(b, levers, period, BaselineFlows.Project(b, period, new FlatProjector(rng.Next(0, 30) / 10.0)));
            var run = ShortfallSimulator.Run(p, new SimulationOptions(1500, Seed: trial));
            foreach (var rec in run.Projection.Reconciliation)
                Assert.True(Math.Abs(rec.Residual) < 1e-6, $"trial {trial}: {rec}");
            foreach (var row in run.Summary.Rows)
            {
                var headline = run.Projection.ShortfallAt(row.Fy, row.ClientGroup);
                Assert.Equal(headline.Shortfall, row.Mean);
                // A point mass with a one-sided tail of under 10% of draws (a scheme delivered in a few draws) has its mean
                // outside P10-P90 with P10 = P90; every other distribution has it inside.
                Assert.True(row.P10 - 1e-6 <= headline.Shortfall && headline.Shortfall <= row.P90 + 1e-6 || Math.Abs(row.P90 - row.P10) < 1e-6,
                    $"trial {trial} {row.Fy} {row.ClientGroup}: headline {headline.Shortfall} outside {row.P10}-{row.P90}");
                if (row.P10 > 0) Assert.True(row.ProbabilityAboveZero >= 0.9 - 1e-9, $"trial {trial}: P10 {row.P10} > 0 but P(>0) {row.ProbabilityAboveZero}");
                if (row.P90 <= 0) Assert.True(row.ProbabilityAboveZero <= 0.1 + 1e-9);
                if (row.P50 > 0) Assert.True(row.ProbabilityAboveZero >= 0.5 - 1e-9);
                if (row.P50 < 0) Assert.True(row.ProbabilityAboveZero <= 0.5 + 1e-9);
            }
            foreach (var d in run.Projection.Shortfall)
                Assert.Equal(d.Demand, run.Projection.Demand.Where(x => x.Fy == d.Fy && (d.ClientGroup == ClientGroups.All || x.ClientGroup == d.ClientGroup)).Sum(x => x.Units), 6);
        }
    }

    private static ScenarioLevers RandomLevers(Random rng, PlanningBaseline b) => new()
    {
        ResidentialToSlMovesPerYear = rng.Next(2) == 0 ? null : rng.Next(0, 30),
        AdmissionDiversionPct = rng.Next(0, 20),
        SharedLivesPlacementsPerYear = rng.Next(0, 5),
        DirectPaymentShareChange = rng.Next(0, 10) / 100.0, // today's share is 0 in random councils: no room to fall
        VoidRate = rng.Next(3) == 0 ? rng.Next(0, 10) / 100.0 : null,
        IncludeOutOfArea = rng.Next(2) == 0,
        PipelineMinStatus = rng.Next(3) == 0 ? PipelineStatuses.ReasonableConfidence : null,
        NewSchemes = rng.Next(2) == 0 ? null : [new NewScheme("extra", rng.Next(2, 20), "supported_living", ClientGroups.Known[rng.Next(5)],
            new DateOnly(2025, 6, 1).AddMonths(rng.Next(0, 20)), PipelineStatuses.Ordered[rng.Next(PipelineStatuses.Ordered.Count)])],
    };

    [Trait("Category", "slow")]
    [Fact]
    public void More_pipeline_never_raises_the_mean_P10_P50_or_P90()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 20; trial++)
        {
            var b = RandomCouncil.Baseline(rng);
            var levers = None with { PipelineMinStatus = rng.Next(2) == 0 ? null : PipelineStatuses.InDiscussion, IncludeOutOfArea = rng.Next(2) == 0 };
            var period = new ProjectionPeriod(2025, 2030);
            var flows = BaselineFlows.Project(b, period, new FlatProjector(1));
            var scheme = new NewScheme($"extra {trial}", rng.Next(1, 40), "supported_living", ClientGroups.Known[rng.Next(5)],
                new DateOnly(2025, 4, 1).AddDays(rng.Next(0, 1500)), PipelineStatuses.Ordered[rng.Next(PipelineStatuses.Ordered.Count)], rng.Next(3) > 0);
            var before = ShortfallSimulator.Run(PreparedScenario.Create(b, levers, period, flows), new SimulationOptions(600, Seed: trial));
            var after = ShortfallSimulator.Run(PreparedScenario.Create(b, levers with { NewSchemes = [scheme] }, period, flows), new SimulationOptions(600, Seed: trial));
            foreach (var row in after.Summary.Rows)
            {
                var old = before.Summary.Rows.Single(s => s.Fy == row.Fy && s.ClientGroup == row.ClientGroup);
                Assert.True(row.Mean <= old.Mean + 1e-6, $"trial {trial} {row.Fy} {row.ClientGroup}: mean {row.Mean} > {old.Mean}");
                Assert.True(row.P10 <= old.P10 + 1e-4 && row.P50 <= old.P50 + 1e-4 && row.P90 <= old.P90 + 1e-4,
                    $"trial {trial} {row.Fy} {row.ClientGroup}: {row.P10}/{row.P50}/{row.P90} against {old.P10}/{old.P50}/{old.P90}");
            }
        }
    }

    [Fact]
    public void A_slipped_scheme_moves_the_P50_only_in_the_years_it_moves_across()
    {
        // A confirmed 30-unit scheme for older people, due June 2026 (random delay up to 3 months), slipped 24 months:
        // delivered in 2026/27 before, 2028/29 after. Years before 2026/27 see no change; nor does 2028/29 onwards.
        var b = TestData.Small() with
        {
            Pipeline = [.. TestData.Small().Pipeline, new PipelineScheme("PX", "Willow Extra Care", 30, "extra_care", ClientGroups.OlderDementia, true, new(2026, 6, 1), null, PipelineStatuses.Confirmed)],
            WaitingList = new Dictionary<string, int> { [ClientGroups.LdAutism] = 4, [ClientGroups.MentalHealth] = 2, [ClientGroups.OlderDementia] = 60 },
        };
        var period = new ProjectionPeriod(2025, 2030);
        var flows = BaselineFlows.Project(b, period, new FlatProjector(0.5));
        var before = ShortfallSimulator.Run(PreparedScenario.Create(b, None, period, flows), new SimulationOptions(3000, Seed: 2));
        var after = ShortfallSimulator.Run(PreparedScenario.Create(b, None with { Slippage = [new SchemeSlippage("PX", 24)] }, period, flows),
            new SimulationOptions(3000, Seed: 2));
        double P50(SimulationOutcome o, int fy) => o.Summary.Rows.Single(r => r.Fy == fy && r.ClientGroup == ClientGroups.OlderDementia).P50;
        Assert.Equal(P50(before, 2025), P50(after, 2025));
        Assert.True(P50(after, 2026) > P50(before, 2026) + 20);
        Assert.True(P50(after, 2027) > P50(before, 2027) + 20);
        Assert.Equal(P50(before, 2029), P50(after, 2029), 1);
        Assert.Equal(P50(before, 2030), P50(after, 2030), 1);
    }
}

[Trait("Category", "unit")]
public class QuantileTests
{
    [Fact]
    public void Quantiles_follow_R_type_7()
    {
        // R: quantile(c(1, 2, 4, 8, 16), c(0.1, 0.5, 0.9)) gives 1.4, 4, 12.8.
        float[] sorted = [1, 2, 4, 8, 16];
        Assert.Equal(1.4, ShortfallSimulator.Quantile(sorted, 0.1), 6);
        Assert.Equal(4, ShortfallSimulator.Quantile(sorted, 0.5), 6);
        Assert.Equal(12.8, ShortfallSimulator.Quantile(sorted, 0.9), 6);
        Assert.Equal(MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom([1.0, 2, 4, 8, 16], 0.9, MathNet.Numerics.Statistics.QuantileDefinition.R7),
            ShortfallSimulator.Quantile(sorted, 0.9), 6);
    }
}
