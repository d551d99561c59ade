using Forecasting.Cld.Cleaning;
using static Forecasting.Cld.Tests.Cleaning.CldTestRows;
using C = Forecasting.Cld.Cleaning.CldQualityCategories;
using S = Forecasting.Cld.Cleaning.CldQualitySections;

namespace Forecasting.Cld.Tests.Cleaning;

/// <summary>The national unique event and the choice of the record kept, one failing example each.</summary>
[Trait("Category", "unit")]
public class CldDeduplicationTests
{
    [Fact]
    public void An_exact_duplicate_is_removed_and_the_higher_record_id_kept()
    {
        var result = Clean(Row(2, ("Der_Unique_Record_ID", "7")), Row(3, ("Der_Unique_Record_ID", "9")));
        Assert.Equal(9, result.Events.Single().RecordId);
        var line = result.Quality.Find(S.Duplicates, "", C.ExactDuplicate)!;
        Assert.Equal((1L, 2L), (line.Count, line.Examples.Single().Row));
    }

    [Fact]
    public void Values_differing_only_in_letter_case_are_one_event()
    {
        var result = Clean(Row(2), Row(3, ("Der_Unique_Record_ID", "2"), ("Client_Type", "SERVICE USER"), ("Assessment_Type", "Long Term Assessment ")));
        Assert.Single(result.Events);
        Assert.Equal(1, result.Quality.Count(S.Duplicates, "", C.CaseOnlyDuplicate));
    }

    [Fact]
    public void A_resubmitted_event_keeps_the_best_outcome_in_the_hierarchy()
    {
        // NFA: Other is rank 17, Progress to support planning or services rank 4: rank 4 is kept though its record id is lower.
        var result = Clean(Row(2, ("Der_Unique_Record_ID", "1")), Row(3, ("Der_Unique_Record_ID", "2"), ("Event_Outcome", "NFA: Other")));
        Assert.Equal(("Progress to support planning or services", 1L), (result.Events.Single().EventOutcome, result.Events.Single().RecordId));
        Assert.Equal(1, result.Quality.Count(S.Duplicates, "", C.AnotherOutcome));
    }

    [Fact]
    public void A_service_is_one_event_whatever_its_end_and_the_open_record_is_kept()
    {
        var result = Clean(
            Service(2, ("Der_Unique_Record_ID", "5"), ("Event_End_Date", "2025-09-30"), ("Unit_Cost", "20")),
            Service(3, ("Der_Unique_Record_ID", "3"), ("Event_End_Date", null), ("Unit_Cost", "21")),
            Service(4, ("Der_Unique_Record_ID", "4"), ("Event_End_Date", "2025-12-31")));
        var ev = result.Events.Single();
        Assert.Equal((3L, (DateOnly?)null, 21m), (ev.RecordId, ev.EndDate, ev.UnitCost));
        Assert.Equal(2, result.Quality.Count(S.Duplicates, "", C.OtherDetails));
    }

    [Fact]
    public void Among_ended_services_the_latest_end_is_kept()
    {
        var result = Clean(
            Service(2, ("Der_Unique_Record_ID", "9"), ("Event_End_Date", "2025-09-30")),
            Service(3, ("Der_Unique_Record_ID", "1"), ("Event_End_Date", "2025-12-31")));
        Assert.Equal(new DateOnly(2025, 12, 31), result.Events.Single().EndDate);
    }

    [Fact]
    public void Requests_assessments_and_reviews_with_another_end_date_are_other_events()
    {
        var result = Clean(Row(2), Row(3, ("Der_Unique_Record_ID", "2"), ("Event_End_Date", "2025-05-11")));
        Assert.Equal(2, result.Events.Count);
    }

    [Theory]
    // Raw values decide: the Release 1 and Release 2 wordings of one route are two events (case alone is not).
    [InlineData("Request", "Request_Route_of_Access", "Community / Other route", "Community or other route")]
    [InlineData("Assessment", "Assessment_Type", "Short term assessment", "Long term assessment")]
    [InlineData("Service", "Service_Component", "Home support or domiciliary care", "Home Support")]
    [InlineData("Service", "Service_Type", "Long term support: Community", "Long term support: Residential care")]
    [InlineData("Review", "Client_Type", "Service user", "Unpaid carer")]
    public void The_unique_event_is_told_apart_by_its_type_specific_field(string eventType, string column, string first, string second)
    {
        (string, string?)[] common = [("Event_Type", eventType), ("Event_End_Date", eventType == "Service" ? null : "2025-05-10"),
            ("Assessment_Type", eventType == "Assessment" ? "Long term assessment" : null),
            ("Service_Type", eventType == "Service" ? "Long term support: Community" : null),
            ("Service_Component", eventType == "Service" ? "Home support or domiciliary care" : null)];
        var result = Clean(Row(2, [.. common, (column, first)]), Row(3, [.. common, ("Der_Unique_Record_ID", "2"), (column, second)]));
        Assert.Equal(2, result.Events.Count);
        Assert.Equal(0, result.Quality.DuplicatesRemoved);
    }

    [Fact]
    public void People_are_told_apart_by_the_national_person_id()
    {
        // Same council id, but one row has a traced NHS number and the other none: two people, as the national code sees them.
        var result = Clean(Row(2), Row(3, ("Der_Unique_Record_ID", "2"), ("Der_NHS_Number_Traced_Pseudo", null), ("Der_NHS_Number_Pseudo", null)));
        Assert.Equal(2, result.Events.Count);
        Assert.Equal(2, result.PeopleList.Count);
    }
}
