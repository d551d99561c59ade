using System.Globalization;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>
/// The prevalence cross-check on the shortfall page (tables and explanations) and, in short, in the committee report:
/// its people and units recomputed from the sample CSVs.
/// </summary>
[Trait("Category", "integration")]
public sealed class PrevalencePageTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static double Population(string band, int fy)
    {
        double Mid(int year) => D(Csv.Sample("population").Records()
            .Single(r => r["variant"] == "principal" && r["age_band"] == band && r["year"] == year.ToString(CultureInfo.InvariantCulture))["population"]);
        return 0.25 * Mid(fy) + 0.75 * Mid(fy + 1);
    }

    [Fact]
    public async Task The_shortfall_page_shows_the_cross_check_with_figures_from_the_csvs()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/shortfall");
        Assert.Contains("id=\"prevalence-check\"", page);
        Assert.Contains("id=\"prevalence-explanations\"", page);

        // Learning disability and autism, 2025/26: people with the conditions and units needed by the prevalence view.
        var rates = Csv.Sample("prevalence_rates").Records().Where(r => r["client_group"] == "ld_autism").ToList();
        var people = rates.Sum(r => D(r["rate"]) / (r["unit"] == "per_100" ? 100 : 1000) * Population(r["age_band"], 2025));
        var share = D(Csv.Sample("accommodation_benchmarks").Records().Single(r => r["measure"] == "unit_need_share" && r["client_group"] == "ld_autism")["value"]);
        var row = Html.Table(page, "prevalence").Single(r => r[0] == "2025/26" && r[1].StartsWith("Learning disability", StringComparison.Ordinal));
        Assert.Equal(Math.Round(people), Html.Number(row[5]));
        Assert.Equal(Math.Round(people * share), Html.Number(row[7]));

        // Extra care, 2025/26: 25 units per 1,000 people aged 75+.
        var ratio = D(Csv.Sample("accommodation_benchmarks").Records().Single(r => r["measure"] == "extra_care_units_per_1000_75plus")["value"]);
        var extra = Html.Table(page, "extra-care").Single(r => r[0] == "2025/26");
        Assert.Equal(Math.Round(Population("75-84", 2025) + Population("85+", 2025)), Html.Number(extra[1]));
        Assert.Equal(Math.Round((Population("75-84", 2025) + Population("85+", 2025)) * ratio / 1000), Html.Number(extra[3]));
    }

    [Fact]
    public async Task The_report_carries_the_cross_check_in_short()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/report");
        Assert.Contains("id=\"prevalence-summary\"", page);
        Assert.Contains("Housing LIN ratio", page);
        Assert.DoesNotContain("table-prevalence", page);
    }
}
