using System.Globalization;
using Forecasting.Store.Analytics;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Analytics;

/// <summary>Every expected figure here is computed from the sample CSVs with plain C#, not through the store.</summary>
[Trait("Category", "integration")]
public sealed class AnalyticsTests(SampleStoreFixture fixture) : IClassFixture<SampleStoreFixture>
{
    private const string Council = "E06009999";
    private AnalyticsQueries Queries => new(fixture.Store);

    private static bool InFy(DateOnly d, int fy) => d >= new DateOnly(fy, 4, 1) && d <= new DateOnly(fy + 1, 3, 31);

    [Fact]
    public void Contacts_per_financial_year_match_the_csv()
    {
        var csv = Csv.Sample("contacts");
        var result = Queries.FlowSeries(new SeriesQuery("contacts", Council, Period.FinancialYear));
        var series = Assert.Single(result.Groups);
        Assert.Equal(10, series.Points.Count);
        foreach (var point in series.Points)
        {
            var fy = point.PeriodStart.Year;
            var expected = csv.Rows.Count(r => InFy(Csv.Date(csv.Get(r, "contact_date")), fy));
            Assert.Equal(expected, point.Value);
            Assert.Equal(FinancialCalendar.FinancialYearLabel(fy), point.Label);
        }
    }

    [Fact]
    public void Admissions_65_plus_per_100k_for_2023_24_match_the_csv()
    {
        var admissions = Csv.Sample("admissions");
        var population = Csv.Sample("population");
        var count = admissions.Rows.Count(r =>
            InFy(Csv.Date(admissions.Get(r, "admission_date")), 2023) && int.Parse(admissions.Get(r, "age_at_admission")) >= 65);
        var people = population.Rows
            .Where(r => population.Get(r, "year") == "2023" && population.Get(r, "variant") == "estimate"
                        && population.Get(r, "age_band") is "65-74" or "75-84" or "85+")
            .Sum(r => double.Parse(population.Get(r, "population"), CultureInfo.InvariantCulture));
        var expected = count / people * 100_000;

        var result = Queries.Rates(new SeriesQuery("admissions", Council, Period.FinancialYear,
            new DateOnly(2023, 4, 1), new DateOnly(2024, 3, 31)), "65+", null);

        var point = Assert.Single(Assert.Single(result.Groups).Points);
        Assert.Equal(count, point.Count);
        Assert.Equal(people, point.Population);
        Assert.Equal(expected, point.RatePer100k, 6);
        Assert.Equal(2023, point.PopulationYear);
        Assert.InRange(point.RatePer100k, 400, 900);
        Assert.Contains("65+", result.Denominator);
    }

    [Fact]
    public void A_filter_on_age_group_selects_the_rows_the_age_group_breakdown_puts_in_that_group()
    {
        var byGroup = Queries.FlowSeries(new SeriesQuery("admissions", Council, Period.FinancialYear, Breakdown: ["age_group"]));
        foreach (var group in new[] { "18-64", "65+" })
        {
            var filtered = Queries.FlowSeries(new SeriesQuery("admissions", Council, Period.FinancialYear,
                Filters: new Dictionary<string, IReadOnlyList<string>> { ["age_group"] = [group] }));
            var expected = byGroup.Groups.Single(g => g.Key["age_group"] == group).Points.Select(p => p.Value);
            Assert.Equal(expected, Assert.Single(filtered.Groups).Points.Select(p => p.Value));
        }
        var both = Queries.FlowSeries(new SeriesQuery("admissions", Council, Period.FinancialYear,
            Filters: new Dictionary<string, IReadOnlyList<string>> { ["age_group"] = ["18-64", "65+"] }));
        var all = Queries.FlowSeries(new SeriesQuery("admissions", Council, Period.FinancialYear));
        Assert.Equal(all.Groups.Single().Points.Select(p => p.Value), both.Groups.Single().Points.Select(p => p.Value));
    }

    [Fact]
    public void Monthly_18_to_64_admissions_include_zero_months_and_year_to_date()
    {
        var admissions = Csv.Sample("admissions");
        var result = Queries.FlowSeries(new SeriesQuery("admissions", Council, Period.Month,
            new DateOnly(2015, 4, 1), new DateOnly(2025, 3, 31),
            new Dictionary<string, IReadOnlyList<string>> { ["age_group"] = ["18-64"] }));
        var points = Assert.Single(result.Groups).Points;
        Assert.Equal(120, points.Count);
        foreach (var p in points)
        {
            var expected = admissions.Rows.Count(r =>
            {
                var d = Csv.Date(admissions.Get(r, "admission_date"));
                return d.Year == p.PeriodStart.Year && d.Month == p.PeriodStart.Month && int.Parse(admissions.Get(r, "age_at_admission")) < 65;
            });
            Assert.Equal(expected, p.Value);
        }
        Assert.Contains(points, p => p.Value == 0);
        // Year to date restarts every April and ends at the year's total in March.
        var fy2023 = points.Where(p => FinancialCalendar.FinancialYearOf(p.PeriodStart) == 2023).ToList();
        Assert.Equal(fy2023[0].Value, fy2023[0].YearToDate);
        Assert.Equal(fy2023.Sum(p => p.Value), fy2023[^1].YearToDate);
    }

