using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>One request from a new client that ended in the year, with the sequel STS001 gives it.</summary>
/// <param name="RecordType">NHS England's record type: 1 no later events, 2 a service found, 3 an NFA outcome found, 4 no service found, 5 later events out of scope.</param>
public sealed record Sts001Request(
    string PersonId, DateOnly ClusterStart, DateOnly ClusterEnd, string? Route, string? RequestOutcome, string AgeBand,
    int RecordType, string? FinalOutcome, string? FinalOutcomeMapped);

/// <summary>
/// SALT STS001: requests for support from new clients by route of access and sequel, as NHS England's replication
/// code computes it (SALT STS001/STS001 replication code.txt), read in Release 2 wording.
/// </summary>
public static class SaltSts001
{
    public const string Code = "STS001";
    public const string NullLabel = "(null)";

    /// <summary>Requests whose gap from the previous one is this many days or less are one request.</summary>
    public const int RequestGapDays = 4;
    /// <summary>Onward events stay in the chain while each starts within this many days of the previous one's end.</summary>
    public const int ChainGapDays = 3;
    /// <summary>The first onward event must start within this many days of the request's end.</summary>
    public const int FirstEventDays = 28;

    const string UnableToClassify = "Unable_To_Classify";
    const string OtherReason = "No Services Provided - other reason";

    /// <summary>
    /// NHS England's sequel mapping (code 1 = a SALT outcome, 2 = unable to classify), its Release 1 wording translated
    /// to Release 2. 'NFA: Support ended as planned' stays unable to classify (R1 'Service ended as planned');
    /// 'Release 1 specification only: Not mapped' merges R1 end of life (code 1) and financial assessment (code 2)
    /// and is read as unable to classify; 'NFA: Referral to other service within the local authority' (new in R2) is
    /// "other reason".
    /// </summary>
    static readonly (string Outcome, int Code, string Description)[] SequelMapping =
    [
        ("Progress to reablement/ST-Max", 2, UnableToClassify),
        ("Progress to assessment, review or reassessment", 2, UnableToClassify),
        (AdmittedToHospital, 2, UnableToClassify),
        ("Progress to support planning or services", 2, UnableToClassify),
        ("Release 1 specification only: Not mapped", 2, UnableToClassify),
        ("Continuation of support or services", 2, UnableToClassify),
        (SupportEndedAsPlanned, 2, UnableToClassify),
        ("NFA: Responsibility moved to another local authority", 1, OtherReason),
        ("NFA: Referral to NHS services or NHS funded social care", 1, "100% NHS Funded Care"),
        (SelfFunded, 1, OtherReason),
        ("NFA: Support declined", 1, OtherReason),
        (InformationAndAdvice, 1, "Universal Services/ Signposted to other services"),
        ("NFA: Deceased", 1, "No Services Provided - Deceased"),
        ("NFA: No services offered for other reason", 1, OtherReason),
        ("NFA: Support ended for other reason", 1, OtherReason),
        ("NFA: Other", 1, OtherReason),
        ("NFA: Referral to other service within the local authority", 1, OtherReason),
    ];

    static readonly string[] ServiceOrder = [StMax, LongTermNursing, LongTermResidential, LongTermCommunity, LongTermPrison, OngoingLowLevel, OtherShortTerm];

    static (int Code, string Description)? Mapping(string? outcome)
    {
        foreach (var m in SequelMapping)
            if (CldValues.Same(outcome, m.Outcome)) return (m.Code, m.Description);
        return null;
    }

    static string? CanonicalOutcome(string? outcome) => outcome is null ? null : Canonical(outcome, OutcomeHierarchy) ?? outcome;

    public static IReadOnlyList<Sts001Request> Requests(IReadOnlyList<CldEvent> events, int financialYear)
    {
        var (from, to) = Year(financialYear);
        // Only events starting by the year end are seen, of service users with a birth year and month, not dead before the year.
        var universe = events.Where(e => IsServiceUser(e) && e.StartDate <= to && RowAgeOn(e, to) is not null && !(e.DateOfDeath < from));
        var result = new List<Sts001Request>();
        foreach (var person in universe.GroupBy(e => e.PersonId))
        {
            var all = person.OrderBy(e => e.StartDate).ThenBy(e => e.EndDate ?? DateOnly.MinValue).ThenBy(e => e.RecordId).ToList();
            foreach (var island in Islands(all.Where(IsRequest)))
            {
                var endingInYear = island.Where(e => e.EndDate is { } end && end >= from && end <= to).ToList();
                if (endingInYear.Count == 0) continue;
                var clusterStart = island.Min(e => e.StartDate);
                var clusterEnd = endingInYear.Max(e => e.EndDate!.Value);
                // The latest-ending rows give the outcome (best in the hierarchy) and the route.
                var last = endingInYear.Where(e => e.EndDate == clusterEnd)
                    .OrderBy(e => OutcomeRank(e.EventOutcome) ?? 99).ThenByDescending(e => e.RecordId).First();
                var existingClient = all.Any(s => IsAny(s.ServiceType, LongTermServices) && s.StartDate <= clusterStart && !(s.EndDate < clusterStart));
                if (existingClient) continue;
                var age = RowAgeOn(last, to)!.Value;
                var (type, final, mapped) = Sequel(all, clusterStart, clusterEnd, last.EventOutcome);
                result.Add(new Sts001Request(person.Key, clusterStart, clusterEnd, last.RouteOfAccess, CanonicalOutcome(last.EventOutcome),
                    age < 18 ? Under18 : WorkingAgeBand(age), type, final, mapped));
            }
        }
        return result;
    }

