using Forecasting.Cld.Measures;
using static Forecasting.Cld.Measures.CldTerms;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class WaitingTimesTests
{
    const string ToAssessment = "Progress to assessment, review or reassessment";
    const string ToServices = "Progress to support planning or services";

    [Fact]
    public void Waits_from_request_to_first_response_and_first_service()
    {
        var people = People(new[] { "a", "b", "c", "young", "nfa", "twice" }.Select(p => Person(p, p == "young" ? "2004-01-01" : "1950-01-01")).ToArray());
        var events = new[]
        {
            // a: assessment 10 days after the request, service 30 days after.
            Request("a", "2024-05-01", "2024-05-02", ToAssessment), Assessment("a", "2024-05-11", "2024-05-20", ToServices),
            Service("a", "2024-05-31", null, LongTermCommunity),
            // b: a service 4 days after, before any assessment: it is the first response too.
            Request("b", "2024-05-01", "2024-05-02", ToAssessment), Service("b", "2024-05-05", "2024-05-20", StMax),
            Assessment("b", "2024-06-01", "2024-06-02", ToServices),
            // c: the assessment ends NFA, so the later service is not this request's.
            Request("c", "2024-05-01", "2024-05-02", ToAssessment), Assessment("c", "2024-05-07", "2024-05-08", "NFA: Support declined"),
            Service("c", "2024-06-01", null, LongTermCommunity),
            // Under 25, and a request ending NFA: not timed.
            Request("young", "2024-05-01", "2024-05-02", ToAssessment), Assessment("young", "2024-05-03", "2024-05-04", ToServices),
            Request("nfa", "2024-05-01", "2024-05-02", InformationAndAdvice), Assessment("nfa", "2024-05-03", "2024-05-04", ToServices),
            // twice: the second request shares the first's assessment, so it overlaps and is not timed.
            Request("twice", "2024-05-01", "2024-05-01", ToAssessment), Request("twice", "2024-05-03", "2024-05-03", ToAssessment),
            Assessment("twice", "2024-05-09", "2024-05-10", "NFA: Support declined"),
        };
        var waits = WaitingTimes.Requests(events, people).ToDictionary(w => (w.PersonId, w.RequestStart));
        Assert.Equal((10, 30), (waits[("a", D("2024-05-01"))].DaysToFirstResponse, waits[("a", D("2024-05-01"))].DaysToFirstService));
        Assert.Equal((4, 4), (waits[("b", D("2024-05-01"))].DaysToFirstResponse, waits[("b", D("2024-05-01"))].DaysToFirstService));
        Assert.Equal((6, (int?)null), (waits[("c", D("2024-05-01"))].DaysToFirstResponse, waits[("c", D("2024-05-01"))].DaysToFirstService));
        Assert.True(waits[("twice", D("2024-05-03"))].Overlaps);
        Assert.DoesNotContain(waits.Keys, k => k.PersonId is "young" or "nfa");

        // Responses in Q1 (Apr-Jun 2024), 65+: a 10, b 4, c 6, twice 8 -> median of 4, 6, 8, 10 = 7. Services: a 30, b 4 -> 17.
        var result = WaitingTimes.Compute(events, people, 2024);
        var q1 = result.Rows.Single(r => r.Metric == WaitingTimes.ToFirstResponse && r.PeriodStart == D("2024-04-01") && r.PeriodEnd == D("2024-06-30"));
        Assert.Equal((4, 7.0), (q1.Waits, q1.MedianDays));
        var services = result.Rows.Single(r => r.Metric == WaitingTimes.ToFirstService && r.PeriodEnd == D("2024-06-30"));
        Assert.Equal((2, 17.0), (services.Waits, services.MedianDays));
        Assert.All(result.Rows, r => Assert.Equal(Aged65AndOver, r.AgeBand));
    }

    [Theory]
    [InlineData(new[] { 5 }, 5.0)]
    [InlineData(new[] { 10, 1, 3 }, 3.0)]
    [InlineData(new[] { 10, 1, 3, 2 }, 2.5)]
    public void Median_interpolates_between_the_two_middle_values(int[] values, double median) => Assert.Equal(median, WaitingTimes.Median(values));
}
