using Forecasting.Cld.Model;
using Forecasting.Domain;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>A person newly admitted to long-term residential or nursing care in the year, in the lower age band of their new admissions.</summary>
public sealed record NewAdmitter(string PersonId, string AgeBand, DateOnly FirstNewAdmission);

/// <summary>
/// ASCOF 2B and 2C: people whose long-term support needs are met by admission to residential and nursing care
/// homes, per 100,000 aged 18-64 (2B) and 65 and over (2C), as DHSC computes them from CLD for 2024/25 onwards
/// (ASCOF_measures/Create_ASCOF_2B2C_2425_Onwards.sql). People, not service episodes, are counted.
/// </summary>
public static class Ascof2B2C
{
    public const string CodeB = "2B";
    public const string CodeC = "2C";
    public const string TitleB = "Adults aged 18-64 whose long-term support needs are met by admission to residential and nursing care homes, per 100,000 population";
    public const string TitleC = "Adults aged 65 and over whose long-term support needs are met by admission to residential and nursing care homes, per 100,000 population";

    /// <summary>An earlier care-home service ending fewer days than this before an admission makes it a continuation, not new.</summary>
    public const int NewAdmissionDays = 365;

    /// <summary>
    /// Long-term residential or nursing services of service users with a known birth date, alive at the start of the
    /// year, whose component names residential or nursing care and not short-term care. A blank component fails the
    /// national "NOT LIKE '%Short%'" test and is left out, as the T-SQL does.
    /// </summary>
    static bool IsCareHomeService(CldEvent e, CldPerson? person, DateOnly yearStart) =>
        IsService(e) && IsServiceUser(e) && IsAny(e.ServiceType, LongTermResidential, LongTermNursing)
        && person?.BirthDate is not null && !(person.DateOfDeath < yearStart)
        && (Contains(e.ServiceComponent, "Residential") || Contains(e.ServiceComponent, "Nursing"))
        && e.ServiceComponent is not null && !Contains(e.ServiceComponent, "Short");

    public static IReadOnlyList<NewAdmitter> NewAdmitters(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear)
    {
        var (from, to) = Year(financialYear);
        var result = new List<NewAdmitter>();
        foreach (var person in events.GroupBy(e => e.PersonId))
        {
            var details = PersonOf(people, person.Key);
            var careHome = person.Where(e => IsCareHomeService(e, details, from)).ToList();
            var newAdmissions = careHome
                .Where(a => a.StartDate >= from && a.StartDate <= to && !CldValues.Same(a.EventOutcome, SelfFunded))
                .Where(a => !careHome.Any(b => b.StartDate < a.StartDate && (b.EndDate is null || Days(b.EndDate.Value, a.StartDate) < NewAdmissionDays)))
                .Select(a => (Admission: a, Age: CldValues.Age(details!.BirthDate!.Value, a.StartDate)))
                .Where(x => x.Age >= 18).ToList();
            if (newAdmissions.Count == 0) continue;
            // Someone admitted at 64 and again at 65 counts once, in the lower band.
            var band = newAdmissions.Any(x => x.Age <= 64) ? Aged18To64 : Aged65AndOver;
            result.Add(new NewAdmitter(person.Key, band, newAdmissions.Min(x => x.Admission.StartDate)));
        }
        return result;
    }

    public static (CldMeasureResult Aged18To64, CldMeasureResult Aged65AndOver) Compute(
        IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear, CldPopulation population)
    {
        if (population.FinancialYear != financialYear)
            throw new InvalidArgumentException("population", $"is for {FinancialYear.Label(population.FinancialYear)}, not {FinancialYear.Label(financialYear)}");
        if (population.Aged18To64 < 0 || population.Aged65AndOver < 0)
            throw new InvalidArgumentException("population", "a band's population is negative");
        var (from, to) = Year(financialYear);
        var admitters = NewAdmitters(events, people, financialYear);
        string[] notes =
        [
            "New admission: starts in the year, not ended as self-funded, no residential or nursing service started earlier and ended within 365 days (or still open).",
            "Each person counts once, in the lower age band of their new admissions (age at admission start).",
            $"Population is the council's own for {FinancialYear.Label(financialYear)}; DHSC divides every year by one fixed ONS table.",
        ];
        CldMeasureResult Rate(string code, string title, string band, long denominator)
        {
            var n = admitters.Count(a => a.AgeBand == band);
            var value = CldRatio.Of(n, denominator, 100_000m, 1);
            return new CldMeasureResult(code, title, Framework, from, to, n, denominator, value, [new CldMeasureRow(band, n, denominator, value)], notes);
        }
        return (Rate(CodeB, TitleB, CldTerms.Aged18To64, population.Aged18To64), Rate(CodeC, TitleC, CldTerms.Aged65AndOver, population.Aged65AndOver));
    }
}
