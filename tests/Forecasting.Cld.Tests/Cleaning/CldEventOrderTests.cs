using static Forecasting.Cld.Tests.Cleaning.CldTestRows;

namespace Forecasting.Cld.Tests.Cleaning;

/// <summary>The order of the cleaned events (council, person, start, event type, record id), which the staged rows and the measures read in.</summary>
[Trait("Category", "unit")]
public class CldEventOrderTests
{
    [Fact]
    public void Events_come_out_by_person_then_start_then_event_type_then_record_id_with_their_keys_alongside()
    {
        var result = Clean(
            Row(2, ("Der_NHS_Number_Traced_Pseudo", "T2"), ("Der_Unique_Record_ID", "5"), ("Event_Start_Date", "2025-06-01"), ("Event_End_Date", "2025-06-10")),
            Row(3, ("Der_Unique_Record_ID", "4"), ("Event_Start_Date", "2025-07-01"), ("Event_End_Date", "2025-07-10")),
            Service(4, ("Der_Unique_Record_ID", "8"), ("Event_Start_Date", "2025-05-01")),
            Row(5, ("Der_Unique_Record_ID", "9"), ("Event_Start_Date", "2025-05-01"), ("Event_End_Date", "2025-05-20")),
            Row(6, ("Der_Unique_Record_ID", "3"), ("Event_Start_Date", "2025-05-01"), ("Event_End_Date", "2025-05-10")));

        // By hand: T1's three events of 1 May (assessments 3 and 9 before the service, 'Assessment' < 'Service'), T1's of 1 July, then T2.
        Assert.Equal([3L, 9L, 8L, 4L, 5L], result.Events.Select(e => e.RecordId));
        Assert.Equal(["T1", "T1", "T1", "T1", "T2"], result.Events.Select(e => e.PersonId));
        Assert.Equal(0, result.Quality.DuplicatesRemoved);
        for (var i = 0; i < result.Events.Count; i++)
            Assert.Contains(result.Events[i].StartDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), result.EventKeys[i]);
    }
}
