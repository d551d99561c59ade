using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Reading;
using Parquet;
using Parquet.Schema;
using static Forecasting.Cld.Tests.Cleaning.CldTestRows;
using C = Forecasting.Cld.Cleaning.CldQualityCategories;
using S = Forecasting.Cld.Cleaning.CldQualitySections;

namespace Forecasting.Cld.Tests.Cleaning;

/// <summary>Reading files: bad input named by file, row, column and reason; Release 1 and 2 and CSV and Parquet agreeing; the quality counts.</summary>
[Trait("Category", "unit")]
public class CldReaderTests
{
    private static (List<CldRow> Rows, List<CldReadError> Errors) Read(string path, string name = "cld.csv")
    {
        var errors = new List<CldReadError>();
        return (CldFileReader.Read(path, name, 0, errors.Add).ToList(), errors);
    }

    [Theory]
    [InlineData("Event_Start_Date", "2023-02-30", "not a real date in the form yyyy-mm-dd")]
    [InlineData("Event_End_Date", "10/05/2025", "not a real date in the form yyyy-mm-dd")]
    [InlineData("Unit_Cost", "12,50", "not a number (digits with an optional sign and decimal point)")]
    [InlineData("Der_Birth_Month", "13", "not a whole number from 1 to 12")]
    [InlineData("LA_Code", null, "required: the council's ONS code")]
    public void A_bad_cell_is_an_error_naming_file_row_column_and_reason(string column, string? value, string reason)
    {
        var (rows, errors) = Read(WriteCsv([Cells(), Cells(("Der_Unique_Record_ID", "2"), (column, value))]));
        Assert.Single(rows);
        Assert.Equal(new CldReadError("cld.csv", 3, column, reason, value), errors.Single());
    }

    [Fact]
    public void A_missing_column_is_an_error_on_the_header()
    {
        var header = string.Join(",", CldColumns.Names.Where(n => n != "Event_Type"));
        var path = WriteCsv([], header);
        var (rows, errors) = Read(path);
        Assert.Empty(rows);
        Assert.Equal(("cld.csv", 1L, "Event_Type"), (errors.Single().File, errors.Single().Row, errors.Single().Column));
    }

    [Fact]
    public void A_line_with_too_few_fields_is_an_error()
    {
        var path = WriteCsv([Cells()]);
        File.AppendAllText(path, "E06009999,Harbridge\n");
        var (rows, errors) = Read(path);
        Assert.Single(rows);
        Assert.Equal(3, errors.Single().Row);
    }