    /// <summary>
    /// Requests in start order join the island while each starts within 4 days of the previous row's end (the row
    /// before, as NHS England's LAG does, not the latest end so far). An open request runs on indefinitely.
    /// </summary>
    static IEnumerable<List<CldEvent>> Islands(IEnumerable<CldEvent> requests)
    {
        var ordered = requests.OrderBy(e => e.StartDate).ThenBy(e => e.EndDate ?? DateOnly.MaxValue).ThenBy(e => e.RecordId).ToList();
        var current = new List<CldEvent>();
        foreach (var request in ordered)
        {
            if (current.Count > 0 && Days(current[^1].EndDate ?? DateOnly.MaxValue, request.StartDate) > RequestGapDays)
            {
                yield return current;
                current = [];
            }
            current.Add(request);
        }
        if (current.Count > 0) yield return current;
    }

    static (int RecordType, string? Final, string? Mapped) Sequel(List<CldEvent> all, DateOnly clusterStart, DateOnly clusterEnd, string? requestOutcome)
    {
        var requestMapping = Mapping(requestOutcome);
        var outcome = CanonicalOutcome(requestOutcome);
        var onward = all.Where(e => e.StartDate >= clusterEnd).ToList();
        // The rank is taken before the request itself is removed (NHS England does the same), so after a same-day
        // request the first remaining event has rank 2 and escapes the 28-day test.
        var startRanks = onward.Select(e => e.StartDate).Distinct().OrderBy(d => d).Select((d, i) => (d, i + 1)).ToDictionary(x => x.d, x => x.Item2);
        onward = onward.Where(e => !(IsRequest(e) && (e.StartDate == clusterStart || e.EndDate == clusterEnd))).ToList();
        if (onward.Count == 0)
            return (1, outcome is null ? null : "No_Chronology_" + outcome, "No_Chronology_" + (requestMapping?.Description ?? UnableToClassify));

        var flags = new int[onward.Count];
        for (var i = 0; i < onward.Count; i++)
            flags[i] = i > 0 && onward[i - 1].EndDate is { } prevEnd && Days(prevEnd, onward[i].StartDate) > ChainGapDays ? 0 : 1;
        // Running minima include every row starting on or before the row's own start date (SQL's default window frame).
        int RunningMin(Func<int, int> value, int i) => Enumerable.Range(0, onward.Count).Where(j => onward[j].StartDate <= onward[i].StartDate).Min(value);
        var inChain = Enumerable.Range(0, onward.Count).Select(i =>
            startRanks[onward[i].StartDate] == 1 && onward[i].EndDate is null ? 1
            : startRanks[onward[i].StartDate] == 1 && Days(clusterEnd, onward[i].StartDate) > FirstEventDays ? 0
            : RunningMin(j => flags[j], i)).ToArray();
        var kept = Enumerable.Range(0, onward.Count)
            .Where(i => RunningMin(j => inChain[j], i) == 1 && RunningMin(j => IsRequest(onward[j]) ? 0 : 1, i) == 1)
            .Select(i => onward[i]).ToList();
        if (kept.Count == 0)
            return (5, outcome is null ? null : "No_Chronology_" + outcome, requestMapping is { } m ? "No_Chronology_" + m.Description : null);

        var service = kept.Select(e => Array.FindIndex(ServiceOrder, s => CldValues.Same(e.ServiceType, s))).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (service >= 0) return (2, ServiceOrder[service], ServiceOrder[service]);

        // No service: the latest-ending onward events with a SALT outcome; conflicting ones are "other reason".
        var nfaEnds = kept.Where(e => Mapping(e.EventOutcome)?.Code == 1).Select(e => e.EndDate).ToList();
        if (nfaEnds.Count > 0)
        {
            // The latest end wins; an open end ranks after every dated one, as NULLs do in SQL Server's descending order.
            var latest = nfaEnds.Max();
            var atLatest = kept.Where(e => e.EndDate == latest)
                .Select(e => (Type: e.EventType.ToLowerInvariant(), e.StartDate, e.EndDate, Outcome: CanonicalOutcome(e.EventOutcome))).Distinct().ToList();
            if (atLatest.Count == 1) return (3, atLatest[0].Outcome, Mapping(atLatest[0].Outcome)!.Value.Description);
            return (3, "NFA: Other", OtherReason);
        }
        return (4, outcome is null ? null : "No Service Found_" + outcome,
            requestMapping is { Code: 1 } nfa ? "No Service Found_" + nfa.Description : "No Service Found");
    }

    public static CldTable Compute(IReadOnlyList<CldEvent> events, int financialYear)
    {
        var (from, to) = Year(financialYear);
        var requests = Requests(events, financialYear);
        return new CldTable(Code, "Requests for support from new clients by route of access and sequel", from, to,
            ["Age band", "Route of access", "Sequel"],
            requests.GroupBy(r => (r.AgeBand, Route: r.Route ?? NullLabel, Sequel: r.FinalOutcomeMapped ?? NullLabel))
                .OrderBy(g => g.Key.AgeBand).ThenBy(g => g.Key.Route).ThenBy(g => g.Key.Sequel)
                .Select(g => new CldCount([g.Key.AgeBand, g.Key.Route, g.Key.Sequel], g.Count())).ToList(),
            [
                "Request clusters (4-day rule) ending in the year, of clients with no long-term service open on the cluster start; age at the year end from the row's birth year and month (under-18s in their own band).",
                "Sequel: the best service in the chain of onward events (3-day gaps, first within 28 days, stopped by a later request), else an NFA outcome in the chain, else 'No Service Found', else 'No_Chronology_' + the request's outcome.",
                "Kept quirk: the onward-event rank is taken before the request itself is removed, so after a same-day request the 28-day test never applies.",
                "Matching is on person and request cluster, not on route and outcome (a blank route or outcome never matches in the national SQL).",
                "An open request stays open (the national code gives it today's date); it cannot end in a past year.",
            ]);
    }
}