    [Fact]
    public void Quarterly_breakdown_by_route_sums_to_the_total_and_quarter_labels_follow_the_financial_year()
    {
        var query = new SeriesQuery("contacts", Council, Period.Quarter, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        var total = Assert.Single(Queries.FlowSeries(query).Groups).Points;
        var byRoute = Queries.FlowSeries(query with { Breakdown = ["route"] }).Groups;
        Assert.Equal(["2023/24 Q4", "2024/25 Q1", "2024/25 Q2", "2024/25 Q3"], total.Select(p => p.Label));
        for (var i = 0; i < total.Count; i++)
            Assert.Equal(total[i].Value, byRoute.Sum(g => g.Points[i].Value));
        Assert.Contains(byRoute, g => g.Key["route"] == "hospital_discharge");
    }

    [Fact]
    public void Retired_locality_codes_are_counted_under_their_replacement()
    {
        var localities = Csv.Sample("localities");
        var retired = localities.Rows.Where(r => localities.Get(r, "replaced_by").Length > 0)
            .ToDictionary(r => localities.Get(r, "locality_code"), r => localities.Get(r, "replaced_by"));
        Assert.NotEmpty(retired);
        var contacts = Csv.Sample("contacts");
        var expected = contacts.Rows
            .GroupBy(r => retired.TryGetValue(contacts.Get(r, "locality"), out var to) ? to : contacts.Get(r, "locality"))
            .ToDictionary(g => g.Key.Length == 0 ? "not_specified" : g.Key, g => (double)g.Count());

        var result = Queries.FlowSeries(new SeriesQuery("contacts", Council, Period.FinancialYear,
            new DateOnly(2015, 4, 1), new DateOnly(2025, 3, 31), Breakdown: ["locality"]));
        var actual = result.Groups.ToDictionary(g => g.Key["locality"], g => g.Points.Sum(p => p.Value));

        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
        Assert.DoesNotContain(retired.Keys, actual.ContainsKey);
    }

    [Fact]
    public void Units_at_31_march_2025_by_category_and_status_match_the_csv()
    {
        var asOf = new DateOnly(2025, 3, 31);
        var schemes = Csv.Sample("schemes").Records().ToDictionary(r => r["scheme_id"]);
        var status = Csv.Sample("unit_status").Records()
            .Where(r => Csv.Date(r["valid_from"]) <= asOf && (Csv.OptionalDate(r["valid_to"]) is not { } to || to > asOf))
            .ToDictionary(r => r["unit_id"], r => r["status"]);
        var open = Csv.Sample("units").Records()
            .Where(u =>
            {
                var s = schemes[u["scheme_id"]];
                return Csv.Date(s["opened_date"]) <= asOf && (Csv.OptionalDate(s["decommission_date"]) is not { } d || d > asOf);
            }).ToList();

        var table = Queries.StockSnapshot("units", Council, asOf, null, ["category"]);

        foreach (var row in table.Rows)
        {
            var units = open.Where(u => schemes[u["scheme_id"]]["category"] == row.Dimensions["category"]).ToList();
            Assert.Equal(units.Count, row.Measures["units"]);
            var occupied = units.Count(u => status.GetValueOrDefault(u["unit_id"]) == "occupied");
            var voids = units.Count(u => status.GetValueOrDefault(u["unit_id"]) == "void");
            var offline = units.Count(u => status.GetValueOrDefault(u["unit_id"]) == "offline");
            Assert.Equal(occupied, row.Measures["occupied"]);
            Assert.Equal(voids, row.Measures["void"]);
            Assert.Equal((double)voids / (units.Count - offline), row.Measures["void_rate"], 9);
        }
        Assert.Equal(open.Count, table.Rows.Sum(r => r.Measures["units"]));
    }

    [Fact]
    public void Waiting_list_and_residential_care_at_a_date_match_the_csv()
    {
        var asOf = new DateOnly(2025, 3, 31);
        var waiting = Csv.Sample("waiting_list").Records()
            .Count(r => Csv.Date(r["date_added"]) <= asOf && (Csv.OptionalDate(r["date_removed"]) is not { } d || d > asOf));
        var table = Queries.StockSnapshot("waiting_list", Council, asOf, null, null);
        Assert.Equal(waiting, Assert.Single(table.Rows).Measures["people"]);

        var left = Csv.Sample("leavers").Records().ToDictionary(r => r["admission_id"], r => Csv.Date(r["leave_date"]));
        var ld = Csv.Sample("admissions").Records().Count(r =>
            r["psr"] == "learning_disability" && Csv.Date(r["admission_date"]) <= asOf
            && (!left.TryGetValue(r["admission_id"], out var leave) || leave > asOf));
        var residential = Queries.StockSnapshot("residential_care", Council, asOf,
            new Dictionary<string, IReadOnlyList<string>> { ["psr"] = ["learning_disability"] }, null);
        Assert.Equal(ld, Assert.Single(residential.Rows).Measures["people"]);
    }

    [Fact]
    public void Transitions_cohort_is_grouped_by_the_financial_year_of_the_18th_birthday()
    {
        var records = Csv.Sample("transitions").Records().ToList();
        var table = Queries.TransitionsCohort(Council, 2025, 2028, null, null);
        Assert.Equal(4, table.Rows.Count);
        foreach (var row in table.Rows)
        {
            Assert.True(FinancialCalendar.TryParseFinancialYear(row.Dimensions["financial_year"], out var fy));
            var inYear = records.Where(r => InFy(Csv.Date(r["date_of_birth"]).AddYears(18), fy)).ToList();
            Assert.Equal(inYear.Count, row.Measures["young_people"]);
            Assert.Equal(inYear.Sum(r => double.Parse(r["likelihood"], CultureInfo.InvariantCulture)), row.Measures["expected_clients"], 9);
        }
    }

    [Fact]
    public void Pipeline_units_by_status_match_the_csv()
    {
        var records = Csv.Sample("pipeline").Records().ToList();
        var table = Queries.Pipeline(Council, null, ["status"]);
        foreach (var status in records.Select(r => r["status"]).Distinct())
            Assert.Equal(records.Where(r => r["status"] == status).Sum(r => int.Parse(r["units"])),
                table.Rows.Where(r => r.Dimensions["status"] == status).Sum(r => r.Measures["units"]));
        Assert.Equal(7, table.Rows.Select(r => r.Dimensions["status"]).Distinct().Count());
    }

    [Fact]
    public void Unknown_metrics_dimensions_and_values_name_the_field_and_list_the_valid_ones()
    {
        var metric = Assert.Throws<QueryException>(() => Queries.FlowSeries(new SeriesQuery("referrals")));
        Assert.Equal("metric", metric.Field);
        Assert.Contains("contacts, admissions", metric.Message);

        var dimension = Assert.Throws<QueryException>(() => Queries.FlowSeries(new SeriesQuery("contacts", Breakdown: ["colour"])));
        Assert.Equal("selector.breakdown", dimension.Field);
        Assert.Contains("route", dimension.Message);

        var value = Assert.Throws<QueryException>(() => Queries.FlowSeries(new SeriesQuery("contacts",
            Filters: new Dictionary<string, IReadOnlyList<string>> { ["route"] = ["walk_in"] })));
        Assert.Contains("community", value.Message);

        var range = Assert.Throws<QueryException>(() => Queries.FlowSeries(new SeriesQuery("contacts",
            From: new DateOnly(2024, 1, 1), To: new DateOnly(2023, 1, 1))));
        Assert.Equal("selector.to_date", range.Field);
    }

    [Fact]
    public void By_default_a_series_spans_the_history_window_even_where_the_metric_has_no_events()
    {
        // Admissions include an opening stock dated decades back, and the last admission falls before 31 March 2025.
        var result = Queries.FlowSeries(new SeriesQuery("admissions", Council, Period.Month));
        var contactDates = Csv.Sample("contacts").Rows.Select(r => r[2]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Csv.Date(contactDates[0]), result.From);
        Assert.Equal(Csv.Date(contactDates[^1]), result.To);
        Assert.Equal(120, Assert.Single(result.Groups).Points.Count);
    }

    [Fact]
    public void An_answer_beyond_the_result_bound_is_refused()
    {
        // 5 routes x 120 months = 600 points.
        var bounded = new AnalyticsQueries(fixture.Store, maxResultCells: 599);
        var query = new SeriesQuery("contacts", Council, Period.Month, new DateOnly(2015, 4, 1), new DateOnly(2025, 3, 31), Breakdown: ["route"]);
        var error = Assert.Throws<ResultTooLargeException>(() => bounded.FlowSeries(query));
        Assert.Contains("599", error.Message);
        Assert.Equal(600, new AnalyticsQueries(fixture.Store, maxResultCells: 600).FlowSeries(query).Groups.Sum(g => g.Points.Count));
    }
}
