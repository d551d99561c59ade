using System.Globalization;
using Forecasting.Store.Analytics;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Analytics;

/// <summary>
/// Every catalogue measure checked against a figure computed from the sample CSVs with plain C#, not through the
/// store: service episodes cover start_date to the day before end_date; a stock is taken at the period's last day.
/// </summary>
[Trait("Category", "integration")]
public sealed class MeasureTests(SampleStoreFixture fixture) : IClassFixture<SampleStoreFixture>
{
    private const string Council = "E06009999";
    private AnalyticsQueries Queries => new(fixture.Store);

    private static readonly Csv Services = Csv.Sample("services");
    private static readonly DateOnly YearEnd2024 = new(2025, 3, 31);
    private static readonly DateOnly Q3End2024 = new(2024, 12, 31);

    private static bool InFy(DateOnly d, int fy) => d >= new DateOnly(fy, 4, 1) && d <= new DateOnly(fy + 1, 3, 31);
    private static bool Between(DateOnly? d, DateOnly from, DateOnly to) => d is { } x && x >= from && x <= to;
    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static bool OpenAt(Csv csv, string[] row, DateOnly date, string start = "start_date", string end = "end_date") =>
        Csv.Date(csv.Get(row, start)) <= date && (Csv.OptionalDate(csv.Get(row, end)) is not { } e || e > date);

    private static bool Community(string serviceType) => serviceType is not ("residential" or "nursing");

    private MeasureValue Point(string measure, DateOnly periodStart, Period period = Period.Month,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters = null)
    {
        var result = Queries.MeasureSeries(new MeasureQuery(measure, Council, period, Filters: filters));
        return Assert.Single(result.Groups).Points.Single(p => p.PeriodStart == periodStart);
    }

    [Fact]
    public void Long_term_support_caseload_at_a_date_counts_people_with_an_open_service_once()
    {
        var date = new DateOnly(2024, 3, 31);
        var expected = Services.Rows.Where(r => OpenAt(Services, r, date)).Select(r => Services.Get(r, "person_id")).Distinct().Count();
        var point = Point("lts_caseload", new DateOnly(2024, 3, 1));
        Assert.Equal(date, point.PeriodEnd);
        Assert.Equal(expected, point.Value);
        Assert.Equal(expected, point.YtdValue);
        Assert.True(double.IsNaN(point.Denominator));
        Assert.InRange(expected, 3_500, 6_500);
    }

    [Fact]
    public void New_long_term_starts_by_setting_per_financial_year_match_the_csv()
    {
        var result = Queries.MeasureSeries(new MeasureQuery("lts_new_starts", Council, Period.FinancialYear, Breakdown: ["setting"]));
        foreach (var group in result.Groups)
        {
            var setting = group.Key["setting"];
            var point = group.Points.Single(p => p.PeriodStart == new DateOnly(2023, 4, 1));
            var expected = Services.Rows.Count(r => InFy(Csv.Date(Services.Get(r, "start_date")), 2023)
                && (Community(Services.Get(r, "service_type")) ? "community" : Services.Get(r, "service_type")) == setting);
            Assert.Equal(expected, point.Value);
        }
        Assert.Equal(3, result.Groups.Count);
    }

    [Fact]
    public void Home_care_hours_and_spend_of_a_quarter_are_weekly_figures_times_days_open_over_seven()
    {
        var from = new DateOnly(2024, 7, 1);
        var to = new DateOnly(2024, 9, 30);
        double hours = 0, spend = 0;
        foreach (var r in Services.Rows.Where(r => Services.Get(r, "service_type") == "home_care"))
        {
            var start = Csv.Date(Services.Get(r, "start_date"));
            var end = Csv.OptionalDate(Services.Get(r, "end_date")) ?? DateOnly.MaxValue;
            var first = start > from ? start : from;
            var afterLast = end < to.AddDays(1) ? end : to.AddDays(1);
            var days = afterLast.DayNumber - first.DayNumber;
            if (days <= 0) continue;
            hours += Number(Services.Get(r, "planned_hours_per_week")) * days / 7.0;
            spend += Number(Services.Get(r, "weekly_cost")) * days / 7.0;
        }
        var hoursPoint = Point("home_care_hours", from, Period.Quarter);
        Assert.Equal(hours, hoursPoint.Value, 4);
        var cost = Point("cost_per_home_care_hour", from, Period.Quarter);
        Assert.Equal(spend, cost.Numerator, 3);
        Assert.Equal(hours, cost.Denominator, 4);
        Assert.Equal(spend / hours, cost.Value, 9);
        Assert.Equal(spend, Point("spend", from, Period.Quarter, new Dictionary<string, IReadOnlyList<string>> { ["service_type"] = ["home_care"] }).Value, 3);
    }

