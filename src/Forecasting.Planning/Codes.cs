namespace Forecasting.Planning;

/// <summary>Client groups used for schemes, pipeline, waiting list and demand (store codes).</summary>
public static class ClientGroups
{
    public const string LdAutism = "ld_autism";
    public const string MentalHealth = "mental_health";
    public const string PhysicalSensory = "physical_sensory";
    public const string OlderDementia = "older_dementia";
    public const string ComplexNeeds = "complex_needs";

    /// <summary>Key used in results for the sum over all client groups.</summary>
    public const string All = "all";

    /// <summary>The store's client groups, in its order.</summary>
    public static readonly IReadOnlyList<string> Known = Vocabulary.ClientGroups;

    public static bool IsKnown(string? code) => code is not null && Known.Contains(code);

    public static int IndexOf(string code)
    {
        for (var i = 0; i < Known.Count; i++)
            if (Known[i] == code) return i;
        return -1;
    }

    /// <summary>Maps a transitions primary_need to a client group; null when the need is not recognised.</summary>
    public static string? FromPrimaryNeed(string primaryNeed) => ClientGroupMapping.FromPrimaryNeed(primaryNeed);

    /// <summary>
    /// Maps a primary support reason of a person in residential care to a client group. Unrecorded or
    /// social-support reasons go by age: 65 and over to older_dementia, younger to complex_needs.
    /// </summary>
    public static string FromPsr(string? psr, int age)
    {
        var p = psr?.ToLowerInvariant() ?? "";
        if (p.Contains("learning") || p.Contains("autism")) return LdAutism;
        if (p.Contains("mental")) return MentalHealth;
        if (p.Contains("physical") || p.Contains("sensory")) return PhysicalSensory;
        if (p.Contains("memory") || p.Contains("dementia")) return OlderDementia;
        return age >= 65 ? OlderDementia : ComplexNeeds;
    }

    /// <summary>
    /// The population age group that drives a client group's need: 85 and over for older people and dementia (where
    /// need concentrates), 18-64 for the others.
    /// </summary>
    public static PopulationAgeGroup DriverAgeGroup(string clientGroup) =>
        clientGroup == OlderDementia ? PopulationAgeGroup.Aged85Plus : PopulationAgeGroup.WorkingAge;
}

public enum PopulationAgeGroup
{
    /// <summary>18-64: bands 18-24 and 25-64.</summary>
    WorkingAge,
    /// <summary>85+.</summary>
    Aged85Plus,
}

/// <summary>Pipeline delivery statuses, from firmest to weakest, with default delivery probabilities.</summary>
public static class PipelineStatuses
{
    public const string Delivered = "delivered";
    public const string Confirmed = "confirmed";
    public const string InProcurement = "in_procurement";
    public const string ReasonableConfidence = "reasonable_confidence";
    public const string InDiscussion = "in_discussion";
    public const string Identified = "identified";
    public const string Failed = "failed";

    /// <summary>Statuses ordered from the firmest to the weakest (the store's order).</summary>
    public static readonly IReadOnlyList<string> Ordered = Vocabulary.DeliveryStatuses;

    public static readonly IReadOnlyDictionary<string, double> DefaultProbabilities = new Dictionary<string, double>
    {
        [Delivered] = 1.0,
        [Confirmed] = 0.95,
        [InProcurement] = 0.75,
        [ReasonableConfidence] = 0.6,
        [InDiscussion] = 0.35,
        [Identified] = 0.15,
        [Failed] = 0.0,
    };

    /// <summary>Upper bound of the random delay (months, uniform from 0) used by the simulation per status.</summary>
    public static readonly IReadOnlyDictionary<string, int> DefaultMaxSlipMonths = new Dictionary<string, int>
    {
        [Delivered] = 0,
        [Confirmed] = 3,
        [InProcurement] = 6,
        [ReasonableConfidence] = 12,
        [InDiscussion] = 18,
        [Identified] = 24,
        [Failed] = 0,
    };

    public static bool IsKnown(string? status) => status is not null && Ordered.Contains(status);

    /// <summary>Rank of a status: 0 is the firmest.</summary>
    public static int Rank(string status)
    {
        for (var i = 0; i < Ordered.Count; i++)
            if (Ordered[i] == status) return i;
        return Ordered.Count;
    }

    /// <summary>True when <paramref name="status"/> is at least as firm as <paramref name="minimum"/> and not failed.</summary>
    public static bool AtLeast(string status, string minimum) => status != Failed && Rank(status) <= Rank(minimum);
}

public static class PopulationVariants
{
    public const string Low = "low";
    public const string Principal = "principal";
    public const string High = "high";
    /// <summary>Mid-year estimates of past years, not a projection.</summary>
    public const string Estimate = "estimate";
    public static readonly IReadOnlyList<string> Projections = new[] { Low, Principal, High };
}

public static class SchemeCategories
{
    public static readonly IReadOnlyList<string> Known = Vocabulary.SchemeCategories;
}

/// <summary>Demand components (stocks of people), each reported separately.</summary>
public static class DemandComponents
{
    public const string HousedInArea = "housed_in_area";
    public const string HousedOutOfArea = "housed_out_of_area";
    public const string WaitingList = "waiting_list";
    public const string StepDown = "residential_step_down";
    public const string AdmissionDiversion = "admission_diversion";
    public const string Transitions = "transitions";
    public const string Inpatient = "inpatient";
    public const string TemporaryAccommodation = "temporary_accommodation";
    public const string OlderAwaitingExtraCare = "older_awaiting_extra_care";
    /// <summary>People removed from the waiting list other than by death (withdrawn, other): still in need, waiting elsewhere.</summary>
    public const string DisplacedNeed = "displaced_need";
    /// <summary>Tenants of a scheme that closes, waiting to be re-housed.</summary>
    public const string ClosureRehousing = "closure_rehousing";

    /// <summary>Every component is a stock of people at the year end: housed, or waiting in one cohort.</summary>
    public static readonly IReadOnlyList<string> Ordered = new[]
    {
        HousedInArea, HousedOutOfArea, WaitingList, StepDown, AdmissionDiversion, Transitions, Inpatient,
        TemporaryAccommodation, OlderAwaitingExtraCare, DisplacedNeed, ClosureRehousing,
    };

}

/// <summary>Supply components, each reported separately.</summary>
public static class SupplyComponents
{
    public const string ExistingInArea = "existing_in_area";
    public const string ExistingOutOfArea = "existing_out_of_area";
    public const string OpeningSchemes = "opening_schemes";
    public const string Decommissions = "decommissions";
    public const string Pipeline = "pipeline";
    public const string PipelineOutOfArea = "pipeline_out_of_area";
    public const string VoidAllowance = "void_allowance";

    public static readonly IReadOnlyList<string> Ordered = new[]
    {
        ExistingInArea, ExistingOutOfArea, OpeningSchemes, Decommissions, Pipeline, PipelineOutOfArea, VoidAllowance,
    };
}

/// <summary>Calendar months as a running index (year * 12 + month - 1).</summary>
public static class MonthIndex
{
    public static int Of(DateOnly date) => date.Year * 12 + date.Month - 1;
    public static int Of(int year, int month) => year * 12 + month - 1;
    public static DateOnly FirstDay(int index) => new(index / 12, index % 12 + 1, 1);
    public static int Year(int index) => index / 12;
    public static int Month(int index) => index % 12 + 1;
    public static int FinancialYearOf(int index) => FinancialYear.Of(FirstDay(index));
}
