using Forecasting.Cld.Model;
using Forecasting.Cld.Reading;

namespace Forecasting.Cld.Cleaning;

/// <summary>The period a submission says it covers (Reporting_Period_Start_Date to _End_Date of its rows).</summary>
public sealed record CldSubmissionPeriod(int Submission, string File, DateOnly Start, DateOnly End);

/// <summary>The cleaned events (one per national unique event), the latest person details and the data-quality report.</summary>
public sealed class CldCleanResult
{
    public required IReadOnlyList<CldEvent> Events { get; init; }
    /// <summary>The national unique-event key of each event (same order as <see cref="Events"/>): what identifies it across imports.</summary>
    public required IReadOnlyList<string> EventKeys { get; init; }
    public required IReadOnlyList<CldPerson> PeopleList { get; init; }
    public required CldQualityReport Quality { get; init; }

    public IReadOnlyList<string> Councils => Events.Select(e => e.CouncilCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>People by national person id; one council's file (people are per council, so several councils have no single map).</summary>
    /// <exception cref="InvalidOperationException">when the rows came from more than one council.</exception>
    public IReadOnlyDictionary<string, CldPerson> People => Councils.Count <= 1
        ? PeopleList.ToDictionary(p => p.PersonId, StringComparer.Ordinal)
        : throw new InvalidOperationException($"the rows are of {Councils.Count} councils: take one council's people with PeopleOf");

    public IReadOnlyDictionary<string, CldPerson> PeopleOf(string council) =>
        PeopleList.Where(p => p.CouncilCode == council).ToDictionary(p => p.PersonId, StringComparer.Ordinal);
}

/// <summary>
/// The national cleaning of CLD rows, as the DHSC main table is built (DataS-DHSC/ASC-CLD-LA-Dashboard:
/// FilterToEventsInPeriod, GetDerivedFields, GetUniqueEvents in joined mode, Create_personal_details_table). Pure: rows in, result out.
/// </summary>
/// <remarks>
/// The rows are streamed: each is cleaned and either dropped, counted or set against the record already kept for its
/// unique event, so memory holds the unique events, never the raw file.
/// </remarks>
public static class CldPipeline
{
    public static CldCleanResult Clean(IEnumerable<CldRow> rows, IReadOnlyList<CldSubmissionPeriod>? submissions = null, CldVocabulary? vocabulary = null)
    {
        var state = new CleaningState(vocabulary ?? CldVocabulary.Default, submissions ?? []);
        foreach (var row in rows) state.Add(row);
        return state.Finish();
    }

    /// <summary>
    /// The national person identifier: traced NHS number, else the council's NHS number, else LA code + "_" + the
    /// council's person id; null when the row has none of the three.
    /// </summary>
    public static string? PersonId(string? laCode, string? nhsTraced, string? nhs, string? laPersonId) =>
        !string.IsNullOrWhiteSpace(nhsTraced) ? nhsTraced.Trim()
        : !string.IsNullOrWhiteSpace(nhs) ? nhs.Trim()
        : !string.IsNullOrWhiteSpace(laPersonId) ? laCode?.Trim() + "_" + laPersonId.Trim()
        : null;

