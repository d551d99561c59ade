using Forecasting.Cld.Measures;
using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class Ascof3DTests
{
    const int Fy = 2024;
    const string Respite = "Unpaid carer respite";

    internal static CldEvent[] Carers() =>
    [
        Service("c1", "2024-05-01", "2024-05-01", CarerDirect, "Direct payment", DirectPayment, client: CldValues.UnpaidCarer),
        Service("c2", "2024-05-01", "2024-06-01", CarerDirect, Respite, ManagedPersonalBudget, client: CldValues.UnpaidCarer),
        Service("c3", "2024-05-01", "2024-06-01", CarerDirect, Respite, CommissionedSupport, client: CldValues.UnpaidCarerKnownByAssociation),
        // A blank component fails the national NOT LIKE test: no category, so not counted in 3D.
        Service("c4", "2024-05-01", "2024-06-01", CarerDirect, null, ManagedPersonalBudget, client: CldValues.UnpaidCarer),
        Assessment("c5", "2024-05-01", "2024-05-02", "NFA: Support declined", client: CldValues.UnpaidCarer),
        // Information and advice outranks no direct support; neither is in the 3D denominator.
        Request("c6", "2024-05-01", "2024-05-01", InformationAndAdvice, client: CldValues.UnpaidCarer),
        Assessment("c6", "2024-06-01", "2024-06-02", "NFA: Support declined", client: CldValues.UnpaidCarer),
        // Support that ended before the year.
        Service("c7", "2023-05-01", "2024-03-31", CarerDirect, Respite, DirectPayment, client: CldValues.UnpaidCarer),
    ];

    [Fact]
    public void Clients_count_once_in_their_highest_setting_with_the_direct_payment_override()
    {
        var people = People(new[] { "dp", "dpcomp", "pb", "cs", "resi", "invalid", "ended" }.Select(p => Person(p, "1950-01-01")).ToArray());
        var events = new[]
        {
            Service("dp", "2024-01-01", null, LongTermCommunity, "Home support or domiciliary care", DirectPayment),
            // A direct-payment component overrides a commissioned mechanism.
            Service("dpcomp", "2024-01-01", null, LongTermCommunity, "Direct payment", CommissionedSupport),
            Service("pb", "2024-01-01", null, LongTermCommunity, "Home support or domiciliary care", ManagedPersonalBudget),
            Service("cs", "2024-01-01", null, LongTermCommunity, "Home support or domiciliary care", CommissionedSupport),
            // Residential care outranks the direct payment: not a community client.
            Service("resi", "2024-01-01", null, LongTermCommunity, "Direct payment", DirectPayment),
            Service("resi", "2024-06-01", null, LongTermResidential, "Long term residential care"),
            Service("invalid", "2024-01-01", null, LongTermCommunity, "Home support or domiciliary care", CldValues.Invalid),
            Service("ended", "2024-01-01", "2025-03-30", LongTermCommunity, "Home support or domiciliary care", DirectPayment),
        };
        var parts = Ascof3D.Compute(events, people, Fy).ToDictionary(r => r.Code);
        // Denominator dp, dpcomp, pb, cs, invalid = 5; 1a: dp, dpcomp, pb = 60.0%; 2a: dp, dpcomp = 40.0%.
        Assert.Equal((3L, 5L, 60.0m), (parts[Ascof3D.Code1A].Numerator, parts[Ascof3D.Code1A].Denominator, parts[Ascof3D.Code1A].Value));
        Assert.Equal((2L, 5L, 40.0m), (parts[Ascof3D.Code2A].Numerator, parts[Ascof3D.Code2A].Denominator, parts[Ascof3D.Code2A].Value));
    }

    [Fact]
    public void Carers_count_once_in_their_best_category_among_known_mechanisms()
    {
        var people = People(Enumerable.Range(1, 7).Select(i => Person($"c{i}", "1970-01-01")).ToArray());
        var parts = Ascof3D.Compute(Carers(), people, Fy).ToDictionary(r => r.Code);
        // Denominator c1 (DP), c2 (PB), c3 (CS) = 3; 1b: c1, c2 = 66.7%; 2b: c1 = 33.3%.
        Assert.Equal((2L, 3L, 66.7m), (parts[Ascof3D.Code1B].Numerator, parts[Ascof3D.Code1B].Denominator, parts[Ascof3D.Code1B].Value));
        Assert.Equal((1L, 3L, 33.3m), (parts[Ascof3D.Code2B].Numerator, parts[Ascof3D.Code2B].Denominator, parts[Ascof3D.Code2B].Value));
    }

    [Fact]
    public void Lts003_counts_carers_by_mechanism_without_the_component_test()
    {
        var table = SaltLts003.Compute(Carers(), Fy);
        Assert.Equal(1, table.Sum(Ascof3D.CarerDirectPayment));
        Assert.Equal(2, table.Sum(Ascof3D.CarerPersonalBudget)); // c2 and c4: LTS003 does not test the component
        Assert.Equal(1, table.Sum(Ascof3D.CarerCommissioned));
        Assert.Equal(1, table.Sum(Ascof3D.CarerInformation)); // c6
        Assert.Equal(1, table.Sum(Ascof3D.CarerNoDirectSupport)); // c5
        Assert.Equal(6, table.Total);
    }
}
