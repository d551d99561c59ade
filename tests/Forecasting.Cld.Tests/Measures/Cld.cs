using Forecasting.Cld.Measures;
using Forecasting.Cld.Model;

namespace Forecasting.Cld.Tests.Measures;

/// <summary>Small cleaned CLD inputs for the measure tests: dates as "yyyy-MM-dd", values in Release 2 wording.</summary>
static class Cld
{
    static long nextId;

    public static DateOnly D(string date) => DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

    static DateOnly? Od(string? date) => date is null ? null : D(date);

    public static CldEvent Event(string person, string type, string start, string? end, string? outcome = null, string client = CldValues.ServiceUser,
        string? born = null, string? died = null, string? psr = null) =>
        new()
        {
            RecordId = Interlocked.Increment(ref nextId),
            PersonId = person,
            CouncilCode = "E06009999",
            ClientType = client,
            EventType = type,
            StartDate = D(start),
            EndDate = Od(end),
            EventOutcome = outcome,
            OutcomeHierarchy = CldTerms.OutcomeRank(outcome),
            BirthYear = born is null ? null : D(born).Year,
            BirthMonth = born is null ? null : D(born).Month,
            DateOfDeath = Od(died),
            PrimarySupportReason = psr,
        };

    public static CldEvent Service(string person, string start, string? end, string serviceType, string? component = null, string? mechanism = null,
        string? outcome = null, string client = CldValues.ServiceUser, string? born = null, string? psr = null, string? died = null) =>
        Event(person, CldValues.Service, start, end, outcome, client, born, died, psr) with
        {
            ServiceType = serviceType,
            ServiceComponent = component,
            DeliveryMechanism = mechanism,
        };

    public static CldEvent Request(string person, string start, string? end, string? outcome = null, string? route = "Community or other route",
        string client = CldValues.ServiceUser, string? born = null) =>
        Event(person, CldValues.Request, start, end, outcome, client, born) with { RouteOfAccess = route };

    public static CldEvent Assessment(string person, string start, string? end, string? outcome = null, string assessmentType = "Long term assessment",
        string client = CldValues.ServiceUser, string? born = null) =>
        Event(person, CldValues.Assessment, start, end, outcome, client, born) with { AssessmentType = assessmentType };

    public static CldPerson Person(string id, string? born, string? died = null, string? gender = null, string? accommodation = null, string? psr = null) =>
        new() { PersonId = id, BirthDate = Od(born), DateOfDeath = Od(died), Gender = gender, AccommodationStatus = accommodation, PrimarySupportReason = psr };

    public static IReadOnlyDictionary<string, CldPerson> People(params CldPerson[] people) => people.ToDictionary(p => p.PersonId);
}
