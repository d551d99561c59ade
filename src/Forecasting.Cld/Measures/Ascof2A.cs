using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>One ST-Max cluster that ends in the year, with the sequel the national steps give it.</summary>
public sealed record Ascof2AEpisode(
    string PersonId, DateOnly Start, DateOnly End, string ClusterOutcome, string AgeBand, bool NewClient,
    string? SequelStep, string? FinalOutcome, bool InDenominator, bool InNumerator);

/// <summary>
/// ASCOF 2A, the short-term support outcome, as DHSC computes it from CLD for 2024/25 onwards
/// (DataS-DHSC/ASC-CLD-LA-Dashboard, ASCOF_measures/Create_ASCOF_2A_2425_Onwards.sql): ST-Max services are
/// clustered, clusters of new clients ending in the year are given a sequel in the national order, and the share
/// whose sequel is no long-term support (ongoing low-level, other short-term or a usable NFA outcome) is reported.
/// Counts are clusters, not people.
/// </summary>
public static class Ascof2A
{
    public const string Code = "2A";
    public const string Title = "Proportion of people who received short-term services during the year, who previously were not receiving services, where no further request was made for ongoing support (%)";

    /// <summary>Days between one ST-Max ending and the next starting that still make one episode; also the sequel window.</summary>
    public const int ClusterGapDays = 7;
    /// <summary>A long-term service ending fewer days than this before the cluster makes the person an existing client.</summary>
    public const int NewClientDays = 91;
    /// <summary>Assessments and reviews nested in the cluster count when they end fewer days than this before its end.</summary>
    public const int NestedAssessmentDays = 14;
    /// <summary>Added to the rank of outcomes that say nothing about what followed (progress, continuation), so usable ones win.</summary>
    const int UnusablePenalty = 100;
    const int NoOutcomeRank = 999;

    public const string ResidentialOrNursingShortTerm = "Short term support: Residential or Nursing care";

    static readonly string[] SequelServiceOrder = [LongTermNursing, LongTermResidential, LongTermCommunity, LongTermPrison, StMax, OngoingLowLevel, OtherShortTerm];

    static readonly string[] Denominator =
    [
        LongTermCommunity, LongTermNursing, LongTermResidential, LongTermPrison, OngoingLowLevel, OtherShortTerm, ResidentialOrNursingShortTerm,
        .. NoLongTermNfa(),
    ];

    static readonly string[] Numerator = [OngoingLowLevel, OtherShortTerm, .. NoLongTermNfa()];

    static string[] NoLongTermNfa() =>
    [
        InformationAndAdvice, SupportEndedAsPlanned, "NFA: Responsibility moved to another local authority", "NFA: Other",
        "NFA: No services offered for other reason", "NFA: Support ended for other reason", "NFA: Referral to other service within the local authority",
    ];

    sealed record Row(CldEvent Event, DateOnly End, int Rank, string Outcome);

    /// <summary>Outcome and its 2A rank: blanks and invalid values rank last, unusable outcomes are pushed behind usable ones.</summary>
    static Row ToRow(CldEvent e)
    {
        var rank = OutcomeRank(e.EventOutcome);
        var end = e.EndDate ?? DateOnly.MaxValue;
        if (rank is null) return new Row(e, end, NoOutcomeRank, CldValues.Invalid);
        return new Row(e, end, rank.Value <= 5 ? rank.Value + UnusablePenalty : rank.Value, OutcomeHierarchy[rank.Value - 1]);
    }

    static string OutcomeOfRank(int rank) =>
        rank == NoOutcomeRank ? CldValues.Invalid : OutcomeHierarchy[(rank > UnusablePenalty ? rank - UnusablePenalty : rank) - 1];

