using System.Globalization;
using static Forecasting.SampleData.Tests.SampleFiles;

namespace Forecasting.SampleData.Tests;

/// <summary>
/// The performance tables of the committed sample stay within the figures of Domain/docs/calibration.md ("Performance domains") and agree with the
/// rest of the sample. Every figure is computed here from the CSV rows, independently of the generator and of the
/// store's measure SQL.
/// </summary>
[Trait("Category", "unit")]
public sealed class PerformanceCalibrationTests
{
    private static readonly DateOnly End = new(2025, 3, 31);

    private static readonly Lazy<List<Dictionary<string, string>>> ServiceRows = new(() => Rows("services"));
    private static List<Dictionary<string, string>> Services => ServiceRows.Value;

    private static DateOnly? OptionalDate(string text) => text == "" ? null : Date(text);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool OpenOn(Dictionary<string, string> r, DateOnly day, string start = "start_date", string end = "end_date") =>
        Date(r[start]) <= day && (r[end] == "" || Date(r[end]) > day);

    private static bool Community(Dictionary<string, string> r) => r["service_type"] is not "residential" and not "nursing";

    private static bool WorkingAge(string band) => band is "18-24" or "25-64";

    private static double Percent(int part, int whole) => 100.0 * part / whole;

    /// <summary>Days of the episode [start, end) within [from, to]; an open episode runs to the end of the history.</summary>
    private static int DaysIn(Dictionary<string, string> r, DateOnly from, DateOnly to)
    {
        var lo = Math.Max(Date(r["start_date"]).DayNumber, from.DayNumber);
        var hi = Math.Min((OptionalDate(r["end_date"]) ?? End.AddDays(1)).DayNumber, to.AddDays(1).DayNumber);
        return Math.Max(0, hi - lo);
    }

    private static HashSet<string> PeopleOpenOn(DateOnly day, Func<Dictionary<string, string>, bool>? filter = null) =>
        Services.Where(r => OpenOn(r, day) && (filter is null || filter(r))).Select(r => r["person_id"]).ToHashSet();

    // ---- long-term support ----------------------------------------------------------------------

    [Fact]
    public void The_long_term_support_caseload_at_31_March_2024_is_near_5079()
    {
        Assert.InRange(PeopleOpenOn(new DateOnly(2024, 3, 31)).Count, 4_600, 5_600);
    }

    [Fact]
    public void The_learning_disability_caseload_grows_by_8_to_25_percent_over_the_24_months_to_March_2024()
    {
        var before = PeopleOpenOn(new DateOnly(2022, 3, 31), r => r["psr"] == "learning_disability").Count;
        var after = PeopleOpenOn(new DateOnly(2024, 3, 31), r => r["psr"] == "learning_disability").Count;
        Assert.InRange(before, 700, 1_000);
        Assert.InRange(after / (double)before, 1.08, 1.25);
    }

    [Fact]
    public void Every_admission_is_a_care_home_episode_of_the_same_person_from_admission_to_leaving()
    {
        var left = Rows("leavers").ToDictionary(r => r["admission_id"], r => r["leave_date"]);
        var careHome = Services.Where(r => r["service_type"] is "residential" or "nursing")
            .Select(r => (r["person_id"], r["service_type"], r["start_date"], r["end_date"])).Order().ToList();
        var admissions = Rows("admissions")
            .Select(a => (a["person_id"], a["setting"], a["admission_date"], left.GetValueOrDefault(a["admission_id"], ""))).Order().ToList();
        Assert.Equal(admissions, careHome);
    }

    [Fact]
    public void Every_supported_living_and_extra_care_tenancy_is_a_service_episode_of_its_tenant()
    {
        var schemes = Rows("schemes").ToDictionary(r => r["scheme_id"], r => r["category"]);
        var unitScheme = Rows("units").ToDictionary(r => r["unit_id"], r => r["scheme_id"]);
        var tenancies = Rows("tenancies")
            .Select(t => (t["person_id"], schemes[unitScheme[t["unit_id"]]] == "extra_care" ? "extra_care" : "supported_living", t["start_date"], t["end_date"]))
            .Order().ToList();
        var episodes = Services.Where(r => r["service_type"] is "supported_living" or "extra_care")
            .Select(r => (r["person_id"], r["service_type"], r["start_date"], r["end_date"])).Order().ToList();
        Assert.Equal(tenancies, episodes);
    }

