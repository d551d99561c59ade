using System.Globalization;
using Forecasting.Planning;
using Forecasting.Store.Planning;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Store;

/// <summary>The cost model's data on the Harbridge sample: weekly costs per setting and client group, against figures computed from the CSVs.</summary>
[Trait("Category", "integration")]
public sealed class CostDataOnSampleTests(SampleStoreFixture fixture) : IClassFixture<SampleStoreFixture>
{
    private const string Council = "E06009999";
    private static readonly DateOnly AsOf = new(2025, 3, 31);

    /// <summary>The model's PSR rule, written out again: learning disability/autism, mental health, physical or sensory, memory; else by age.</summary>
    private static string Group(string psr, string ageBand) => psr switch
    {
        "learning_disability" => "ld_autism",
        "mental_health" => "mental_health",
        "physical_support" or "sensory_support" => "physical_sensory",
        "memory_and_cognition" => "older_dementia",
        _ => ageBand is "65-74" or "75-84" or "85+" ? "older_dementia" : "complex_needs",
    };

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    [Fact]
    public void Weekly_costs_per_setting_and_client_group_are_the_medians_of_the_services_open_on_the_as_of_date()
    {
        var open = Csv.Sample("services").Records()
            .Where(r => Csv.Date(r["start_date"]) <= AsOf && (Csv.OptionalDate(r["end_date"]) is not { } end || end > AsOf))
            .Select(r => (Setting: r["locality"] == "" && r["service_type"] is "supported_living" or "extra_care" ? "out_of_area" : r["service_type"],
                Group: Group(r["psr"], r["age_band"]), Band: r["age_band"], Cost: double.Parse(r["weekly_cost"], CultureInfo.InvariantCulture)))
            .ToList();
        using var connection = fixture.Store.Open();
        var data = CostDataLoader.Load(connection, Council, AsOf);

        foreach (var setting in new[] { "supported_living", "extra_care", "shared_lives", "residential", "nursing", "home_care", "out_of_area" })
        {
            var all = open.Where(s => s.Setting == setting).Select(s => s.Cost).ToList();
            Assert.Equal((Median(all), all.Count), (data.Cell(setting, "all")!.MedianWeeklyCost, data.Cell(setting, "all")!.Services));
            foreach (var group in ClientGroups.Known)
            {
                var costs = open.Where(s => s.Setting == setting && s.Group == group).Select(s => s.Cost).ToList();
                var cell = data.Cell(setting, group);
                if (costs.Count == 0) { Assert.Null(cell); continue; }
                Assert.Equal((Median(costs), costs.Count), (cell!.MedianWeeklyCost, cell.Services));
            }
        }
        foreach (var setting in new[] { "residential", "nursing" })
            foreach (var band in open.Where(s => s.Setting == setting).Select(s => s.Band).Distinct())
            {
                var costs = open.Where(s => s.Setting == setting && s.Band == band).Select(s => s.Cost).ToList();
                var cell = data.Cells.Single(c => c.Setting == setting && c.AgeBand == band);
                Assert.Equal((Median(costs), costs.Count), (cell.MedianWeeklyCost, cell.Services));
            }
        // The 71 people housed out of area on the as-of date are the 71 open supported-living services without a locality.
        Assert.Equal(71, data.Cell("out_of_area", "all")!.Services);
        // The sample's stated assumptions and budget lines arrive as written.
        var assumptions = Csv.Sample("cost_assumptions").Records().ToList();
        Assert.Equal(assumptions.Count, data.Assumptions.Count);
        Assert.Equal(3850, data.Assumption("inpatient", "all", AsOf)!.WeeklyCost);
        Assert.Equal(Csv.Sample("budgets").Rows.Count, data.Budgets.Count);
    }
}
