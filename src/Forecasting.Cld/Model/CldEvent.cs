namespace Forecasting.Cld.Model;

/// <summary>
/// One unique CLD event after the national cleaning: Release 1 values mapped to Release 2 wording (canonical
/// spelling, compared without case), unmappable values as <see cref="CldValues.Invalid"/>, blanks as null, the
/// end date corrected by the date of death, and one record per national unique event (duplicates resolved).
/// Person fields are the row's own (the SALT tables read the row's birth year and month and date of death);
/// the latest person details are in <see cref="CldPerson"/>.
/// </summary>
public sealed record CldEvent
{
    /// <summary>Der_Unique_Record_ID of the row kept: the last tie-break of deduplication.</summary>
    public required long RecordId { get; init; }
    /// <summary>The national person identifier: traced NHS number, else the council's NHS number, else LA_Code + "_" + the council's person id.</summary>
    public required string PersonId { get; init; }
    public required string CouncilCode { get; init; }
    /// <summary>LA_Person_Unique_Identifier: what carers' linked-person fields point to.</summary>
    public string? LaPersonId { get; init; }
    /// <summary>Service user, Unpaid carer, Unpaid carer known by association (Release 2 wording).</summary>
    public required string ClientType { get; init; }
    /// <summary>Request, Assessment, Service or Review.</summary>
    public required string EventType { get; init; }
    public required DateOnly StartDate { get; init; }
    /// <summary>Der_Event_End_Date: the submitted end date, replaced by the date of death when death comes first.</summary>
    public DateOnly? EndDate { get; init; }
    public string? EventOutcome { get; init; }
    /// <summary>Rank of the outcome in the national hierarchy (1 = Progress to reablement/ST-Max ... 17 = NFA: Other); null when no outcome.</summary>
    public int? OutcomeHierarchy { get; init; }

    public string? RouteOfAccess { get; init; }
    public string? AssessmentType { get; init; }
    public string? EligibleNeedsIdentified { get; init; }
    public string? ServiceType { get; init; }
    public string? ServiceComponent { get; init; }
    public string? DeliveryMechanism { get; init; }
    public decimal? UnitCost { get; init; }
    public string? CostFrequencyUnitType { get; init; }
    public decimal? PlannedUnitsPerWeek { get; init; }
    public string? ReviewReason { get; init; }
    public string? ReviewOutcomesAchieved { get; init; }

    public string? TotalHoursCaringPerWeek { get; init; }
    public IReadOnlyList<string> LinkedPersonIds { get; init; } = [];

    public int? BirthYear { get; init; }
    public int? BirthMonth { get; init; }
    public DateOnly? DateOfDeath { get; init; }
    public string? Gender { get; init; }
    public string? PrimarySupportReason { get; init; }
    public string? AccommodationStatus { get; init; }
}

/// <summary>The latest person details, one per person, built once from the whole file (the national person-details table).</summary>
public sealed record CldPerson
{
    public required string PersonId { get; init; }
    public string? LaPersonId { get; init; }
    /// <summary>First of the earliest valid birth month: age = floor(days / 365.25) from it.</summary>
    public DateOnly? BirthDate { get; init; }
    /// <summary>The latest date of death recorded.</summary>
    public DateOnly? DateOfDeath { get; init; }
    public string? Gender { get; init; }
    public string? PrimarySupportReason { get; init; }
    /// <summary>Latest known accommodation; conflicting latest values are Unknown, inferred from services as the national code does.</summary>
    public string? AccommodationStatus { get; init; }
    public string? HasUnpaidCarer { get; init; }
    public string? ClientType { get; init; }
    /// <summary>LA_Code of the person's rows: people are per council, as the national person-details table is.</summary>
    public string? CouncilCode { get; init; }
}
