using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

[Trait("Category", "unit")]
public class RandomEffectsTests
{
    [Fact]
    public void Pooling_is_DerSimonian_Laird_and_shrinks_by_precision()
    {
        // Estimates 0 and 2 with variance 1 each: mean 1, Q = 1 + 1 = 2, C = 2 - 2 / 2 = 1, tau^2 = (2 - 1) / 1 = 1.
        // Shrinking 0 (variance 1): precision 1 + 1 = 2, estimate (0 / 1 + 1 / 1) / 2 = 0.5, variance 0.5.
        var pooled = RandomEffects.Fit([0.0, 2.0], [1.0, 1.0])!;
        Assert.Equal(1, pooled.Mean, 12);
        Assert.Equal(1, pooled.Tau2, 12);
        Assert.Equal((0.5, 0.5), pooled.Shrink(0, 1));
        // Estimates within their noise: tau^2 = 0 and every estimate takes the mean (variance 1 / sum of weights).
        var close = RandomEffects.Fit([0.0, 0.5], [1.0, 1.0])!;
        Assert.Equal(0, close.Tau2);
        Assert.Equal((0.25, 0.5), close.Shrink(0, 1));
        Assert.Null(RandomEffects.Fit([1.0], [1.0]));
    }
}

[Trait("Category", "unit")]
public class ExitRateMixTests
{
    /// <summary>
    /// Learning disability has 10 supported-living tenancies and 1.9 ends in 24 months; physical and sensory has 10
    /// extra-care tenancies and 11.5 ends. Each category has one group's history, so its rate is that group's posterior
    /// mean (ends + 1/2) / tenant-months: supported living 2.4 / 240 = 0.01 a month, extra care 12 / 240 = 0.05.
    /// </summary>
    private static PlanningBaseline Baseline(params PipelineScheme[] pipeline)
    {
        string Key(string g, string c) => PlanningBaseline.CategoryKey(g, c);
        return TestData.Small() with
        {
            Schemes = [new SchemeStock("S1", "Oak Court", "supported_living", ClientGroups.LdAutism, true, new(2010, 1, 1), null, 10, 0, 0, 0)],
            Pipeline = pipeline,
            TenancyEndsByCategory = new Dictionary<string, MonthlySeries>
            {
                [Key(ClientGroups.LdAutism, "supported_living")] = TestData.Flat(1.9 / 24),
                [Key(ClientGroups.PhysicalSensory, "extra_care")] = TestData.Flat(11.5 / 24),
            },
            HousedByCategory = new Dictionary<string, MonthlySeries>
            {
                [Key(ClientGroups.LdAutism, "supported_living")] = TestData.Flat(10),
                [Key(ClientGroups.PhysicalSensory, "extra_care")] = TestData.Flat(10),
            },
        };
    }

    [Fact]
    public void A_category_a_group_has_no_history_of_takes_the_other_groups_rate()
    {
        var rates = Baseline().CategoryExitRates(ClientGroups.LdAutism);
        Assert.Equal(0.01, rates["supported_living"], 12);
        Assert.Equal(0.05, rates["extra_care"], 12);
    }

