using Forecasting.Cld.Cleaning;
using static Forecasting.Cld.Tests.Cleaning.CldTestRows;
using C = Forecasting.Cld.Cleaning.CldQualityCategories;
using S = Forecasting.Cld.Cleaning.CldQualitySections;

namespace Forecasting.Cld.Tests.Cleaning;

/// <summary>The latest person details, each rule with a small case worked by hand.</summary>
[Trait("Category", "unit")]
public class CldPersonDetailsTests
{
    [Fact]
    public void The_latest_known_value_wins_and_a_later_unknown_does_not_replace_it()
    {
        // Row 3 ends later but its gender is Unknown: known values come first, so Male (row 2) stands.
        var person = Clean(
            Row(2, ("Gender", "Male"), ("Event_End_Date", "2025-05-10")),
            Row(3, ("Der_Unique_Record_ID", "2"), ("Gender", "Unknown"), ("Event_Start_Date", "2025-06-01"), ("Event_End_Date", "2025-06-10")),
            Row(4, ("Der_Unique_Record_ID", "3"), ("Gender", "Female"), ("Event_Start_Date", "2025-01-01"), ("Event_End_Date", "2025-01-10"))).PeopleList.Single();
        Assert.Equal("Male", person.Gender);
    }

    [Fact]
    public void Conflicting_values_on_the_latest_rows_become_Unknown()
    {
        // Same start and end, different genders: a tie at the top, so Unknown, and one conflict reported.
        var result = Clean(Row(2, ("Gender", "Male"), ("Assessment_Type", "Short term assessment")), Row(3, ("Der_Unique_Record_ID", "2"), ("Gender", "Female")));
        Assert.Equal("Unknown", result.PeopleList.Single().Gender);
        Assert.Equal(1, result.Quality.Count(S.PersonDetails, "Gender", C.Conflict));
    }

    [Fact]
    public void The_support_to_carer_reason_gives_way_to_any_other_known_reason()
    {
        var person = Clean(
            Row(2, ("Primary_Support_Reason", "Mental health support"), ("Event_End_Date", "2025-05-10")),
            Row(3, ("Der_Unique_Record_ID", "2"), ("Primary_Support_Reason", "Social support: Support to unpaid carer"), ("Event_Start_Date", "2025-07-01"), ("Event_End_Date", "2025-07-02"))).PeopleList.Single();
        Assert.Equal("Mental health support", person.PrimarySupportReason);
    }

    [Fact]
    public void Birth_is_the_earliest_valid_year_and_month_and_death_the_latest_date()
    {
        var person = Clean(
            Row(2, ("Der_Birth_Year", "1941"), ("Der_Birth_Month", "2"), ("Date_of_Death", "2025-08-01")),
            Row(3, ("Der_Unique_Record_ID", "2"), ("Der_Birth_Year", "1940"), ("Der_Birth_Month", "11"), ("Event_End_Date", "2025-05-12"), ("Date_of_Death", "2025-09-01")),
            Row(4, ("Der_Unique_Record_ID", "3"), ("Der_Birth_Year", null), ("Der_Birth_Month", null), ("Event_End_Date", "2025-05-13"))).PeopleList.Single();
        Assert.Equal(new DateOnly(1940, 11, 1), person.BirthDate);
        Assert.Equal(new DateOnly(2025, 9, 1), person.DateOfDeath);
    }

    [Theory]
    [InlineData("Long term support: Nursing care", "Long term nursing care", "Registered nursing home")]
    [InlineData("Long term support: Community", "Home support or domiciliary care", "Unknown: Presumed at home")]
    [InlineData("Long term support: Community", "Day support", "Unknown: Presumed in community")]
    [InlineData("Long term support: Community", "Shared Lives", "Shared Lives scheme")]
    [InlineData("Short term support: ST-Max", "Reablement", "Unknown")]
    public void An_unknown_accommodation_is_inferred_from_the_latest_service(string serviceType, string component, string expected)
    {
        var result = Clean(Row(2, ("Accommodation_Status", "TBC")),
            Service(3, ("Der_Unique_Record_ID", "2"), ("Accommodation_Status", null), ("Service_Type", serviceType), ("Service_Component", component)));
        Assert.Equal(expected, result.PeopleList.Single().AccommodationStatus);
        Assert.Equal(expected == "Unknown" ? 0 : 1, result.Quality.Count(S.PersonDetails, "Accommodation_Status", C.InferredFromServices));
    }

    [Fact]
    public void A_known_accommodation_on_an_older_row_beats_an_unknown_on_the_latest()
    {
        var person = Clean(Row(2, ("Accommodation_Status", "Tenant - private landlord")),
            Service(3, ("Der_Unique_Record_ID", "2"), ("Accommodation_Status", "Unknown"), ("Service_Type", "Long term support: Nursing care"))).PeopleList.Single();
        Assert.Equal("Tenant: Private landlord", person.AccommodationStatus);
    }

    [Fact]
    public void A_carer_row_linking_to_the_persons_council_id_gives_them_an_unpaid_carer()
    {
        var result = Clean(
            Row(2, ("Has_Unpaid_Carer", "No")),
            Row(3, ("Der_Unique_Record_ID", "2"), ("Client_Type", "Unpaid carer"), ("LA_Person_Unique_Identifier", "C9"), ("Der_NHS_Number_Traced_Pseudo", "T9"),
                ("Adult_1_Linked_Person_ID", "P1"), ("Event_Type", "Service"), ("Service_Type", "Unpaid carer support: Direct to unpaid carer"),
                ("Service_Component", "Unpaid carer respite"), ("Assessment_Type", null), ("Event_Outcome", null)));
        var people = result.People;
        Assert.Equal("Yes", people["T1"].HasUnpaidCarer);
        Assert.Equal("Unknown", people["T9"].HasUnpaidCarer);
        Assert.Equal(["P1"], result.Events.Single(e => e.PersonId == "T9").LinkedPersonIds);
    }
}