    [Fact]
    public void New_starts_are_care_home_admissions_plus_550_to_950_community_services_a_year()
    {
        for (var fy = 2015; fy <= 2024; fy++)
        {
            var starts = Services.Where(r => FyOf(Date(r["start_date"])) == fy).ToList();
            var careHome = starts.Count(r => !Community(r));
            var admitted = Rows("admissions").Count(a => FyOf(Date(a["admission_date"])) == fy);
            Assert.Equal(admitted, careHome);
            Assert.InRange(starts.Count - careHome, 550, 950);
        }
    }

    [Fact]
    public void Home_care_hours_are_set_for_home_care_only_and_the_2024_25_quarters_deliver_about_218600_and_231300_hours()
    {
        Assert.All(Services, r => Assert.Equal(r["service_type"] == "home_care", r["planned_hours_per_week"] != ""));
        var homeCare = Services.Where(r => r["service_type"] == "home_care").ToList();
        double Hours(DateOnly from, DateOnly to) => homeCare.Sum(r => Number(r["planned_hours_per_week"]) * DaysIn(r, from, to) / 7.0);
        var q2 = Hours(new DateOnly(2024, 7, 1), new DateOnly(2024, 9, 30));
        var q3 = Hours(new DateOnly(2024, 10, 1), new DateOnly(2024, 12, 31));
        Assert.InRange(q2, 200_000, 240_000);
        Assert.InRange(q3, 212_000, 255_000);
        Assert.True(q3 > q2, $"Q3 {q3:0} should exceed Q2 {q2:0}");
    }

    [Fact]
    public void Home_care_costs_hours_times_the_rate_which_rose_from_13_50_to_14_30()
    {
        var homeCare = Services.Where(r => r["service_type"] == "home_care").ToList();
        Assert.All(homeCare, r => Assert.InRange(Number(r["weekly_cost"]) / Number(r["planned_hours_per_week"]), 11.5, 14.5));
        double MeanRate(int fy) => homeCare.Where(r => FyOf(Date(r["start_date"])) == fy)
            .Average(r => Number(r["weekly_cost"]) / Number(r["planned_hours_per_week"]));
        Assert.InRange(MeanRate(2023), 13.40, 13.60);
        Assert.InRange(MeanRate(2024), 14.20, 14.40);
    }

    [Theory]
    [InlineData("residential", 700, 900)]
    [InlineData("nursing", 900, 1_100)]
    [InlineData("supported_living", 1_200, 1_800)]
    public void Weekly_costs_of_recent_episodes_are_plausible(string type, double min, double max)
    {
        var mean = Services.Where(r => r["service_type"] == type && Date(r["start_date"]) >= new DateOnly(2023, 4, 1)).Average(r => Number(r["weekly_cost"]));
        Assert.InRange(mean, min, max);
    }

    [Fact]
    public void Direct_payments_are_25_to_30_percent_and_self_directed_support_35_to_45_percent_of_people_on_community_services()
    {
        Assert.All(Services.Where(r => r["service_type"] == "direct_payment"), r => Assert.Equal("direct_payment", r["funding"]));
        foreach (var day in new[] { new DateOnly(2024, 3, 31), new DateOnly(2025, 3, 31) })
        {
            var community = PeopleOpenOn(day, Community).Count;
            var direct = PeopleOpenOn(day, r => Community(r) && r["funding"] == "direct_payment").Count;
            var selfDirected = PeopleOpenOn(day, r => Community(r) && r["funding"] is "direct_payment" or "individual_service_fund").Count;
            Assert.InRange(Percent(direct, community), 25, 30);
            Assert.InRange(Percent(selfDirected, community), 35, 45);
        }
    }

    [Fact]
    public void Ascof_1g_is_74_to_80_percent_and_every_adult_with_a_learning_disability_has_an_accommodation_status()
    {
        var adults = Services.Where(r => r["psr"] == "learning_disability" && WorkingAge(r["age_band"])).ToList();
        Assert.All(adults, r => Assert.NotEqual("", r["accommodation_status"]));
        Assert.All(adults.Where(r => r["service_type"] == "supported_living"), r => Assert.Equal("supported_living", r["accommodation_status"]));
        Assert.All(adults.Where(r => !Community(r)), r => Assert.Equal("residential", r["accommodation_status"]));
        foreach (var day in new[] { new DateOnly(2024, 3, 31), new DateOnly(2025, 3, 31) })
        {
            var all = adults.Where(r => OpenOn(r, day)).Select(r => r["person_id"]).ToHashSet();
            var home = adults.Where(r => OpenOn(r, day) && r["accommodation_status"] is "own_home_or_family" or "supported_living")
                .Select(r => r["person_id"]).ToHashSet();
            Assert.InRange(Percent(home.Count, all.Count), 74, 80);
        }
    }

