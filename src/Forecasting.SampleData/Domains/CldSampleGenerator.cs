using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// The Harbridge sample in the national Client Level Data layout: one file covering 2022-04-01 to 2026-03-31 and a
/// resubmission of its last six months, with the mess real submissions have (Release 1 wording before 2025/26, invalid
/// tokens, exact, case-only and changed-outcome duplicates, services split at the April cost uplift, end before start,
/// missing start dates, rows without identifiers, people without an NHS number on some rows, conflicting details,
/// blank components, carer rows without an event type). Built on its own people, with Harbridge's council code.
/// </summary>
public sealed class CldSampleGenerator(int seed)
{
    public const string MainFile = "cld_2022-04-01_2026-03-31.csv";
    public const string ResubmissionFile = "cld_2025-10-01_2026-03-31_resubmission.csv";

    public static readonly DateOnly PeriodStart = new(2022, 4, 1);
    public static readonly DateOnly PeriodEnd = new(2026, 3, 31);
    public static readonly DateOnly ResubmissionStart = new(2025, 10, 1);
    /// <summary>Release 2 applies from 2025/26: earlier rows may carry Release 1 wording.</summary>
    private static readonly DateOnly Release2From = new(2025, 4, 1);

    public static readonly string[] Columns =
    [
        "LA_Code", "LA_Name", "Reporting_Period_Start_Date", "Reporting_Period_End_Date", "Der_Unique_Record_ID",
        "LA_Person_Unique_Identifier", "Der_NHS_Number_Pseudo", "Der_NHS_Number_Traced_Pseudo", "Gender", "Ethnicity",
        "Date_of_Birth", "Der_Birth_Year", "Der_Birth_Month", "Date_of_Death", "Client_Type", "Primary_Support_Reason",
        "Accommodation_Status", "Employment_Status", "Has_Unpaid_Carer", "Autism_Spectrum_Disorder_ASD", "Visual_Impairment",
        "Hearing_Impairment", "Dementia", "Client_Funding_Status", "Event_Type", "Event_Reference", "Event_Start_Date",
        "Event_End_Date", "Event_Description", "Event_Outcome", "Request_Route_of_Access", "Assessment_Type",
        "Eligible_Needs_Identified", "Method_of_Assessment", "Total_Hrs_Caring_per_week", "No_of_adults_being_cared_for",
        "Adult_1_Linked_Person_ID", "Adult_2_Linked_Person_ID", "Adult_3_Linked_Person_ID", "Service_Type",
        "Service_Component", "Delivery_Mechanism", "Provider_CQC_Location_ID", "Provider_CQC_Location_Name", "Unit_Cost",
        "Cost_Frequency_Unit_Type", "Planned_units_per_week", "Review_Reason", "Review_Outcomes_Achieved", "Method_of_Review",
    ];

    private static int Col(string name) => Array.IndexOf(Columns, name);

    /// <summary>Release 1 wordings the sample uses for rows dated before 2025/26 (the national pairs; case-only variants too).</summary>
    private static readonly Dictionary<string, string> Release1 = new()
    {
        ["Service user"] = "Service User",
        ["Unpaid carer"] = "Carer",
        ["Community or other route"] = "Community / Other route",
        ["Planned entry (transition)"] = "Planned Entry (Transition)",
        ["Self-funder"] = "Self-Funder",
        ["Progress to assessment, review or reassessment"] = "Progress to Assessment",
        ["Progress to support planning or services"] = "Progress to Support Planning / Services",
        ["Continuation of support or services"] = "No change in package",
        ["NFA: Support ended as planned"] = "Service ended as planned",
        ["NFA: Information and advice or signposting"] = "NFA - Information & Advice / Signposting only",
        ["NFA: Support declined"] = "NFA - Support declined",
        ["NFA: Deceased"] = "NFA - Deceased",
        ["NFA: Other"] = "NFA- Other",
        ["Long term support: Community"] = "Long Term Support: Community",
        ["Long term support: Residential care"] = "Long Term Support: Residential Care",
        ["Long term support: Nursing care"] = "Long Term Support: Nursing Care",
        ["Short term support: ST-Max"] = "Short Term Support: ST-Max",
        ["Unpaid carer support: Direct to unpaid carer"] = "Carer Support: Direct to Carer",
        ["Home support or domiciliary care"] = "Home Support",
        ["Unpaid carer respite"] = "Carer Respite",
        ["Direct payment"] = "Direct Payment",
        ["Tenant: Private landlord"] = "Tenant - private landlord",
        ["Settled mainstream housing with family or friends"] = "Settled mainstream housing with family / friends",
        ["Physical support: Personal care support"] = "Physical Support: Personal care support",
        ["Support with memory and cognition"] = "Support with Memory & Cognition",
        ["Learning disability support"] = "Learning Disability Support",
        ["Mental health support"] = "Mental Health Support",
        ["Social support: Support to unpaid carer"] = "Social Support: Support to Carer",
        ["White: English, Welsh, Scottish, Northern Irish or British"] = "White - English, Welsh, Scottish, Northern Irish or British",
    };

