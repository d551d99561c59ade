using Forecasting.Cld.Measures;
using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class SaltLts001Tests
{
    const int Fy = 2024;
    const string Mh = "Mental health support";
    const string Home = "Home support or domiciliary care";

    static CldEvent[] Events() =>
    [
        // Residential care outranks a community direct payment.
        Service("resi", "2024-01-01", null, LongTermCommunity, Home, DirectPayment, born: "1950-01-01", psr: Mh),
        Service("resi", "2024-06-01", null, LongTermResidential, "Long term residential care", born: "1950-01-01", psr: Mh),
        // Two personal-budget services starting the same day with different PSRs: Unknown.
        Service("conflict", "2024-01-01", null, LongTermCommunity, Home, ManagedPersonalBudget, born: "1980-01-01", psr: Mh),
        Service("conflict", "2024-01-01", null, LongTermCommunity, "Day support", ManagedPersonalBudget, born: "1980-01-01", psr: "Learning disability support"),
        // A known PSR on an earlier row beats Unknown on a later one.
        Service("known", "2024-01-01", null, LongTermCommunity, Home, CommissionedSupport, born: "1980-01-01", psr: Mh),
        Service("known", "2024-09-01", null, LongTermCommunity, "Day support", CommissionedSupport, born: "1980-01-01", psr: "Unknown"),
        // An invalid mechanism is blank: plain Community; a PSR outside the list is Invalid/NULL.
        Service("invalid", "2024-01-01", null, LongTermCommunity, Home, CldValues.Invalid, born: "1980-01-01", psr: "See notes"),
        // Ended in December: during the year only. A direct-payment component does not override the mechanism here.
        Service("ended", "2024-01-01", "2024-12-31", LongTermCommunity, "Direct payment", CommissionedSupport, born: "1980-01-01", psr: Mh),
        // No birth month: left out.
        Service("noage", "2024-01-01", null, LongTermCommunity, Home, DirectPayment, psr: Mh),
    ];

    [Fact]
    public void During_the_year_each_person_once_in_the_highest_setting_with_one_psr()
    {
        var table = SaltLts001.DuringYear(Events(), Fy);
        Assert.Equal(1, table.Sum(Aged65AndOver, "Residential", Mh));
        Assert.Equal(1, table.Sum(Aged18To64, "Community: CASSR Managed Personal Budget", SaltLts001.UnknownPsr));
        Assert.Equal(2, table.Sum(Aged18To64, "Community: CASSR Commissioned Support", Mh)); // known + ended
        Assert.Equal(1, table.Sum(Aged18To64, "Community", SaltLts001.InvalidPsr));
        Assert.Equal(5, table.Total);
    }

    [Fact]
    public void At_year_end_leaves_out_support_that_ended_before_31_March()
    {
        var table = SaltLts001.AtYearEnd(Events(), Fy);
        Assert.Equal(1, table.Sum(Aged18To64, "Community: CASSR Commissioned Support", Mh));
        Assert.Equal(4, table.Total);
    }
}