    [Fact]
    public void Care_home_age_bands_are_the_age_at_admission()
    {
        static string Band(int age) => age < 25 ? "18-24" : age < 65 ? "25-64" : age < 75 ? "65-74" : age < 85 ? "75-84" : "85+";
        var bands = Rows("admissions").ToLookup(a => (a["person_id"], a["admission_date"]), a => Band(int.Parse(a["age_at_admission"])));
        Assert.All(Services.Where(r => !Community(r)), r => Assert.Equal(bands[(r["person_id"], r["start_date"])].Single(), r["age_band"]));
    }

    // ---- assessments and reviews ----------------------------------------------------------------

    [Fact]
    public void People_waiting_for_an_assessment_are_about_461_330_and_388_at_the_reported_dates()
    {
        var rows = Rows("assessments");
        int Waiting(DateOnly day) => rows.Count(r => OpenOn(r, day, "received_date", "completed_date"));
        var yearEnd = Waiting(new DateOnly(2024, 3, 31));
        var q2 = Waiting(new DateOnly(2024, 9, 30));
        var q3 = Waiting(new DateOnly(2024, 12, 31));
        Assert.InRange(yearEnd, 420, 510);
        Assert.InRange(q2, 290, 370);
        Assert.InRange(q3, 345, 430);
        Assert.True(yearEnd > q3 && q3 > q2);
    }

    [Fact]
    public void Assessments_are_consistent_and_60_to_75_percent_are_completed_within_28_days()
    {
        var rows = Rows("assessments");
        foreach (var r in rows)
        {
            var received = Date(r["received_date"]);
            Assert.True(OptionalDate(r["start_date"]) is not { } s || s >= received, r["assessment_id"]);
            Assert.True(OptionalDate(r["completed_date"]) is not { } c || (c >= received && c <= End && (OptionalDate(r["start_date"]) ?? c) <= c), r["assessment_id"]);
            Assert.Equal(r["completed_date"] != "", r["outcome"] != "");
        }
        for (var fy = 2022; fy <= 2024; fy++)
        {
            var done = rows.Where(r => r["completed_date"] != "" && r["outcome"] != "withdrawn" && FyOf(Date(r["completed_date"])) == fy).ToList();
            var within = done.Count(r => Date(r["completed_date"]).DayNumber - Date(r["received_date"]).DayNumber <= 28);
            Assert.InRange(Percent(within, done.Count), 58, 75);
        }
    }

    [Fact]
    public void About_53_percent_are_reviewed_by_Q3_and_about_four_in_five_within_12_months()
    {
        var reviews = Rows("reviews");
        var people = Services.Select(r => r["person_id"]).ToHashSet();
        Assert.All(reviews, r => Assert.Contains(r["person_id"], people));
        var completed = reviews.Where(r => r["completed_date"] != "").ToLookup(r => r["person_id"], r => Date(r["completed_date"]));
        Assert.All(completed.SelectMany(g => g), d => Assert.True(d <= End));

        double Reviewed(DateOnly day, DateOnly since)
        {
            var open = PeopleOpenOn(day);
            return Percent(open.Count(p => completed[p].Any(c => c >= since && c <= day)), open.Count);
        }
        Assert.InRange(Reviewed(new DateOnly(2024, 12, 31), new DateOnly(2024, 4, 1)), 48, 60);
        Assert.InRange(Reviewed(new DateOnly(2024, 12, 31), new DateOnly(2024, 1, 1)), 70, 85);
        Assert.InRange(Reviewed(End, new DateOnly(2024, 4, 1)), 75, 88);
    }

    // ---- reablement and discharges --------------------------------------------------------------

    [Fact]
    public void Reablement_starts_outcomes_and_statuses_are_consistent_with_the_import_rules()
    {
        var rows = Rows("reablement");
        foreach (var r in rows)
        {
            Assert.Equal(r["end_date"] != "", r["outcome"] != "");
            if (r["status_91_days"] != "")
            {
                Assert.Equal("hospital_discharge", r["source"]);
                Assert.True(Date(r["end_date"]).AddDays(91) <= End, r["episode_id"]);
            }
        }
        for (var fy = 2015; fy <= 2024; fy++) Assert.InRange(rows.Count(r => FyOf(Date(r["start_date"])) == fy), 700, 1_500);
    }

