using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// The prevalence cross-check's data (prevalence_rates.csv, accommodation_benchmarks.csv): rounded national rates of the
/// kind POPPI and PANSI publish, on the adult bands of population.csv, and planning ratios. A council replaces them with
/// its own; the Planning README states each figure and where such figures come from.
/// </summary>
public static class PrevalenceGenerator
{
    private const string Pansi = "national rate by age as used by PANSI (rounded)";
    private const string Poppi = "national rate by age as used by POPPI (rounded, bands averaged)";

    private static readonly (string Group, string Condition, string Band, string Rate, string Unit, string Source)[] Rates =
    {
        ("ld_autism", "learning_disability", "18-24", "2.6", "per_100", Pansi),
        ("ld_autism", "learning_disability", "25-64", "2.3", "per_100", Pansi),
        ("ld_autism", "autism_without_learning_disability", "18-24", "0.8", "per_100", Pansi + "; autistic adults with a learning disability are counted under learning_disability"),
        ("ld_autism", "autism_without_learning_disability", "25-64", "0.7", "per_100", Pansi + "; autistic adults with a learning disability are counted under learning_disability"),
        ("mental_health", "psychotic_disorder", "18-24", "0.4", "per_100", "national psychiatric morbidity survey rate as used by PANSI (rounded)"),
        ("mental_health", "psychotic_disorder", "25-64", "0.7", "per_100", "national psychiatric morbidity survey rate as used by PANSI (rounded)"),
        ("physical_sensory", "serious_physical_disability", "18-24", "5", "per_1000", Pansi + " (serious personal care disability)"),
        ("physical_sensory", "serious_physical_disability", "25-64", "20", "per_1000", Pansi + " (serious personal care disability)"),
        ("older_dementia", "dementia", "65-74", "23", "per_1000", Poppi),
        ("older_dementia", "dementia", "75-84", "80", "per_1000", Poppi),
        ("older_dementia", "dementia", "85+", "220", "per_1000", Poppi),
    };

    private static readonly (string Measure, string? Group, string Value, string Source)[] Benchmarks =
    {
        ("unit_need_share", "ld_autism", "0.04",
            "about one in five adults with a learning disability is known to adult social care, and about one in five of those lives in supported living"),
        ("unit_need_share", "mental_health", "0.1", "about one in ten people with a psychotic disorder lives in mental health supported accommodation"),
        ("unit_need_share", "physical_sensory", "0.01", "about one in a hundred working-age adults with a serious physical disability needs a supported-living unit"),
        ("unit_need_share", "older_dementia", "0.05", "about one in twenty people aged 65+ with dementia lives in extra care or supported housing"),
        ("extra_care_units_per_1000_75plus", null, "25", "Housing LIN older planning guidance: 25 extra-care units per 1,000 people aged 75+ (newer toolkits use more)"),
    };

    public static CsvTable RatesTable()
    {
        var table = new CsvTable("prevalence_rates.csv", "council_code", "client_group", "condition", "age_band", "rate", "unit", "source");
        foreach (var r in Rates) table.Add(Council.Code, r.Group, r.Condition, r.Band, r.Rate, r.Unit, r.Source);
        return table;
    }

    public static CsvTable BenchmarksTable()
    {
        var table = new CsvTable("accommodation_benchmarks.csv", "council_code", "measure", "client_group", "value", "source");
        foreach (var b in Benchmarks) table.Add(Council.Code, b.Measure, b.Group, b.Value, b.Source);
        return table;
    }
}