    /// <summary>Every ST-Max cluster ending in the year, with its new-client flag and sequel.</summary>
    public static IReadOnlyList<Ascof2AEpisode> Episodes(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear)
    {
        var (from, to) = Year(financialYear);
        var episodes = new List<Ascof2AEpisode>();
        foreach (var person in events.Where(e => IsServiceUser(e) && HasValidDates(e)).Select(ToRow).GroupBy(r => r.Event.PersonId))
        {
            var rows = person.ToList();
            var details = PersonOf(people, person.Key);
            foreach (var cluster in Clusters(rows.Where(r => IsService(r.Event) && CldValues.Same(r.Event.ServiceType, StMax))))
            {
                if (cluster.End < from || cluster.End > to) continue;
                var age = AgeOn(details?.BirthDate, cluster.End);
                if (age < 18 || details?.DateOfDeath < cluster.Start) continue;
                // The cluster's own ST-Max rows are not events around it.
                var others = rows.Where(r => !(IsService(r.Event) && CldValues.Same(r.Event.ServiceType, StMax)
                    && r.Event.StartDate >= cluster.Start && r.Event.StartDate <= cluster.End)).ToList();
                var newClient = !others.Any(r => IsLongTerm(r.Event) && r.Event.StartDate < cluster.Start && Days(r.End, cluster.Start) < NewClientDays);
                var (step, outcome) = newClient ? Sequel(cluster, others, details?.DateOfDeath) : (null, null);
                episodes.Add(new Ascof2AEpisode(person.Key, cluster.Start, cluster.End, cluster.Outcome, WorkingAgeBand(age), newClient, step, outcome,
                    newClient && IsAny(outcome, Denominator), newClient && IsAny(outcome, Numerator)));
            }
        }
        return episodes;
    }

    sealed record Cluster(DateOnly Start, DateOnly End, string Outcome, int Rank);

    /// <summary>Rows in start order join the cluster while each starts within 7 days of the latest end so far.</summary>
    static IEnumerable<Cluster> Clusters(IEnumerable<Row> stMax)
    {
        var ordered = stMax.OrderBy(r => r.Event.StartDate).ThenBy(r => r.End).ThenBy(r => r.Rank).ThenByDescending(r => r.Event.RecordId).ToList();
        var current = new List<Row>();
        DateOnly? latestEnd = null;
        foreach (var row in ordered)
        {
            if (latestEnd is { } le && Days(le, row.Event.StartDate) > ClusterGapDays)
            {
                yield return Close(current);
                current = [];
            }
            current.Add(row);
            latestEnd = latestEnd is { } l && l > row.End ? l : row.End;
        }
        if (current.Count > 0) yield return Close(current);

        // The outcome is that of the latest-ending row, then the best-ranked, then the last loaded.
        static Cluster Close(List<Row> rows)
        {
            var last = rows.OrderByDescending(r => r.End).ThenBy(r => r.Rank).ThenByDescending(r => r.Event.RecordId).First();
            return new Cluster(rows.Min(r => r.Event.StartDate), rows.Max(r => r.End), last.Outcome, last.Rank);
        }
    }

