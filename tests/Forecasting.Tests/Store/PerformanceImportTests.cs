using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Store;

/// <summary>
/// The performance tables of the sample (services to measure_targets) import cleanly with the rest of it, and each
/// bad sample of their rules, imported on top of the sample, is rejected with its file, row, column and reason and
/// leaves the store as it was.
/// </summary>
[Trait("Category", "integration")]
public sealed class PerformanceImportTests(SampleStoreFixture fixture) : IClassFixture<SampleStoreFixture>
{
    /// <summary>The as-of date the bad samples are written for (data-samples/bad/README.md).</summary>
    private static readonly DateOnly AsOf = new(2025, 3, 31);

    private static readonly string[] PerformanceTables =
        ["services", "assessments", "reviews", "reablement", "discharges", "dols", "safeguarding", "budgets", "benchmarks", "measure_targets"];

    [Fact]
    public void The_sample_loads_every_row_of_the_performance_tables_without_an_issue()
    {
        Assert.True(fixture.SeedReport.Succeeded);
        Assert.Equal(0, fixture.SeedReport.ErrorCount);
        var counts = StoreCounts.Of(fixture.Store);
        foreach (var table in PerformanceTables)
        {
            var path = Path.Combine(RepoPaths.Samples, table + ".csv");
            var expected = File.ReadLines(path).Skip(1).Count(l => l.Length > 0);
            Assert.True(expected > 0, table);
            var count = fixture.SeedReport.Tables.Single(t => t.Table == table);
            Assert.Equal(expected, count.RowsInFile);
            Assert.Equal(expected, count.RowsAfter);
            Assert.Equal(expected, counts[table]);
        }
        AssertOnlyUnrecordedCodes(fixture.SeedReport);
    }

    /// <summary>
    /// The only findings on the performance files are the summaries of unrecorded PSR and age bands (the sample leaves
    /// a few percent unrecorded, like real extracts): no row-level warning such as a future date, a learning-disability
    /// adult without accommodation status or a review of a person without a service.
    /// </summary>
    private static void AssertOnlyUnrecordedCodes(ImportReport report)
    {
        var issues = report.Issues.Where(i => PerformanceTables.Contains(Path.GetFileNameWithoutExtension(i.File))).ToList();
        Assert.All(issues, i =>
        {
            Assert.Equal(IssueSeverity.Warning, i.Severity);
            Assert.Equal(0, i.Row);
            Assert.Contains(i.Column, new[] { "psr", "age_band" });
            Assert.StartsWith("not specified on", i.Reason);
        });
    }

    [Fact]
    public void The_sample_also_imports_cleanly_at_the_end_of_its_history()
    {
        // At 31 March 2025 no date of the sample is in the future and every status 91 days after discharge is due.
        var importer = new DataImporter(fixture.Store) { AsOf = () => AsOf };
        var report = importer.ImportDirectory(RepoPaths.Samples, dryRun: true);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues.Take(5)));
        AssertOnlyUnrecordedCodes(report);
    }

    [Fact]
    public void Open_services_in_the_store_match_the_csv()
    {
        var snapshot = "2024-03-31";
        var expected = SampleCsv.Read(Path.Combine(RepoPaths.Samples, "services.csv"))
            .Where(r => string.CompareOrdinal(r["start_date"], snapshot) <= 0
                && (r["end_date"] == "" || string.CompareOrdinal(r["end_date"], snapshot) > 0))
            .Select(r => r["person_id"]).Distinct().Count();
        using var connection = fixture.Store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT count(DISTINCT person_id) FROM services WHERE start_date <= DATE '{snapshot}' AND (end_date IS NULL OR end_date > DATE '{snapshot}')";
        Assert.Equal((long)expected, Convert.ToInt64(cmd.ExecuteScalar()));
    }

    [Theory]
    [InlineData("home_care_without_hours", "services.csv", 5, "planned_hours_per_week", "home_care", "home care needs its planned weekly hours")]
    [InlineData("direct_payment_not_direct_payment_funded", "services.csv", 6, "funding", "council_managed", "a direct payment service must be funded by direct payment")]
    [InlineData("unknown_service_type", "services.csv", 7, "service_type", "respite", "not an allowed value")]
    [InlineData("assessment_outcome_without_completion", "assessments.csv", 4, "outcome", "eligible", "outcome given for an assessment that is not completed")]
    [InlineData("support_start_not_eligible", "assessments.csv", 3, "support_start_date", "2024-10-25", "support start date for an assessment that did not find the person eligible")]
    [InlineData("assessment_completed_before_received", "assessments.csv", 3, "completed_date", "2024-10-11", "completed_date is before received_date")]
    [InlineData("status_91_days_too_early", "reablement.csv", 3, "status_91_days", "at_home", "status 91 days after discharge given before 91 days have passed")]
    [InlineData("discharge_before_decision", "discharges.csv", 3, "discharge_date", "2024-09-01", "discharge_date is before decision_date")]
    [InlineData("dols_outcome_without_completion", "dols.csv", 4, "outcome", "authorised", "outcome given for an application that is not completed")]
    [InlineData("enquiry_end_without_start", "safeguarding.csv", 3, "enquiry_end_date", "2024-10-04", "enquiry end date without an enquiry start date")]
    [InlineData("unknown_benchmark_measure", "benchmarks.csv", 4, "measure", "ascof_2x9", "not an allowed value")]
    [InlineData("unknown_cost_setting", "cost_assumptions.csv", 3, "setting", "hotel", "not an allowed value")]
    [InlineData("quartile_code_not_boundary", "benchmarks.csv", 6, "comparator_code", "top_quartile", "quartile boundary must be lower_quartile, median or upper_quartile")]
    public void A_bad_performance_file_is_rejected_with_file_row_column_and_reason_and_changes_nothing(
        string dataset, string file, long row, string column, string value, string reason)
    {
        var importer = new DataImporter(fixture.Store) { AsOf = () => AsOf };
        var snapshot = fixture.Store.CurrentSnapshot()!.SnapshotId;
        var counts = StoreCounts.Of(fixture.Store);

        // allowShrink: the bad samples are tiny, so the shrink guard would otherwise refuse them before their defect.
        var report = importer.ImportDirectory(RepoPaths.Bad(dataset), allowShrink: true);

        Assert.False(report.Succeeded);
        Assert.Null(report.SnapshotId);
        var error = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal((file, row, column, value), (error.File, error.Row, error.Column, error.Value));
        Assert.Contains(reason, error.Reason);
        Assert.Equal(snapshot, fixture.Store.CurrentSnapshot()!.SnapshotId);
        Assert.Equal(counts, StoreCounts.Of(fixture.Store));
    }

    [Fact]
    public void The_status_91_days_case_is_valid_once_the_91_days_have_passed()
    {
        // The same files checked a month later: the episode ended 2025-01-13, so its 91 days ended 2025-04-14.
        var importer = new DataImporter(fixture.Store) { AsOf = () => new DateOnly(2025, 4, 30) };
        var report = importer.ImportDirectory(RepoPaths.Bad("status_91_days_too_early"), dryRun: true, allowShrink: true, asOf: new DateOnly(2025, 4, 30));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues.Where(i => i.Severity == IssueSeverity.Error)));
    }
}
