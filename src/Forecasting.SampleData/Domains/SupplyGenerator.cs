using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

public sealed record Scheme(string SchemeId, string Name, string Category, string ClientGroup, string? Locality, bool InArea,
    string Owner, string Provider, string Design, DateOnly Opened, DateOnly? Decommission, int UnitCount);

public sealed record StatusPeriod(string UnitId, string Status, DateOnly From, DateOnly? To);

public sealed class Tenancy
{
    public required string TenancyId { get; set; }
    public required Scheme Scheme { get; init; }
    public required string UnitId { get; init; }
    public string PersonId { get; set; } = "";
    public required DateOnly Start { get; init; }
    public DateOnly? End { get; init; }
    public string? EndReason { get; init; }
}

/// <summary>
/// Supported-living supply: 112 schemes with 698 units (381 supported living, 147 shared house,
/// 170 extra care; 622 in area, 76 out of area), each unit's status history from the day its scheme
/// opened (void while it fills, occupied during a tenancy, void between tenancies, sometimes offline
/// for works) and the tenancies themselves, about 130 new starts a year. Two schemes being
/// decommissioned stop re-letting from April 2024, so their empty units are offline.
/// </summary>
public sealed class SupplyGenerator
{
    private static readonly DateOnly WindDownFrom = new(2024, 4, 1);

    private static readonly string[] NameStems =
    {
        "Alder", "Ashdown", "Beech", "Birchfield", "Bramley", "Brook", "Cedar", "Chestnut", "Clover", "Copper", "Elm", "Fern",
        "Foxglove", "Glebe", "Hazel", "Heron", "Holly", "Juniper", "Kestrel", "Larch", "Laurel", "Lime", "Linnet", "Magpie",
        "Marlow", "Meadow", "Mill", "Oak", "Orchard", "Osprey", "Plover", "Poplar", "Quarry", "Rowan", "Sandpiper", "Sorrel",
        "Spinney", "Swallow", "Sycamore", "Teal", "Thistle", "Wagtail", "Walnut", "Willow", "Wren", "Yew",
    };
    private static readonly string[] SchemeSuffixes = { "Court", "House", "Lodge", "Place", "Mews", "View", "Gardens", "Row" };
    private static readonly string[] Streets =
    {
        "Albert Road", "Ash Grove", "Bath Street", "Church Lane", "Dale Avenue", "Elm Street", "Forest Road", "Grange Avenue",
        "Hill Street", "Kings Road", "Lark Rise", "Manor Road", "New Street", "Park Avenue", "Queens Road", "Station Road",
        "Trent Street", "Victoria Road", "Wellington Street", "York Road",
    };
    private static readonly string[] OutOfAreaTowns = { "Ashby Vale", "Marston Fields", "Kelby", "Thornwick", "Lowdham Cross" };
    private static readonly string[] Providers =
    {
        "Brookfield Support", "Harbridge Care Partnership", "Meadowview Living", "Trentside Housing Association",
        "Keystone Supported Living", "Northgate Care", "Pathways Independent Living", "Oakleaf Support Services",
        "Beacon Housing Trust", "Compass Community Support",
    };

    private static readonly Weighted<string> SupportedLivingGroup = new(("ld_autism", 58), ("mental_health", 25),
        ("complex_needs", 10), ("physical_sensory", 7));
    private static readonly Weighted<string> SharedHouseGroup = new(("ld_autism", 55), ("mental_health", 35), ("complex_needs", 10));
    private static readonly Weighted<string> SupportedLivingOwner = new(("council", 20), ("rsl", 50), ("private", 30));
    private static readonly Weighted<string> SharedHouseOwner = new(("council", 15), ("rsl", 40), ("private", 45));
    private static readonly Weighted<string> ExtraCareEnd = new(("deceased", 50), ("residential", 25), ("moved_on", 15), ("other", 10));
    private static readonly Weighted<string> SupportedLivingEnd = new(("moved_on", 45), ("deceased", 18), ("residential", 12), ("other", 25));

    private readonly int _seed;
    private readonly Localities _localities;

    public SupplyGenerator(int seed, Localities localities)
    {
        _seed = seed;
        _localities = localities;
    }

    public List<Scheme> Schemes { get; } = new();
    public List<(string UnitId, string SchemeId)> Units { get; } = new();
    public List<StatusPeriod> Statuses { get; } = new();
    public List<Tenancy> Tenancies { get; } = new();

    public void Generate()
    {
        BuildSchemes(Rng.For(_seed, "schemes"));
        SimulateUnits(Rng.For(_seed, "unit-history"));
    }