    /// <summary>The national sequel steps 1-6, first match wins.</summary>
    static (string Step, string Outcome) Sequel(Cluster cluster, List<Row> others, DateOnly? dateOfDeath)
    {
        // 1. Death before or within 7 days of the end.
        if (dateOfDeath is { } died && Days(cluster.End, died) <= ClusterGapDays) return ("1", "NFA: Deceased");
        // 2. The episode itself ended in hospital.
        if (CldValues.Same(cluster.Outcome, AdmittedToHospital)) return ("2", AdmittedToHospital);

        // Events starting in the cluster or within 7 days after it and still going after it; stop at a later ST-Max.
        var window = others.Where(r => r.Event.StartDate >= cluster.Start && r.End > cluster.End && Days(cluster.End, r.Event.StartDate) <= ClusterGapDays).ToList();
        var firstStMax = window.Where(r => IsService(r.Event) && CldValues.Same(r.Event.ServiceType, StMax)).Select(r => (DateOnly?)r.Event.StartDate).Min();
        if (firstStMax is { } cut) window = window.Where(r => r.Event.StartDate < cut).ToList();

        // 3. The highest-ranked service in the window.
        var service = window
            .Select(r => (Row: r, Order: Array.FindIndex(SequelServiceOrder, s => CldValues.Same(r.Event.ServiceType, s))))
            .Where(x => IsService(x.Row.Event) && x.Order >= 0)
            .OrderBy(x => x.Order).ThenBy(x => IsShortTermCareHome(x.Row.Event) ? 0 : 1)
            .Select(x => x.Row).FirstOrDefault();
        if (service is not null)
        {
            var type = SequelServiceOrder.First(s => CldValues.Same(service.Event.ServiceType, s));
            return ("3", type == OtherShortTerm && IsShortTermCareHome(service.Event) ? ResidentialOrNursingShortTerm : type);
        }

        // 4. The best usable outcome of (a) the cluster, (b) non-service events in the window, (c) assessments and reviews ending near its end.
        var candidates = new List<(int Rank, int Source)>();
        if (window.Count == 0 && cluster.Rank < UnusablePenalty) candidates.Add((cluster.Rank, 1));
        foreach (var r in window.Where(r => !IsService(r.Event) && !CldValues.Same(r.Outcome, SupportEndedAsPlanned)
                     && (cluster.Rank < UnusablePenalty || r.Rank < UnusablePenalty)))
        {
            candidates.Add((cluster.Rank, 1));
            if (r.Rank < UnusablePenalty) candidates.Add((r.Rank, 2));
        }
        var nested = others.Where(r => r.Event.StartDate >= cluster.Start && r.End > cluster.Start && r.End <= cluster.End).ToList();
        var nearEnd = nested
            .Where(r => IsAssessmentOrReview(r.Event) && Days(r.End, cluster.End) < NestedAssessmentDays && r.Rank < UnusablePenalty)
            .OrderByDescending(r => r.End).ThenBy(r => r.Rank).ThenByDescending(r => r.Event.RecordId).FirstOrDefault();
        if (nearEnd is not null) candidates.Add((nearEnd.Rank, 3));
        if (candidates.Count > 0)
        {
            var best = candidates.Min(c => c.Rank);
            var source = candidates.Where(c => c.Rank == best).Min(c => c.Source);
            return ("4" + (char)('a' + source - 1), OutcomeOfRank(best));
        }

        // 5. Equipment delivered during the episode.
        if (nested.Any(r => IsService(r.Event) && CldValues.Same(r.Event.ServiceComponent, "Equipment"))) return ("5", OngoingLowLevel);
        // 6. Unable to classify: the cluster's own outcome.
        return ("6", cluster.Outcome);
    }

    static bool IsShortTermCareHome(CldEvent e) => IsAny(e.ServiceComponent, "Short term residential care", "Short term nursing care");

    public static CldMeasureResult Compute(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear)
    {
        var (from, to) = Year(financialYear);
        var counted = Episodes(events, people, financialYear).Where(e => e.NewClient).ToList();
        CldMeasureRow Slice(string name, IEnumerable<Ascof2AEpisode> set) =>
            CldRatio.Percent(name, set.Count(e => e.InNumerator), set.Count(e => e.InDenominator), 1);
        var total = Slice(Total, counted);
        return new CldMeasureResult(Code, Title, Framework, from, to, total.Numerator, total.Denominator, total.Value,
            [Slice(Aged18To64, counted.Where(e => e.AgeBand == Aged18To64)), Slice(Aged65AndOver, counted.Where(e => e.AgeBand == Aged65AndOver)), total],
            [
                "Counts ST-Max clusters (7-day rule) of new clients (no long-term service ending within 91 days before) that end in the year.",
                "Total includes people of unknown age; under-18s are excluded.",
                "Person details (birth date, death) are the latest in the whole file, used for every year.",
            ])
        {
            Breakdown = counted
                .GroupBy(e => (e.AgeBand, e.SequelStep, e.FinalOutcome))
                .OrderBy(g => g.Key.AgeBand).ThenBy(g => g.Key.SequelStep).ThenBy(g => g.Key.FinalOutcome)
                .Select(g => new CldCount([g.Key.AgeBand, g.Key.SequelStep!, g.Key.FinalOutcome!], g.Count())).ToList(),
        };
    }
}
