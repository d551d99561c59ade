using Forecasting.Cld.Model;
using Forecasting.Cld.Reading;

namespace Forecasting.Cld.Cleaning;

/// <summary>
/// The latest person details, one per council and person, from the deduplicated events, as the national
/// Create_personal_details_table does: per field the latest known value (known before unknown, then the later
/// submission, then the latest end date with open events latest, then the latest start); when the rows tied at the
/// top disagree the value is Unknown. Birth date is the earliest valid year and month of the latest submission,
/// date of death the latest; an unknown accommodation is inferred from the person's latest services.
/// </summary>
internal static class CldPersonDetails
{
    private const string Unknown = "Unknown";

    private static readonly string[] AccommodationComponents =
        ["Shared Lives", "Community supported living", "Extra care housing", "Home support or domiciliary care"];

    private static readonly string[] ServiceTypeOrder =
    [
        "Long term support: Nursing care", "Long term support: Residential care", "Long term support: Community", "Long term support: Prison",
        "Short term support: ST-Max", "Short term support: Ongoing low level", "Short term support: Other short term",
    ];

    public static List<CldPerson> Build(List<Candidate> kept, CldQualityTally tally)
    {
        // Carers' rows name the council ids of the people they care for: those people have an unpaid carer.
        var cared = new HashSet<(string, string)>();
        foreach (var c in kept)
            if (CldValues.Same(c.Event.ClientType, CldValues.UnpaidCarer) || CldValues.Same(c.Event.ClientType, CldValues.UnpaidCarerKnownByAssociation))
                foreach (var linked in c.Event.LinkedPersonIds) cared.Add((c.Event.CouncilCode, linked));

        var people = new List<CldPerson>();
        foreach (var group in kept.GroupBy(c => (c.Event.CouncilCode, c.Event.PersonId)))
        {
            var rows = group.ToList();
            var first = rows[0];

            string Detail(string field, Func<Candidate, string?> value, Func<string, bool>? known = null)
            {
                var (result, conflict) = Latest(rows, value, known ?? (v => v != Unknown));
                if (conflict) tally.Add(CldQualitySections.PersonDetails, field, CldQualityCategories.Conflict, first.File, first.Line, first.Event.PersonId);
                return result;
            }

            var gender = Detail("Gender", c => c.Event.Gender);
            var psr = Detail("Primary_Support_Reason", c => c.Event.PrimarySupportReason,
                v => v != Unknown && !CldValues.Same(v, "Social support: Support to unpaid carer"));
            var accommodation = Detail("Accommodation_Status", c => c.Event.AccommodationStatus);
            if (accommodation == Unknown)
            {
                accommodation = InferAccommodation(rows);
                if (accommodation != Unknown)
                    tally.Add(CldQualitySections.PersonDetails, "Accommodation_Status", CldQualityCategories.InferredFromServices, first.File, first.Line, accommodation);
            }
            var hasCarer = Detail("Has_Unpaid_Carer", c => c.HasUnpaidCarer);
            if (rows.Any(r => r.Event.LaPersonId is { } id && cared.Contains((r.Event.CouncilCode, id)))) hasCarer = "Yes";

            var birth = rows.Where(r => r.Event.BirthYear is not null && r.Event.BirthMonth is not null)
                .OrderByDescending(r => r.SubmissionRank).ThenBy(r => r.Event.BirthYear).ThenBy(r => r.Event.BirthMonth).FirstOrDefault();
            var death = rows.Where(r => r.Event.DateOfDeath is not null)
                .OrderByDescending(r => r.SubmissionRank).ThenByDescending(r => r.Event.DateOfDeath).FirstOrDefault();

            people.Add(new CldPerson
            {
                PersonId = first.Event.PersonId,
                CouncilCode = first.Event.CouncilCode,
                LaPersonId = LatestLaPersonId(rows),
                BirthDate = birth is null ? null : new DateOnly(birth.Event.BirthYear!.Value, birth.Event.BirthMonth!.Value, 1),
                DateOfDeath = death?.Event.DateOfDeath,
                Gender = gender,
                PrimarySupportReason = psr,
                AccommodationStatus = accommodation,
                HasUnpaidCarer = hasCarer,
                ClientType = LatestClientType(rows),
            });
        }
        return people;
    }

    /// <summary>The national ordering of a person's rows for a detail: (known, submission, end with open last-ending, start).</summary>
    private static (int Known, int Rank, int End, int Start) Order(Candidate c, bool known) =>
        (known ? 1 : 0, c.SubmissionRank, c.Event.EndDate?.DayNumber ?? int.MaxValue, c.Event.StartDate.DayNumber);

