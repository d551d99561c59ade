namespace Forecasting.Domain;

/// <summary>The allowed code values of the domain (docs/adult-social-care.md, "The data domains"), shared by import and analytics.</summary>
public static class Vocabulary
{
    public static readonly IReadOnlyList<string> Routes = ["community", "hospital_discharge", "hospital_diversion", "transition", "prison"];
    public static readonly IReadOnlyList<string> Channels = ["phone", "online", "email", "professional_referral", "not_recorded"];
    public static readonly IReadOnlyList<string> AgeBands = ["18-24", "25-64", "65-74", "75-84", "85+"];
    public static readonly IReadOnlyList<string> PopulationAgeBands = ["0-17", "18-24", "25-64", "65-74", "75-84", "85+"];
    public static readonly IReadOnlyList<string> AgeGroups = ["18-64", "65+"];
    public static readonly IReadOnlyList<string> PrimarySupportReasons =
        ["physical_support", "sensory_support", "memory_and_cognition", "learning_disability", "mental_health", "social_support"];
    public static readonly IReadOnlyList<string> Outcomes =
        ["information_advice", "no_further_action", "short_term_support", "long_term_support", "ongoing_low_level", "nhs_funded", "deceased"];
    public static readonly IReadOnlyList<string> Settings = ["residential", "nursing"];
    public static readonly IReadOnlyList<string> Fundings = ["council", "former_self_funder"];
    public static readonly IReadOnlyList<string> AdmissionSources = ["hospital", "community"];
    public static readonly IReadOnlyList<string> LeaveReasons = ["deceased", "moved_to_supported_living", "self_funding", "nhs_funded", "community_support"];
    public static readonly IReadOnlyList<string> PrimaryNeeds = ["learning_disability", "autism", "pmld", "mental_health", "physical"];
    public static readonly IReadOnlyList<string> PredictedSettings = ["family_home", "supported_living", "residential", "shared_lives"];
    public static readonly IReadOnlyList<string> SchemeCategories = ["supported_living", "shared_house", "extra_care"];
    public static readonly IReadOnlyList<string> ClientGroups = ["ld_autism", "mental_health", "physical_sensory", "older_dementia", "complex_needs"];
    public static readonly IReadOnlyList<string> Owners = ["council", "rsl", "private"];
    public static readonly IReadOnlyList<string> Designs = ["self_contained", "shared", "core_and_cluster"];
    public static readonly IReadOnlyList<string> UnitStatuses = ["occupied", "void", "offline"];
    public static readonly IReadOnlyList<string> TenancyEndReasons = ["deceased", "moved_on", "residential", "other"];
    public static readonly IReadOnlyList<string> DeliveryStatuses =
        ["delivered", "confirmed", "in_procurement", "reasonable_confidence", "in_discussion", "identified", "failed"];
    public static readonly IReadOnlyList<string> Preferences = ["self_contained", "shared", "no_preference"];
    public static readonly IReadOnlyList<string> WaitingListAgeBands = ["under_18", "18-20", "21-24", "25-64", "65+"];
    public static readonly IReadOnlyList<string> RemovalReasons = ["housed", "withdrawn", "deceased", "other"];
    public static readonly IReadOnlyList<string> NeedCohorts = ["inpatient", "temporary_accommodation", "older_awaiting_extra_care"];
    public static readonly IReadOnlyList<string> PopulationVariants = ["estimate", "low", "principal", "high"];

    // Long-term support, assessment and performance domains (docs/adult-social-care.md, "The data domains"; docs/measures.md).
    public static readonly IReadOnlyList<string> ServiceTypes =
        ["home_care", "residential", "nursing", "supported_living", "extra_care", "shared_lives", "day_care", "direct_payment", "other_community"];
    /// <summary>Service types delivered in a care home; every other type is a community service (ASCOF 1C's denominator).</summary>
    public static readonly IReadOnlyList<string> CareHomeServiceTypes = ["residential", "nursing"];
    /// <summary>How a service is arranged: ASCOF 1C(1) counts individual service funds and direct payments as self-directed, 1C(2) direct payments.</summary>
    public static readonly IReadOnlyList<string> ServiceFundings = ["council_managed", "individual_service_fund", "direct_payment", "joint_nhs"];
    /// <summary>Where an adult with a learning disability lives (ASCOF 1G: own home or family and supported living count as own home).</summary>
    public static readonly IReadOnlyList<string> AccommodationStatuses = ["own_home_or_family", "supported_living", "residential", "other"];
    public static readonly IReadOnlyList<string> AssessmentOutcomes = ["eligible", "not_eligible", "withdrawn"];
    public static readonly IReadOnlyList<string> AssessmentPriorities = ["urgent", "high", "standard", "not_recorded"];
    public static readonly IReadOnlyList<string> ReablementSources = ["hospital_discharge", "community"];
    /// <summary>What followed a reablement episode (ASCOF 2D: no further support or low-level support only).</summary>
    public static readonly IReadOnlyList<string> ReablementOutcomes =
        ["no_further_support", "ongoing_low_level", "long_term_community", "long_term_residential", "deceased", "other"];
    /// <summary>Where the person was 91 days after discharge into reablement (ASCOF 2B(1): at_home is the numerator).</summary>
    public static readonly IReadOnlyList<string> Status91Days = ["at_home", "residential", "hospital", "deceased"];
    public static readonly IReadOnlyList<string> DolsOutcomes = ["authorised", "not_granted", "withdrawn"];
    public static readonly IReadOnlyList<string> SafeguardingRiskOutcomes = ["removed", "reduced", "remains"];
    public static readonly IReadOnlyList<string> BudgetServiceLines =
        ["home_care", "residential", "nursing", "supported_living", "extra_care", "shared_lives", "day_care", "direct_payments", "reablement", "staffing", "other"];
    public static readonly IReadOnlyList<string> ComparatorTypes = ["council", "region", "england", "quartile"];
    /// <summary>Comparator codes of published quartile boundaries (comparator_type quartile).</summary>
    public static readonly IReadOnlyList<string> QuartileBoundaries = ["lower_quartile", "median", "upper_quartile"];
}
