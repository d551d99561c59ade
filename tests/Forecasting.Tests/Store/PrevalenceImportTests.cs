using Forecasting.Store.Import;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Store;

/// <summary>
/// prevalence_rates.csv and accommodation_benchmarks.csv: the sample's rows load, and each bad row is refused with its
/// file, line, column and reason, leaving the store as it was.
/// </summary>
[Trait("Category", "integration")]
public sealed class PrevalenceImportTests(SampleStoreFixture fixture) : IClassFixture<SampleStoreFixture>
{
    private static readonly DateOnly AsOf = new(2025, 3, 31);

    [Fact]
    public void The_sample_loads_every_row_of_both_files()
    {
        var counts = StoreCounts.Of(fixture.Store);
        foreach (var table in new[] { "prevalence_rates", "accommodation_benchmarks" })
        {
            var expected = File.ReadLines(Path.Combine(RepoPaths.Samples, table + ".csv")).Skip(1).Count(l => l.Length > 0);
            Assert.True(expected > 0, table);
            Assert.Equal(expected, fixture.SeedReport.Tables.Single(t => t.Table == table).RowsAfter);
            Assert.Equal(expected, counts[table]);
            Assert.DoesNotContain(fixture.SeedReport.Issues, i => i.File == table + ".csv");
        }
    }

    [Fact]
    public void The_bad_sample_is_rejected_with_file_line_column_and_reason()
    {
        var importer = new DataImporter(fixture.Store) { AsOf = () => AsOf };
        var snapshot = fixture.Store.CurrentSnapshot()!.SnapshotId;
        var report = importer.ImportDirectory(RepoPaths.Bad("prevalence_rate_above_its_unit"), allowShrink: true);
        Assert.False(report.Succeeded);
        var error = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal(("prevalence_rates.csv", 3L, "rate", "230"), (error.File, error.Row, error.Column, error.Value));
        Assert.Contains("a rate per 100 above 100", error.Reason);
        Assert.Equal(snapshot, fixture.Store.CurrentSnapshot()!.SnapshotId);
    }

    [Theory]
    [InlineData("prevalence_rates", "E06009999,ld_autism,learning_disability,18-24,2.6,percent,x", "unit", "percent", "not an allowed value")]
    [InlineData("prevalence_rates", "E06009999,ld_autism,learning_disability,16-17,2.6,per_100,x", "age_band", "16-17", "not an allowed value")]
    [InlineData("prevalence_rates", "E06009999,ld_autism,learning_disability,18-24,-1,per_100,x", "rate", "-1", "")]
    [InlineData("accommodation_benchmarks", "E06009999,unit_need_share,,0.04,x", "client_group", "unit_need_share", "give its client group")]
    [InlineData("accommodation_benchmarks", "E06009999,unit_need_share,ld_autism,4,x", "value", "4", "a share from 0 to 1")]
    [InlineData("accommodation_benchmarks", "E06009999,extra_care_units_per_1000_75plus,older_dementia,25,x", "client_group", "older_dementia", "leave client_group empty")]
    [InlineData("accommodation_benchmarks", "E06009999,units_per_head,,25,x", "measure", "units_per_head", "not an allowed value")]
    public void A_bad_row_names_its_file_line_column_and_reason(string table, string row, string column, string value, string reason)
    {
        var header = table == "prevalence_rates"
            ? "council_code,client_group,condition,age_band,rate,unit,source"
            : "council_code,measure,client_group,value,source";
        var path = Path.Combine(fixture.Directory, $"{table}-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, [header, row]);
        var report = new DataImporter(fixture.Store).Import([new ImportFileSpec(table, path, DisplayName: table + ".csv")], dryRun: true, asOf: AsOf);
        Assert.False(report.Succeeded);
        var error = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal((table + ".csv", 2L, column, value), (error.File, error.Row, error.Column, error.Value));
        Assert.Contains(reason, error.Reason);
    }
}
