using Forecasting.Cld.Measures;
using static Forecasting.Cld.Measures.CldTerms;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class Ascof2DLocalTests
{
    static readonly DateOnly From = D("2024-04-01"), To = D("2025-03-31");

    static Forecasting.Cld.Model.CldEvent Discharge(string person, string admitted, string discharged) =>
        Request(person, admitted, discharged, "Progress to reablement/ST-Max", route: DischargeFromHospital);

    static Forecasting.Cld.Model.CldEvent Reablement(string person, string start, string end) =>
        Service(person, start, end, StMax, component: "Reablement", outcome: InformationAndAdvice);

    [Fact]
    public void Still_at_home_91_days_after_discharge_into_reablement()
    {
        var people = People(Person("home", "1940-01-01", gender: "Female"), Person("back", "1950-01-01", gender: "Male"),
            Person("late", "1950-01-01", gender: "Male"), Person("noreab", "1930-01-01", gender: "Female"),
            Person("young", "1970-01-01"), Person("carehome", "1940-01-01"));
        var events = new[]
        {
            // Aged 84, discharged 10 Jun, reablement from 12 Jun (2 days later): linked, nothing after.
            Discharge("home", "2024-06-01", "2024-06-10"), Reablement("home", "2024-06-12", "2024-07-10"),
            // Aged 74: a new discharge request 43 days after discharge is a readmission.
            Discharge("back", "2024-07-15", "2024-07-20"), Reablement("back", "2024-07-21", "2024-08-10"),
            Request("back", "2024-09-01", "2024-09-05", route: DischargeFromHospital),
            // Readmitted 92 days after discharge: outside the follow-up, still at home.
            Discharge("late", "2024-07-15", "2024-07-20"), Reablement("late", "2024-07-21", "2024-08-10"),
            Request("late", "2024-10-20", "2024-10-25", route: DischargeFromHospital),
            // Aged 94, no reablement: a discharge not linked.
            Discharge("noreab", "2024-08-01", "2024-08-05"),
            // Under 65 and already in a care home: not proxy discharges.
            Discharge("young", "2024-08-01", "2024-08-05"), Reablement("young", "2024-08-06", "2024-08-20"),
            Discharge("carehome", "2024-08-01", "2024-08-05"), Service("carehome", "2023-01-01", null, LongTermNursing, "Long term nursing care"),
        };
        var (part1, part2) = Ascof2DLocal.Compute(events, people, From, To);
        // Part 1: 3 linked episodes (home, back, late), 2 at home = 66.67%. Part 2: the readmissions of back and late are
        // discharges too, so 6 discharges (home, back x2, late x2, noreab), 3 linked = 50.00%.
        Assert.Equal((2L, 3L, 66.67m), (part1.Numerator, part1.Denominator, part1.Value));
        Assert.Equal((3L, 6L, 50.00m), (part2.Numerator, part2.Denominator, part2.Value));
        Assert.Equal(new CldMeasureRow("85+", 0, 1, 0m), part2.Row("85+"));
        Assert.Equal(new CldMeasureRow("Male", 1, 2, 50.00m), part1.Row("Male"));
        Assert.Equal(new CldMeasureRow("75-84", 1, 1, 100.00m), part1.Row("75-84"));
        var back = Ascof2DLocal.Episodes(events, people, From, To).Single(e => e.Discharge.PersonId == "back");
        Assert.Equal("readmitted (new discharge request)", back.NotAtHomeBecause);
    }

    [Fact]
    public void A_discharge_more_than_7_days_before_reablement_does_not_link()
    {
        var people = People(Person("p", "1940-01-01"));
        // Discharged 1 Jun; reablement on 8 Jun links (7 days), on 9 Jun does not.
        Assert.Single(Ascof2DLocal.Episodes([Discharge("p", "2024-05-20", "2024-06-01"), Reablement("p", "2024-06-08", "2024-06-30")], people, From, To));
        Assert.Empty(Ascof2DLocal.Episodes([Discharge("p", "2024-05-20", "2024-06-01"), Reablement("p", "2024-06-09", "2024-06-30")], people, From, To));
    }

    [Theory]
    [InlineData(2023, "2023-04-01", "2024-03-31")]
    [InlineData(2024, "2024-04-01", "2025-03-31")]
    [InlineData(2025, "2025-01-01", "2025-12-31")] // data end 31 Mar 2026: no 91-day follow-up for the last quarter
    public void A_year_without_follow_up_is_reported_a_quarter_behind(int fy, string from, string to) =>
        Assert.Equal((D(from), D(to)), Ascof2DLocal.ReportingPeriod(fy, D("2026-03-31")));
}
