using Forecasting.Cld.Measures;
using Forecasting.Domain;
using static Forecasting.Cld.Measures.CldTerms;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class Ascof2B2CTests
{
    const int Fy = 2024;
    const string Res = "Long term residential care";
    const string Nurs = "Long term nursing care";

    [Fact]
    public void Admissions_are_counted_per_person_with_the_national_exclusions()
    {
        var people = People(Person("young", "1970-01-01"), Person("twice", "1960-06-01"), Person("old", "1940-01-01"),
            Person("selffunded", "1940-01-01"), Person("readmitted", "1940-01-01"), Person("returning", "1940-01-01"),
            Person("shortterm", "1940-01-01"), Person("nocomponent", "1940-01-01"), Person("unknownage", null), Person("dead", "1940-01-01", died: "2024-03-31"));
        var events = new[]
        {
            Service("young", "2024-05-01", null, LongTermResidential, Res),
            // Two new admissions starting the same day: one person. Aged 64 on 1 May 2024 (born June 1960): 18-64.
            Service("twice", "2024-05-01", "2024-05-01", LongTermResidential, Res),
            Service("twice", "2024-05-01", null, LongTermNursing, Nurs),
            Service("old", "2024-09-01", null, LongTermNursing, Nurs),
            // Ended as self-funded: not counted.
            Service("selffunded", "2024-09-01", "2024-12-01", LongTermResidential, Res, outcome: SelfFunded),
            // A care home ending 200 days before: not new.
            Service("readmitted", "2023-01-01", "2024-02-13", LongTermResidential, Res),
            Service("readmitted", "2024-09-01", null, LongTermResidential, Res),
            // Ending 400 days before: new again.
            Service("returning", "2022-01-01", "2023-07-29", LongTermResidential, Res),
            Service("returning", "2024-09-01", null, LongTermResidential, Res),
            Service("shortterm", "2024-09-01", null, LongTermResidential, "Short term residential care"),
            Service("nocomponent", "2024-09-01", null, LongTermResidential),
            Service("unknownage", "2024-09-01", null, LongTermResidential, Res),
            Service("dead", "2024-01-01", null, LongTermResidential, Res),
        };
        var admitters = Ascof2B2C.NewAdmitters(events, people, Fy).OrderBy(a => a.PersonId).ToList();
        Assert.Equal(["old", "returning", "twice", "young"], admitters.Select(a => a.PersonId));
        Assert.Equal(Aged18To64, admitters.Single(a => a.PersonId == "twice").AgeBand);

        // 2B: young + twice = 2 per 200,000 = 1.0 per 100,000. 2C: old + returning = 2 per 30,000 = 6.666.. -> 6.7.
        var (b, c) = Ascof2B2C.Compute(events, people, Fy, new CldPopulation(Fy, 200_000, 30_000));
        Assert.Equal((2L, 200_000L, 1.0m), (b.Numerator, b.Denominator, b.Value));
        Assert.Equal((2L, 30_000L, 6.7m), (c.Numerator, c.Denominator, c.Value));
    }

    [Fact]
    public void Population_of_another_year_is_refused() =>
        Assert.Throws<InvalidArgumentException>(() => Ascof2B2C.Compute([], People(), Fy, new CldPopulation(2023, 1, 1)));
}
