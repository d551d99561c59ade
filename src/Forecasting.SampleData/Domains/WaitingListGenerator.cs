using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

public sealed record WaitingEntry(string PersonId, DateOnly Added, string ClientGroup, string Preference, string AgeBand,
    DateOnly? Removed, string? RemovalReason);

/// <summary>
/// The supported-living waiting list. Closed entries: about half of the supported-living and shared
/// house tenancies (and a third of extra care ones) since late 2015 came off the list (removed as
/// housed on the tenancy start, same person id), plus people who withdrew, died or left for other
/// reasons. Open entries: exactly 109 on 31 March 2025, with the preference mix (41 self-contained,
/// 29 shared, 39 no preference) and age mix (5 under 18, 12 aged 18-20, 16 aged 21-24, 72 aged
/// 25-64, 4 aged 65+) of Domain/docs/calibration.md ("Planning domains").
/// </summary>
public sealed class WaitingListGenerator
{
    public const int OpenAtSnapshot = 109;

    private static readonly Weighted<string> WorkingAgeBand = new(("18-20", 10), ("21-24", 15), ("25-64", 72), ("65+", 3));
    private static readonly Weighted<string> ClosedReason = new(("withdrawn", 60), ("deceased", 15), ("other", 25));
    private static readonly Weighted<string> YoungerGroup = new(("ld_autism", 60), ("mental_health", 22), ("complex_needs", 10),
        ("physical_sensory", 8));

    private readonly int _seed;

    public WaitingListGenerator(int seed) => _seed = seed;

    public List<WaitingEntry> Entries { get; } = new();

    public void Generate(IReadOnlyList<Tenancy> tenancies)
    {
        var rng = Rng.For(_seed, "waiting-list");
        var rows = new List<WaitingEntry>();
        AddHoused(tenancies, rng, rows);
        AddClosedWithoutHousing(rng, rows);
        AddOpen(rng, rows);
        Entries.AddRange(rows.OrderBy(e => e.Added).ThenBy(e => e.PersonId, StringComparer.Ordinal));
    }

    private static void AddHoused(IReadOnlyList<Tenancy> tenancies, Rng rng, List<WaitingEntry> rows)
    {
        foreach (var t in tenancies.Where(t => t.Start >= new DateOnly(2015, 10, 1) && t.PersonId.StartsWith('T')))
        {
            var extraCare = t.Scheme.Category == "extra_care";
            if (!rng.Chance(extraCare ? 0.35 : 0.5)) continue;
            var added = t.Start.AddDays(-Math.Max(14, (int)rng.Exponential(240)));
            if (added < Calendar.HistoryStart) continue;
            var preference = t.Scheme.Design switch
            {
                "shared" => rng.Chance(0.6) ? "shared" : "no_preference",
                "self_contained" => rng.Chance(0.6) ? "self_contained" : "no_preference",
                _ => rng.Chance(0.5) ? "self_contained" : "no_preference",
            };
            var ageBand = t.Scheme.ClientGroup == "older_dementia" || extraCare ? "65+" : WorkingAgeBand.Pick(rng);
            rows.Add(new WaitingEntry(t.PersonId, added, t.Scheme.ClientGroup, preference, ageBand, t.Start, "housed"));
        }
    }

    private static void AddClosedWithoutHousing(Rng rng, List<WaitingEntry> rows)
    {
        var next = 1;
        for (var fy = Calendar.FirstFy; fy <= Calendar.LastFy; fy++)
        {
            var count = rng.Poisson(22);
            for (var i = 0; i < count; i++)
            {
                var added = rng.DateBetween(Calendar.FyStart(fy), Calendar.FyEnd(fy));
                var removed = added.AddDays(Math.Max(7, (int)rng.Exponential(200)));
                if (removed > Calendar.HistoryEnd) removed = rng.DateBetween(added.AddDays(1), Calendar.HistoryEnd);
                var ageBand = WorkingAgeBand.Pick(rng);
                var group = ageBand == "65+" ? "older_dementia" : YoungerGroup.Pick(rng);
                var preference = rng.Pick(new[] { "self_contained", "shared", "no_preference" });
                rows.Add(new WaitingEntry($"W{next++:00000}", added, group, preference, ageBand, removed, ClosedReason.Pick(rng)));
            }
        }
    }

    private static void AddOpen(Rng rng, List<WaitingEntry> rows)
    {
        var preferences = Repeat(("self_contained", 41), ("shared", 29), ("no_preference", 39));
        var ageBands = Repeat(("under_18", 5), ("18-20", 12), ("21-24", 16), ("25-64", 72), ("65+", 4));
        rng.Shuffle(preferences);
        rng.Shuffle(ageBands);
        for (var i = 0; i < OpenAtSnapshot; i++)
        {
            var ageBand = ageBands[i];
            var waitDays = ageBand == "under_18" ? rng.Next(20, 300) : Math.Min(2100, (int)rng.Exponential(330));
            var added = Calendar.HistoryEnd.AddDays(-waitDays);
            var group = ageBand switch
            {
                "65+" => rng.Chance(0.75) ? "older_dementia" : "physical_sensory",
                "under_18" => rng.Chance(0.7) ? "ld_autism" : "complex_needs",
                _ => YoungerGroup.Pick(rng),
            };
            rows.Add(new WaitingEntry($"W{90_001 + i}", added, group, preferences[i], ageBand, null, null));
        }
    }

    private static List<string> Repeat(params (string Value, int Count)[] counts) =>
        counts.SelectMany(c => Enumerable.Repeat(c.Value, c.Count)).ToList();

    public CsvTable Table()
    {
        var table = new CsvTable("waiting_list.csv", "council_code", "person_id", "date_added", "client_group", "preference", "age_band",
            "date_removed", "removal_reason");
        foreach (var e in Entries)
            table.Add(Council.Code, e.PersonId, Fmt.D(e.Added), e.ClientGroup, e.Preference, e.AgeBand, Fmt.D(e.Removed), e.RemovalReason);
        return table;
    }
}
