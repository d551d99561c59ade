using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>A proxy hospital discharge: a 'Discharge from hospital' request of someone aged 65+, ending (discharge) in the period.</summary>
public sealed record ProxyDischarge(string PersonId, DateOnly Admission, DateOnly Discharge, int Age, string? Gender);

/// <summary>A reablement episode linked to a proxy discharge, with whether the person was still at home 91 days later.</summary>
public sealed record Ascof2DEpisode(ProxyDischarge Discharge, DateOnly ReablementStart, bool AtHome, string? NotAtHomeBecause);

/// <summary>
/// ASCOF 2D, local variant without hospital episode data: older people (65+) still at home 91 days after discharge
/// from hospital into reablement (part 1) and the share of discharges that went to reablement (part 2). DHSC's
/// national 2D (ASCOF_measures/Create_ASCOF_2D.sql) links CLD reablement to SUS hospital discharges, which a council
/// does not hold; here the discharge is the CLD request whose route of access is 'Discharge from hospital', and
/// readmission and care-home moves are read from CLD dates.
/// </summary>
public static class Ascof2DLocal
{
    public const string CodePart1 = "2D(1)";
    public const string CodePart2 = "2D(2)";
    /// <summary>The follow-up councils report ("still at home 91 days later"); DHSC's SUS-based version uses 84.</summary>
    public const int FollowUpDays = 91;
    public const int ClusterGapDays = 7;
    /// <summary>A discharge links to reablement starting up to 7 days after it or 3 days before it.</summary>
    public const int DischargeBeforeDays = 7;
    public const int DischargeAfterDays = 3;

    public static readonly string[] Slices = [Total, "65-74", "75-84", "85+", "Female", "Male"];

    /// <summary>
    /// The period a year's 2D covers: the financial year, or, when the data end too soon for 91 days of follow-up,
    /// the 12 months ending a quarter earlier (DHSC likewise reports 2D three months behind).
    /// </summary>
    public static (DateOnly From, DateOnly To) ReportingPeriod(int financialYear, DateOnly dataEnd)
    {
        var (from, to) = Year(financialYear);
        while (to > dataEnd.AddMonths(-3))
        {
            from = from.AddMonths(-3);
            to = from.AddYears(1).AddDays(-1);
        }
        return (from, to);
    }

    static IEnumerable<CldEvent> Population(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, DateOnly from) =>
        events.Where(e => IsServiceUser(e) && HasValidDates(e) && !(PersonOf(people, e.PersonId)?.DateOfDeath < from));

    public static IReadOnlyList<ProxyDischarge> Discharges(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, DateOnly from, DateOnly to)
    {
        var population = Population(events, people, from).ToList();
        var institutional = population.Where(s => IsService(s) && IsAny(s.ServiceType, LongTermResidential, LongTermNursing, LongTermPrison)).ToLookup(s => s.PersonId);
        return population
            .Where(e => IsRequest(e) && CldValues.Same(e.RouteOfAccess, DischargeFromHospital) && e.EndDate is { } d && d >= from && d <= to)
            .Select(e => (Event: e, Person: PersonOf(people, e.PersonId), Discharge: e.EndDate!.Value))
            .Where(x => AgeOn(x.Person?.BirthDate, x.Discharge) >= 65)
            // Someone already in a care home or prison when admitted was not discharged home.
            .Where(x => !institutional[x.Event.PersonId].Any(s => s.StartDate <= x.Event.StartDate && !(s.EndDate < x.Event.StartDate)))
            .GroupBy(x => (x.Event.PersonId, x.Discharge))
            .Select(g => new ProxyDischarge(g.Key.PersonId, g.Min(x => x.Event.StartDate), g.Key.Discharge,
                AgeOn(g.First().Person!.BirthDate, g.Key.Discharge)!.Value, g.First().Person!.Gender))
            .ToList();
    }

    public static IReadOnlyList<Ascof2DEpisode> Episodes(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, DateOnly from, DateOnly to)
    {
        var population = Population(events, people, from).ToLookup(e => e.PersonId);
        var discharges = Discharges(events, people, from, to).ToLookup(d => d.PersonId);
        var episodes = new List<Ascof2DEpisode>();
        foreach (var personDischarges in discharges)
        {
            var personId = personDischarges.Key;
            var reablement = population[personId].Where(e => IsService(e) && CldValues.Same(e.ServiceType, StMax) && CldValues.Same(e.ServiceComponent, "Reablement"));
            foreach (var clusterStart in ClusterStarts(reablement))
            {
                var link = personDischarges
                    .Where(d => d.Discharge >= clusterStart.AddDays(-DischargeBeforeDays) && d.Discharge <= clusterStart.AddDays(DischargeAfterDays) && d.Admission <= clusterStart)
                    .MaxBy(d => d.Discharge);
                if (link is null) continue;
                var reason = NotAtHome(population[personId], PersonOf(people, personId), link, clusterStart);
                episodes.Add(new Ascof2DEpisode(link, clusterStart, reason is null, reason));
            }
        }
        return episodes;
    }