    private static readonly string[] InvalidTokens = ["TBC", "N/A", "See notes", "?"];

    private sealed record Person(string LaId, string? Nhs, bool Traced, DateOnly Birth, string Gender, string Psr, string Accommodation,
        DateOnly? Death, bool MissingNhsOnSomeRows, string ClientType, string? CaresFor, string Ethnicity);

    private readonly Rng _rng = Rng.For(seed, "cld");
    private long _recordId;
    private readonly List<string?[]> _main = [];
    private readonly List<string?[]> _resubmission = [];

    /// <summary>The two files; <paramref name="people"/> service users (about one in six with a carer who has rows of their own).</summary>
    public IReadOnlyList<CsvTable> Build(int people = 1600)
    {
        for (var i = 1; i <= people; i++)
        {
            var person = NewServiceUser(i);
            Journey(person);
            if (_rng.Chance(0.17)) CarerOf(person, i);
        }
        var main = new CsvTable(MainFile, Columns);
        foreach (var row in _main) main.Add(row);
        var resubmission = new CsvTable(ResubmissionFile, Columns);
        foreach (var row in _resubmission) resubmission.Add(row);
        return [main, resubmission];
    }

    private Person NewServiceUser(int n)
    {
        var age = _rng.Chance(0.3) ? _rng.Next(18, 65) : _rng.Next(65, 101);
        var birth = new DateOnly(2024 - age, _rng.Next(1, 13), _rng.Next(1, 29));
        var psr = new Weighted<string>(("Physical support: Personal care support", 55), ("Support with memory and cognition", 12), ("Learning disability support", 14),
            ("Mental health support", 12), ("Physical support: Access and mobility only", 5), ("Sensory support: Support for visual impairment", 2)).Pick(_rng);
        var accommodation = new Weighted<string>(("Owner occupier or shared ownership scheme", 35), ("Tenant: Local authority or other social housing provider", 20),
            ("Tenant: Private landlord", 8), ("Settled mainstream housing with family or friends", 15), ("Registered care home", 8), ("Registered nursing home", 4),
            ("Supported accommodation, supported lodgings or supported group home", 4), ("Unknown", 6)).Pick(_rng);
        var hasNhs = _rng.Chance(0.93);
        return new Person("HB" + n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
            hasNhs ? "NHS" + Hex(n * 7919L + 13) : null, hasNhs && _rng.Chance(0.92), birth,
            _rng.Chance(0.02) ? "Unknown" : _rng.Chance(0.58) ? "Female" : "Male", psr, accommodation,
            _rng.Chance(0.14) ? _rng.DateBetween(PeriodStart.AddDays(60), PeriodEnd) : null,
            hasNhs && _rng.Chance(0.04), "Service user", null,
            _rng.Chance(0.85) ? "White: English, Welsh, Scottish, Northern Irish or British" : _rng.Chance(0.5) ? "Asian or Asian British: Indian" : "No data: Undeclared or not known");
    }

