using System.Globalization;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>
/// The figures on the overview and shortfall pages against figures computed without the pages: from the sample CSV
/// files, and from the gRPC API of the same server in process.
/// </summary>
[Trait("Category", "integration")]
public sealed class FigureTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private const string Council = WebFactory.Council;
    private static readonly DateOnly AsOf = new(2025, 3, 31);
    private const int LastFy = 2024;

    private static bool InFy(string date, int fy) =>
        string.CompareOrdinal(date, $"{fy}-04-01") >= 0 && string.CompareOrdinal(date, $"{fy + 1}-03-31") <= 0;

    [Fact]
    public async Task Overview_contacts_admission_rates_units_and_waiting_list_match_the_sample_files()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/");

        var contacts = Csv.Sample("contacts").Records().Count(r => r["council_code"] == Council && InFy(r["contact_date"], LastFy));
        Assert.Equal(contacts, Html.Value(page, "contacts"));
        Assert.Equal(contacts, Html.Value(page, "contacts-estimate"));

        var population = Csv.Sample("population").Records().Where(r => r["council_code"] == Council && r["year"] == "2024" && r["variant"] == "estimate")
            .ToList();
        double People(params string[] bands) => population.Where(r => bands.Contains(r["age_band"])).Sum(r => double.Parse(r["population"], CultureInfo.InvariantCulture));
        var admissions = Csv.Sample("admissions").Records().Where(r => r["council_code"] == Council && InFy(r["admission_date"], LastFy)).ToList();
        var older = admissions.Count(r => int.Parse(r["age_at_admission"], CultureInfo.InvariantCulture) >= 65);
        var working = admissions.Count(r => int.Parse(r["age_at_admission"], CultureInfo.InvariantCulture) is >= 18 and < 65);
        Assert.Equal(older / People("65-74", "75-84", "85+") * 100_000, Html.Value(page, "ascof-2a2"), 6);
        Assert.Equal(working / People("18-24", "25-64") * 100_000, Html.Value(page, "ascof-2a1"), 6);

        var asOf = AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var schemes = Csv.Sample("schemes").Records().Where(r => r["council_code"] == Council && string.CompareOrdinal(r["opened_date"], asOf) <= 0
            && (r["decommission_date"] == "" || string.CompareOrdinal(r["decommission_date"], asOf) > 0)).Select(r => r["scheme_id"]).ToHashSet();
        var units = Csv.Sample("units").Records().Where(r => r["council_code"] == Council && schemes.Contains(r["scheme_id"])).Select(r => r["unit_id"]).ToHashSet();
        var status = Csv.Sample("unit_status").Records().Where(r => r["council_code"] == Council && units.Contains(r["unit_id"])
            && string.CompareOrdinal(r["valid_from"], asOf) <= 0 && (r["valid_to"] == "" || string.CompareOrdinal(r["valid_to"], asOf) > 0)).ToList();
        Assert.Equal(units.Count, Html.Value(page, "units"));
        Assert.Equal(status.Count(s => s["status"] == "occupied"), Html.Value(page, "units-occupied"));
        Assert.Equal(status.Count(s => s["status"] == "void"), Html.Value(page, "units-void"));

        var waiting = Csv.Sample("waiting_list").Records().Count(r => r["council_code"] == Council && string.CompareOrdinal(r["date_added"], asOf) <= 0
            && (r["date_removed"] == "" || string.CompareOrdinal(r["date_removed"], asOf) > 0));
        Assert.Equal(waiting, Html.Value(page, "waiting"));
    }

    [Fact]
    public async Task Overview_figures_are_the_ones_the_gRPC_API_gives()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/");
        using var channel = factory.Channel();
        var key = WebFactory.Key(WebFactory.Commissioner);

        var yearEnd = await new ForecastService.ForecastServiceClient(channel).EstimateYearEndAsync(
            new YearEndRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.Month } }, key);
        Assert.Equal(yearEnd.YearToDate, Html.Value(page, "contacts"));
        Assert.Equal(yearEnd.Estimate, Html.Value(page, "contacts-estimate"));
        Assert.Contains($"Contacts to adult social care, {yearEnd.FinancialYear}", page);

        var analytics = new AnalyticsService.AnalyticsServiceClient(channel);
        foreach (var (age, id) in new[] { ("18-64", "ascof-2a1"), ("65+", "ascof-2a2") })
        {
            var rates = await analytics.GetRatesAsync(new RateRequest { Selector = new SeriesSelector { Metric = "admissions", CouncilCode = Council }, AgeGroup = age }, key);
            var points = rates.Groups.Single().Points;
            Assert.Equal(points[^1].RatePer100K, Html.Value(page, id));
            Assert.Contains(points[^2].RatePer100K.ToString(CultureInfo.InvariantCulture), page);
            // The downloadable table lists every year the API gives, rounded to one decimal.
            var table = Html.Table(page, "admission-rates").Where(r => r[1].Contains(age == "65+" ? "2A(2)" : "2A(1)")).ToList();
            Assert.Equal(points.Select(p => p.PeriodLabel), table.Select(r => r[0]));
            Assert.Equal(points.Select(p => Math.Round(p.RatePer100K, 1, MidpointRounding.AwayFromZero)), table.Select(r => Html.Number(r[4])!.Value));
        }

        var units = await analytics.GetStockSnapshotAsync(new StockRequest { Measure = "units", CouncilCode = Council }, key);
        Assert.Equal(units.Rows.Single().Measures["units"], Html.Value(page, "units"));
        Assert.Equal(units.Rows.Single().Measures["void"], Html.Value(page, "units-void"));
        var waiting = await analytics.GetStockSnapshotAsync(new StockRequest { Measure = "waiting_list", CouncilCode = Council }, key);
        Assert.Equal(waiting.Rows.Single().Measures["people"], Html.Value(page, "waiting"));

        var transitions = await analytics.GetTransitionsCohortAsync(new TransitionsRequest { CouncilCode = Council, FromFy = LastFy + 1, ToFy = LastFy + 4 }, key);
        Assert.Equal(transitions.Rows.Sum(r => r.Measures["young_people"]), Html.Value(page, "transitions"));
        Assert.Equal(transitions.Rows.Select(r => r.Dimensions["financial_year"]), Html.Table(page, "transitions").Select(r => r[0]));
    }

    [Fact]
    public async Task Shortfall_page_shows_the_stored_result_the_API_returns_and_a_fresh_API_run_gives_the_same_figures()
    {
        var page = await (await factory.SignedIn(WebFactory.Commissioner)).GetStringAsync("/shortfall");
        var resultId = Regex.Match(page, "<span id=\"result-id\">([^<]+)</span>").Groups[1].Value;
        Assert.StartsWith("res-", resultId);
        var table = Html.Table(page, "shortfall");

        using var channel = factory.Channel();
        var planning = new PlanningService.PlanningServiceClient(channel);
        var key = WebFactory.Key(WebFactory.Commissioner);
        var stored = await planning.GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = resultId }, key);
        AssertSameFigures(stored, table);
        Assert.Contains(Forecasting.Web.Dashboard.Words.Plain(stored.Basis.Description), System.Net.WebUtility.HtmlDecode(page));
        Assert.Contains($"{stored.StrategyId}, version {stored.StrategyVersion}", page);

        // The API's own baseline run with its defaults (2,000 draws, the fixed seed) reproduces every figure.
        using var run = planning.RunScenario(new RunScenarioRequest { CouncilCode = Council }, key);
        ScenarioResult? fresh = null;
        while (await run.ResponseStream.MoveNext(CancellationToken.None))
            if (run.ResponseStream.Current.Result is { } r) fresh = r;
        Assert.NotNull(fresh);
        Assert.NotEqual(resultId, fresh.ResultId);
        AssertSameFigures(fresh, table);
    }

    [Fact]
    public async Task Forecasts_page_shows_a_stored_run_the_API_returns_and_refuses_an_unknown_series_in_words()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var page = await client.GetStringAsync("/forecasts?series=1");
        var runId = Regex.Match(page, "Forecast run (run-[0-9a-f]+)").Groups[1].Value;
        Assert.NotEmpty(runId);
        using var channel = factory.Channel();
        var run = await new ForecastService.ForecastServiceClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, WebFactory.Key(WebFactory.Commissioner));
        var series = Assert.Single(run.Series);
        Assert.Equal("admissions", series.Metric);
        Assert.Contains(Forecasting.Web.Dashboard.ForecastViews.ModelWords(series.Model), System.Net.WebUtility.HtmlDecode(page));
        Assert.Contains($"Tested from {series.Backtest.Origins} earlier starting points", page);
        // The fan chart has financial-year ticks and both ranges.
        Assert.Contains(">2025/26<", page);
        Assert.Contains("80% range", page);
        Assert.Contains("95% range", page);

        var bad = await client.GetAsync("/forecasts?series=99");
        var text = await bad.Content.ReadAsStringAsync();
        Assert.Contains("choose one of the 7 series listed", text);
        Assert.DoesNotContain("Exception", text);
    }

    private static readonly Dictionary<string, string> GroupWords = new()
    {
        ["ld_autism"] = "Learning disability and autism", ["mental_health"] = "Mental health", ["physical_sensory"] = "Physical and sensory",
        ["older_dementia"] = "Older people and dementia", ["complex_needs"] = "Complex needs", ["all"] = "All client groups",
    };

    private static void AssertSameFigures(ScenarioResult result, List<string[]> table)
    {
        Assert.Equal(result.Years.Count, table.Count);
        foreach (var year in result.Years)
        {
            var row = Assert.Single(table, r => r[0] == year.FyLabel && r[1] == GroupWords[year.ClientGroup]);
            double R(double v) => Math.Round(v, 0, MidpointRounding.AwayFromZero);
            Assert.Equal(R(year.Demand), Html.Number(row[2]));
            Assert.Equal(R(year.Supply), Html.Number(row[3]));
            // The demand-based shortfall (on all groups the sum of the gaps of the groups that are short), the surpluses
            // beside it and the net with its range.
            Assert.Equal(R(year.SumOfGroupGaps), Html.Number(row[4]));
            Assert.Equal(R(year.SumOfGroupSurpluses), Html.Number(row[5]));
            Assert.Equal(R(year.ShortfallCumulative), Html.Number(row[6]));
            Assert.Equal(R(year.ShortfallDistribution.P10), Html.Number(row[7]));
            Assert.Equal(R(year.ShortfallDistribution.P50), Html.Number(row[8]));
            Assert.Equal(R(year.ShortfallDistribution.P90), Html.Number(row[9]));
        }
    }
}
