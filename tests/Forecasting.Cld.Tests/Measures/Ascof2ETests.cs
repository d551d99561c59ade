using Forecasting.Cld.Measures;
using static Forecasting.Cld.Measures.CldTerms;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class Ascof2ETests
{
    const int Fy = 2024;
    const string Owner = "Owner occupier or shared ownership scheme";
    const string Ld = "Learning disability support";

    [Fact]
    public void Settled_accommodation_share_by_band_and_gender_and_the_learning_disability_variant()
    {
        var people = People(
            Person("f70", "1954-01-01", gender: "Female", accommodation: Owner),
            Person("m70", "1954-01-01", gender: "Male", accommodation: "Registered care home"),
            Person("u70", "1954-01-01", gender: "Unknown", accommodation: "Unknown"),
            Person("ld1", "1984-01-01", gender: "Male", accommodation: "Settled mainstream housing with family or friends", psr: Ld),
            Person("ld2", "1984-01-01", gender: "Female", accommodation: "Unknown", psr: Ld),
            Person("mh", "1984-01-01", gender: "Female", accommodation: "Tenant: Private landlord", psr: "Mental health support"),
            Person("dead", "1954-01-01", died: "2024-03-01", accommodation: Owner),
            Person("noage", null, accommodation: Owner));
        var events = people.Keys.Select(p => Service(p, "2024-01-01", null, LongTermCommunity)).ToList();
        var all = Ascof2E.Compute(events, people, Fy, learningDisability: false);
        var older = all.Single(r => r.Code == Ascof2E.Code65AndOver);
        // 65+: f70 settled of f70, m70, u70 = 1/3 = 33.3%; Total includes the unknown gender.
        Assert.Equal((1L, 3L, 33.3m), (older.Numerator, older.Denominator, older.Value));
        Assert.Equal(new CldMeasureRow("Female", 1, 1, 100.0m), older.Row("Female"));
        Assert.Equal(new CldMeasureRow("Male", 0, 1, 0.0m), older.Row("Male"));
        // 18-64: ld1 and mh settled of ld1, ld2, mh = 2/3 = 66.7%.
        var younger = all.Single(r => r.Code == Ascof2E.Code18To64);
        Assert.Equal((2L, 3L, 66.7m), (younger.Numerator, younger.Denominator, younger.Value));
        // LD: ld1 of ld1, ld2 = 50.0%.
        var ld = Assert.Single(Ascof2E.Compute(events, people, Fy, learningDisability: true));
        Assert.Equal((1L, 2L, 50.0m), (ld.Numerator, ld.Denominator, ld.Value));
    }

    [Fact]
    public void Age_is_taken_at_the_end_of_the_latest_service_in_the_year()
    {
        // Born March 1960: 64 on 30 Jun 2024 (the service end); a later open service moves the date to 31 Mar 2025, when 65.
        var people = People(Person("p", "1960-03-01", accommodation: Owner));
        var ended = Ascof2E.Compute([Service("p", "2024-01-01", "2024-06-30", LongTermCommunity)], people, Fy, false);
        Assert.Equal(1, ended.Single(r => r.Code == Ascof2E.Code18To64).Denominator);
        var open = Ascof2E.Compute([Service("p", "2024-01-01", "2024-06-30", LongTermCommunity), Service("p", "2024-07-01", null, LongTermCommunity)], people, Fy, false);
        Assert.Equal(1, open.Single(r => r.Code == Ascof2E.Code65AndOver).Denominator);
    }
}