    /// <summary>
    /// Der_Event_End_Date: the date of death replaces the end date when it falls between start and end (inclusive), or
    /// after the start of an open event; otherwise the end date stands.
    /// </summary>
    public static DateOnly? DerivedEndDate(DateOnly start, DateOnly? end, DateOnly? death) =>
        death is { } d && ((end is { } e && d >= start && d <= e) || (end is null && d > start)) ? d : end;
}

/// <summary>The fields that identify a national unique event, each the first value seen of its class under the collation.</summary>
internal readonly record struct EventKey(string Council, int Start, int End, string? ClientType, string Person, string? EventType, string? Part1, string? Part2);

internal sealed class Candidate
{
    public required CldEvent Event { get; init; }
    public required EventKey Key { get; init; }
    /// <summary>Later submissions rank higher (the first deduplication and person-details tie-break).</summary>
    public required int SubmissionRank { get; init; }
    public required long? SubmittedRecordId { get; init; }
    public required int Submission { get; init; }
    public required string File { get; init; }
    public required long Line { get; init; }
    public required int ExactHash { get; init; }
    public required int FoldedHash { get; init; }
    /// <summary>Has_Unpaid_Carer as cleaned: a person detail the event itself does not carry.</summary>
    public required string? HasUnpaidCarer { get; init; }
}

internal sealed class CleaningState
{
    private readonly CldVocabulary _vocabulary;
    private readonly CldQualityTally _tally = new();
    private readonly Dictionary<EventKey, Candidate> _kept = [];
    /// <summary>Services of an earlier submission that run into a later one's period, with their end set to the day before it.</summary>
    private readonly Dictionary<EventKey, Candidate> _cropped = [];
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    /// <summary>One representative per value under the collation: key fields hold it, so keys compare as plain strings.</summary>
    private readonly Dictionary<string, string> _collated = new(CldVocabulary.Collation);
    private readonly long[,] _fieldCounts = new long[CldColumns.Count, 4];
    private readonly List<CldExample>?[,] _fieldExamples = new List<CldExample>?[CldColumns.Count, 4];
    private readonly int[] _coded = CldVocabulary.CodedColumns.ToArray();
    private readonly Dictionary<int, (int Rank, DateOnly End, DateOnly? LaterStart)> _submissions = [];
    private long _read, _dropped, _replaced, _duplicates;

    public CleaningState(CldVocabulary vocabulary, IReadOnlyList<CldSubmissionPeriod> submissions)
    {
        _vocabulary = vocabulary;
        // The latest submission (later period end, then the later file) ranks highest and wins where periods overlap.
        var ranked = submissions.OrderBy(s => s.End).ThenBy(s => s.Submission).ToList();
        for (var i = 0; i < ranked.Count; i++)
        {
            DateOnly? laterStart = i + 1 < ranked.Count ? ranked.Skip(i + 1).Min(s => s.Start) : null;
            _submissions[ranked[i].Submission] = (i, ranked[i].End, laterStart);
        }
    }

    private string? Pool(string? value)
    {
        if (value is null) return null;
        if (_pool.TryGetValue(value, out var pooled)) return pooled;
        _pool[value] = value;
        return value;
    }

    private string? KeyOf(string? raw)
    {
        if (raw is null) return null;
        if (_collated.TryGetValue(raw, out var representative)) return representative;
        _collated[raw] = raw;
        return raw;
    }

    private CldCleanValue Clean(CldRow row, int column)
    {
        var value = _vocabulary.Clean(column, row[column]);
        var status = (int)value.Status;
        _fieldCounts[column, status]++;
        if (value.Status != CldValueStatus.Valid)
        {
            var examples = _fieldExamples[column, status] ??= [];
            if (examples.Count < CldQualityTally.MaxExamples) examples.Add(new CldExample(row.File, row.Line, row[column]));
        }
        return value;
    }

