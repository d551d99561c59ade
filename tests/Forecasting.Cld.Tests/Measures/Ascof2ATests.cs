using Forecasting.Cld.Measures;
using static Forecasting.Cld.Measures.CldTerms;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class Ascof2ATests
{
    const int Fy = 2024; // 1 April 2024 to 31 March 2025
    static readonly IReadOnlyDictionary<string, Forecasting.Cld.Model.CldPerson> Old = People(Person("p", "1950-01-01"));

    [Theory]
    // First ST-Max ends 10 May. A start on 17 May is 7 days later (one episode); on 18 May, 8 days (two).
    [InlineData("2024-05-17", 1)]
    [InlineData("2024-05-18", 2)]
    public void St_max_services_more_than_7_days_apart_are_separate_episodes(string secondStart, int episodes)
    {
        var events = new[]
        {
            Service("p", "2024-05-01", "2024-05-10", StMax, outcome: InformationAndAdvice),
            Service("p", secondStart, "2024-05-30", StMax, outcome: InformationAndAdvice),
        };
        Assert.Equal(episodes, Ascof2A.Episodes(events, Old, Fy).Count);
    }

    [Theory]
    // Long-term support ended 90 days before the episode: an existing client. 91 days: new.
    [InlineData("2024-04-02", false)]
    [InlineData("2024-04-01", true)]
    public void Long_term_support_ending_within_91_days_before_makes_an_existing_client(string ltEnd, bool isNew)
    {
        var events = new[]
        {
            Service("p", "2023-01-01", ltEnd, LongTermCommunity),
            Service("p", "2024-07-01", "2024-07-20", StMax, outcome: InformationAndAdvice), // 1 Jul is 91 days after 1 Apr
        };
        Assert.Equal(isNew, Assert.Single(Ascof2A.Episodes(events, Old, Fy)).NewClient);
    }

    [Fact]
    public void Sequels_follow_the_national_order()
    {
        var people = People(Person("died", "1950-01-01", died: "2024-07-05"), Person("ltc", "1950-01-01"), Person("eq", "1950-01-01"),
            Person("stres", "1950-01-01"), Person("utc", "1950-01-01"), Person("asmt", "1950-01-01"));
        var events = new[]
        {
            // Died 5 days after the end: step 1, even though a service follows.
            Service("died", "2024-06-01", "2024-06-30", StMax, outcome: InformationAndAdvice),
            Service("died", "2024-07-02", null, LongTermCommunity),
            // A long-term community service starting 5 days after the end and still open: step 3.
            Service("ltc", "2024-06-01", "2024-06-30", StMax, outcome: SupportEndedAsPlanned),
            Service("ltc", "2024-07-05", null, LongTermCommunity),
            // Equipment delivered during the episode, nothing else usable: step 5, ongoing low level.
            Service("eq", "2024-06-01", "2024-06-30", StMax, outcome: "Continuation of support or services"),
            Service("eq", "2024-06-10", "2024-06-11", OngoingLowLevel, component: "Equipment"),
            // Short-term residential care afterwards: its own sequel label.
            Service("stres", "2024-06-01", "2024-06-30", StMax, outcome: SupportEndedAsPlanned),
            Service("stres", "2024-07-01", "2024-07-20", OtherShortTerm, component: "Short term residential care"),
            // Only an unusable outcome: step 6, the cluster's own outcome.
            Service("utc", "2024-06-01", "2024-06-30", StMax, outcome: "Progress to support planning or services"),
            // An assessment ending 10 days before the end with an NFA outcome beats the unusable cluster outcome: step 4c.
            Service("asmt", "2024-06-01", "2024-06-30", StMax, outcome: "Continuation of support or services"),
            Assessment("asmt", "2024-06-15", "2024-06-20", outcome: "NFA: Support declined"),
        };
        var byPerson = Ascof2A.Episodes(events, people, Fy).ToDictionary(e => e.PersonId);
        Assert.Equal(("1", "NFA: Deceased"), (byPerson["died"].SequelStep, byPerson["died"].FinalOutcome));
        Assert.Equal(("3", LongTermCommunity), (byPerson["ltc"].SequelStep, byPerson["ltc"].FinalOutcome));
        Assert.Equal(("5", OngoingLowLevel), (byPerson["eq"].SequelStep, byPerson["eq"].FinalOutcome));
        Assert.Equal(("3", Ascof2A.ResidentialOrNursingShortTerm), (byPerson["stres"].SequelStep, byPerson["stres"].FinalOutcome));
        Assert.Equal(("6", "Progress to support planning or services"), (byPerson["utc"].SequelStep, byPerson["utc"].FinalOutcome));
        Assert.Equal(("4c", "NFA: Support declined"), (byPerson["asmt"].SequelStep, byPerson["asmt"].FinalOutcome));
        // Deaths, unusable outcomes and declined support are outside the denominator; long-term support is in it but not the numerator.
        Assert.False(byPerson["died"].InDenominator);
        Assert.True(byPerson["ltc"].InDenominator && !byPerson["ltc"].InNumerator);
        Assert.True(byPerson["eq"].InNumerator);
        Assert.False(byPerson["asmt"].InDenominator);
    }

    [Fact]
    public void Value_is_the_share_of_counted_episodes_by_age_band()
    {
        var people = People(Person("a", "1950-01-01"), Person("b", "1950-01-01"), Person("c", "1984-01-01"), Person("d", null), Person("kid", "2008-01-01"));
        var events = new[]
        {
            Service("a", "2024-06-01", "2024-06-30", StMax, outcome: InformationAndAdvice),        // 65+: numerator
            Service("b", "2024-06-01", "2024-06-30", StMax, outcome: SupportEndedAsPlanned),       // 65+: long-term after, denominator only
            Service("b", "2024-07-01", null, LongTermNursing),
            Service("c", "2024-06-01", "2024-06-30", StMax, outcome: "NFA: Other"),                 // 18-64: numerator
            Service("d", "2024-06-01", "2024-06-30", StMax, outcome: InformationAndAdvice),        // unknown age: Total only
            Service("kid", "2024-06-01", "2024-06-30", StMax, outcome: InformationAndAdvice),      // 16: excluded
            Service("a", "2025-03-20", "2025-04-10", StMax, outcome: InformationAndAdvice),        // ends next year
        };
        var result = Ascof2A.Compute(events, people, Fy);
        // Total: numerator a, c, d = 3; denominator a, b, c, d = 4; 75.0%.
        Assert.Equal((3L, 4L, 75.0m), (result.Numerator, result.Denominator, result.Value));
        Assert.Equal(new CldMeasureRow(Aged65AndOver, 1, 2, 50.0m), result.Row(Aged65AndOver));
        Assert.Equal(new CldMeasureRow(Aged18To64, 1, 1, 100.0m), result.Row(Aged18To64));
        Assert.Equal(4, result.Breakdown.Sum(b => b.Count));
    }
}