    static IEnumerable<DateOnly> ClusterStarts(IEnumerable<CldEvent> reablement)
    {
        DateOnly? latestEnd = null;
        foreach (var e in reablement.OrderBy(e => e.StartDate).ThenBy(e => e.EndDate ?? DateOnly.MaxValue))
        {
            if (latestEnd is null || Days(latestEnd.Value, e.StartDate) > ClusterGapDays) yield return e.StartDate;
            var end = e.EndDate ?? DateOnly.MaxValue;
            latestEnd = latestEnd is { } l && l > end ? l : end;
        }
    }

    /// <summary>Why the person was not at home at the end of the follow-up (discharge to discharge + 91 days, inclusive), or null.</summary>
    static string? NotAtHome(IEnumerable<CldEvent> personEvents, CldPerson? person, ProxyDischarge discharge, DateOnly reablementStart)
    {
        var from = discharge.Discharge;
        var to = from.AddDays(FollowUpDays);
        bool Within(DateOnly? d) => d >= from && d <= to;
        if (Within(person?.DateOfDeath)) return "died";
        var events = personEvents.ToList();
        if (events.Any(e => IsService(e) && IsAny(e.ServiceType, LongTermResidential, LongTermNursing) && Within(e.StartDate))) return "care home";
        if (events.Any(e => IsRequest(e) && CldValues.Same(e.RouteOfAccess, DischargeFromHospital)
                            && e.StartDate > reablementStart && e.StartDate > from && Within(e.StartDate))) return "readmitted (new discharge request)";
        if (events.Any(e => CldValues.Same(e.EventOutcome, AdmittedToHospital) && e.EndDate > from && Within(e.EndDate))) return "readmitted (admitted to hospital)";
        return null;
    }

    static bool InSlice(ProxyDischarge d, string slice) => slice switch
    {
        Total => true,
        "65-74" => d.Age is >= 65 and <= 74,
        "75-84" => d.Age is >= 75 and <= 84,
        "85+" => d.Age >= 85,
        _ => CldValues.Same(d.Gender, slice),
    };

    public static (CldMeasureResult Part1, CldMeasureResult Part2) Compute(
        IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, DateOnly from, DateOnly to)
    {
        var discharges = Discharges(events, people, from, to);
        var episodes = Episodes(events, people, from, to);
        var linked = episodes.Select(e => e.Discharge).Distinct().ToList();
        string[] notes =
        [
            "Local variant: the discharge is a 'Discharge from hospital' request (end = discharge, start = admission) of someone aged 65+; no hospital episode (SUS) data.",
            "Not at home if, from discharge to 91 days after, the person died, started long-term residential or nursing care, or was readmitted (a new discharge request, or an event ending 'Admitted to hospital').",
            "Part 2 counts discharges linked to reablement starting up to 7 days after or 3 days before the discharge; each discharge once (DHSC counts linked episodes, which can count one discharge twice).",
            "Values are percentages to 2 decimals, as DHSC rounds 2D.",
        ];
        var part1Rows = Slices.Select(s => CldRatio.Percent(s, episodes.Count(e => e.AtHome && InSlice(e.Discharge, s)), episodes.Count(e => InSlice(e.Discharge, s)), 2)).ToList();
        var part2Rows = Slices.Select(s => CldRatio.Percent(s, linked.Count(d => InSlice(d, s)), discharges.Count(d => InSlice(d, s)), 2)).ToList();
        return (
            new CldMeasureResult(CodePart1, "Proportion of older people (65+) still at home 91 days after discharge from hospital into reablement (local, %)",
                Framework, from, to, part1Rows[0].Numerator, part1Rows[0].Denominator, part1Rows[0].Value, part1Rows, notes),
            new CldMeasureResult(CodePart2, "Proportion of older people (65+) discharged from hospital who went into reablement (local, %)",
                Framework, from, to, part2Rows[0].Numerator, part2Rows[0].Denominator, part2Rows[0].Value, part2Rows, notes));
    }
}
