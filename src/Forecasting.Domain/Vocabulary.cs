namespace Forecasting.Domain;

/// <summary>The allowed code values of the domain (domain.md section 3), shared by import and analytics.</summary>
public static class Vocabulary
{
    public static readonly IReadOnlyList<string> Routes = ["community", "hospital_discharge", "hospital_diversion", "transition", "prison"];
    public static readonly IReadOnlyList<string> Channels = ["phone", "online", "email", "professional_referral"];
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
}