    /// <summary>The value of the top-ordered rows; Unknown (and a conflict) when those rows disagree. Invalid and blank count as Unknown.</summary>
    private static (string Value, bool Conflict) Latest(List<Candidate> rows, Func<Candidate, string?> get, Func<string, bool> known)
    {
        (int, int, int, int)? best = null;
        var values = new List<string>();
        foreach (var row in rows)
        {
            var raw = get(row);
            var value = raw is null || raw == CldValues.Invalid ? Unknown : raw;
            var order = Order(row, known(value));
            var cmp = best is null ? 1 : order.CompareTo(best.Value);
            if (cmp > 0) { best = order; values.Clear(); values.Add(value); }
            else if (cmp == 0 && !values.Contains(value, StringComparer.OrdinalIgnoreCase)) values.Add(value);
        }
        return values.Count == 1 ? (values[0], false) : (Unknown, true);
    }

    /// <summary>Latest known council id, the most frequent winning a tie; null when the tied rows still disagree.</summary>
    private static string? LatestLaPersonId(List<Candidate> rows)
    {
        var frequency = rows.Where(r => r.Event.LaPersonId is not null).GroupBy(r => r.Event.LaPersonId!).ToDictionary(g => g.Key, g => g.Count());
        var top = rows.Where(r => r.Event.LaPersonId is not null)
            .GroupBy(r => (Order(r, true), frequency[r.Event.LaPersonId!]))
            .OrderByDescending(g => g.Key).FirstOrDefault();
        if (top is null) return null;
        var ids = top.Select(r => r.Event.LaPersonId!).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 1 ? ids[0] : null;
    }

    /// <summary>The client type of the latest rows; a person who is both a service user and a carer there is a service user.</summary>
    private static string? LatestClientType(List<Candidate> rows)
    {
        var top = rows.Where(r => r.Event.ClientType.Length > 0 && r.Event.ClientType != CldValues.Invalid)
            .GroupBy(r => Order(r, true)).OrderByDescending(g => g.Key).FirstOrDefault();
        if (top is null) return null;
        return top.Any(r => r.Event.ClientType == CldValues.ServiceUser) ? CldValues.ServiceUser : top.Select(r => r.Event.ClientType).Order(StringComparer.Ordinal).First();
    }

    /// <summary>
    /// The national inference for a person whose accommodation is unknown, from the latest services (open first, then
    /// the latest end, the highest service type, a component that tells the setting, the latest start): nursing or
    /// residential care homes, Shared Lives, extra care, supported living, prison; home support in the community is
    /// "presumed at home", a community service with no such component "presumed in community".
    /// </summary>
    internal static string InferAccommodation(List<Candidate> rows)
    {
        var services = rows.Where(r => r.Event.EventType == CldValues.Service).ToList();
        if (services.Count == 0) return Unknown;
        static int TypeRank(string? type) { var i = type is null ? -1 : Array.FindIndex(ServiceTypeOrder, t => CldValues.Same(t, type)); return i < 0 ? 99 : i + 1; }
        static bool Tells(string? component) => component is not null && AccommodationComponents.Any(a => CldValues.Same(a, component));
        var top = services
            .GroupBy(r => (End: r.Event.EndDate?.DayNumber ?? int.MaxValue, Type: -TypeRank(r.Event.ServiceType), Tells: Tells(r.Event.ServiceComponent) ? 1 : 0, Start: r.Event.StartDate.DayNumber))
            .OrderByDescending(g => g.Key).First().ToList();
        var types = top.Where(r => TypeRank(r.Event.ServiceType) != 99).Select(r => r.Event.ServiceType!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var components = top.Where(r => Tells(r.Event.ServiceComponent)).Select(r => r.Event.ServiceComponent!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var type = types.Count == 1 ? types[0] : null;
        var component = components.Count == 1 ? components[0] : null;
        return type switch
        {
            _ when CldValues.Same(type, "Long term support: Nursing care") => "Registered nursing home",
            _ when CldValues.Same(type, "Long term support: Residential care") => "Registered care home",
            _ when CldValues.Same(component, "Shared Lives") => "Shared Lives scheme",
            _ when CldValues.Same(component, "Extra care housing") => "Sheltered housing, extra care housing or other sheltered housing",
            _ when CldValues.Same(component, "Community supported living") => "Supported accommodation, supported lodgings or supported group home",
            _ when CldValues.Same(type, "Long term support: Community") && CldValues.Same(component, "Home support or domiciliary care") => CldAccommodation.PresumedAtHome,
            _ when CldValues.Same(type, "Long term support: Community") && component is null => CldAccommodation.PresumedInCommunity,
            _ when CldValues.Same(type, "Long term support: Prison") => "Prison, young offenders institution or detention centre",
            _ => Unknown,
        };
    }
}
