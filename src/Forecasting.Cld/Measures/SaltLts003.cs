using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>
/// SALT LTS003: carers supported during the year by support provided, each counted once in the highest category,
/// as NHS England's replication code computes it (SALT LTS003/LTS003 replication code.txt).
/// </summary>
public static class SaltLts003
{
    public const string Code = "LTS003";

    public static CldTable Compute(IReadOnlyList<CldEvent> events, int financialYear)
    {
        var (from, to) = Year(financialYear);
        var carers = events
            .Where(e => IsCarer(e) && e.StartDate <= to && !(e.EndDate < from) && !(e.DateOfDeath < from) && Ascof3D.IsCarerCohortEvent(e))
            .Select(e => (e.PersonId, Category: Ascof3D.CarerCategory(e, directPaymentComponentCounts: false)))
            .Where(x => x.Category is not null)
            .GroupBy(x => x.PersonId)
            .Select(g => Ascof3D.CarerHierarchy[g.Min(x => Array.IndexOf(Ascof3D.CarerHierarchy, x.Category!))])
            .ToList();
        return new CldTable(Code, "Carers supported during the year by support provided", from, to, ["Support provided"],
            Ascof3D.CarerHierarchy.Select(c => new CldCount([c], carers.Count(x => x == c))).Where(c => c.Count > 0).ToList(),
            [
                "Carers (and carers known by association) with information and advice, a carer service, or a carer assessment or review in the year; each once, in the highest category.",
                "The category follows the delivery mechanism only (no direct-payment component test, unlike ASCOF 3D); the row's own date of death applies.",
            ]);
    }
}