    private static string Hex(long value) => ((ulong)(value * 2654435761L) & 0xFFFFFFFFFFUL).ToString("x10", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Request, then reablement and/or assessment, then long-term services split at each April uplift, with annual reviews.</summary>
    private void Journey(Person p)
    {
        var start = _rng.DateBetween(PeriodStart, PeriodEnd.AddDays(-40));
        if (p.Death is { } d && d <= start) start = PeriodStart.AddDays(_rng.Next(0, Math.Max(1, d.DayNumber - PeriodStart.DayNumber)));
        var route = new Weighted<string>(("Community or other route", 58), ("Discharge from hospital", 30), ("Diversion from hospital services", 4),
            ("Planned entry (transition)", 4), ("Self-funder", 2), ("Transfer from other local authority", 2)).Pick(_rng);
        var requestEnd = start.AddDays(_rng.Next(0, 15));
        var reablement = route == "Discharge from hospital" ? _rng.Chance(0.6) : _rng.Chance(0.12);
        var requestOutcome = reablement ? "Progress to reablement/ST-Max"
            : new Weighted<string>(("Progress to assessment, review or reassessment", 62), ("NFA: Information and advice or signposting", 24),
                ("NFA: Support declined", 6), ("NFA: Self-funded client or under 12wk disregard", 4), ("NFA: Other", 4)).Pick(_rng);
        var request = Event(p, "Request", start, requestEnd, requestOutcome);
        request[Col("Request_Route_of_Access")] = Word(route, start);
        if (_rng.Chance(0.003)) request[Col("Event_End_Date")] = Fmt.D(start.AddDays(-3)); // end before start
        Emit(request, p);

        var next = requestEnd.AddDays(_rng.Next(0, 5));
        if (reablement && Alive(p, next))
        {
            var end = Cap(p, next.AddDays(_rng.Next(10, 43)));
            var outcome = Died(p, end) ? "NFA: Deceased"
                : new Weighted<string>(("NFA: Support ended as planned", 50), ("Progress to assessment, review or reassessment", 35), ("Admitted to hospital", 10), ("NFA: Other", 5)).Pick(_rng);
            Emit(Service(p, "Short term support: ST-Max", "Reablement", "CASSR commissioned support", next, end, outcome, 0m, null), p);
            if (outcome != "Progress to assessment, review or reassessment") { Equipment(p, next); return; }
            next = end.AddDays(_rng.Next(0, 4));
        }
        else if (requestOutcome != "Progress to assessment, review or reassessment") return;

        if (!Alive(p, next) || next > PeriodEnd) return;
        var assessmentEnd = Cap(p, next.AddDays(_rng.Next(5, 60)));
        var eligible = _rng.Chance(0.75);
        var assessmentOutcome = Died(p, assessmentEnd) ? "NFA: Deceased"
            : eligible ? "Progress to support planning or services" : new Weighted<string>(("NFA: Information and advice or signposting", 60), ("NFA: Support declined", 40)).Pick(_rng);
        var assessment = Event(p, "Assessment", next, assessmentEnd == PeriodEnd && !Died(p, assessmentEnd) ? null : assessmentEnd, assessmentOutcome);
        assessment[Col("Assessment_Type")] = "Long term assessment";
        assessment[Col("Eligible_Needs_Identified")] = eligible ? "Yes" : "No";
        assessment[Col("Method_of_Assessment")] = _rng.Chance(0.8) ? "Face to face" : "Telephone";
        Emit(assessment, p);
        if (assessmentOutcome != "Progress to support planning or services") return;

        var (type, component, weekly) = new Weighted<(string, string?, decimal)>(
            (("Long term support: Community", "Home support or domiciliary care", 310m), 46), (("Long term support: Community", "Direct payment", 290m), 16),
            (("Long term support: Community", "Day support", 120m), 7), (("Long term support: Community", "Community supported living", 980m), 5),
            (("Long term support: Residential care", "Long term residential care", 850m), 15), (("Long term support: Nursing care", "Long term nursing care", 1050m), 7),
            (("Short term support: Other short term", "Short term residential care", 780m), 4)).Pick(_rng);
        if (_rng.Chance(0.01)) component = null; // blank component
        var mechanism = component == "Direct payment" ? "Direct payment"
            : type == "Long term support: Community" && _rng.Chance(0.1) ? "CASSR managed personal budget" : "CASSR commissioned support";
        var serviceStart = assessmentEnd.AddDays(_rng.Next(1, 21));
        if (!Alive(p, serviceStart) || serviceStart > PeriodEnd) return;
        var shortTerm = type.StartsWith("Short", StringComparison.Ordinal);
        DateOnly? serviceEnd = shortTerm ? serviceStart.AddDays(_rng.Next(7, 42)) : _rng.Chance(0.3) ? serviceStart.AddDays(_rng.Next(60, 900)) : null;
        if (p.Death is { } death && (serviceEnd is null || death < serviceEnd)) serviceEnd = death >= serviceStart ? death : serviceStart;
        if (serviceEnd > PeriodEnd) serviceEnd = null;

        // One row per financial year of the service: the cost uplift each April starts a new row.
        var segmentStart = serviceStart;
        var cost = weekly * (decimal)_rng.Uniform(0.8, 1.2);
        while (true)
        {
            var yearEnd = new DateOnly(segmentStart.Month >= 4 ? segmentStart.Year + 1 : segmentStart.Year, 3, 31);
            var last = serviceEnd is null ? yearEnd >= PeriodEnd : serviceEnd <= yearEnd;
            var segmentEnd = last ? serviceEnd : yearEnd;
            var outcome = segmentEnd is null ? null : !last ? "Continuation of support or services" : Died(p, segmentEnd.Value) ? "NFA: Deceased" : "NFA: Support ended as planned";
            Emit(Service(p, type, component, mechanism, segmentStart, segmentEnd, outcome, decimal.Round(cost, 2), type == "Long term support: Community" && component != "Direct payment" ? 10 + _rng.Next(0, 15) : null), p);
            if (last || segmentEnd is null) break;
            segmentStart = segmentEnd.Value.AddDays(1);
            cost *= 1.05m;
        }

        // A review recorded after the person's death: the national rules leave it out.
        if (p.Death is { } died && died.AddDays(30) <= PeriodEnd && _rng.Chance(0.3))
            Emit(Event(p, "Review", died.AddDays(10), died.AddDays(12), "Continuation of support or services"), p);

        // Planned reviews once a year while the long-term service runs.
        if (shortTerm) return;
        for (var review = serviceStart.AddDays(_rng.Next(300, 400)); review <= (serviceEnd ?? PeriodEnd) && review <= PeriodEnd; review = review.AddDays(_rng.Next(330, 420)))
        {
            var reviewEnd = review.AddDays(_rng.Next(0, 10));
            if (reviewEnd > PeriodEnd || !Alive(p, reviewEnd)) break;
            var row = Event(p, "Review", review, reviewEnd, "Continuation of support or services");
            row[Col("Review_Reason")] = "Planned";
            row[Col("Review_Outcomes_Achieved")] = _rng.Chance(0.7) ? "Outcomes fully achieved" : "Outcomes partially achieved";
            row[Col("Method_of_Review")] = "Face to face";
            Emit(row, p);
        }
    }

    private void Equipment(Person p, DateOnly during)
    {
        if (!_rng.Chance(0.2) || !Alive(p, during)) return;
        Emit(Service(p, "Short term support: Ongoing low level", "Equipment", "CASSR commissioned support", during, during, "NFA: Support ended as planned", 45m, null), p);
    }

    private void CarerOf(Person caredFor, int n)
    {
        var carer = new Person("HC" + n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), "NHS" + Hex(n * 104729L + 7), true,
            new DateOnly(_rng.Next(1945, 1995), _rng.Next(1, 13), 1), _rng.Chance(0.65) ? "Female" : "Male", "Social support: Support to unpaid carer",
            "Owner occupier or shared ownership scheme", null, false, "Unpaid carer", caredFor.LaId, "White: English, Welsh, Scottish, Northern Irish or British");
        var start = _rng.DateBetween(PeriodStart, PeriodEnd.AddDays(-30));
        var assessmentEnd = start.AddDays(_rng.Next(3, 30));
        var assessment = Event(carer, "Assessment", start, assessmentEnd, "Progress to support planning or services");
        assessment[Col("Assessment_Type")] = "Long term assessment";
        Emit(assessment, carer);
        var kind = new Weighted<(string, string, string)>(
            (("Unpaid carer support: Direct to unpaid carer", "Unpaid carer respite", "Direct payment"), 40),
            (("Unpaid carer support: Direct to unpaid carer", "Other unpaid carer support", "CASSR commissioned support"), 25),
            (("Unpaid carer support: Direct to unpaid carer", "Unpaid carer universal services", "CASSR commissioned support"), 15),
            (("Unpaid carer support: Support involving the person cared-for", "Unpaid carer sitting service", "CASSR commissioned support"), 20)).Pick(_rng);
        var serviceStart = assessmentEnd.AddDays(_rng.Next(1, 20));
        if (serviceStart <= PeriodEnd)
        {
            DateOnly? end = _rng.Chance(0.6) ? serviceStart.AddDays(_rng.Next(1, 120)) : null;
            if (end > PeriodEnd) end = null;
            Emit(Service(carer, kind.Item1, kind.Item2, kind.Item3, serviceStart, end, end is null ? null : "NFA: Support ended as planned", 250m, null), carer);
        }
        // A carer row without an event, as some councils send: dropped by the national rule on event type.
        if (_rng.Chance(0.05)) Emit(Event(carer, null, start, null, null), carer);
    }

