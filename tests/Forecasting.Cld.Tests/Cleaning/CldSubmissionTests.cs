using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Reading;
using static Forecasting.Cld.Tests.Cleaning.CldTestRows;
using S = Forecasting.Cld.Cleaning.CldQualitySections;

namespace Forecasting.Cld.Tests.Cleaning;

/// <summary>Several submissions: the later one replaces the earlier where their periods overlap.</summary>
[Trait("Category", "unit")]
public class CldSubmissionTests
{
    private static readonly (string, string?)[] First = [("Reporting_Period_Start_Date", "2024-04-01"), ("Reporting_Period_End_Date", "2025-03-31")];
    private static readonly (string, string?)[] Second = [("Reporting_Period_Start_Date", "2024-10-01"), ("Reporting_Period_End_Date", "2025-09-30")];

    [Fact]
    public void A_second_submission_replaces_the_first_where_their_periods_overlap()
    {
        var firstPath = WriteCsv([
            // Ends 2024-06-10, before the second submission starts (2024-10-01): only the first reports it, it stays.
            Cells([.. First, ("Der_Unique_Record_ID", "1"), ("Event_Start_Date", "2024-06-01"), ("Event_End_Date", "2024-06-10")]),
            // Ends in the overlap and the second submission no longer has it (deleted there): it goes.
            Cells([.. First, ("Der_Unique_Record_ID", "2"), ("Event_Start_Date", "2024-11-01"), ("Event_End_Date", "2024-11-05")]),
            // An open service in the first: the second's version (ended) wins.
            Cells([.. First, ("Der_Unique_Record_ID", "3"), ("Event_Type", "Service"), ("Assessment_Type", null), ("Event_Outcome", null),
                ("Service_Type", "Long term support: Community"), ("Service_Component", "Day support"), ("Event_Start_Date", "2024-05-01"), ("Event_End_Date", null)]),
        ]);
        var secondPath = WriteCsv([
            Cells([.. Second, ("Der_Unique_Record_ID", "1"), ("Event_Type", "Service"), ("Assessment_Type", null), ("Event_Outcome", "NFA: Support ended as planned"),
                ("Service_Type", "Long term support: Community"), ("Service_Component", "Day support"), ("Event_Start_Date", "2024-05-01"), ("Event_End_Date", "2025-01-31")]),
            Cells([.. Second, ("Der_Unique_Record_ID", "2"), ("Event_Start_Date", "2025-04-01"), ("Event_End_Date", "2025-04-03")]),
        ]);
        var errors = new List<CldReadError>();
        // The later submission is given first: the period end, not the order of the files, says which is latest.
        var (periods, rows) = CldSubmissions.Open([new CldFile(secondPath, "second.csv"), new CldFile(firstPath, "first.csv")], errors.Add);
        var result = CldPipeline.Clean(rows, periods);

        Assert.Empty(errors);
        Assert.Equal(
            [(new DateOnly(2024, 5, 1), "Service", (DateOnly?)new DateOnly(2025, 1, 31)), (new DateOnly(2024, 6, 1), "Assessment", new DateOnly(2024, 6, 10)),
             (new DateOnly(2025, 4, 1), "Assessment", new DateOnly(2025, 4, 3))],
            result.Events.Select(e => (e.StartDate, e.EventType, e.EndDate)).OrderBy(x => x.StartDate));
        Assert.Equal(2, result.Quality.RowsReplaced);
        Assert.Equal([3L, 4L], result.Quality.Lines.Single(l => l.Section == S.Replaced).Examples.Select(e => e.Row));
    }

    [Fact]
    public void An_open_service_the_later_submission_no_longer_has_ends_the_day_before_its_period()
    {
        (string, string?)[] service = [("Event_Type", "Service"), ("Assessment_Type", null), ("Event_Outcome", null), ("Event_End_Date", null),
            ("Service_Type", "Long term support: Community"), ("Service_Component", "Day support")];
        var firstPath = WriteCsv([
            // Open in the first submission and absent from the second: kept, ended 2024-09-30 (the second starts 2024-10-01).
            Cells([.. First, .. service, ("Der_Unique_Record_ID", "1"), ("Event_Start_Date", "2024-05-01")]),
            // Started inside the second's period and absent from it: the second's to report, so it goes.
            Cells([.. First, .. service, ("Der_Unique_Record_ID", "2"), ("Event_Start_Date", "2024-11-01")]),
        ]);
        var secondPath = WriteCsv([Cells([.. Second, ("Der_Unique_Record_ID", "1"), ("Event_Start_Date", "2025-04-01"), ("Event_End_Date", "2025-04-03")])]);
        var (periods, rows) = CldSubmissions.Open([new CldFile(firstPath, "first.csv"), new CldFile(secondPath, "second.csv")], e => throw new InvalidOperationException(e.ToString()));
        var result = CldPipeline.Clean(rows, periods);

        var service1 = result.Events.Single(e => e.EventType == "Service");
        Assert.Equal((new DateOnly(2024, 5, 1), (DateOnly?)new DateOnly(2024, 9, 30)), (service1.StartDate, service1.EndDate));
        Assert.Equal(1, result.Quality.RowsReplaced);
        Assert.Equal(1, result.Quality.Count(S.Replaced, "Event_End_Date", Forecasting.Cld.Cleaning.CldQualityCategories.CroppedService));
    }

    [Fact]
    public void A_row_stating_another_period_than_its_file_is_an_error()
    {
        var path = WriteCsv([Cells(First), Cells([.. Second, ("Der_Unique_Record_ID", "2")])]);
        var errors = new List<CldReadError>();
        var (_, rows) = CldSubmissions.Open([new CldFile(path, "mixed.csv")], errors.Add);
        Assert.Single(rows.ToList());
        var error = errors.Single();
        Assert.Equal(("mixed.csv", 3L, "Reporting_Period_Start_Date"), (error.File, error.Row, error.Column));
    }
}
