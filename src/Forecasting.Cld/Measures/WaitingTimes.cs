using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>One request's waits: days to the first response (assessment, or a service when that came first) and to the first service.</summary>
public sealed record RequestWait(
    string PersonId, DateOnly RequestStart,
    DateOnly? FirstResponse, string? FirstResponseType, string? FirstResponseBand,
    DateOnly? FirstService, string? FirstServiceBand, bool Overlaps)
{
    public int? DaysToFirstResponse => Overlaps || FirstResponse is null ? null : CldTerms.Days(RequestStart, FirstResponse.Value);
    public int? DaysToFirstService => Overlaps || FirstService is null ? null : CldTerms.Days(RequestStart, FirstService.Value);
}

/// <summary>The median wait of one metric, quarter and age band, and how many waits it is over.</summary>
public sealed record WaitingTimeRow(string Metric, DateOnly PeriodStart, DateOnly PeriodEnd, string AgeBand, int Waits, double MedianDays);

public sealed record WaitingTimesResult(DateOnly PeriodStart, DateOnly PeriodEnd, IReadOnlyList<WaitingTimeRow> Rows, IReadOnlyList<string> Notes);

/// <summary>
/// Waiting times as DHSC's dashboard defines them (DataS-DHSC/ASC-CLD-LA-Dashboard, Waiting_times/waiting_times_method.sql,
/// version 1.1): for new requests from people aged 25+, the days from the request to the first response (the first
/// assessment, or a service when it comes first) and to the first service, reported as the median and the number of
/// waits per quarter in which the response or service starts, by age band (25-64, 65+).
/// </summary>
public static class WaitingTimes
{
    public const string ToFirstResponse = "Wait time to first response";
    public const string ToFirstService = "Wait time to first service";
    public const string Aged25To64 = "25 to 64";

    static readonly string[] AssessmentTypes = ["Short term assessment", "Long term assessment"];
    static readonly string[] ServiceTypes = [LongTermNursing, LongTermResidential, LongTermCommunity, LongTermPrison, StMax, OngoingLowLevel, OtherShortTerm];
    static readonly string[] ProgressToService = ["Progress to reablement/ST-Max", "Progress to support planning or services", "Continuation of support or services"];

    /// <summary>The first day DHSC reads requests from (the start of its joined CLD table).</summary>
    public static readonly DateOnly FirstRequestDate = new(2023, 4, 1);

    sealed record Step(CldEvent Event, int Kind, string Band, bool AssessmentProgress);

    static string? Band(CldPerson? person, DateOnly on) => AgeOn(person?.BirthDate, on) switch
    {
        null or < 25 => null,
        <= 64 => Aged25To64,
        _ => Aged65AndOver,
    };