    private static bool Alive(Person p, DateOnly on) => p.Death is not { } d || d >= on;
    private static bool Died(Person p, DateOnly end) => p.Death is { } d && d <= end;
    private static DateOnly Cap(Person p, DateOnly end) => p.Death is { } d && d < end ? d : end > PeriodEnd ? PeriodEnd : end;

    /// <summary>Before 2025/26 a council's wording may still be Release 1's.</summary>
    private string? Word(string? release2, DateOnly on) =>
        release2 is not null && on < Release2From && Release1.TryGetValue(release2, out var release1) && _rng.Chance(0.5) ? release1 : release2;

    private string?[] Event(Person p, string? type, DateOnly start, DateOnly? end, string? outcome)
    {
        var row = new string?[Columns.Length];
        row[Col("LA_Code")] = Council.Code;
        row[Col("LA_Name")] = Council.Name;
        row[Col("LA_Person_Unique_Identifier")] = p.LaId;
        row[Col("Der_NHS_Number_Pseudo")] = p.Nhs;
        row[Col("Der_NHS_Number_Traced_Pseudo")] = p.Traced ? p.Nhs : null;
        row[Col("Gender")] = p.Gender;
        row[Col("Ethnicity")] = Word(p.Ethnicity, start);
        row[Col("Date_of_Birth")] = Fmt.D(p.Birth);
        row[Col("Der_Birth_Year")] = Fmt.I(p.Birth.Year);
        row[Col("Der_Birth_Month")] = Fmt.I(p.Birth.Month);
        // A death is recorded on the rows sent after it.
        row[Col("Date_of_Death")] = p.Death is { } d && (end ?? PeriodEnd) >= d ? Fmt.D(d) : null;
        row[Col("Client_Type")] = Word(p.ClientType, start);
        row[Col("Primary_Support_Reason")] = Word(p.Psr, start);
        row[Col("Accommodation_Status")] = Word(p.Accommodation, start);
        row[Col("Employment_Status")] = "Not in paid employment: Not actively seeking work or retired";
        row[Col("Has_Unpaid_Carer")] = p.ClientType == "Service user" ? "Unknown" : null;
        row[Col("Client_Funding_Status")] = "Fully social care funded";
        row[Col("Event_Type")] = type;
        row[Col("Event_Start_Date")] = Fmt.D(start);
        row[Col("Event_End_Date")] = Fmt.D(end);
        row[Col("Event_Outcome")] = Word(outcome, start);
        if (p.CaresFor is not null)
        {
            row[Col("Total_Hrs_Caring_per_week")] = _rng.Chance(0.5) ? "50 or more hours" : "20-49 hours";
            row[Col("No_of_adults_being_cared_for")] = "1";
            row[Col("Adult_1_Linked_Person_ID")] = p.CaresFor;
        }
        return row;
    }

