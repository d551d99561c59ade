using System.Reflection;
using Forecasting.Cld.Model;
using Forecasting.Cld.Reading;

namespace Forecasting.Cld.Cleaning;

public enum CldValueStatus { Missing, Valid, MappedFromRelease1, Invalid }

/// <summary>A submitted value after cleaning: the Release 2 wording, <see cref="CldValues.Invalid"/>, or null when blank.</summary>
public readonly record struct CldCleanValue(string? Value, CldValueStatus Status);

/// <summary>
/// The coded fields of the layout with their Release 2 values and the Release 1 values that map to them (the embedded
/// r1_to_r2.csv). Values are compared as the national SQL Server collation compares them: letter case and trailing
/// blanks ignored. A Release 2 value passes in its canonical spelling; a Release 1 value becomes its Release 2 pair;
/// a blank is null; anything else is <see cref="CldValues.Invalid"/>.
/// </summary>
public sealed class CldVocabulary
{
    /// <summary>The Release 2 values per coded column. Lists the national code does not spell out use the wording of the CLD specification.</summary>
    private static readonly (int Column, string[] Values)[] Release2 =
    [
        (CldColumns.Gender, ["Male", "Female", "Unknown"]),
        (CldColumns.Ethnicity, [
            "Asian or Asian British: Bangladeshi", "Asian or Asian British: Chinese", "Asian or Asian British: Indian",
            "Asian or Asian British: Pakistani", "Asian or Asian British: Any other Asian background",
            "Black, Black British, Caribbean or African: African", "Black, Black British, Caribbean or African: Caribbean",
            "Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background",
            "Mixed or multiple ethnic groups: White and Asian", "Mixed or multiple ethnic groups: White and Black African",
            "Mixed or multiple ethnic groups: White and Black Caribbean",
            "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background",
            "Other ethnic group: Arab", "Other ethnic group: Any other ethnic group",
            "White: English, Welsh, Scottish, Northern Irish or British", "White: Irish", "White: Gypsy or Irish Traveller",
            "White: Roma", "White: Any other White background", "No data: Refused", "No data: Undeclared or not known"]),
        (CldColumns.ClientType, [CldValues.ServiceUser, CldValues.UnpaidCarer, CldValues.UnpaidCarerKnownByAssociation]),
        (CldColumns.PrimarySupportReason, [
            "Physical support: Access and mobility only", "Physical support: Personal care support",
            "Sensory support: Support for visual impairment", "Sensory support: Support for hearing impairment",
            "Sensory support: Support for dual impairment", "Support with memory and cognition", "Learning disability support",
            "Mental health support", "Social support: Substance misuse support", "Social support: Asylum seeker support",
            "Social support: Support for social isolation or other", "Social support: Support to unpaid carer", "Unknown"]),
        (CldColumns.AccommodationStatus, [.. CldAccommodation.Settled, .. CldAccommodation.Unsettled]),
        (CldColumns.EmploymentStatus, [
            "Not in paid employment: Not actively seeking work or retired", "Not in paid employment: Seeking work",
            "Not in paid employment: Voluntary work only", "Paid: 16 or more hours a week", "Paid: Hours per week unknown",
            "Paid: Less than 16 hours a week", "Unknown"]),
        (CldColumns.HasUnpaidCarer, ["Yes", "No", "Unknown"]),
        (CldColumns.Autism, ["Yes", "No", "Unknown"]),
        (CldColumns.VisualImpairment, ["Yes", "No", "Unknown"]),
        (CldColumns.HearingImpairment, ["Yes", "No", "Unknown"]),
        (CldColumns.Dementia, ["Yes", "No", "Unknown"]),
        (CldColumns.ClientFundingStatus, ["Fully social care funded", "Joint client and social care funded", "Fully client funded", "Unknown"]),
        (CldColumns.EventType, [CldValues.Request, CldValues.Assessment, CldValues.Service, CldValues.Review]),
        (CldColumns.EventOutcome, [.. CldOutcomes.Hierarchy]),
        (CldColumns.RouteOfAccess, [
            "Planned entry (transition)", "Discharge from hospital", "Diversion from hospital services", "Community or other route",
            "Prison", "Self-funder", "Discharge from reablement", "Transfer from other local authority"]),
        (CldColumns.AssessmentType, ["Short term assessment", "Long term assessment"]),
        (CldColumns.EligibleNeeds, ["Yes", "No"]),
        (CldColumns.MethodOfAssessment, ["Face to face", "Telephone", "Video call", "Other"]),
        (CldColumns.HoursCaring, ["1-19 hours", "20-49 hours", "50 or more hours", "Unknown"]),
        (CldColumns.ServiceType, [
            "Long term support: Community", "Long term support: Nursing care", "Long term support: Prison",
            "Long term support: Residential care", "Short term support: Ongoing low level", "Short term support: Other short term",
            "Short term support: ST-Max", "Unpaid carer support: Direct to unpaid carer",
            "Unpaid carer support: Support involving the person cared-for"]),
        (CldColumns.ServiceComponent, [
            "Direct payment", "Short term residential care", "Short term nursing care", "Equipment", "Reablement", "Shared Lives",
            "Community supported living", "Extra care housing", "Home support or domiciliary care", "Long term residential care",
            "Long term nursing care", "Day support", "Meals", "Transport", "Professional support: Social worker",
            "Professional support: Other", "Learning, education or employment support", "End of life care", "Emergency support",
            "Other short term support", "Other long term support", "Unpaid carer respite", "Unpaid carer sitting service",
            "Unpaid carer universal services", "Other unpaid carer support"]),
        (CldColumns.DeliveryMechanism, ["Direct payment", "CASSR managed personal budget", "CASSR commissioned support"]),
        (CldColumns.CostFrequency, ["Per session", "Hourly", "Daily", "Weekly", "Fortnightly", "4-weekly", "Monthly", "Quarterly", "Annually", "One-off"]),
        (CldColumns.ReviewReason, ["Planned", "Unplanned", "Review of short term support"]),
        (CldColumns.ReviewOutcomes, ["Outcomes fully achieved", "Outcomes partially achieved", "Outcomes not achieved", "Unknown"]),
        (CldColumns.MethodOfReview, ["Face to face", "Telephone", "Video call", "Other"]),
    ];

