using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Model;
using static Forecasting.Cld.Tests.Cleaning.CldTestRows;
using C = Forecasting.Cld.Cleaning.CldQualityCategories;
using S = Forecasting.Cld.Cleaning.CldQualitySections;

namespace Forecasting.Cld.Tests.Cleaning;

/// <summary>Each national cleaning rule with a row it changes or drops, checked by hand.</summary>
[Trait("Category", "unit")]
public class CldCleaningRuleTests
{
    [Fact]
    public void Release_2_values_pass_in_their_canonical_spelling_without_case_or_trailing_blanks()
    {
        var ev = Clean(Row(2, ("Client_Type", "SERVICE USER  "), ("Assessment_Type", "long term ASSESSMENT"))).Events.Single();
        Assert.Equal("Service user", ev.ClientType);
        Assert.Equal("Long term assessment", ev.AssessmentType);
    }

    [Fact]
    public void Release_1_values_map_to_their_Release_2_pair()
    {
        var result = Clean(Row(2, ("Client_Type", "Carer"), ("Event_Outcome", "NFA - Support declined"), ("Primary_Support_Reason", "support with memory & cognition")));
        var ev = result.Events.Single();
        Assert.Equal(CldValues.UnpaidCarer, ev.ClientType);
        Assert.Equal("NFA: Support declined", ev.EventOutcome);
        Assert.Equal(12, ev.OutcomeHierarchy);
        Assert.Equal("Support with memory and cognition", ev.PrimarySupportReason);
        Assert.Equal(1, result.Quality.Count(S.FieldValues, "Client_Type", C.Mapped));
        Assert.Equal(1, result.Quality.Count(S.FieldValues, "Event_Outcome", C.Mapped));
    }

    [Fact]
    public void Unrecognised_values_become_invalid_and_blanks_stay_null()
    {
        var result = Clean(Row(2, ("Gender", "TBC"), ("Event_Outcome", "See notes"), ("Accommodation_Status", " ")));
        var ev = result.Events.Single();
        Assert.Equal(CldValues.Invalid, ev.Gender);
        Assert.Equal(CldValues.Invalid, ev.EventOutcome);
        Assert.Null(ev.OutcomeHierarchy);
        Assert.Null(ev.AccommodationStatus);
        var invalid = result.Quality.Find(S.FieldValues, "Gender", C.Invalid)!;
        Assert.Equal((1L, "TBC", 2L), (invalid.Count, invalid.Examples.Single().Value, invalid.Examples.Single().Row));
        Assert.Equal(1, result.Quality.Count(S.FieldValues, "Accommodation_Status", C.Missing));
    }

    [Fact]
    public void The_person_id_is_the_traced_NHS_number_else_the_NHS_number_else_the_council_code_and_id()
    {
        var result = Clean(
            Row(2, ("Der_Unique_Record_ID", "1")),
            Row(3, ("Der_Unique_Record_ID", "2"), ("LA_Person_Unique_Identifier", "P2"), ("Der_NHS_Number_Traced_Pseudo", null), ("Der_NHS_Number_Pseudo", "N2")),
            Row(4, ("Der_Unique_Record_ID", "3"), ("LA_Person_Unique_Identifier", "P3"), ("Der_NHS_Number_Traced_Pseudo", null), ("Der_NHS_Number_Pseudo", null)));
        Assert.Equal(["E06009999_P3", "N2", "T1"], result.Events.Select(e => e.PersonId).Order(StringComparer.Ordinal));
        Assert.Equal(1, result.Quality.Count(S.PersonId, "", C.CouncilId));
    }

    [Theory]
    // Open event, death after the start: the death ends it.
    [InlineData("2025-05-01", null, "2025-06-01", "2025-06-01")]
    // Death between start and end: the death ends it.
    [InlineData("2025-05-01", "2025-07-01", "2025-06-01", "2025-06-01")]
    // Death after the end: the end stands.
    [InlineData("2025-05-01", "2025-05-10", "2025-06-01", "2025-05-10")]
    // Death on the start day of an open event: not after the start, so it stays open (the national test is strict).
    [InlineData("2025-05-01", null, "2025-05-01", null)]
    public void The_end_date_is_corrected_by_the_date_of_death(string start, string? end, string death, string? expected)
    {
        var ev = Clean(Service(2, ("Event_Start_Date", start), ("Event_End_Date", end), ("Date_of_Death", death))).Events.Single();
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ev.EndDate);
    }

    [Theory]
    [InlineData("Event_Type", null, C.NoEventType)]
    [InlineData("Event_Start_Date", null, C.NoStartDate)]
    [InlineData("Date_of_Death", "2025-04-30", C.DiedBeforeEvent)]
    public void Rows_the_national_rules_leave_out_are_dropped_and_counted(string column, string? value, string rule)
    {
        var result = Clean(Row(2, (column, value)), Row(3, ("Der_Unique_Record_ID", "2"), ("Event_Start_Date", "2025-06-01"), ("Event_End_Date", "2025-06-02")));
        Assert.Single(result.Events);
        var line = result.Quality.Find(S.Dropped, "", rule)!;
        Assert.Equal((1L, 2L), (line.Count, line.Examples.Single().Row));
        Assert.Equal(1, result.Quality.RowsDropped);
    }

    [Fact]
    public void A_row_without_any_identifier_is_dropped()
    {
        var result = Clean(Row(2, ("Der_NHS_Number_Traced_Pseudo", null), ("Der_NHS_Number_Pseudo", null), ("LA_Person_Unique_Identifier", null)));
        Assert.Empty(result.Events);
        Assert.Equal(1, result.Quality.Count(S.Dropped, "", C.NoIdentifier));
    }

    [Fact]
    public void An_end_before_the_start_is_kept_as_submitted_and_reported()
    {
        var result = Clean(Row(2, ("Event_Start_Date", "2025-05-10"), ("Event_End_Date", "2025-05-01")));
        Assert.Equal(new DateOnly(2025, 5, 1), result.Events.Single().EndDate);
        Assert.Equal(1, result.Quality.Count(S.Checks, "Event_End_Date", C.EndBeforeStart));
    }
}