    private string?[] Service(Person p, string type, string? component, string mechanism, DateOnly start, DateOnly? end, string? outcome, decimal cost, int? hours)
    {
        var row = Event(p, "Service", start, end, outcome);
        row[Col("Service_Type")] = Word(type, start);
        row[Col("Service_Component")] = Word(component, start);
        row[Col("Delivery_Mechanism")] = Word(mechanism, start);
        row[Col("Unit_Cost")] = hours is null ? cost.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "23.50";
        row[Col("Cost_Frequency_Unit_Type")] = hours is null ? "Weekly" : "Hourly";
        row[Col("Planned_units_per_week")] = hours is null ? "1" : Fmt.I(hours.Value);
        return row;
    }

    /// <summary>Adds the row (with the mess a real file has) to the main file, and to the resubmission when it falls in its period.</summary>
    private void Emit(string?[] row, Person p)
    {
        if (p.MissingNhsOnSomeRows && _rng.Chance(0.3))
        {
            row[Col("Der_NHS_Number_Pseudo")] = null;
            row[Col("Der_NHS_Number_Traced_Pseudo")] = null;
        }
        if (_rng.Chance(0.004)) row[Col(_rng.Pick(["Gender", "Accommodation_Status", "Event_Outcome", "Primary_Support_Reason"]))] = _rng.Pick(InvalidTokens);
        if (_rng.Chance(0.002)) row[Col("Event_Start_Date")] = null;
        if (_rng.Chance(0.002))
            foreach (var id in new[] { "LA_Person_Unique_Identifier", "Der_NHS_Number_Pseudo", "Der_NHS_Number_Traced_Pseudo" }) row[Col(id)] = null;

        Add(_main, row, PeriodStart);
        if (_rng.Chance(0.01)) Add(_main, (string?[])row.Clone(), PeriodStart); // exact duplicate
        if (_rng.Chance(0.005) && row[Col("Client_Type")] is { } clientType)
        {
            var copy = (string?[])row.Clone();
            copy[Col("Client_Type")] = clientType.ToUpperInvariant(); // differs only in letter case
            Add(_main, copy, PeriodStart);
        }
        if (_rng.Chance(0.004) && row[Col("Event_Type")] is "Assessment" or "Request" && row[Col("Event_End_Date")] is not null)
        {
            var copy = (string?[])row.Clone();
            copy[Col("Event_Outcome")] = "NFA: Other"; // resubmitted with another outcome
            Add(_main, copy, PeriodStart);
        }
        if (_rng.Chance(0.01) && row[Col("Event_End_Date")] is { } lastEnd)
        {
            // The same dates on a review with another gender: the person's latest rows disagree.
            var conflict = (string?[])row.Clone();
            conflict[Col("Event_Type")] = "Review";
            conflict[Col("Review_Reason")] = "Unplanned";
            conflict[Col("Gender")] = row[Col("Gender")] == "Male" ? "Female" : "Male";
            foreach (var c in new[] { "Request_Route_of_Access", "Assessment_Type", "Service_Type", "Service_Component", "Delivery_Mechanism", "Unit_Cost", "Cost_Frequency_Unit_Type", "Planned_units_per_week" })
                conflict[Col(c)] = null;
            Add(_main, conflict, PeriodStart);
        }

        // The resubmission holds every event that ends in its period or is still open, a few with a corrected outcome.
        var end = row[Col("Event_End_Date")];
        var ends = end is null ? PeriodEnd : DateOnly.ParseExact(end, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (ends >= ResubmissionStart && !_rng.Chance(0.01))
        {
            var copy = (string?[])row.Clone();
            if (copy[Col("Event_Outcome")] is "NFA: Support declined" && _rng.Chance(0.5)) copy[Col("Event_Outcome")] = "NFA: Information and advice or signposting";
            Add(_resubmission, copy, ResubmissionStart);
        }
    }

    private void Add(List<string?[]> file, string?[] row, DateOnly periodStart)
    {
        row[Col("Reporting_Period_Start_Date")] = Fmt.D(periodStart);
        row[Col("Reporting_Period_End_Date")] = Fmt.D(PeriodEnd);
        row[Col("Der_Unique_Record_ID")] = (++_recordId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A copy keeps the council's reference of the event it repeats.
        row[Col("Event_Reference")] ??= "EV" + _recordId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        file.Add(row);
    }
}