    private sealed record Draft(string Name, string Category, string ClientGroup, bool InArea, string Owner, string Design,
        DateOnly Opened, int Units);

    private void BuildSchemes(Rng rng)
    {
        var names = new HashSet<string>();
        var drafts = new List<Draft>
        {
            new("Hawthorn Court Extra Care", "extra_care", "older_dementia", true, "rsl", "self_contained", new(2008, 6, 2), 60),
            new("Linden Gardens Extra Care", "extra_care", "older_dementia", true, "council", "self_contained", new(2013, 10, 7), 62),
            new("Maple View Extra Care", "extra_care", "physical_sensory", true, "rsl", "self_contained", new(2019, 2, 4), 48),
        };
        foreach (var p in PipelineGenerator.Delivered)
            drafts.Add(new Draft(p.Name, p.Category, p.ClientGroup, p.InArea, "rsl", p.Design, p.ExpectedDate, p.Units));
        foreach (var d in drafts) names.Add(d.Name);

        void AddLegacy(string category, bool inArea, int units, int schemes, int min, int max)
        {
            foreach (var size in Partition(units, schemes, min, max, rng))
            {
                var name = UniqueName(category, inArea, names, rng);
                var sl = category == "supported_living";
                drafts.Add(new Draft(name, category,
                    (sl ? SupportedLivingGroup : SharedHouseGroup).Pick(rng), inArea,
                    (sl ? SupportedLivingOwner : SharedHouseOwner).Pick(rng),
                    sl ? (rng.Chance(0.3) ? "core_and_cluster" : "self_contained") : "shared",
                    rng.DateBetween(new DateOnly(1998, 1, 5), new DateOnly(2021, 6, 30)), size));
            }
        }

        AddLegacy("supported_living", true, 275, 57, 2, 14);
        AddLegacy("supported_living", false, 50, 10, 2, 10);
        AddLegacy("shared_house", true, 121, 31, 3, 6);
        AddLegacy("shared_house", false, 26, 7, 3, 6);

        var closingShared = drafts.Where(d => d.Category == "shared_house" && d.InArea).MinBy(d => d.Opened)!;
        var closingOut = drafts.Where(d => d.Category == "supported_living" && !d.InArea).MinBy(d => d.Opened)!;

        var ordered = drafts.OrderBy(d => d.Opened).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var d = ordered[i];
            DateOnly? decommission = ReferenceEquals(d, closingShared) ? new DateOnly(2025, 9, 30)
                : ReferenceEquals(d, closingOut) ? new DateOnly(2026, 3, 31) : null;
            var schemeId = $"S{i + 1:000}";
            Schemes.Add(new Scheme(schemeId, d.Name, d.Category, d.ClientGroup,
                d.InArea ? _localities.At(Calendar.HistoryEnd, rng) : null, d.InArea, d.Owner, rng.Pick(Providers), d.Design,
                d.Opened, decommission, d.Units));
            for (var u = 1; u <= d.Units; u++) Units.Add(($"{schemeId}-U{u:00}", schemeId));
        }
    }

    private static List<int> Partition(int total, int parts, int min, int max, Rng rng)
    {
        var sizes = Enumerable.Repeat(min, parts).ToList();
        for (var left = total - min * parts; left > 0;)
        {
            var i = rng.Next(0, parts);
            if (sizes[i] >= max) continue;
            sizes[i]++;
            left--;
        }
        return sizes;
    }

    private static string UniqueName(string category, bool inArea, HashSet<string> taken, Rng rng)
    {
        while (true)
        {
            var name = category == "shared_house"
                ? $"{rng.Next(2, 140)} {rng.Pick(Streets)}"
                : $"{rng.Pick(NameStems)} {rng.Pick(SchemeSuffixes)}";
            if (!inArea) name += $", {rng.Pick(OutOfAreaTowns)}";
            if (taken.Add(name)) return name;
        }
    }

    private void SimulateUnits(Rng rng)
    {
        var schemeById = Schemes.ToDictionary(s => s.SchemeId);
        var drafts = new List<Tenancy>();
        foreach (var (unitId, schemeId) in Units)
        {
            var scheme = schemeById[schemeId];
            var extraCare = scheme.Category == "extra_care";
            var tenancyYears = extraCare ? 3.2 : scheme.Category == "shared_house" ? 5.5 : 6.0;
            var voidDays = extraCare ? 170.0 : 215.0;
            var ends = extraCare ? ExtraCareEnd : SupportedLivingEnd;

            // Returns false when the period runs past the end of the history (it is then current).
            bool Period(string status, DateOnly from, int days, out DateOnly to)
            {
                to = from.AddDays(days);
                var open = to > Calendar.HistoryEnd;
                Statuses.Add(new StatusPeriod(unitId, status, from, open ? null : to));
                return !open;
            }

            var t = scheme.Opened;
            if (!Period("void", t, Math.Max(3, (int)rng.Exponential(45)), out t)) continue;
            while (true)
            {
                var stay = Math.Max(30, (int)(rng.Exponential(tenancyYears) * 365.25));
                var reason = ends.Pick(rng);
                var start = t;
                var ended = Period("occupied", start, stay, out t);
                drafts.Add(new Tenancy
                {
                    TenancyId = "", Scheme = scheme, UnitId = unitId, Start = start,
                    End = ended ? t : null, EndReason = ended ? reason : null,
                });
                if (!ended) break;
                if (scheme.Decommission is not null && t >= WindDownFrom)
                {
                    Statuses.Add(new StatusPeriod(unitId, "offline", t, null));
                    break;
                }
                if (rng.Chance(0.08) && !Period("offline", t, rng.Next(90, 361), out t)) break;
                if (!Period("void", t, Math.Max(7, (int)rng.Exponential(voidDays)), out t)) break;
            }
        }

        var ordered = drafts.OrderBy(d => d.Start).ThenBy(d => d.UnitId, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++) ordered[i].TenancyId = $"TN{i + 1:000000}";
        Tenancies.AddRange(ordered);
    }

    /// <summary>
    /// People who left residential care for supported living become the tenants of the next
    /// matching tenancy that starts within four months; the leave date moves to the tenancy start.
    /// </summary>
    public void HouseResidentialLeavers(IEnumerable<Leaver> leavers)
    {
        foreach (var leaver in leavers.Where(l => l.Reason == "moved_to_supported_living").OrderBy(l => l.LeaveDate)
                     .ThenBy(l => l.AdmissionId, StringComparer.Ordinal))
        {
            var groups = leaver.Psr switch
            {
                "learning_disability" => new[] { "ld_autism", "complex_needs" },
                "mental_health" => new[] { "mental_health", "complex_needs" },
                _ => new[] { "older_dementia", "physical_sensory" },
            };
            var match = Tenancies.FirstOrDefault(t => t.PersonId == "" && t.Start >= leaver.LeaveDate
                && t.Start <= leaver.LeaveDate.AddDays(120) && groups.Contains(t.Scheme.ClientGroup));
            if (match is null) continue;
            match.PersonId = leaver.PersonId;
            leaver.LeaveDate = match.Start;
        }
    }

    /// <summary>Gives every tenant not already known from residential care a person id.</summary>
    public void AssignTenantIds()
    {
        var next = 1;
        foreach (var t in Tenancies.Where(t => t.PersonId == "")) t.PersonId = $"T{next++:000000}";
    }

    public CsvTable SchemesTable()
    {
        var table = new CsvTable("schemes.csv", "council_code", "scheme_id", "name", "category", "client_group", "locality", "in_area",
            "owner", "provider", "design", "opened_date", "decommission_date");
        foreach (var s in Schemes)
            table.Add(Council.Code, s.SchemeId, s.Name, s.Category, s.ClientGroup, s.Locality, Fmt.B(s.InArea), s.Owner, s.Provider,
                s.Design, Fmt.D(s.Opened), Fmt.D(s.Decommission));
        return table;
    }

    public CsvTable UnitsTable()
    {
        var table = new CsvTable("units.csv", "council_code", "unit_id", "scheme_id");
        foreach (var (unitId, schemeId) in Units) table.Add(Council.Code, unitId, schemeId);
        return table;
    }

    public CsvTable UnitStatusTable()
    {
        var table = new CsvTable("unit_status.csv", "council_code", "unit_id", "status", "valid_from", "valid_to");
        foreach (var p in Statuses) table.Add(Council.Code, p.UnitId, p.Status, Fmt.D(p.From), Fmt.D(p.To));
        return table;
    }

    public CsvTable TenanciesTable()
    {
        var table = new CsvTable("tenancies.csv", "council_code", "tenancy_id", "unit_id", "person_id", "start_date", "end_date", "end_reason");
        foreach (var t in Tenancies)
            table.Add(Council.Code, t.TenancyId, t.UnitId, t.PersonId, Fmt.D(t.Start), Fmt.D(t.End), t.EndReason);
        return table;
    }
}