    [Fact]
    public void Direct_payments_and_self_directed_support_are_shares_of_people_on_community_services()
    {
        var open = Services.Rows.Where(r => OpenAt(Services, r, YearEnd2024) && Community(Services.Get(r, "service_type"))).ToList();
        var people = open.Select(r => Services.Get(r, "person_id")).Distinct().Count();
        var direct = open.Where(r => Services.Get(r, "funding") == "direct_payment").Select(r => Services.Get(r, "person_id")).Distinct().Count();
        var selfDirected = open.Where(r => Services.Get(r, "funding") is "direct_payment" or "individual_service_fund")
            .Select(r => Services.Get(r, "person_id")).Distinct().Count();

        var c2 = Point("ascof_1c2", new DateOnly(2025, 3, 1));
        Assert.Equal(direct, c2.Numerator);
        Assert.Equal(people, c2.Denominator);
        Assert.Equal(100.0 * direct / people, c2.Value, 9);
        Assert.Equal(100.0 * selfDirected / people, Point("ascof_1c1", new DateOnly(2025, 3, 1)).Value, 9);
    }

    [Fact]
    public void Ascof_1g_counts_own_home_family_and_supported_living_among_adults_with_a_learning_disability()
    {
        var open = Services.Rows.Where(r => OpenAt(Services, r, YearEnd2024) && Services.Get(r, "psr") == "learning_disability"
            && Services.Get(r, "age_band") is "18-24" or "25-64").ToList();
        var people = open.Select(r => Services.Get(r, "person_id")).Distinct().Count();
        var settled = open.Where(r => Services.Get(r, "accommodation_status") is "own_home_or_family" or "supported_living")
            .Select(r => Services.Get(r, "person_id")).Distinct().Count();
        var point = Point("ascof_1g", new DateOnly(2025, 3, 1));
        Assert.Equal(settled, point.Numerator);
        Assert.Equal(people, point.Denominator);
        Assert.Equal(100.0 * settled / people, point.Value, 9);
    }

    [Fact]
    public void Ascof_2a2_year_to_date_rate_is_admissions_since_april_over_the_year_population()
    {
        var admissions = Csv.Sample("admissions");
        var population = Csv.Sample("population");
        var count = admissions.Rows.Count(r => Between(Csv.Date(admissions.Get(r, "admission_date")), new DateOnly(2024, 4, 1), Q3End2024)
            && int.Parse(admissions.Get(r, "age_at_admission"), CultureInfo.InvariantCulture) >= 65);
        var people = population.Rows.Where(r => population.Get(r, "year") == "2024" && population.Get(r, "variant") == "estimate"
            && population.Get(r, "age_band") is "65-74" or "75-84" or "85+").Sum(r => Number(population.Get(r, "population")));

        var point = Point("ascof_2a2", new DateOnly(2024, 12, 1));
        Assert.Equal(count, point.YtdNumerator);
        Assert.Equal(people, point.YtdDenominator);
        Assert.Equal(count / people * 100_000, point.YtdValue, 9);

        // The full year agrees with the rates call, a second route to the same figure.
        var year = Point("ascof_2a2", new DateOnly(2023, 4, 1), Period.FinancialYear);
        var rate = Queries.Rates(new SeriesQuery("admissions", Council, Period.FinancialYear, new DateOnly(2023, 4, 1), new DateOnly(2024, 3, 31)), "65+", null);
        Assert.Equal(Assert.Single(Assert.Single(rate.Groups).Points).RatePer100k, year.Value, 9);
    }