    /// <summary>The same small file in Release 1 and Release 2 wording.</summary>
    private static (string?[][] R1, string?[][] R2) SameFileInBothReleases()
    {
        (string, string?, string?)[] changes =
        [
            ("Client_Type", "Carer", "Unpaid carer"),
            ("Event_Outcome", "NFA - Information & Advice / Signposting only", "NFA: Information and advice or signposting"),
            ("Accommodation_Status", "Settled mainstream housing with family / friends", "Settled mainstream housing with family or friends"),
            ("Primary_Support_Reason", "Social Support: Support to Carer", "Social support: Support to unpaid carer"),
        ];
        string?[] Make(int release, int id, params (string, string?)[] more) =>
            Cells([("Der_Unique_Record_ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. changes.Select(c => (c.Item1, release == 1 ? c.Item2 : c.Item3)), .. more]);
        string?[][] Rows(int release) =>
        [
            Make(release, 1),
            Make(release, 2, ("Event_Start_Date", "2025-06-01"), ("Event_End_Date", "2025-06-03")),
            Make(release, 3, ("Event_Type", "Service"), ("Assessment_Type", null), ("Event_Outcome", null), ("Event_End_Date", null),
                ("Service_Type", release == 1 ? "Carer Support: Direct to Carer" : "Unpaid carer support: Direct to unpaid carer"),
                ("Service_Component", release == 1 ? "Carer Respite" : "Unpaid carer respite")),
        ];
        return (Rows(1), Rows(2));
    }

    [Fact]
    public void Release_1_and_Release_2_versions_of_a_file_give_the_same_cleaned_events_and_people()
    {
        var (r1, r2) = SameFileInBothReleases();
        var one = CldPipeline.Clean(Read(WriteCsv(r1)).Rows);
        var two = CldPipeline.Clean(Read(WriteCsv(r2)).Rows);
        Assert.Equal(3, two.Events.Count);
        Assert.Equal(two.Events.Select(Describe), one.Events.Select(Describe));
        Assert.Equal(two.PeopleList, one.PeopleList);
        // 4 fields in Release 1 wording on each assessment, 3 on the service (it has no outcome) plus its type and component: 4 + 4 + 5.
        Assert.Equal(13, one.Quality.Lines.Where(l => l.Category == C.Mapped).Sum(l => l.Count));
        Assert.Equal(0, two.Quality.Lines.Where(l => l.Category == C.Mapped).Sum(l => l.Count));
    }

    private static string Describe(Model.CldEvent e) => e with { LinkedPersonIds = [] } + string.Join(";", e.LinkedPersonIds);

    [Fact]
    public async Task A_Parquet_file_reads_as_its_CSV_does()
    {
        var (_, r2) = SameFileInBothReleases();
        var csv = CldPipeline.Clean(Read(WriteCsv(r2)).Rows);
        var parquetPath = Path.Combine(Path.GetTempPath(), "cld-test-" + Guid.NewGuid().ToString("N") + ".parquet");
        await WriteParquet(parquetPath, r2);
        var (rows, errors) = Read(parquetPath, "cld.parquet");
        Assert.Empty(errors);
        Assert.Equal([2L, 3L, 4L], rows.Select(r => r.Line));
        Assert.Equal(csv.Events.Select(Describe), CldPipeline.Clean(rows).Events.Select(Describe));
    }

    private static async Task WriteParquet(string path, string?[][] rows)
    {
        var fields = CldColumns.Names.Select(n => new DataField<string>(n)).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
            await group.WriteAsync(fields[c], rows.Select(r => r[c]).ToArray());
    }

    [Fact]
    public void The_quality_report_counts_a_tiny_file_by_hand()
    {
        // Five rows: row 2 valid; row 3 Release 1 client type and gender TBC; row 4 row 2 again with a higher record id; row 5 without
        // an event type (dropped, so it is still tallied as read); row 6 a blank gender.
        var path = WriteCsv([
            Cells(("Der_Unique_Record_ID", "1")),
            Cells(("Der_Unique_Record_ID", "2"), ("Client_Type", "Carer"), ("Gender", "TBC"), ("Event_Start_Date", "2025-06-01"), ("Event_End_Date", "2025-06-02")),
            Cells(("Der_Unique_Record_ID", "3")),
            Cells(("Der_Unique_Record_ID", "4"), ("Event_Type", null)),
            Cells(("Der_Unique_Record_ID", "5"), ("Gender", null), ("Event_Start_Date", "2025-07-01"), ("Event_End_Date", "2025-07-02")),
        ]);
        var quality = CldPipeline.Clean(Read(path).Rows).Quality;
        Assert.Equal((5L, 1L, 1L, 3L, 1L), (quality.RowsRead, quality.RowsDropped, quality.DuplicatesRemoved, quality.Events, quality.People));
        Assert.Equal((3L, 0L, 1L, 1L), (quality.Count(S.FieldValues, "Gender", C.Valid), quality.Count(S.FieldValues, "Gender", C.Mapped),
            quality.Count(S.FieldValues, "Gender", C.Invalid), quality.Count(S.FieldValues, "Gender", C.Missing)));
        Assert.Equal((4L, 1L), (quality.Count(S.FieldValues, "Client_Type", C.Valid), quality.Count(S.FieldValues, "Client_Type", C.Mapped)));
        Assert.Equal(new CldExample("cld.csv", 3, "Carer"), quality.Find(S.FieldValues, "Client_Type", C.Mapped)!.Examples.Single());
        Assert.Equal(1, quality.Count(S.FieldValues, "Event_Type", C.Missing));
        // Row 4 has the higher record id (3 against 1), so row 2 is the one removed.
        Assert.Equal(new CldExample("cld.csv", 2, "same event as cld.csv row 4, which is kept"), quality.Find(S.Duplicates, "", C.ExactDuplicate)!.Examples.Single());
    }
}