    public void Add(CldRow row)
    {
        _read++;
        var values = new CldCleanValue[CldColumns.Count];
        foreach (var column in _coded) values[column] = Clean(row, column);

        var personId = CldPipeline.PersonId(row[CldColumns.LaCode], row[CldColumns.NhsNumberTraced], row[CldColumns.NhsNumber], row[CldColumns.LaPersonId]);
        string? drop =
            values[CldColumns.EventType].Status == CldValueStatus.Missing ? CldQualityCategories.NoEventType
            : row.EventStart is null ? CldQualityCategories.NoStartDate
            : row.DateOfDeath < row.EventStart ? CldQualityCategories.DiedBeforeEvent
            : personId is null ? CldQualityCategories.NoIdentifier
            : null;
        if (drop is not null)
        {
            _dropped++;
            _tally.Add(CldQualitySections.Dropped, "", drop, row.File, row.Line, null);
            return;
        }
        var start = row.EventStart!.Value;
        var end = CldPipeline.DerivedEndDate(start, row.EventEnd, row.DateOfDeath);

        var (rank, periodEnd, laterStart) = _submissions.TryGetValue(row.Submission, out var s) ? s : (row.Submission, DateOnly.MaxValue, null);
        var eventTypeRaw = row[CldColumns.EventType]!;
        bool Like(string part) => eventTypeRaw.Contains(part, StringComparison.OrdinalIgnoreCase);
        var isService = Like("service");
        // An event of an earlier submission that runs into a later submission's period is the later one's to report.
        // A service that started before that period is kept aside: if the later submission no longer has it, it
        // ended before that period, as the national code crops a service missing from the next period.
        DateOnly? croppedTo = null;
        if (laterStart is { } later && (end ?? (periodEnd == DateOnly.MaxValue ? later : periodEnd)) >= later)
        {
            if (!isService || start >= later)
            {
                Replace(row.File, row.Line);
                return;
            }
            croppedTo = later.AddDays(-1);
        }

        if (croppedTo is null) _tally.Add(CldQualitySections.PersonId, "",
            !string.IsNullOrWhiteSpace(row[CldColumns.NhsNumberTraced]) ? CldQualityCategories.TracedNhsNumber
            : !string.IsNullOrWhiteSpace(row[CldColumns.NhsNumber]) ? CldQualityCategories.NhsNumber
            : CldQualityCategories.CouncilId, row.File, row.Line, personId);
        if (end < start)
            _tally.Add(CldQualitySections.Checks, "Event_End_Date", CldQualityCategories.EndBeforeStart, row.File, row.Line,
                $"{start:yyyy-MM-dd} to {end:yyyy-MM-dd}");
        if (row.RecordId is null)
            _tally.Add(CldQualitySections.Checks, "Der_Unique_Record_ID", CldQualityCategories.NoRecordId, row.File, row.Line, null);

        var council = Pool(row[CldColumns.LaCode]!.Trim())!;
        var outcome = values[CldColumns.EventOutcome].Value;
        int? birthYear = row.BirthYear ?? row.DateOfBirth?.Year, birthMonth = row.BirthYear is null ? row.DateOfBirth?.Month : row.BirthMonth;
        var linked = new[] { row[CldColumns.Linked1], row[CldColumns.Linked2], row[CldColumns.Linked3] }.Where(l => l is not null).Select(l => Pool(l!.Trim())!).ToArray();
        var ev = new CldEvent
        {
            RecordId = row.RecordId ?? 0,
            PersonId = Pool(personId)!,
            CouncilCode = council,
            LaPersonId = Pool(row[CldColumns.LaPersonId]?.Trim()),
            ClientType = values[CldColumns.ClientType].Value ?? "",
            EventType = values[CldColumns.EventType].Value!,
            StartDate = start,
            EndDate = croppedTo ?? end,
            EventOutcome = outcome,
            OutcomeHierarchy = CldOutcomes.Rank(outcome),
            RouteOfAccess = values[CldColumns.RouteOfAccess].Value,
            AssessmentType = values[CldColumns.AssessmentType].Value,
            EligibleNeedsIdentified = values[CldColumns.EligibleNeeds].Value,
            ServiceType = values[CldColumns.ServiceType].Value,
            ServiceComponent = values[CldColumns.ServiceComponent].Value,
            DeliveryMechanism = values[CldColumns.DeliveryMechanism].Value,
            UnitCost = row.UnitCost,
            CostFrequencyUnitType = values[CldColumns.CostFrequency].Value,
            PlannedUnitsPerWeek = row.PlannedUnits,
            ReviewReason = values[CldColumns.ReviewReason].Value,
            ReviewOutcomesAchieved = values[CldColumns.ReviewOutcomes].Value,
            TotalHoursCaringPerWeek = values[CldColumns.HoursCaring].Value,
            LinkedPersonIds = linked.Length == 0 ? [] : linked,
            BirthYear = birthYear,
            BirthMonth = birthYear is null ? null : birthMonth,
            DateOfDeath = row.DateOfDeath,
            Gender = values[CldColumns.Gender].Value,
            PrimarySupportReason = values[CldColumns.PrimarySupportReason].Value,
            AccommodationStatus = values[CldColumns.AccommodationStatus].Value,
        };

        var key = new EventKey(KeyOf(council)!, start.DayNumber, isService ? int.MinValue : end?.DayNumber ?? int.MaxValue,
            KeyOf(row[CldColumns.ClientType]), KeyOf(personId)!, KeyOf(eventTypeRaw),
            Like("request") ? KeyOf(row[CldColumns.RouteOfAccess]) : Like("assessment") ? KeyOf(row[CldColumns.AssessmentType]) : isService ? KeyOf(row[CldColumns.ServiceType]) : null,
            isService ? KeyOf(row[CldColumns.ServiceComponent]) : null);
        var candidate = new Candidate
        {
            Event = ev,
            Key = key,
            SubmissionRank = rank,
            SubmittedRecordId = row.RecordId,
            Submission = row.Submission,
            File = row.File,
            Line = row.Line,
            ExactHash = Hash(row, folded: false),
            FoldedHash = Hash(row, folded: true),
            HasUnpaidCarer = values[CldColumns.HasUnpaidCarer].Value,
        };
        if (croppedTo is not null)
        {
            if (!_cropped.TryGetValue(key, out var aside)) _cropped[key] = candidate;
            else if (Better(candidate, aside)) { _cropped[key] = candidate; Replace(aside.File, aside.Line); }
            else Replace(candidate.File, candidate.Line);
            return;
        }
        Keep(candidate);
    }