    private readonly Dictionary<string, string>?[] _release2 = new Dictionary<string, string>?[CldColumns.Count];
    private readonly Dictionary<string, string>?[] _release1 = new Dictionary<string, string>?[CldColumns.Count];

    /// <summary>Equality under the national collation (letter case and trailing blanks ignored), without building a key string.</summary>
    public static IEqualityComparer<string> Collation { get; } = new CollationComparer();

    private sealed class CollationComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) =>
            x is null || y is null ? x is null && y is null : x.AsSpan().TrimEnd().Equals(y.AsSpan().TrimEnd(), StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(string value) => string.GetHashCode(value.AsSpan().TrimEnd(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The vocabulary with the embedded Release 1 pairs.</summary>
    public static CldVocabulary Default { get; } = new(ReadEmbeddedPairs());

    /// <param name="pairs">(column name, Release 1 value, Release 2 value); each Release 2 value must be one of the column's.</param>
    public CldVocabulary(IEnumerable<(string Column, string Release1, string Release2)> pairs)
    {
        foreach (var (column, values) in Release2)
        {
            var map = new Dictionary<string, string>(Collation);
            foreach (var value in values) map[value] = value;
            _release2[column] = map;
            _release1[column] = new Dictionary<string, string>(Collation);
        }
        foreach (var (columnName, release1, release2) in pairs)
        {
            var column = CldColumnIndex(columnName);
            if (_release2[column] is not { } r2 || !r2.TryGetValue(release2, out var canonical))
                throw new InvalidDataException($"Release 1 pair {columnName}: '{release2}' is not a Release 2 value of the column");
            _release1[column]![release1] = canonical;
        }
    }

    /// <summary>The coded columns, in layout order.</summary>
    public static IEnumerable<int> CodedColumns => Release2.Select(r => r.Column).Order();

    public static bool IsCoded(int column) => Release2.Any(r => r.Column == column);

    /// <summary>The collation key: letter case and trailing blanks do not count.</summary>
    public static string Key(string value) => value.TrimEnd().ToUpperInvariant();

    public CldCleanValue Clean(int column, string? raw)
    {
        if (raw is null || raw.AsSpan().Trim().Length == 0) return new(null, CldValueStatus.Missing);
        if (_release2[column]!.TryGetValue(raw, out var value)) return new(value, CldValueStatus.Valid);
        if (_release1[column]!.TryGetValue(raw, out value)) return new(value, CldValueStatus.MappedFromRelease1);
        return new(CldValues.Invalid, CldValueStatus.Invalid);
    }

    private static int CldColumnIndex(string name)
    {
        for (var i = 0; i < CldColumns.Count; i++)
            if (string.Equals(CldColumns.Names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new InvalidDataException($"Release 1 pair for unknown column '{name}'");
    }

    private static List<(string, string, string)> ReadEmbeddedPairs()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Forecasting.Cld.Data.r1_to_r2.csv")
            ?? throw new InvalidOperationException("the Release 1 to Release 2 pairs are not embedded");
        using var text = new StreamReader(stream);
        var pairs = new List<(string, string, string)>();
        var header = true;
        while (text.ReadLine() is { } line)
        {
            if (header) { header = false; continue; }
            if (line.Length == 0) continue;
            var cells = SplitCsvLine(line);
            pairs.Add((cells[0], cells[1], cells[2]));
        }
        return pairs;
    }

    /// <summary>One line of the small pairs file: commas inside double quotes do not split.</summary>
    private static List<string> SplitCsvLine(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        cells.Add(current.ToString());
        return cells;
    }
}

/// <summary>The event outcomes in the national hierarchy order (rank 1 first): deduplication keeps the best.</summary>
public static class CldOutcomes
{
    public static readonly IReadOnlyList<string> Hierarchy =
    [
        "Progress to reablement/ST-Max", "Progress to assessment, review or reassessment", "Release 1 specification only: Not mapped",
        "Progress to support planning or services", "Continuation of support or services", "Admitted to hospital",
        "NFA: Responsibility moved to another local authority", "NFA: Referral to NHS services or NHS funded social care",
        "NFA: Self-funded client or under 12wk disregard", "NFA: Information and advice or signposting",
        "NFA: Referral to other service within the local authority", "NFA: Support declined", "NFA: Deceased",
        "NFA: Support ended as planned", "NFA: Support ended for other reason", "NFA: No services offered for other reason", "NFA: Other",
    ];

    private static readonly Dictionary<string, int> Ranks =
        Hierarchy.Select((o, i) => (o, i)).ToDictionary(x => x.o, x => x.i + 1, CldVocabulary.Collation);

    /// <summary>1-based rank of a cleaned outcome; null for none or an invalid one.</summary>
    public static int? Rank(string? outcome) => outcome is not null && Ranks.TryGetValue(outcome, out var rank) ? rank : null;
}

/// <summary>Accommodation statuses: the settled ones (group 1 of the national code) and the rest.</summary>
public static class CldAccommodation
{
    public const string Unknown = "Unknown";
    /// <summary>National inference from a community home-support service when the status is unknown (counted as settled).</summary>
    public const string PresumedAtHome = "Unknown: Presumed at home";
    /// <summary>National inference from a community service with no component that tells the setting (not settled).</summary>
    public const string PresumedInCommunity = "Unknown: Presumed in community";

    public static readonly IReadOnlyList<string> Settled =
    [
        "Owner occupier or shared ownership scheme", "Tenant: Local authority or other social housing provider", "Tenant: Private landlord",
        "Settled mainstream housing with family or friends", "Supported accommodation, supported lodgings or supported group home",
        "Shared Lives scheme", "Approved premises for offenders released from prison or under probation supervision",
        "Sheltered housing, extra care housing or other sheltered housing", "Mobile accommodation for Gypsy, Roma and Traveller communities",
    ];

    public static readonly IReadOnlyList<string> Unsettled =
    [
        "Rough sleeper or squatting", "Night shelter, emergency hostel or direct access hostel", "Refuge",
        "Placed in temporary accommodation by the council (inc. homelessness resettlement)", "Staying with family or friends as a short term guest",
        "Acute hospital or long term healthcare residential facility", "Registered care home", "Registered nursing home",
        "Prison, young offenders institution or detention centre", "Other temporary accommodation", Unknown,
    ];
}