    [Fact]
    public void Ascof_2b1_and_2d_match_the_reablement_csv()
    {
        var csv = Csv.Sample("reablement");
        var cohort = csv.Rows.Where(r => csv.Get(r, "source") == "hospital_discharge" && csv.Get(r, "age_band") is "65-74" or "75-84" or "85+"
            && csv.Get(r, "status_91_days").Length > 0 && Csv.OptionalDate(csv.Get(r, "end_date")) is { } end && InFy(end, 2023)).ToList();
        var atHome = cohort.Count(r => csv.Get(r, "status_91_days") == "at_home");
        var b1 = Point("ascof_2b1", new DateOnly(2023, 4, 1), Period.FinancialYear);
        Assert.Equal(atHome, b1.Numerator);
        Assert.Equal(cohort.Count, b1.Denominator);
        Assert.Equal(100.0 * atHome / cohort.Count, b1.Value, 9);

        var ended = csv.Rows.Where(r => csv.Get(r, "outcome").Length > 0 && InFy(Csv.Date(csv.Get(r, "end_date")), 2023)).ToList();
        var d = Point("ascof_2d", new DateOnly(2023, 4, 1), Period.FinancialYear);
        Assert.Equal(ended.Count(r => csv.Get(r, "outcome") is "no_further_support" or "ongoing_low_level"), d.Numerator);
        Assert.Equal(ended.Count, d.Denominator);
    }

    [Fact]
    public void Waiting_for_assessment_its_median_wait_and_assessments_within_28_days_match_the_csv()
    {
        var csv = Csv.Sample("assessments");
        var waiting = csv.Rows.Where(r => Csv.Date(csv.Get(r, "received_date")) <= Q3End2024
            && (Csv.OptionalDate(csv.Get(r, "completed_date")) is not { } c || c > Q3End2024)).ToList();
        Assert.Equal(waiting.Count, Point("waiting_for_assessment", new DateOnly(2024, 12, 1)).Value);

        // Median with linear interpolation between the two middle waits (quantile_cont).
        var waits = waiting.Select(r => (double)(Q3End2024.DayNumber - Csv.Date(csv.Get(r, "received_date")).DayNumber)).Order().ToArray();
        var position = 0.5 * (waits.Length - 1);
        var median = waits[(int)Math.Floor(position)] + (position - Math.Floor(position)) * (waits[(int)Math.Ceiling(position)] - waits[(int)Math.Floor(position)]);
        Assert.Equal(median, Point("assessment_wait_median", new DateOnly(2024, 12, 1)).Value, 9);

        var completed = csv.Rows.Where(r => Csv.OptionalDate(csv.Get(r, "completed_date")) is { } c && InFy(c, 2023) && csv.Get(r, "outcome") != "withdrawn").ToList();
        var onTime = completed.Count(r => Csv.Date(csv.Get(r, "completed_date")).DayNumber - Csv.Date(csv.Get(r, "received_date")).DayNumber <= 28);
        var within = Point("assessments_within_28_days", new DateOnly(2023, 4, 1), Period.FinancialYear);
        Assert.Equal(onTime, within.Numerator);
        Assert.Equal(completed.Count, within.Denominator);
    }

    [Fact]
    public void Reviewed_this_year_is_the_share_of_people_on_support_with_a_review_since_april()
    {
        var reviews = Csv.Sample("reviews");
        var reviewed = reviews.Rows.Where(r => Between(Csv.OptionalDate(reviews.Get(r, "completed_date")), new DateOnly(2024, 4, 1), Q3End2024))
            .Select(r => reviews.Get(r, "person_id")).ToHashSet();
        var people = Services.Rows.Where(r => OpenAt(Services, r, Q3End2024)).Select(r => Services.Get(r, "person_id")).ToHashSet();
        var point = Point("reviewed_this_year", new DateOnly(2024, 12, 1));
        Assert.Equal(people.Count, point.Denominator);
        Assert.Equal(people.Count(reviewed.Contains), point.Numerator);
    }