    private void Replace(string file, long line)
    {
        _replaced++;
        _tally.Add(CldQualitySections.Replaced, "", CldQualityCategories.ReplacedByLater, file, line, null);
    }

    /// <summary>Keeps the candidate unless its unique event already has a better record; the loser is a duplicate removed.</summary>
    private void Keep(Candidate candidate)
    {
        var key = candidate.Key;
        if (!_kept.TryGetValue(key, out var current))
        {
            _kept[key] = candidate;
            return;
        }
        var (winner, loser) = Better(candidate, current) ? (candidate, current) : (current, candidate);
        _kept[key] = winner;
        _duplicates++;
        var kind = loser.ExactHash == winner.ExactHash ? CldQualityCategories.ExactDuplicate
            : loser.FoldedHash == winner.FoldedHash ? CldQualityCategories.CaseOnlyDuplicate
            : !string.Equals(loser.Event.EventOutcome, winner.Event.EventOutcome, StringComparison.Ordinal) ? CldQualityCategories.AnotherOutcome
            : CldQualityCategories.OtherDetails;
        _tally.Add(CldQualitySections.Duplicates, "", kind, loser.File, loser.Line, $"same event as {winner.File} row {winner.Line}, which is kept");
    }

    /// <summary>
    /// The national choice of the record kept for a unique event: the later submission, then the open record, then the
    /// latest end date, then the best outcome in the hierarchy, then the highest record id (then the later row of the file).
    /// </summary>
    internal static bool Better(Candidate a, Candidate b)
    {
        if (a.SubmissionRank != b.SubmissionRank) return a.SubmissionRank > b.SubmissionRank;
        var endA = a.Event.EndDate?.DayNumber ?? int.MaxValue;
        var endB = b.Event.EndDate?.DayNumber ?? int.MaxValue;
        if (endA != endB) return endA > endB;
        var rankA = a.Event.OutcomeHierarchy ?? 999;
        var rankB = b.Event.OutcomeHierarchy ?? 999;
        if (rankA != rankB) return rankA < rankB;
        var idA = a.SubmittedRecordId ?? long.MinValue;
        var idB = b.SubmittedRecordId ?? long.MinValue;
        if (idA != idB) return idA > idB;
        if (a.Submission != b.Submission) return a.Submission > b.Submission;
        return a.Line > b.Line;
    }

    /// <summary>A hash of every submitted cell except the record id and the reporting period (which a resubmission changes).</summary>
    private static int Hash(CldRow row, bool folded)
    {
        var hash = new HashCode();
        for (var c = 0; c < row.Cells.Length; c++)
        {
            if (c is CldColumns.RecordId or CldColumns.PeriodStart or CldColumns.PeriodEnd) continue;
            var cell = row.Cells[c];
            hash.Add(cell is null ? 0 : folded ? string.GetHashCode(cell.AsSpan().TrimEnd(), StringComparison.OrdinalIgnoreCase) : cell.GetHashCode());
        }
        return hash.ToHashCode();
    }

