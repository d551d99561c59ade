using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>
/// ASCOF 2E: people who receive long-term support during the year who live in their own home or with family, as
/// DHSC computes it from CLD for 2024/25 onwards (ASCOF_measures/Create_ASCOF_2E_2425_Onwards.sql), for all
/// primary support reasons (aged 18-64 and 65 and over) and for learning disability support (aged 18-64, "2E LD").
/// </summary>
public static class Ascof2E
{
    public const string Code18To64 = "2E 18-64";
    public const string Code65AndOver = "2E 65+";
    public const string CodeLearningDisability = "2E LD";

    public const string LearningDisabilitySupport = "Learning disability support";

    /// <summary>Settled accommodation (group 1), including DHSC's own status inferred from services.</summary>
    public static readonly string[] Settled =
    [
        "Owner occupier or shared ownership scheme",
        "Tenant: Local authority or other social housing provider",
        "Tenant: Private landlord",
        "Settled mainstream housing with family or friends",
        "Supported accommodation, supported lodgings or supported group home",
        "Shared Lives scheme",
        "Approved premises for offenders released from prison or under probation supervision",
        "Sheltered housing, extra care housing or other sheltered housing",
        "Mobile accommodation for Gypsy, Roma and Traveller communities",
        "Unknown: Presumed at home",
    ];

    sealed record Client(string PersonId, string AgeBand, string? Gender, bool SettledHome);

    static List<Client> Clients(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear, bool learningDisability)
    {
        var (from, to) = Year(financialYear);
        var clients = new List<Client>();
        var longTerm = events.Where(e => IsServiceUser(e) && IsLongTerm(e) && HasValidDates(e) && e.StartDate <= to && !(e.EndDate < from));
        foreach (var person in longTerm.GroupBy(e => e.PersonId))
        {
            var details = PersonOf(people, person.Key);
            if (details?.DateOfDeath < from) continue;
            if (learningDisability && !CldValues.Same(details?.PrimarySupportReason, LearningDisabilitySupport)) continue;
            // Age at the end of the person's latest service in the year, open services ending at the year end.
            var ageDate = person.Max(e => e.EndDate is { } end && end < to ? end : to);
            var age = AgeOn(details?.BirthDate, ageDate);
            if (age < 18) continue;
            // The national band treats an age of 0 as unknown (BETWEEN 1 AND 17 is 'Under 18').
            var band = age is null or 0 ? UnknownAge : WorkingAgeBand(age);
            if (band == UnknownAge) continue;
            if (learningDisability && band != Aged18To64) continue;
            clients.Add(new Client(person.Key, band, details?.Gender, IsAny(details?.AccommodationStatus, Settled)));
        }
        return clients;
    }

    /// <summary>One result per age band (two for all clients, one 18-64 result for learning disability), sliced Female, Male, Total.</summary>
    public static IReadOnlyList<CldMeasureResult> Compute(
        IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear, bool learningDisability)
    {
        var (from, to) = Year(financialYear);
        var clients = Clients(events, people, financialYear, learningDisability);
        var results = new List<CldMeasureResult>();
        foreach (var band in learningDisability ? [Aged18To64] : new[] { Aged18To64, Aged65AndOver })
        {
            var inBand = clients.Where(c => c.AgeBand == band).ToList();
            CldMeasureRow Slice(string name, IEnumerable<Client> set) => CldRatio.Percent(name, set.Count(c => c.SettledHome), set.Count(), 1);
            var total = Slice(Total, inBand);
            var code = learningDisability ? CodeLearningDisability : band == Aged18To64 ? Code18To64 : Code65AndOver;
            var who = learningDisability ? "adults aged 18-64 with a learning disability" : band == Aged18To64 ? "people aged 18-64" : "people aged 65 and over";
            results.Add(new CldMeasureResult(code, $"Proportion of {who} who receive long-term support who live in their home or with family (%)",
                Framework, from, to, total.Numerator, total.Denominator, total.Value,
                [Slice("Female", inBand.Where(c => CldValues.Same(c.Gender, "Female"))), Slice("Male", inBand.Where(c => CldValues.Same(c.Gender, "Male"))), total],
                [
                    "People with long-term support at any time in the year; accommodation, gender and PSR are the latest person details in the file.",
                    "Unknown accommodation stays in the denominator; people of unknown age are left out; Total includes unknown gender.",
                ]));
        }
        return results;
    }
}
