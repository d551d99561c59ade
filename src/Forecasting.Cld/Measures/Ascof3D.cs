using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>
/// ASCOF 3D: self-directed support and direct payments, as DHSC computes it from CLD for 2024/25 onwards
/// (ASCOF_measures/Create_ASCOF_3D_2425_Onwards.sql). Clients (parts 1a, 2a) are people with long-term community
/// support open at the year end; carers (parts 1b, 2b) are carers supported during the year.
/// </summary>
public static class Ascof3D
{
    public const string Code1A = "3D(1a)";
    public const string Code2A = "3D(2a)";
    public const string Code1B = "3D(1b)";
    public const string Code2B = "3D(2b)";

    // Setting and delivery-mechanism hierarchy: a person counts once, in the highest setting.
    static readonly (string Type, string Mechanism, int Rank)[] ClientHierarchy =
    [
        (LongTermNursing, "", 1), (LongTermResidential, "", 2),
        (LongTermCommunity, DirectPayment, 3), (LongTermCommunity, ManagedPersonalBudget, 4), (LongTermCommunity, CommissionedSupport, 5), (LongTermCommunity, "", 6),
        (LongTermPrison, ManagedPersonalBudget, 7), (LongTermPrison, CommissionedSupport, 8), (LongTermPrison, "", 9),
    ];

    public const string CarerDirectPayment = "Direct Payment only";
    public const string CarerPersonalBudget = "CASSR Managed Personal Budget";
    public const string CarerCommissioned = "CASSR Commissioned Support only";
    public const string CarerUnknownMechanism = "Support Direct to Carer: Unknown Delivery Mech";
    public const string CarerInformation = "Information, Advice and Other Universal Services / Signposting";
    public const string CarerNoDirectSupport = "No Direct Support Provided to Carer";

    /// <summary>Carer support categories in national rank order: a carer counts once, in the first that applies.</summary>
    public static readonly string[] CarerHierarchy = [CarerDirectPayment, CarerPersonalBudget, CarerCommissioned, CarerUnknownMechanism, CarerInformation, CarerNoDirectSupport];

    /// <summary>
    /// Rank of a long-term service for the client parts: a direct-payment component makes the mechanism a direct
    /// payment, and a mechanism that is invalid or not expected for the setting (any on residential or nursing care)
    /// is blanked.
    /// </summary>
    public static int ClientRank(CldEvent e)
    {
        var isDpComponent = CldValues.Same(e.ServiceComponent, DirectPayment);
        var mechanism = isDpComponent ? DirectPayment : e.DeliveryMechanism;
        if (CldValues.Same(e.ServiceType, LongTermCommunity) && isDpComponent) return 3;
        var expected = IsAny(e.ServiceType, LongTermCommunity, LongTermPrison)
            && ClientHierarchy.Any(h => CldValues.Same(e.ServiceType, h.Type) && h.Mechanism != "" && CldValues.Same(mechanism, h.Mechanism));
        var key = expected ? mechanism! : "";
        return ClientHierarchy.First(h => CldValues.Same(e.ServiceType, h.Type) && (key == "" ? h.Mechanism == "" : CldValues.Same(key, h.Mechanism))).Rank;
    }

    /// <summary>
    /// The carer support category of an in-year carer event, or null when none applies. Follows the national CASE
    /// literally: a direct-to-carer service with a blank component passes only the direct-payment test, because
    /// "component NOT LIKE 'Direct payment'" is never true for a blank.
    /// </summary>
    public static string? CarerCategory(CldEvent e, bool directPaymentComponentCounts = true)
    {
        var outcome = e.EventOutcome ?? CldValues.Invalid;
        if (CldValues.Same(e.ServiceType, CarerDirect))
        {
            var dpComponent = directPaymentComponentCounts && CldValues.Same(e.ServiceComponent, DirectPayment);
            if (CldValues.Same(e.DeliveryMechanism, DirectPayment) || dpComponent) return CarerDirectPayment;
            // With the component test (DHSC), a blank component fails every later branch.
            if (directPaymentComponentCounts && e.ServiceComponent is null) return null;
            if (CldValues.Same(e.DeliveryMechanism, ManagedPersonalBudget)) return CarerPersonalBudget;
            if (CldValues.Same(e.DeliveryMechanism, CommissionedSupport)) return CarerCommissioned;
            return CarerUnknownMechanism;
        }
        if (CldValues.Same(e.ServiceType, CarerViaCaredFor)) return CarerNoDirectSupport;
        if (IsAssessmentOrReview(e)) return CldValues.Same(outcome, InformationAndAdvice) ? CarerInformation : CarerNoDirectSupport;
        if (IsRequest(e)) return CarerInformation;
        return null;
    }