    [Fact]
    public void Discharge_delays_dols_and_safeguarding_match_the_csvs()
    {
        var discharges = Csv.Sample("discharges");
        var delays = discharges.Rows.Where(r => Csv.OptionalDate(discharges.Get(r, "discharge_date")) is { } d && InFy(d, 2023))
            .Select(r => Csv.Date(discharges.Get(r, "discharge_date")).DayNumber - Csv.Date(discharges.Get(r, "decision_date")).DayNumber).ToList();
        Assert.Equal(delays.Sum(), Point("discharge_delay_days", new DateOnly(2023, 4, 1), Period.FinancialYear).Value);
        Assert.Equal(delays.Average(), Point("discharge_mean_delay", new DateOnly(2023, 4, 1), Period.FinancialYear).Value, 9);

        var dols = Csv.Sample("dols");
        var open = dols.Rows.Count(r => OpenAt(dols, r, YearEnd2024, "received_date", "completed_date"));
        Assert.Equal(open, Point("dols_waiting", new DateOnly(2025, 3, 1)).Value);

        var safeguarding = Csv.Sample("safeguarding");
        var concerns = safeguarding.Rows.Where(r => InFy(Csv.Date(safeguarding.Get(r, "concern_date")), 2024)).ToList();
        Assert.Equal(concerns.Count, Point("safeguarding_concerns", new DateOnly(2024, 4, 1), Period.FinancialYear).Value);
        var conversion = Point("safeguarding_conversion", new DateOnly(2024, 4, 1), Period.FinancialYear);
        Assert.Equal(concerns.Count(r => safeguarding.Get(r, "enquiry_start_date").Length > 0), conversion.Numerator);
    }

    [Fact]
    public void Care_home_residents_at_each_month_end_agree_with_the_stock_snapshot()
    {
        var filter = new Dictionary<string, IReadOnlyList<string>> { ["age_group"] = ["65+"] };
        var series = Queries.MeasureSeries(new MeasureQuery("care_home_residents", Council, Filters: filter));
        foreach (var point in Assert.Single(series.Groups).Points.Where(p => p.PeriodStart.Month == 3))
        {
            var snapshot = Queries.StockSnapshot("residential_care", Council, point.PeriodEnd, filter, []);
            Assert.Equal(Assert.Single(snapshot.Rows).Measures["people"], point.Value);
        }
    }

    [Fact]
    public void A_measure_starts_at_its_effective_date_and_says_so()
    {
        var result = Queries.MeasureSeries(new MeasureQuery("ascof_1g", Council, Period.FinancialYear));
        Assert.Equal(new DateOnly(2023, 4, 1), Assert.Single(result.Groups).Points[0].PeriodStart);
        Assert.Contains(result.Notes, n => n.Contains("2023-04-01"));
    }

    [Fact]
    public void Unknown_measures_and_dimensions_are_refused()
    {
        Assert.Contains("valid measures", Assert.Throws<QueryException>(() => Queries.MeasureSeries(new MeasureQuery("nope", Council))).Message);
        Assert.Contains("unknown dimension",
            Assert.Throws<QueryException>(() => Queries.MeasureSeries(new MeasureQuery("lts_caseload", Council, Breakdown: ["route"]))).Message);
    }