    [Fact]
    public void About_85_percent_of_older_people_discharged_into_reablement_are_at_home_after_91_days_and_three_in_four_need_little_more()
    {
        var rows = Rows("reablement");
        for (var fy = 2016; fy <= 2023; fy++)
        {
            var cohort = rows.Where(r => r["status_91_days"] != "" && r["age_band"] is "65-74" or "75-84" or "85+"
                && FyOf(Date(r["end_date"])) == fy).ToList();
            Assert.InRange(cohort.Count, 450, 800);
            Assert.InRange(Percent(cohort.Count(r => r["status_91_days"] == "at_home"), cohort.Count), 80, 90);
            var ended = rows.Where(r => r["end_date"] != "" && FyOf(Date(r["end_date"])) == fy).ToList();
            Assert.InRange(Percent(ended.Count(r => r["outcome"] is "no_further_support" or "ongoing_low_level"), ended.Count), 70, 80);
        }
    }

    [Fact]
    public void Discharges_follow_their_decisions_by_a_few_days_mostly_on_pathways_0_and_1()
    {
        var rows = Rows("discharges");
        Assert.All(rows, r =>
        {
            Assert.True(Date(r["referral_date"]) <= Date(r["decision_date"]));
            Assert.True(OptionalDate(r["discharge_date"]) is not { } d || d >= Date(r["decision_date"]));
        });
        var done = rows.Where(r => r["discharge_date"] != "" && FyOf(Date(r["discharge_date"])) == 2024).ToList();
        Assert.InRange(Percent(done.Count(r => r["pathway"] is "0" or "1"), done.Count), 75, 92);
        Assert.InRange(done.Average(r => Date(r["discharge_date"]).DayNumber - Date(r["decision_date"]).DayNumber), 1.0, 5.0);

        // A pathway 1 discharge is the start of a reablement episode of the same person.
        var reablement = Rows("reablement").Where(r => r["source"] == "hospital_discharge").Select(r => (r["person_id"], r["start_date"])).ToHashSet();
        Assert.All(rows.Where(r => r["pathway"] == "1"), r => Assert.Contains((r["person_id"], r["discharge_date"]), reablement));
    }

    // ---- DoLS and safeguarding --------------------------------------------------------------------

    [Fact]
    public void DoLS_has_a_few_thousand_applications_a_year_authorised_in_months_with_a_backlog()
    {
        var rows = Rows("dols");
        Assert.All(rows, r => Assert.Equal(r["completed_date"] != "", r["outcome"] != ""));
        for (var fy = 2022; fy <= 2024; fy++)
        {
            Assert.InRange(rows.Count(r => FyOf(Date(r["received_date"])) == fy), 2_000, 4_000);
            var authorised = rows.Where(r => r["outcome"] == "authorised" && FyOf(Date(r["completed_date"])) == fy).ToList();
            Assert.InRange(authorised.Average(r => Date(r["completed_date"]).DayNumber - Date(r["received_date"]).DayNumber), 60, 180);
        }
        Assert.InRange(rows.Count(r => OpenOn(r, End, "received_date", "completed_date")), 400, 1_500);
    }

    [Fact]
    public void Safeguarding_has_about_6900_concerns_in_2024_25_and_25_to_35_percent_lead_to_an_enquiry()
    {
        var rows = Rows("safeguarding");
        Assert.All(rows, r =>
        {
            Assert.True(r["enquiry_end_date"] == "" || r["enquiry_start_date"] != "");
            Assert.True(r["risk_outcome"] == "" || r["enquiry_end_date"] != "");
        });
        var year = rows.Where(r => FyOf(Date(r["concern_date"])) == 2024).ToList();
        Assert.InRange(year.Count, 6_400, 7_400);
        Assert.InRange(year.Count(r => Date(r["concern_date"]) <= new DateOnly(2024, 12, 31)), 4_800, 5_500);
        for (var fy = 2021; fy <= 2024; fy++)
        {
            var concerns = rows.Where(r => FyOf(Date(r["concern_date"])) == fy).ToList();
            Assert.InRange(Percent(concerns.Count(r => r["enquiry_start_date"] != ""), concerns.Count), 25, 35);
        }
    }

    // ---- money, benchmarks and targets ------------------------------------------------------------