    public static IReadOnlyList<RequestWait> Requests(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people)
    {
        var result = new List<RequestWait>();
        foreach (var person in events.GroupBy(e => e.PersonId))
        {
            var details = PersonOf(people, person.Key);
            var services = person.Where(e => IsService(e) && IsAny(e.ServiceType, ServiceTypes)).ToList();
            // New requests: aged 25+, no recent long-term (12 months) or ST-Max/other short-term (3 months) service started before, outcome not NFA or hospital.
            var requests = person.Where(r => IsRequest(r) && IsServiceUser(r) && r.StartDate >= FirstRequestDate && Band(details, r.StartDate) is not null
                    && !services.Any(s => s.StartDate < r.StartDate && (
                        (IsAny(s.ServiceType, LongTermServices) && !(s.EndDate < r.StartDate.AddMonths(-12)))
                        || (IsAny(s.ServiceType, StMax, OtherShortTerm) && !(s.EndDate < r.StartDate.AddMonths(-3)))))
                    && r.EventOutcome is not null && !(OutcomeRank(r.EventOutcome) >= 6))
                .Select(r => new Step(r, 1, Band(details, r.StartDate)!, false));
            var others = person.Where(e => Band(details, e.StartDate) is not null
                    && ((CldValues.Same(e.EventType, CldValues.Assessment) && IsAny(e.AssessmentType, AssessmentTypes)) || services.Contains(e)))
                .Select(e => new Step(e, IsService(e) ? 3 : 2, Band(details, e.StartDate)!, IsAny(e.EventOutcome, ProgressToService)));
            // The person's chronology: by start, then request before assessment before service, then the last loaded first.
            var chronology = requests.Concat(others).OrderBy(s => s.Event.StartDate).ThenBy(s => s.Kind).ThenByDescending(s => s.Event.RecordId).ToList();
            if (!chronology.Any(s => s.Kind == 1)) continue;

            // Consecutive assessments form a block; the block leads to a service when any of them says so.
            var blockProgress = new bool[chronology.Count];
            for (var i = 0; i < chronology.Count;)
            {
                var j = i;
                while (j < chronology.Count && chronology[j].Kind == 2) j++;
                var progress = chronology.Skip(i).Take(j - i).Any(s => s.AssessmentProgress);
                for (var k = i; k < j; k++) blockProgress[k] = progress;
                i = j == i ? i + 1 : j;
            }

            int maxResponse = 0, maxService = 0;
            int? previousFollowUp = null;
            for (var r = 0; r < chronology.Count; r++)
            {
                if (chronology[r].Kind != 1) continue;
                var assessment = Next(chronology, r, 2);
                var service = Next(chronology, r, 3);
                // A service that comes before any assessment is the first response.
                var response = service is { } sv && (assessment is null || assessment > sv) ? service : assessment;
                // An assessment block that does not lead to a service means the later service is not this request's.
                var serviceForRequest = response is { } rp && chronology[rp].Kind == 2 && !blockProgress[rp] ? null : service;
                var overlaps = previousFollowUp > r || response <= maxResponse || serviceForRequest <= maxService;
                previousFollowUp = Max(response, serviceForRequest);
                maxResponse = Math.Max(maxResponse, response ?? 0);
                maxService = Math.Max(maxService, serviceForRequest ?? 0);
                result.Add(new RequestWait(person.Key, chronology[r].Event.StartDate,
                    response is { } a ? chronology[a].Event.StartDate : null, response is { } t ? (chronology[t].Kind == 2 ? CldValues.Assessment : CldValues.Service) : null,
                    response is { } b ? chronology[b].Band : null,
                    serviceForRequest is { } s ? chronology[s].Event.StartDate : null, serviceForRequest is { } sb ? chronology[sb].Band : null, overlaps));
            }
        }
        return result;
    }

    static int? Next(List<Step> chronology, int from, int kind)
    {
        for (var i = from + 1; i < chronology.Count; i++)
            if (chronology[i].Kind == kind) return i;
        return null;
    }

    static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    /// <summary>The waits of one financial year: per quarter (as DHSC) and for the whole year, by age band.</summary>
    public static WaitingTimesResult Compute(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear)
    {
        var (from, to) = Year(financialYear);
        var waits = Requests(events, people);
        var points = waits.Where(w => w.DaysToFirstResponse is not null).Select(w => (Metric: ToFirstResponse, Date: w.FirstResponse!.Value, Band: w.FirstResponseBand!, Days: w.DaysToFirstResponse!.Value))
            .Concat(waits.Where(w => w.DaysToFirstService is not null).Select(w => (Metric: ToFirstService, Date: w.FirstService!.Value, Band: w.FirstServiceBand!, Days: w.DaysToFirstService!.Value)))
            .Where(p => p.Date >= from && p.Date <= to).ToList();
        var rows = new List<WaitingTimeRow>();
        foreach (var metric in new[] { ToFirstResponse, ToFirstService })
            foreach (var band in new[] { Aged25To64, Aged65AndOver })
            {
                var mine = points.Where(p => p.Metric == metric && p.Band == band).ToList();
                for (var q = from; q <= to; q = q.AddMonths(3))
                {
                    var days = mine.Where(p => p.Date >= q && p.Date < q.AddMonths(3)).Select(p => p.Days).ToList();
                    if (days.Count > 0) rows.Add(new WaitingTimeRow(metric, q, q.AddMonths(3).AddDays(-1), band, days.Count, Median(days)));
                }
                if (mine.Count > 0) rows.Add(new WaitingTimeRow(metric, from, to, band, mine.Count, Median(mine.Select(p => p.Days).ToList())));
            }
        return new WaitingTimesResult(from, to, rows,
        [
            "Requests of service users aged 25+ from 1 April 2023 that are not from existing clients and do not end NFA or in hospital; a request overlapping the follow-up of an earlier one is not timed.",
            "Median (interpolated, as PERCENTILE_CONT(0.5)) and count per quarter of the response or service start, by age band at that event; the whole-year row pools the year's quarters.",
            "DHSC lets a Release 1 'conversation' request stand as the assessment; CLD files carry no conversation flag, so requests never do here.",
        ]);
    }

    /// <summary>The median as PERCENTILE_CONT(0.5): the middle value, or the mean of the two middle values.</summary>
    public static double Median(IReadOnlyList<int> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.OrderBy(v => v).ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
