using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

[Trait("Category", "unit")]
public class RateVariationTests
{
    private static MonthlySeries Yearly(params double[] perYear) =>
        new(new DateOnly(2025, 3, 1).AddMonths(-(12 * perYear.Length - 1)), perYear.SelectMany(c => Enumerable.Repeat(c / 12, 12)).ToArray());

    private static PlanningBaseline With(MonthlySeries ends) => TestData.Small() with
    {
        TenancyEnds = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = ends },
        HousedAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(100, 60) },
    };

    [Fact]
    public void Between_year_variance_of_a_rate_is_the_DerSimonian_Laird_estimate_on_log_yearly_rates()
    {
        // Tenancy ends of 10, 30, 10, 30, 10 in five years of 1,200 tenant-months. y = ln((n + 1/2) / 1200) with weight
        // n + 1/2: y = -4.7387 (w 10.5, three years) and -3.6724 (w 30.5, two years); weighted mean -4.0355;
        // Q = sum w (y - mean)^2 = 23.621; C = sum w - sum w^2 / sum w = 92.5 - 2191.25 / 92.5 = 68.811;
        // tau^2 = (Q - 4) / C = 0.28515.
        var (exit, _, _) = With(Yearly(10, 30, 10, 30, 10)).RateVariation(ClientGroups.LdAutism);
        Assert.Equal(0.285145, exit, 0.00001);
    }

    [Fact]
    public void A_rate_that_varies_no_more_than_its_counts_or_has_under_three_years_has_none()
    {
        Assert.Equal(0, With(Yearly(20, 20, 20, 20, 20)).RateVariation(ClientGroups.LdAutism).Exit);
        // Poisson-sized differences (20 +- 4.5) are count noise, not variation of the rate.
        Assert.Equal(0, With(Yearly(16, 24, 20, 18, 22)).RateVariation(ClientGroups.LdAutism).Exit);
        Assert.Equal(0, With(Yearly(10, 30)).RateVariation(ClientGroups.LdAutism).Exit);
    }

    [Fact]
    public void Varying_rates_widen_the_range()
    {
        // The same exit rate over the last three years (60 ends in 3,600 tenant-months); one history steady, one varying.
        // The units are full and people wait, so lettings follow exits.
        SimulationOutcome Simulate(PlanningBaseline b) =>
            ShortfallSimulator.Run(TestData.Prepare(b, ScenarioLevers.Baseline), new SimulationOptions(400, Seed: 7));
        var steady = Simulate(With(Yearly(20, 20, 20, 20, 20)));
        var varying = Simulate(With(Yearly(8, 32, 8, 32, 20)));
        double Width(SimulationOutcome o) => o.Summary.Measures.Single(m => m.Fy == 2027 && m.ClientGroup == ClientGroups.LdAutism && m.Measure == Measures.Lettings) is var d ? d.P90 - d.P10 : 0;
        Assert.True(Width(varying) > Width(steady), $"{Width(varying)} vs {Width(steady)}");
    }
}

[Trait("Category", "unit")]
public class RemovalWindowTests
{
    [Fact]
    public void The_lists_removal_rates_read_the_last_12_months_and_exits_the_last_36()
    {
        // 36 months with 4 people waiting each month: 2 removals a month in the first 24 months, 1 a month in the last 12
        // (none by death). Other-removal rate = 12 / (12 x 4) = 0.25 a month; over 36 months it would be 60 / 144 = 0.417.
        var removals = new MonthlySeries(new DateOnly(2022, 4, 1), [.. Enumerable.Repeat(2.0, 24), .. Enumerable.Repeat(1.0, 12)]);
        var b = TestData.Small() with
        {
            WaitingRemovals = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = removals },
            WaitingAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(4, 36) },
            TenancyEnds = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = removals },
            HousedAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = TestData.Flat(4, 36) },
        };
        Assert.Equal(0.25, b.OtherRemovalRate(ClientGroups.LdAutism), 12);
        Assert.Equal(0.25, b.WaitingRemovalRate(ClientGroups.LdAutism), 12);
        Assert.Equal(48, b.RemovalExposure(ClientGroups.LdAutism), 12);
        Assert.Equal(60.0 / 144, b.ExitRate(ClientGroups.LdAutism), 12);
    }
}
