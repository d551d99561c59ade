using Forecasting.Domain;

namespace Forecasting.Cld.Measures;

public enum CldUnit { Percent, Per100000, Count, Days }

/// <summary>
/// A code the same (or nearly the same) measure carried before, and the dates it was used. Approximate pairings say
/// how they differ.
/// </summary>
public sealed record CldMeasureAlias(string Code, DateOnly EffectiveFrom, DateOnly EffectiveTo, bool Approximate, string Note);

/// <summary>One national measure computed from CLD: its current code, what it reports, and the codes it replaced.</summary>
public sealed record CldMeasureDefinition(
    string Code, string Title, CldUnit Unit, bool? HigherIsBetter, string Framework, DateOnly EffectiveFrom, string Source,
    IReadOnlyList<CldMeasureAlias> Aliases);

/// <summary>
/// The measures this project computes from CLD, under the codes of the framework they follow, with the pre-2023-24
/// ASCOF codes as aliases. The 2023-24 ASCOF renumbered the measures from 1 April 2023; the old codes ran from the
/// 2014-15 framework to 2022-23.
/// </summary>
public static class CldMeasureCatalogue
{
    public static readonly DateOnly Ascof2023Start = new(2023, 4, 1);
    static readonly DateOnly OldFrom = new(2014, 4, 1);
    static readonly DateOnly OldTo = new(2023, 3, 31);
    const string Ascof = "ASCOF 2023-24";
    const string Salt = "SALT (replicated from CLD)";
    const string Dashboard = "DHSC CLD dashboard";

    static CldMeasureAlias Old(string code, string note, bool approximate = false) => new(code, OldFrom, OldTo, approximate, note);

