using Forecasting.Cld.Measures;
using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class SaltSts001Tests
{
    const int Fy = 2024;
    const string Born = "1950-01-01";
    const string ToAssessment = "Progress to assessment, review or reassessment";

    static Sts001Request One(params CldEvent[] events) => Assert.Single(SaltSts001.Requests(events, Fy));

    [Theory]
    // The first request ends 2 May; a second starting 6 May (4 days later) is the same request, 7 May (5 days) a new one.
    [InlineData("2024-05-06", 1)]
    [InlineData("2024-05-07", 2)]
    public void Requests_4_days_apart_are_one(string secondStart, int requests)
    {
        var events = new[]
        {
            Request("p", "2024-05-01", "2024-05-02", ToAssessment, born: Born),
            Request("p", secondStart, "2024-05-10", ToAssessment, born: Born),
        };
        Assert.Equal(requests, SaltSts001.Requests(events, Fy).Count);
    }

    [Fact]
    public void Requests_of_people_with_long_term_support_open_are_not_new_clients() =>
        Assert.Empty(SaltSts001.Requests(
            [Service("p", "2023-01-01", null, LongTermCommunity, born: Born), Request("p", "2024-05-01", "2024-05-02", ToAssessment, born: Born)], Fy));

    [Theory]
    // Assessment ends 10 Jun; ST-Max starting 12 Jun (2 days later) is in the chain, 14 Jun (4 days) is not.
    [InlineData("2024-06-12", 2, "Short term support: ST-Max")]
    [InlineData("2024-06-14", 3, "Universal Services/ Signposted to other services")]
    public void Onward_events_chain_with_gaps_of_up_to_3_days(string serviceStart, int recordType, string sequel)
    {
        var r = One(
            Request("p", "2024-05-20", "2024-06-01", ToAssessment, born: Born),
            Assessment("p", "2024-06-02", "2024-06-10", InformationAndAdvice, born: Born),
            Service("p", serviceStart, "2024-07-01", StMax, born: Born));
        Assert.Equal((recordType, sequel), (r.RecordType, r.FinalOutcomeMapped));
    }

    [Fact]
    public void A_first_onward_event_after_28_days_is_out_of_scope()
    {
        // Request 20 May to 1 Jun, first later event 40 days after: record type 5, the request's own outcome.
        var r = One(Request("p", "2024-05-20", "2024-06-01", "NFA: Support declined", born: Born), Assessment("p", "2024-07-11", "2024-07-12", "NFA: Deceased", born: Born));
        Assert.Equal((5, "No_Chronology_No Services Provided - other reason"), (r.RecordType, r.FinalOutcomeMapped));
    }

    [Fact]
    public void After_a_same_day_request_the_28_day_test_never_applies()
    {
        // The request (1 Jun to 1 Jun) takes start rank 1 before it is removed, so the assessment 40 days later has rank 2 and stays in the chain.
        var r = One(Request("p", "2024-06-01", "2024-06-01", "NFA: Support declined", born: Born), Assessment("p", "2024-07-11", "2024-07-12", "NFA: Deceased", born: Born));
        Assert.Equal((3, "No Services Provided - Deceased"), (r.RecordType, r.FinalOutcomeMapped));
    }

    [Fact]
    public void A_later_request_stops_the_chain_and_no_later_events_is_no_chronology()
    {
        var broken = SaltSts001.Requests(
        [
            Request("p", "2024-05-20", "2024-06-01", ToAssessment, born: Born),
            Request("p", "2024-06-10", "2024-06-11", ToAssessment, born: Born),
            Service("p", "2024-06-12", null, LongTermCommunity, born: Born),
        ], Fy).OrderBy(r => r.ClusterStart).ToList();
        // The first request meets the second before any service: type 5. The second is followed by the service 1 day later: type 2.
        Assert.Equal([(5, "No_Chronology_Unable_To_Classify"), (2, LongTermCommunity)], broken.Select(r => (r.RecordType, r.FinalOutcomeMapped)));

        var alone = One(Request("q", "2024-05-20", "2024-06-01", ToAssessment, born: Born));
        Assert.Equal((1, "No_Chronology_Unable_To_Classify"), (alone.RecordType, alone.FinalOutcomeMapped));
    }

    [Fact]
    public void Table_reports_by_age_band_route_and_sequel_with_under_18s_in_their_own_band()
    {
        var table = SaltSts001.Compute(
        [
            Request("adult", "2024-05-20", "2024-06-01", InformationAndAdvice, born: Born),
            Request("child", "2024-05-20", "2024-06-01", InformationAndAdvice, route: null, born: "2010-01-01"),
        ], Fy);
        Assert.Equal(1, table.Sum(Aged65AndOver, "Community or other route", "No_Chronology_Universal Services/ Signposted to other services"));
        Assert.Equal(1, table.Sum(Under18, SaltSts001.NullLabel, null));
    }
}
