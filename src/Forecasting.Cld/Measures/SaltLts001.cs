using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Measures;

/// <summary>
/// SALT LTS001a (long-term support during the year) and LTS001b table 1 (at 31 March): people by age band x
/// setting/delivery mechanism x primary support reason, as NHS England's replication code computes them
/// (NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations, SALT LTS001a and SALT LTS001b).
/// </summary>
public static class SaltLts001
{
    public const string CodeDuringYear = "LTS001a";
    public const string CodeAtYearEnd = "LTS001b";
    public const string InvalidPsr = "Invalid/NULL";
    public const string UnknownPsr = "Unknown";

    /// <summary>Release 2 primary support reasons; anything else is reported as <see cref="InvalidPsr"/>.</summary>
    public static readonly string[] SupportReasons =
    [
        "Physical support: Access and mobility only", "Physical support: Personal care support",
        "Sensory support: Support for visual impairment", "Sensory support: Support for hearing impairment", "Sensory support: Support for dual impairment",
        "Support with memory and cognition", "Learning disability support", "Mental health support",
        "Social support: Substance misuse support", "Social support: Asylum seeker support", "Social support: Support for social isolation or other",
        "Social support: Support to unpaid carer", UnknownPsr,
    ];

    /// <summary>The SALT setting/delivery-mechanism categories in hierarchy order (rank = index + 1).</summary>
    static readonly (string Type, string Mechanism, string Category)[] Settings =
    [
        (LongTermNursing, "", "Nursing"), (LongTermResidential, "", "Residential"),
        (LongTermCommunity, DirectPayment, "Community: Direct Payment"), (LongTermCommunity, ManagedPersonalBudget, "Community: CASSR Managed Personal Budget"),
        (LongTermCommunity, CommissionedSupport, "Community: CASSR Commissioned Support"), (LongTermCommunity, "", "Community"),
        (LongTermPrison, ManagedPersonalBudget, "Prison: CASSR Managed Personal Budget"), (LongTermPrison, CommissionedSupport, "Prison: CASSR Commissioned Support"),
        (LongTermPrison, "", "Prison"),
    ];

    /// <summary>Rank of a long-term service; a mechanism that is invalid or unexpected for the setting is blanked first. No component override here.</summary>
    public static int Rank(CldEvent e)
    {
        var mechanism = IsAny(e.ServiceType, LongTermCommunity, LongTermPrison) && Settings.Any(s => s.Mechanism != "" && CldValues.Same(e.ServiceType, s.Type) && CldValues.Same(e.DeliveryMechanism, s.Mechanism))
            ? e.DeliveryMechanism! : "";
        return 1 + Array.FindIndex(Settings, s => CldValues.Same(e.ServiceType, s.Type) && (mechanism == "" ? s.Mechanism == "" : CldValues.Same(mechanism, s.Mechanism)));
    }

    public static CldTable DuringYear(IReadOnlyList<CldEvent> events, int financialYear)
    {
        var (from, to) = Year(financialYear);
        return Table(CodeDuringYear, "Long-term support during the year by age, setting/delivery mechanism and primary support reason",
            events, from, to, e => e.StartDate <= to && !(e.EndDate < from) && !(e.DateOfDeath < from),
            "People with long-term support at any time in the year (service open on any day of it).");
    }

    public static CldTable AtYearEnd(IReadOnlyList<CldEvent> events, int financialYear)
    {
        var (from, to) = Year(financialYear);
        return Table(CodeAtYearEnd, "Long-term support at 31 March by age, setting/delivery mechanism and primary support reason (table 1)",
            events, from, to, e => e.StartDate <= to && !(e.EndDate < to) && !(e.DateOfDeath < to),
            "People with long-term support open on 31 March.");
    }

    static CldTable Table(string code, string title, IReadOnlyList<CldEvent> events, DateOnly from, DateOnly to, Func<CldEvent, bool> inPeriod, string periodNote)
    {
        var rows = events.Where(e => IsServiceUser(e) && IsLongTerm(e) && inPeriod(e) && RowAgeOn(e, to) is not null)
            .Select(e => (Event: e, Age: RowAgeOn(e, to)!.Value, Rank: Rank(e))).ToList();
        var counts = new List<(string Band, string Setting, string Psr)>();
        // Each band is built on its own, as the two SALT tables are: a person whose rows disagree on birth date may appear in both.
        foreach (var (band, inBand) in new (string, Func<int, bool>)[] { (Aged18To64, a => a is >= 18 and <= 64), (Aged65AndOver, a => a > 64) })
        {
            foreach (var person in rows.Where(r => inBand(r.Age)).GroupBy(r => r.Event.PersonId))
            {
                var best = person.Min(r => r.Rank);
                var atRank = person.Where(r => r.Rank == best).ToList();
                var knownPsr = atRank.Any(r => IsPsrKnown(r.Event));
                var candidates = atRank.Where(r => IsPsrKnown(r.Event) == knownPsr).ToList();
                var latest = candidates.Max(r => r.Event.StartDate);
                var psrs = candidates.Where(r => r.Event.StartDate == latest)
                    .Select(r => Canonical(r.Event.PrimarySupportReason, SupportReasons) ?? InvalidPsr).Distinct().ToList();
                counts.Add((band, Settings[best - 1].Category, psrs.Count > 1 ? UnknownPsr : psrs[0]));
            }
        }
        return new CldTable(code, title, from, to, ["Age band", "Setting / delivery mechanism", "Primary support reason"],
            counts.GroupBy(c => c).OrderBy(g => g.Key.Band).ThenBy(g => g.Key.Setting).ThenBy(g => g.Key.Psr)
                .Select(g => new CldCount([g.Key.Band, g.Key.Setting, g.Key.Psr], g.Count())).ToList(),
            [
                periodNote,
                "Age at the year end from the row's own birth year and month; rows without them are left out. Each person once per band: highest setting, then a known PSR, then the latest start; conflicting PSRs become Unknown.",
                "Delivery mechanisms that are invalid or not expected for the setting are blank (no direct-payment component override, unlike ASCOF 3D).",
            ]);
    }

    static bool IsPsrKnown(CldEvent e) => e.PrimarySupportReason is not null && !CldValues.Same(e.PrimarySupportReason, UnknownPsr);
}