    [Fact]
    public void Shrinks_a_groups_rate_towards_the_other_groups()
    {
        // Supported living: ld 1.9 ends in 240 months (y = ln 0.01, variance 1 / 2.4), mh 23.5 ends in 240 months
        // (y = ln 0.1, variance 1 / 24). Weights 2.4 and 24: mean = (2.4 ln 0.01 + 24 ln 0.1) / 26.4;
        // Q = sum w (y - mean)^2, C = 26.4 - (2.4^2 + 24^2) / 26.4, tau^2 = (Q - 1) / C; ld's estimate is the
        // precision-weighted blend of its own and the mean.
        string Key(string g) => PlanningBaseline.CategoryKey(g, "supported_living");
        var b = TestData.Small() with
        {
            TenancyEndsByCategory = new Dictionary<string, MonthlySeries> { [Key(ClientGroups.LdAutism)] = TestData.Flat(1.9 / 24), [Key(ClientGroups.MentalHealth)] = TestData.Flat(23.5 / 24) },
            HousedByCategory = new Dictionary<string, MonthlySeries> { [Key(ClientGroups.LdAutism)] = TestData.Flat(10), [Key(ClientGroups.MentalHealth)] = TestData.Flat(10) },
        };
        double y1 = Math.Log(0.01), y2 = Math.Log(0.1), w1 = 2.4, w2 = 24;
        var mean = (w1 * y1 + w2 * y2) / (w1 + w2);
        var q = w1 * Math.Pow(y1 - mean, 2) + w2 * Math.Pow(y2 - mean, 2);
        var tau2 = (q - 1) / (w1 + w2 - (w1 * w1 + w2 * w2) / (w1 + w2));
        var expected = Math.Exp((y1 * w1 + mean / tau2) / (w1 + 1 / tau2));
        Assert.Equal(expected, b.CategoryExitRates(ClientGroups.LdAutism)["supported_living"], 12);
        Assert.InRange(expected, 0.01, 0.1);
    }

    [Fact]
    public void The_exit_rate_follows_the_accommodation_mix_as_the_pipeline_opens()
    {
        // 10 extra-care units for learning disability open on 30 June 2026 (confirmed: counted at 0.95). Before: the
        // supported-living rate 0.01; from July 2026 (month 15 from April 2025): (10 x 0.01 + 9.5 x 0.05) / 19.5.
        var s = TestData.Prepare(Baseline(new PipelineScheme("PE", "Ash Court", 10, "extra_care", ClientGroups.LdAutism, true, new(2026, 6, 30), null, PipelineStatuses.Confirmed)),
            ScenarioLevers.Baseline);
        Assert.Equal(0.01, s.ExitRateAt(ClientGroups.LdAutism, 0), 12);
        Assert.Equal(0.01, s.ExitRateAt(ClientGroups.LdAutism, 13), 12);
        Assert.Equal((10 * 0.01 + 9.5 * 0.05) / 19.5, s.ExitRateAt(ClientGroups.LdAutism, 20), 12);
        // Without category data the group's own rate stands: 0.5 ends a month over 10 tenants.
        Assert.Equal(0.05, TestData.Prepare(TestData.Small(), ScenarioLevers.Baseline).ExitRateAt(ClientGroups.LdAutism, 20), 12);
    }

    [Fact]
    public void Void_units_are_relet_one_by_one_so_their_lettings_are_a_count_not_a_fixed_share()
    {
        // 10 units void on the as-of date, no tenants (so no exits), 50 people waiting and matched as soon as a unit is
        // free. Mean re-let time T = 6,000 void months / 1,000 spells = 6 months (so many spells that its posterior is
        // narrow): a void unit is re-let with probability 1 / 7 a month, so 10 x (1 - (6/7)^12) = 8.428 are let in the
        // first year. A fixed share re-let each month would give every draw about that number; counts give a spread.
        var b = TestData.Small() with
        {
            Schemes = [new SchemeStock("S1", "Oak Court", "supported_living", ClientGroups.LdAutism, true, new(2010, 1, 1), null, 0, 10, 0, 0)],
            Pipeline = [],
            WaitingList = new Dictionary<string, int> { [ClientGroups.LdAutism] = 50 },
            NewTenancies = new Dictionary<string, MonthlySeries>(),
            TenancyEnds = new Dictionary<string, MonthlySeries>(),
            Turnover = new Dictionary<string, UnitTurnover> { [ClientGroups.LdAutism] = new(6000, 1000, 0, 0) },
        };
        var o = ShortfallSimulator.Run(TestData.Prepare(b, ScenarioLevers.Baseline), new SimulationOptions(2000, Seed: 3));
        var d = o.Summary.Measures.Single(m => m.Fy == 2025 && m.ClientGroup == ClientGroups.LdAutism && m.Measure == Measures.Lettings);
        Assert.Equal(10 * (1 - Math.Pow(6.0 / 7, 12)), d.Mean, 0.15);
        Assert.True(d.P90 - d.P10 >= 2, $"lettings P10-P90 {d.P10}-{d.P90}");
    }
}