    public static readonly IReadOnlyList<CldMeasureDefinition> All =
    [
        new(Ascof2A.Code, Ascof2A.Title, CldUnit.Percent, true, Ascof, Ascof2023Start, "DHSC Create_ASCOF_2A_2425_Onwards.sql",
            [Old("2D", "Outcome of short-term services: sequel to service. Same question; the old figure came from SALT STS002a, the new from CLD clusters with a 7-day rule.", approximate: true)]),
        new(Ascof2B2C.CodeB, Ascof2B2C.TitleB, CldUnit.Per100000, false, Ascof, Ascof2023Start, "DHSC Create_ASCOF_2B2C_2425_Onwards.sql",
            [Old("2A(1)", "Long-term support needs of younger adults (18-64) met by admission to residential and nursing care homes.")]),
        new(Ascof2B2C.CodeC, Ascof2B2C.TitleC, CldUnit.Per100000, false, Ascof, Ascof2023Start, "DHSC Create_ASCOF_2B2C_2425_Onwards.sql",
            [Old("2A(2)", "Long-term support needs of older adults (65+) met by admission to residential and nursing care homes.")]),
        new(Ascof2DLocal.CodePart1, "Proportion of older people (65+) still at home 91 days after discharge from hospital into reablement (local variant, %)",
            CldUnit.Percent, true, Ascof, Ascof2023Start, "Local reading of DHSC Create_ASCOF_2D.sql without SUS",
            [Old("2B(1)", "Same definition; the old figure came from a council's 91-day follow-up of its own discharges, this one from CLD requests routed 'Discharge from hospital'.", approximate: true)]),
        new(Ascof2DLocal.CodePart2, "Proportion of older people (65+) discharged from hospital who went into reablement (local variant, %)",
            CldUnit.Percent, true, Ascof, Ascof2023Start, "Local reading of DHSC Create_ASCOF_2D.sql without SUS",
            [Old("2B(2)", "The old denominator was all hospital discharges of people aged 65+ (HES); here it is CLD discharge requests, so the share is of people known to social care.", approximate: true)]),
        new(Ascof2E.Code18To64, "Proportion of people aged 18-64 who receive long-term support who live in their home or with family (%)",
            CldUnit.Percent, true, Ascof, Ascof2023Start, "DHSC Create_ASCOF_2E_2425_Onwards.sql", []),
        new(Ascof2E.Code65AndOver, "Proportion of people aged 65 and over who receive long-term support who live in their home or with family (%)",
            CldUnit.Percent, true, Ascof, Ascof2023Start, "DHSC Create_ASCOF_2E_2425_Onwards.sql", []),
        new(Ascof2E.CodeLearningDisability, "Proportion of adults aged 18-64 with a learning disability who receive long-term support who live in their home or with family (%)",
            CldUnit.Percent, true, Ascof, Ascof2023Start, "DHSC Create_ASCOF_2E_2425_Onwards.sql (learning disability run)",
            [Old("1G", "Adults with a learning disability who live in their own home or with their family; 2E widened it to every primary support reason, this variant keeps the old scope.")]),
        new(Ascof3D.Code1A, "Proportion of people who use services who receive self-directed support (%)", CldUnit.Percent, true, Ascof, Ascof2023Start,
            "DHSC Create_ASCOF_3D_2425_Onwards.sql", [Old("1C(1A)", "Same definition.")]),
        new(Ascof3D.Code1B, "Proportion of carers who receive self-directed support (%)", CldUnit.Percent, true, Ascof, Ascof2023Start,
            "DHSC Create_ASCOF_3D_2425_Onwards.sql", [Old("1C(1B)", "Same definition.")]),
        new(Ascof3D.Code2A, "Proportion of people who use services who receive direct payments (%)", CldUnit.Percent, true, Ascof, Ascof2023Start,
            "DHSC Create_ASCOF_3D_2425_Onwards.sql", [Old("1C(2A)", "Same definition.")]),
        new(Ascof3D.Code2B, "Proportion of carers who receive direct payments (%)", CldUnit.Percent, true, Ascof, Ascof2023Start,
            "DHSC Create_ASCOF_3D_2425_Onwards.sql", [Old("1C(2B)", "Same definition.")]),
        new(SaltLts001.CodeDuringYear, "People with long-term support during the year by age, setting/delivery mechanism and primary support reason", CldUnit.Count, null,
            Salt, OldFrom, "NHSD SALT LTS001a replication code", []),
        new(SaltLts001.CodeAtYearEnd, "People with long-term support at 31 March by age, setting/delivery mechanism and primary support reason", CldUnit.Count, null,
            Salt, OldFrom, "NHSD SALT LTS001b replication code", []),
        new(SaltSts001.Code, "Requests for support from new clients by route of access and sequel", CldUnit.Count, null,
            Salt, OldFrom, "NHSD SALT STS001 replication code", []),
        new(SaltLts003.Code, "Carers supported during the year by support provided", CldUnit.Count, null, Salt, OldFrom, "NHSD SALT LTS003 replication code", []),
        new(WaitingTimes.ToFirstResponse, "Median days from a new request to the first response (assessment, or a service when it comes first)", CldUnit.Days, false,
            Dashboard, WaitingTimes.FirstRequestDate, "DHSC Waiting_times/waiting_times_method.sql", []),
        new(WaitingTimes.ToFirstService, "Median days from a new request to the first service", CldUnit.Days, false,
            Dashboard, WaitingTimes.FirstRequestDate, "DHSC Waiting_times/waiting_times_method.sql", []),
    ];

    /// <summary>
    /// The measure a code names on a date: a current code from its effective date, an old code while it was in use.
    /// Unknown codes, and codes used outside their dates, are an <see cref="InvalidArgumentException"/>.
    /// </summary>
    public static CldMeasureDefinition Resolve(string code, DateOnly on)
    {
        var current = All.FirstOrDefault(m => string.Equals(m.Code, code, StringComparison.OrdinalIgnoreCase));
        if (current is not null && on >= current.EffectiveFrom) return current;
        var aliased = All.FirstOrDefault(m => m.Aliases.Any(a => string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase) && on >= a.EffectiveFrom && on <= a.EffectiveTo));
        if (aliased is not null) return aliased;
        var known = current is not null || All.Any(m => m.Aliases.Any(a => string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase)));
        throw new InvalidArgumentException("measure", known
            ? $"'{code}' was not in use on {on:yyyy-MM-dd} (the 2023-24 ASCOF codes apply from {Ascof2023Start:yyyy-MM-dd}; the old codes up to {OldTo:yyyy-MM-dd})"
            : $"'{code}' is not a CLD measure; known codes: {string.Join(", ", All.Select(m => m.Code))}");
    }
}
