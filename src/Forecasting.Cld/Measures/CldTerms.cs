using Forecasting.Cld.Model;

namespace Forecasting.Cld.Measures;

/// <summary>The Release 2 values and national rankings the measures read, and small helpers to compare them without case.</summary>
public static class CldTerms
{
    public const string LongTermNursing = "Long term support: Nursing care";
    public const string LongTermResidential = "Long term support: Residential care";
    public const string LongTermCommunity = "Long term support: Community";
    public const string LongTermPrison = "Long term support: Prison";
    public const string StMax = "Short term support: ST-Max";
    public const string OngoingLowLevel = "Short term support: Ongoing low level";
    public const string OtherShortTerm = "Short term support: Other short term";
    public const string CarerDirect = "Unpaid carer support: Direct to unpaid carer";
    public const string CarerViaCaredFor = "Unpaid carer support: Support involving the person cared-for";

    public const string DirectPayment = "Direct payment";
    public const string ManagedPersonalBudget = "CASSR managed personal budget";
    public const string CommissionedSupport = "CASSR commissioned support";

    public const string AdmittedToHospital = "Admitted to hospital";
    public const string SelfFunded = "NFA: Self-funded client or under 12wk disregard";
    public const string InformationAndAdvice = "NFA: Information and advice or signposting";
    public const string SupportEndedAsPlanned = "NFA: Support ended as planned";
    public const string DischargeFromHospital = "Discharge from hospital";

    public const string Aged18To64 = "18 to 64";
    public const string Aged65AndOver = "65 and above";
    public const string Under18 = "Under 18";
    public const string UnknownAge = "Unknown";
    public const string Total = "Total";

    public static readonly string[] LongTermServices = [LongTermNursing, LongTermResidential, LongTermCommunity, LongTermPrison];

    /// <summary>The national event-outcome hierarchy (DHSC deduplication document): index + 1 is the rank, 1 the strongest.</summary>
    public static readonly string[] OutcomeHierarchy =
    [
        "Progress to reablement/ST-Max",
        "Progress to assessment, review or reassessment",
        "Release 1 specification only: Not mapped",
        "Progress to support planning or services",
        "Continuation of support or services",
        AdmittedToHospital,
        "NFA: Responsibility moved to another local authority",
        "NFA: Referral to NHS services or NHS funded social care",
        SelfFunded,
        InformationAndAdvice,
        "NFA: Referral to other service within the local authority",
        "NFA: Support declined",
        "NFA: Deceased",
        SupportEndedAsPlanned,
        "NFA: Support ended for other reason",
        "NFA: No services offered for other reason",
        "NFA: Other",
    ];

    /// <summary>Rank of an outcome in <see cref="OutcomeHierarchy"/>; null for a blank, invalid or unknown outcome.</summary>
    public static int? OutcomeRank(string? outcome)
    {
        for (var i = 0; i < OutcomeHierarchy.Length; i++)
            if (CldValues.Same(outcome, OutcomeHierarchy[i])) return i + 1;
        return null;
    }

    /// <summary>The canonical spelling of <paramref name="value"/> among <paramref name="known"/>, or null.</summary>
    public static string? Canonical(string? value, IEnumerable<string> known) => known.FirstOrDefault(k => CldValues.Same(value, k));

    public static bool IsAny(string? value, params string[] candidates) => candidates.Any(c => CldValues.Same(value, c));

    public static bool IsServiceUser(CldEvent e) => CldValues.Same(e.ClientType, CldValues.ServiceUser);

    public static bool IsCarer(CldEvent e) => IsAny(e.ClientType, CldValues.UnpaidCarer, CldValues.UnpaidCarerKnownByAssociation);

    public static bool IsService(CldEvent e) => CldValues.Same(e.EventType, CldValues.Service);

    public static bool IsRequest(CldEvent e) => CldValues.Same(e.EventType, CldValues.Request);

    public static bool IsAssessmentOrReview(CldEvent e) => IsAny(e.EventType, CldValues.Assessment, CldValues.Review);

    public static bool IsLongTerm(CldEvent e) => IsService(e) && IsAny(e.ServiceType, LongTermServices);

    /// <summary>SQL LIKE '%fragment%' under a case-insensitive collation; false for null, as LIKE is never true for NULL.</summary>
    public static bool Contains(string? value, string fragment) => value is not null && value.Contains(fragment, StringComparison.OrdinalIgnoreCase);

    /// <summary>End date before start date is a data-quality fault the national code drops.</summary>
    public static bool HasValidDates(CldEvent e) => e.EndDate is null || e.EndDate >= e.StartDate;

    public static int Days(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;

    public static CldPerson? PersonOf(IReadOnlyDictionary<string, CldPerson> people, string personId) =>
        people.TryGetValue(personId, out var p) ? p : null;

    /// <summary>'18 to 64', '65 and above', 'Under 18' or 'Unknown' from the national age.</summary>
    public static string WorkingAgeBand(int? age) => age switch
    {
        null => UnknownAge,
        < 18 => Under18,
        <= 64 => Aged18To64,
        _ => Aged65AndOver,
    };

    public static int? AgeOn(DateOnly? birthDate, DateOnly on) => birthDate is { } b ? CldValues.Age(b, on) : null;

    /// <summary>Age from the row's own birth year and month (the SALT scripts read the row, not the person details).</summary>
    public static int? RowAgeOn(CldEvent e, DateOnly on) =>
        e.BirthYear is { } y && e.BirthMonth is { } m && m is >= 1 and <= 12 ? CldValues.Age(new DateOnly(y, m, 1), on) : null;

    /// <summary>First and last day of a financial year (2024 = 2024/25); a year outside the product's window is refused.</summary>
    public static (DateOnly Start, DateOnly End) Year(int financialYear)
    {
        Forecasting.Domain.FinancialYear.Check(financialYear, "financial_year");
        return (Forecasting.Domain.FinancialYear.Start(financialYear), Forecasting.Domain.FinancialYear.End(financialYear));
    }

    public const string Framework = "ASCOF 2023-24 framework (2023/24 handbook; DHSC CLD code for 2024/25 onwards)";
}
