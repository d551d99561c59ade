namespace Forecasting.Cld.Reading;

/// <summary>The columns of a local CLD file, in the order of the national layout.</summary>
public static class CldColumns
{
    public const int LaCode = 0, LaName = 1, PeriodStart = 2, PeriodEnd = 3, RecordId = 4, LaPersonId = 5, NhsNumber = 6,
        NhsNumberTraced = 7, Gender = 8, Ethnicity = 9, DateOfBirth = 10, BirthYear = 11, BirthMonth = 12, DateOfDeath = 13,
        ClientType = 14, PrimarySupportReason = 15, AccommodationStatus = 16, EmploymentStatus = 17, HasUnpaidCarer = 18,
        Autism = 19, VisualImpairment = 20, HearingImpairment = 21, Dementia = 22, ClientFundingStatus = 23, EventType = 24,
        EventReference = 25, EventStart = 26, EventEnd = 27, EventDescription = 28, EventOutcome = 29, RouteOfAccess = 30,
        AssessmentType = 31, EligibleNeeds = 32, MethodOfAssessment = 33, HoursCaring = 34, AdultsCaredFor = 35,
        Linked1 = 36, Linked2 = 37, Linked3 = 38, ServiceType = 39, ServiceComponent = 40, DeliveryMechanism = 41,
        ProviderLocationId = 42, ProviderLocationName = 43, UnitCost = 44, CostFrequency = 45, PlannedUnits = 46,
        ReviewReason = 47, ReviewOutcomes = 48, MethodOfReview = 49;

    public static readonly IReadOnlyList<string> Names =
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

    public static int Count => Names.Count;
}
