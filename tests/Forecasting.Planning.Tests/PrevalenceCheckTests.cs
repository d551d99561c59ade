using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>
/// The prevalence cross-check's arithmetic on a small hand-made council: prevalence x population at 31 March (a quarter
/// of one mid-year plus three quarters of the next) x the need share, and the extra-care ratio against supply.
/// </summary>
[Trait("Category", "unit")]
public sealed class PrevalenceCheckTests
{
    private const string Source = "test";

    private static BandPopulation P(string variant, int year, string band, double people) => new(variant, "SNPP", year, band, people);

    /// <summary>18-24: 1,000, 1,200, 1,400, 1,600; 25-64: 5,000 + 400 a year; 75-84: 800 + 400 a year; 85+: 200 + 400 a year (mid-2025 to mid-2028).</summary>
    private static List<BandPopulation> Population(string variant = PopulationVariants.Principal, double scale = 1) =>
        Enumerable.Range(0, 4).SelectMany(i => new[]
        {
            P(variant, 2025 + i, "18-24", scale * (1000 + 200 * i)),
            P(variant, 2025 + i, "25-64", scale * (5000 + 400 * i)),
            P(variant, 2025 + i, "75-84", scale * (800 + 400 * i)),
            P(variant, 2025 + i, "85+", scale * (200 + 400 * i)),
        }).ToList();

    private static readonly PrevalenceRate[] Rates =
    [
        new(ClientGroups.LdAutism, "learning_disability", "18-24", 2, PrevalenceRate.Per100, Source),
        new(ClientGroups.LdAutism, "learning_disability", "25-64", 10, PrevalenceRate.Per1000, Source),
    ];

    private static readonly AccommodationBenchmark[] Benchmarks =
    [
        new(AccommodationBenchmark.UnitNeedShare, ClientGroups.LdAutism, 0.5, Source),
        new(AccommodationBenchmark.ExtraCarePer1000Aged75Plus, null, 25, Source),
    ];

    /// <summary>The small baseline plus an extra-care scheme (11 units not offline) and a 20-unit extra-care pipeline scheme at reasonable confidence (0.6) due November 2026.</summary>
    private static PlanningBaseline Baseline() => TestData.Small() with
    {
        Schemes = [.. TestData.Small().Schemes, new SchemeStock("S4", "Ash Court", "extra_care", ClientGroups.OlderDementia, true, new(2015, 1, 1), null, 10, 1, 2, 0)],
        Pipeline = [.. TestData.Small().Pipeline,
            new PipelineScheme("PE", "Birch Court", 20, "extra_care", ClientGroups.OlderDementia, true, new(2026, 11, 30), null, PipelineStatuses.ReasonableConfidence)],
    };

    private static PlanningResult Result(PlanningBaseline b) => new()
    {
        ResultId = "r1", CouncilCode = b.CouncilCode, ScenarioName = "baseline", Levers = ScenarioLevers.Baseline, ForecastRunId = "f", SnapshotId = "snap-1",
        AsOf = TestData.AsOf, Seed = 1, Draws = 0, CreatedAt = DateTimeOffset.UnixEpoch, Projection = TestData.Project(b, ScenarioLevers.Baseline),
    };

    private static PrevalenceCheckResult Check(PrevalenceData data)
    {
        var b = Baseline();
        return PrevalenceCheck.Compute(data, Result(b), b.Schemes, b.Pipeline);
    }