    public CldCleanResult Finish()
    {
        // Services set aside from an earlier submission: replaced where a later submission has them, else kept as ended.
        foreach (var (key, aside) in _cropped)
        {
            if (_kept.TryGetValue(key, out var current) && current.SubmissionRank > aside.SubmissionRank)
            {
                Replace(aside.File, aside.Line);
                continue;
            }
            _tally.Add(CldQualitySections.Replaced, "Event_End_Date", CldQualityCategories.CroppedService, aside.File, aside.Line,
                $"ended {aside.Event.EndDate:yyyy-MM-dd}");
            Keep(aside);
        }

        foreach (var column in _coded)
            for (var status = 0; status < 4; status++)
            {
                var category = (CldValueStatus)status switch
                {
                    CldValueStatus.Valid => CldQualityCategories.Valid,
                    CldValueStatus.MappedFromRelease1 => CldQualityCategories.Mapped,
                    CldValueStatus.Invalid => CldQualityCategories.Invalid,
                    _ => CldQualityCategories.Missing,
                };
                _tally.AddCounted(CldQualitySections.FieldValues, CldColumns.Names[column], category, _fieldCounts[column, status], _fieldExamples[column, status] ?? []);
            }

        // Sorted in place: an ordered LINQ query would hold a key array per sort level for every event. The order is
        // total (a submission's row is one candidate), so the unstable sort gives the same order.
        var kept = new List<Candidate>(_kept.Count);
        kept.AddRange(_kept.Values);
        kept.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Event.CouncilCode, b.Event.CouncilCode);
            if (c == 0) c = string.CompareOrdinal(a.Event.PersonId, b.Event.PersonId);
            if (c == 0) c = a.Event.StartDate.CompareTo(b.Event.StartDate);
            if (c == 0) c = string.CompareOrdinal(a.Event.EventType, b.Event.EventType);
            if (c == 0) c = a.Event.RecordId.CompareTo(b.Event.RecordId);
            if (c == 0) c = a.Submission.CompareTo(b.Submission);
            if (c == 0) c = a.Line.CompareTo(b.Line);
            return c;
        });
        // The map is done with: its entries would otherwise stay alive beside the result until cleaning returns.
        _kept.Clear();
        _kept.TrimExcess();
        _cropped.Clear();
        _cropped.TrimExcess();
        var people = CldPersonDetails.Build(kept, _tally);
        var quality = new CldQualityReport(_read, _dropped, _replaced, _duplicates, kept.Count, people.Count, _tally.Lines());
        return new CldCleanResult
        {
            Events = kept.Select(c => c.Event).ToList(),
            EventKeys = new KeyTexts(kept.Select(c => c.Key).ToArray()),
            PeopleList = people,
            Quality = quality,
        };
    }

    /// <summary>The key texts, made when read: a million key strings held at once would outweigh the events.</summary>
    private sealed class KeyTexts(EventKey[] keys) : IReadOnlyList<string>
    {
        public string this[int index] => KeyText(keys[index]);
        public int Count => keys.Length;
        public IEnumerator<string> GetEnumerator() => keys.Select(KeyText).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The unit separator: no CLD value contains it, so the key text is unambiguous.</summary>
    private const string KeySeparator = "\u001f";

    private static string KeyText(EventKey k) => string.Join(KeySeparator, Norm(k.Council), DateOnly.FromDayNumber(k.Start).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        k.End is int.MinValue ? "service" : k.End is int.MaxValue ? "open" : DateOnly.FromDayNumber(k.End).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Norm(k.ClientType), Norm(k.Person), Norm(k.EventType), Norm(k.Part1), Norm(k.Part2));

    /// <summary>The key text is the same whichever spelling of a value came first.</summary>
    private static string? Norm(string? value) => value is null ? null : CldVocabulary.Key(value);
}