    /// <summary>The carer events the national cohort admits: information and advice, carer services, carer assessments and reviews.</summary>
    public static bool IsCarerCohortEvent(CldEvent e) =>
        (e.ServiceType is null && CldValues.Same(e.EventOutcome, InformationAndAdvice))
        || IsAny(e.ServiceType, CarerDirect, CarerViaCaredFor)
        || (IsAssessmentOrReview(e) && e.ServiceType is null);

    public static IReadOnlyList<CldMeasureResult> Compute(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear)
    {
        var (from, to) = Year(financialYear);
        string Band(string personId) => WorkingAgeBand(AgeOn(PersonOf(people, personId)?.BirthDate, to));

        // Clients: long-term support open at the year end, highest setting per person, community only.
        var clients = events
            .Where(e => IsServiceUser(e) && IsAny(e.ServiceType, LongTermServices) && HasValidDates(e) && e.StartDate <= to && !(e.EndDate < to)
                        && !(PersonOf(people, e.PersonId)?.DateOfDeath < to))
            .GroupBy(e => e.PersonId)
            .Select(g => (Person: g.Key, Band: Band(g.Key), Rank: g.Min(ClientRank)))
            .Where(c => c.Band != Under18 && c.Rank is >= 3 and <= 6).ToList();

        // Carers: in-year support, best category per person, known mechanisms only.
        var carers = events
            .Where(e => IsCarer(e) && HasValidDates(e) && e.StartDate <= to && !(e.EndDate < from)
                        && !(PersonOf(people, e.PersonId)?.DateOfDeath < from) && IsCarerCohortEvent(e))
            .Select(e => (e.PersonId, Category: CarerCategory(e)))
            .Where(x => x.Category is not null)
            .GroupBy(x => x.PersonId)
            .Select(g => (Person: g.Key, Band: Band(g.Key), Rank: g.Min(x => Array.IndexOf(CarerHierarchy, x.Category!))))
            .Where(c => c.Band != Under18 && c.Rank <= 2).ToList();

        CldMeasureResult Part(string code, string title, IReadOnlyList<(string Person, string Band, int Rank)> set, Func<int, bool> inNumerator, string[] notes)
        {
            CldMeasureRow Slice(string name, IEnumerable<(string Person, string Band, int Rank)> s) =>
                CldRatio.Percent(name, s.Count(x => inNumerator(x.Rank)), s.Count(), 1);
            var total = Slice(Total, set);
            return new CldMeasureResult(code, title, Framework, from, to, total.Numerator, total.Denominator, total.Value,
                [Slice(Aged18To64, set.Where(x => x.Band == Aged18To64)), Slice(Aged65AndOver, set.Where(x => x.Band == Aged65AndOver)), total], notes);
        }
        string[] clientNotes =
        [
            "Clients with long-term support open on the last day of the year, each in the highest setting (nursing > residential > community DP > PB > CS > community unknown > prison); only those whose highest is community count.",
            "A direct-payment component overrides the delivery mechanism; invalid or unexpected mechanisms are blank and stay in the denominator. Total includes unknown ages.",
        ];
        string[] carerNotes =
        [
            "Carers supported during the year, each in their best category; the denominator is direct payment + managed personal budget + commissioned support.",
            "A direct-to-carer service with a blank component counts only when its mechanism is a direct payment (the national NOT LIKE test is never true for a blank).",
        ];
        return
        [
            Part(Code1A, "Proportion of people who use services who receive self-directed support (%)", clients, r => r <= 4, clientNotes),
            Part(Code2A, "Proportion of people who use services who receive direct payments (%)", clients, r => r == 3, clientNotes),
            Part(Code1B, "Proportion of carers who receive self-directed support (%)", carers, r => r <= 1, carerNotes),
            Part(Code2B, "Proportion of carers who receive direct payments (%)", carers, r => r == 0, carerNotes),
        ];
    }
}