    [Fact]
    public void Prevalent_people_and_units_needed_are_rate_x_population_at_31_March_x_share()
    {
        var check = Check(new PrevalenceData(Rates, Benchmarks, [.. Population(), .. Population(PopulationVariants.High, 1.1)]));
        var rows = check.Groups.Where(g => g.ClientGroup == ClientGroups.LdAutism).ToList();
        Assert.Equal([2025, 2026, 2027], rows.Select(r => r.Fy));

        // 2025/26 ends 31 March 2026: 18-24 = 0.25 x 1,000 + 0.75 x 1,200 = 1,150; 25-64 = 0.25 x 5,000 + 0.75 x 5,400 = 5,300.
        // Prevalent: 2% x 1,150 + 10 per 1,000 x 5,300 = 23 + 53 = 76; units: 76 x 0.5 = 38.
        var first = rows[0];
        Assert.Equal(6450, first.Population, 9);
        Assert.Equal(76, first.PrevalentPeople, 9);
        Assert.Equal(38, first.PrevalenceNeed, 9);
        // 2027/28: 18-24 = 0.25 x 1,400 + 0.75 x 1,600 = 1,550; 25-64 = 0.25 x 5,800 + 0.75 x 6,200 = 6,100: (31 + 61) x 0.5 = 46.
        Assert.Equal(46, rows[2].PrevalenceNeed, 9);
        // The high variant is 10% above the principal throughout; no low variant in the data, so no low figure.
        Assert.Equal(38 * 1.1, first.PrevalenceNeedHigh!.Value, 9);
        Assert.Null(first.PrevalenceNeedLow);

        // The flow model's side is the result's own demand; the difference is flow - prevalence.
        var years = Result(Baseline()).Years();
        foreach (var row in rows)
        {
            var demand = years.Single(y => y.Fy == row.Fy && y.ClientGroup == ClientGroups.LdAutism).Demand;
            Assert.Equal(demand, row.FlowDemand, 9);
            Assert.Equal(demand - row.PrevalenceNeed, row.Difference, 9);
            var word = row.Difference > 0 ? "above" : "below";
            Assert.Contains($"the flow model is {Math.Round(Math.Abs(row.Difference)):#,0} {word} it", row.Explanation);
        }
        Assert.Contains("Since 2025/26", rows[2].Explanation);
        Assert.Contains(check.Warnings, w => w.StartsWith("mental_health: no prevalence rate", StringComparison.Ordinal));
    }

    [Fact]
    public void Extra_care_needs_25_units_per_1000_aged_75_plus_against_open_units_and_weighted_pipeline()
    {
        var check = Check(new PrevalenceData(Rates, Benchmarks, Population()));
        // 31 March 2026: 75-84 = 0.25 x 800 + 0.75 x 1,200 = 1,100; 85+ = 0.25 x 200 + 0.75 x 600 = 500; 1,600 x 25 / 1,000 = 40.
        var y1 = check.ExtraCare[0];
        Assert.Equal(1600, y1.PopulationAged75Plus, 9);
        Assert.Equal(40, y1.UnitsNeeded, 9);
        Assert.Equal(11, y1.ExistingUnits, 9);       // 10 occupied + 1 void; 2 offline units are not counted
        Assert.Equal(0, y1.PipelineUnits, 9);        // Birch Court is due November 2026
        Assert.Equal(29, y1.Gap, 9);
        Assert.Contains("29 short", y1.Explanation);
        // 31 March 2027: 2,000 + 1,000 = ... 75-84 = 0.25 x 1,200 + 0.75 x 1,600 = 1,500; 85+ = 900; 2,400 x 25 / 1,000 = 60;
        // supply 11 + 20 x 0.6 = 23.
        var y2 = check.ExtraCare[1];
        Assert.Equal(60, y2.UnitsNeeded, 9);
        Assert.Equal(12, y2.PipelineUnits, 9);
        Assert.Equal(37, y2.Gap, 9);
    }

    [Fact]
    public void A_group_without_a_share_is_named_and_a_council_without_rates_has_no_check()
    {
        var check = Check(new PrevalenceData(Rates, [Benchmarks[1]], Population()));
        Assert.Empty(check.Groups);
        Assert.Contains(check.Warnings, w => w.StartsWith("ld_autism: no unit_need_share", StringComparison.Ordinal));
        Assert.NotEmpty(check.ExtraCare);

        var e = Assert.Throws<NoPrevalenceDataException>(() => Check(new PrevalenceData([], Benchmarks, Population())));
        Assert.Contains("prevalence_rates.csv", e.Message);
        Assert.Throws<NoPrevalenceDataException>(() => Check(new PrevalenceData(Rates, Benchmarks, Population(PopulationVariants.Low))));
    }

    [Fact]
    public void Extra_population_growth_moves_the_flow_model_only_and_says_so()
    {
        var b = Baseline();
        var result = Result(b) with { Levers = ScenarioLevers.Baseline with { ExtraPopulationGrowthPct = 1.5 } };
        var check = PrevalenceCheck.Compute(new PrevalenceData(Rates, Benchmarks, Population()), result, b.Schemes, b.Pipeline);
        Assert.Contains(check.Warnings, w => w.Contains("extra_population_growth_pct (1.5% a year) moves the flow model only"));
        Assert.Equal(38, check.Groups[0].PrevalenceNeed, 9);
    }
}