    [Fact]
    public void Every_measure_is_listed_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.DoesNotContain(MeasureCatalog.Names, name => !readme.Contains($"`{name}`", StringComparison.Ordinal));
    }

    [Fact]
    public void Waiting_for_allocation_by_priority_and_waiting_for_a_package_match_the_csv()
    {
        var csv = Csv.Sample("assessments");
        var open = csv.Rows.Where(r => Csv.Date(csv.Get(r, "received_date")) <= Q3End2024
            && (Csv.OptionalDate(csv.Get(r, "allocated_date")) is not { } a || a > Q3End2024)
            && (Csv.OptionalDate(csv.Get(r, "completed_date")) is not { } c || c > Q3End2024)).ToList();
        var result = Queries.MeasureSeries(new MeasureQuery("waiting_for_allocation", Council, Breakdown: ["priority"]));
        foreach (var group in result.Groups)
            Assert.Equal(open.Count(r => csv.Get(r, "priority") == group.Key["priority"]),
                group.Points.Single(p => p.PeriodStart == new DateOnly(2024, 12, 1)).Value);
        Assert.Equal(open.Count, Point("waiting_for_allocation", new DateOnly(2024, 12, 1)).Value);

        var package = csv.Rows.Count(r => csv.Get(r, "outcome") == "eligible" && Csv.Date(csv.Get(r, "completed_date")) <= Q3End2024
            && (Csv.OptionalDate(csv.Get(r, "support_start_date")) is not { } s || s > Q3End2024));
        Assert.Equal(package, Point("waiting_for_package", new DateOnly(2024, 12, 1)).Value);
    }

    [Fact]
    public void Reablement_independence_and_the_weekly_cost_of_new_packages_match_the_csvs()
    {
        var reablement = Csv.Sample("reablement");
        var ended = reablement.Rows.Where(r => reablement.Get(r, "outcome").Length > 0 && InFy(Csv.Date(reablement.Get(r, "end_date")), 2024)).ToList();
        var independent = Point("reablement_independent", new DateOnly(2024, 4, 1), Period.FinancialYear);
        Assert.Equal(ended.Count(r => reablement.Get(r, "outcome") == "no_further_support"), independent.Numerator);
        Assert.Equal(ended.Count, independent.Denominator);

        var started = Services.Rows.Where(r => InFy(Csv.Date(Services.Get(r, "start_date")), 2024)).ToList();
        var cost = Point("new_package_weekly_cost", new DateOnly(2024, 4, 1), Period.FinancialYear);
        Assert.Equal(started.Average(r => Number(Services.Get(r, "weekly_cost"))), cost.Value, 6);
    }

    [Fact]
    public void Older_people_in_care_homes_agree_with_the_stock_snapshot_of_the_65_plus()
    {
        var filter = new Dictionary<string, IReadOnlyList<string>> { ["age_group"] = ["65+"] };
        var series = Queries.MeasureSeries(new MeasureQuery("care_home_residents_65", Council, Period.Quarter));
        foreach (var point in Assert.Single(series.Groups).Points.TakeLast(8))
            Assert.Equal(Assert.Single(Queries.StockSnapshot("residential_care", Council, point.PeriodEnd, filter, []).Rows).Measures["people"], point.Value);
    }

    [Fact]
    public void The_remaining_service_and_admission_measures_match_the_csvs()
    {
        var open = Services.Rows.Where(r => OpenAt(Services, r, YearEnd2024)).ToList();
        Assert.Equal(open.Where(r => Services.Get(r, "service_type") == "home_care").Select(r => Services.Get(r, "person_id")).Distinct().Count(),
            Point("home_care_people", new DateOnly(2025, 3, 1)).Value);
        Assert.Equal(open.Sum(r => Number(Services.Get(r, "weekly_cost"))), Point("weekly_spend", new DateOnly(2025, 3, 1)).Value, 4);

        // Care-home spend over the weeks of care in 2024/25: each episode's days inside the year.
        double spend = 0, weeks = 0;
        var (from, afterTo) = (new DateOnly(2024, 4, 1), new DateOnly(2025, 4, 1));
        foreach (var r in Services.Rows.Where(r => Services.Get(r, "service_type") is "residential" or "nursing"))
        {
            var start = Csv.Date(Services.Get(r, "start_date"));
            var end = Csv.OptionalDate(Services.Get(r, "end_date")) ?? DateOnly.MaxValue;
            var days = (end < afterTo ? end : afterTo).DayNumber - (start > from ? start : from).DayNumber;
            if (days <= 0) continue;
            spend += Number(Services.Get(r, "weekly_cost")) * days / 7.0;
            weeks += days / 7.0;
        }
        Assert.Equal(spend / weeks, Point("care_home_weekly_cost", from, Period.FinancialYear).Value, 6);

        var admissions = Csv.Sample("admissions");
        var population = Csv.Sample("population");
        var younger = admissions.Rows.Count(r => InFy(Csv.Date(admissions.Get(r, "admission_date")), 2023)
            && int.Parse(admissions.Get(r, "age_at_admission"), CultureInfo.InvariantCulture) < 65);
        var people = population.Rows.Where(r => population.Get(r, "year") == "2023" && population.Get(r, "variant") == "estimate"
            && population.Get(r, "age_band") is "18-24" or "25-64").Sum(r => Number(population.Get(r, "population")));
        Assert.Equal(younger / people * 100_000, Point("ascof_2a1", new DateOnly(2023, 4, 1), Period.FinancialYear).Value, 9);
    }

    [Fact]
    public void The_remaining_assessment_review_reablement_discharge_dols_and_safeguarding_measures_match_the_csvs()
    {
        var year = new DateOnly(2024, 4, 1);
        var reablement = Csv.Sample("reablement");
        Assert.Equal(reablement.Rows.Count(r => InFy(Csv.Date(reablement.Get(r, "start_date")), 2024)), Point("reablement_starts", year, Period.FinancialYear).Value);

        var assessments = Csv.Sample("assessments");
        Assert.Equal(assessments.Rows.Count(r => InFy(Csv.Date(assessments.Get(r, "received_date")), 2024)),
            Point("assessment_requests", year, Period.FinancialYear).Value);
        var waits = assessments.Rows.Where(r => Csv.Date(assessments.Get(r, "received_date")) <= Q3End2024
                && (Csv.OptionalDate(assessments.Get(r, "completed_date")) is not { } c || c > Q3End2024))
            .Select(r => (double)(Q3End2024.DayNumber - Csv.Date(assessments.Get(r, "received_date")).DayNumber)).Order().ToArray();
        var position = 0.9 * (waits.Length - 1);
        var (low, high) = (waits[(int)Math.Floor(position)], waits[(int)Math.Ceiling(position)]);
        Assert.Equal(low + (position - Math.Floor(position)) * (high - low), Point("assessment_wait_p90", new DateOnly(2024, 12, 1)).Value, 9);

        // Reviewed in the 12 months to 31 March 2025: a review completed after 31 March 2024.
        var reviews = Csv.Sample("reviews");
        var reviewed = reviews.Rows.Where(r => Between(Csv.OptionalDate(reviews.Get(r, "completed_date")), new DateOnly(2024, 4, 1), YearEnd2024))
            .Select(r => reviews.Get(r, "person_id")).ToHashSet();
        var onSupport = Services.Rows.Where(r => OpenAt(Services, r, YearEnd2024)).Select(r => Services.Get(r, "person_id")).ToHashSet();
        var inTwelve = Point("reviews_in_12_months", new DateOnly(2025, 3, 1));
        Assert.Equal(onSupport.Count(reviewed.Contains), inTwelve.Numerator);
        Assert.Equal(onSupport.Count, inTwelve.Denominator);

        var discharges = Csv.Sample("discharges");
        Assert.Equal(discharges.Rows.Count(r => Csv.OptionalDate(discharges.Get(r, "discharge_date")) is { } d && InFy(d, 2024)),
            Point("discharges", year, Period.FinancialYear).Value);

        var dols = Csv.Sample("dols");
        Assert.Equal(dols.Rows.Count(r => InFy(Csv.Date(dols.Get(r, "received_date")), 2024)), Point("dols_applications", year, Period.FinancialYear).Value);
        var authorised = dols.Rows.Where(r => dols.Get(r, "outcome") == "authorised" && InFy(Csv.Date(dols.Get(r, "completed_date")), 2024)).ToList();
        Assert.Equal(authorised.Count, Point("dols_authorisations", year, Period.FinancialYear).Value);
        Assert.Equal(authorised.Average(r => Csv.Date(dols.Get(r, "completed_date")).DayNumber - Csv.Date(dols.Get(r, "received_date")).DayNumber),
            Point("dols_days_to_authorisation", year, Period.FinancialYear).Value, 9);

        var safeguarding = Csv.Sample("safeguarding");
        Assert.Equal(safeguarding.Rows.Count(r => Csv.OptionalDate(safeguarding.Get(r, "enquiry_start_date")) is { } d && InFy(d, 2024)),
            Point("safeguarding_enquiries", year, Period.FinancialYear).Value);
    }

    [Fact]
    public void Every_measure_of_the_catalogue_is_checked_against_the_csvs_here()
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Forecasting.Tests", "Analytics", "MeasureTests.cs"));
        Assert.DoesNotContain(MeasureCatalog.Names, name => !source.Contains($"\"{name}\"", StringComparison.Ordinal));
    }
}