    [Fact]
    public void Budgets_cover_2015_16_to_2025_26_with_outturns_that_are_the_services_spend_and_an_overspend_in_2024_25()
    {
        var rows = Rows("budgets");
        var years = Enumerable.Range(2015, 11).Select(y => $"{y}/{(y + 1) % 100:00}").ToArray();
        Assert.Equal(years, rows.Select(r => r["fy"]).Distinct().Order(StringComparer.Ordinal).ToArray());
        Assert.All(rows, r => Assert.Equal(r["fy"] == "2025/26", r["outturn"] == "" && r["forecast_outturn"] != ""));
        Assert.All(rows.Where(r => r["fy"] != "2025/26"), r => Assert.Equal("", r["forecast_outturn"]));

        // A closed year's outturn of a care line is the weekly cost of its episodes for the days they were open (to the nearest 1,000).
        var from = new DateOnly(2023, 4, 1);
        var to = new DateOnly(2024, 3, 31);
        foreach (var line in new[] { "residential", "nursing", "home_care", "supported_living" })
        {
            var spend = Services.Where(r => r["service_type"] == line).Sum(r => Number(r["weekly_cost"]) * DaysIn(r, from, to) / 7.0);
            var outturn = Number(rows.Single(r => r["fy"] == "2023/24" && r["service_line"] == line)["outturn"]);
            Assert.InRange(outturn - spend, -500.01, 500.01);
        }

        var care = rows.Where(r => r["fy"] == "2024/25" && r["service_line"] is "home_care" or "residential" or "nursing" or "supported_living").ToList();
        Assert.InRange(care.Sum(r => Number(r["outturn"]) - Number(r["budget"])), 5_000_000, 15_000_000);
    }

    [Theory]
    [InlineData("ascof_1c1", 15, 70)]
    [InlineData("ascof_1c2", 5, 60)]
    [InlineData("ascof_1g", 50, 97)]
    [InlineData("ascof_2a1", 3, 40)]
    [InlineData("ascof_2a2", 250, 1_000)]
    [InlineData("ascof_2b1", 65, 97)]
    [InlineData("ascof_2d", 45, 97)]
    public void Benchmarks_give_15_comparators_the_region_england_and_ordered_quartiles(string measure, double min, double max)
    {
        var rows = Rows("benchmarks").Where(r => r["measure"] == measure).ToList();
        foreach (var fy in new[] { "2023/24", "2024/25" })
        {
            var year = rows.Where(r => r["fy"] == fy).ToList();
            Assert.Equal(15, year.Count(r => r["comparator_type"] == "council"));
            Assert.DoesNotContain(year, r => r["comparator_code"] == "E06009999");
            Assert.Single(year, r => r["comparator_type"] == "region" && r["comparator_name"] == "East Midlands");
            Assert.Single(year, r => r["comparator_type"] == "england");
            Assert.All(year, r => Assert.InRange(Number(r["value"]), min, max));
            Assert.All(year, r => Assert.Equal($"ASCOF {fy} (NHS England)", r["source"]));
            var quartiles = year.Where(r => r["comparator_type"] == "quartile").ToDictionary(r => r["comparator_code"], r => Number(r["value"]));
            if (quartiles.Count == 0) continue;
            Assert.Equal(new[] { "lower_quartile", "median", "upper_quartile" }, quartiles.Keys.Order().ToArray());
            Assert.True(quartiles["lower_quartile"] <= quartiles["median"] && quartiles["median"] <= quartiles["upper_quartile"]);
        }
    }

    [Fact]
    public void Targets_cover_2024_25_and_2025_26_with_a_5_percent_amber_margin_and_one_revised_target()
    {
        var rows = Rows("measure_targets");
        var expected = new Dictionary<string, double>
        {
            ["ascof_2a1"] = 15.0, ["ascof_2a2"] = 653.2, ["ascof_2b1"] = 90, ["reviewed_this_year"] = 60,
            ["waiting_for_assessment"] = 350, ["care_home_residents_65"] = 530,
        };
        foreach (var (measure, target) in expected)
        {
            var first = rows.Single(r => r["measure"] == measure && r["fy"] == "2024/25" && r["version"] == "1");
            Assert.Equal(target, Number(first["target"]), 3);
            Assert.Single(rows, r => r["measure"] == measure && r["fy"] == "2025/26" && r["version"] == "1");
        }
        Assert.All(rows.Where(r => r["version"] == "1"), r => Assert.Equal(Number(r["target"]) * 0.05, Number(r["amber_margin"]), 3));
        Assert.All(rows, r => Assert.NotEqual("", r["reason"]));
        var revised = rows.Single(r => r["version"] == "2");
        var original = rows.Single(r => r["measure"] == revised["measure"] && r["fy"] == revised["fy"] && r["version"] == "1");
        Assert.NotEqual(original["target"], revised["target"]);
        Assert.True(string.CompareOrdinal(revised["created_at"], original["created_at"]) > 0);
    }

    [Fact]
    public void The_performance_tables_stay_well_under_150000_rows()
    {
        var tables = new[] { "services", "assessments", "reviews", "reablement", "discharges", "dols", "safeguarding", "budgets", "benchmarks", "measure_targets" };
        var total = tables.Sum(t => File.ReadLines(Path.Combine(Harbridge, t + ".csv")).Skip(1).Count(l => l.Length > 0));
        Assert.InRange(total, 50_000, 130_000);
    }
}
