using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

[Trait("Category", "integration")]
public sealed class GrpcEndToEndTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";

    private AnalyticsService.AnalyticsServiceClient Analytics => new(factory.Channel());
    private DataService.DataServiceClient Data => new(factory.Channel());

    private static FlowSeriesRequest ContactsByYear() => new()
    {
        Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.FinancialYear },
    };

    [Fact]
    public async Task A_call_without_a_key_is_unauthenticated_and_an_unknown_key_too()
    {
        var none = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(ContactsByYear()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Contains("x-api-key", none.Status.Detail);

        var wrong = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(ContactsByYear(), Key("guess")).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
    }

    [Fact]
    public async Task Import_needs_the_analyst_role()
    {
        var request = new ImportRequest { Directory = RepoPaths.Bad("unknown_route"), DryRun = true };
        foreach (var key in new[] { CommissionerKey, StrategyKey })
        {
            var denied = await Assert.ThrowsAsync<RpcException>(() => Data.ImportAsync(request, Key(key)).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
            Assert.Contains("analyst", denied.Status.Detail);
        }
        var report = await Data.ImportAsync(request, Key(AnalystKey));
        Assert.False(report.Succeeded);
        var issue = Assert.Single(report.Issues, i => i.Severity == Severity.Error);
        Assert.Equal(("contacts.csv", 4L, "route"), (issue.File, issue.Row, issue.Column));
    }

    [Fact]
    public async Task Flow_series_over_grpc_match_the_csv()
    {
        var csv = Csv.Sample("contacts");
        var response = await Analytics.GetFlowSeriesAsync(ContactsByYear(), Key(CommissionerKey));
        var point = Assert.Single(response.Groups).Points.Single(p => p.PeriodLabel == "2023/24");
        var expected = csv.Rows.Count(r => Csv.Date(csv.Get(r, "contact_date")) is var d && d >= new DateOnly(2023, 4, 1) && d <= new DateOnly(2024, 3, 31));
        Assert.Equal(expected, point.Value);
        Assert.Equal("2023-04-01", point.PeriodStart);
        Assert.Matches("^[0-9a-f]{16}$", response.SnapshotId);
    }

    [Fact]
    public async Task Bad_arguments_are_invalid_argument_naming_the_field()
    {
        var badDate = ContactsByYear();
        badDate.Selector.FromDate = "01/04/2023";
        var error = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(badDate, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("selector.from_date", error.Status.Detail);

        var badMetric = ContactsByYear();
        badMetric.Selector.Metric = "referrals";
        error = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(badMetric, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("valid metrics: contacts", error.Status.Detail);

        var stock = await Assert.ThrowsAsync<RpcException>(() =>
            Analytics.GetStockSnapshotAsync(new StockRequest { Measure = "beds" }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, stock.StatusCode);
        Assert.Contains("units", stock.Status.Detail);
    }

    [Fact]
    public async Task Rates_stock_transitions_and_pipeline_answer_over_grpc()
    {
        var rates = await Analytics.GetRatesAsync(new RateRequest
        {
            Selector = new SeriesSelector { Metric = "admissions", CouncilCode = Council, FromDate = "2023-04-01", ToDate = "2024-03-31" },
            AgeGroup = "65+",
        }, Key(CommissionerKey));
        var rate = Assert.Single(Assert.Single(rates.Groups).Points);
        Assert.Equal(rate.Count / rate.Population * 100_000, rate.RatePer100K, 9);

        var units = await Analytics.GetStockSnapshotAsync(new StockRequest { Measure = "units", CouncilCode = Council, AsOf = "2025-03-31" },
            Key(CommissionerKey));
        Assert.Equal(Csv.Sample("units").Rows.Count, Assert.Single(units.Rows).Measures["units"]);

        var cohort = await Analytics.GetTransitionsCohortAsync(new TransitionsRequest { CouncilCode = Council, FromFy = 2025, ToFy = 2028 },
            Key(CommissionerKey));
        Assert.Equal(4, cohort.Rows.Count);

        var pipeline = await Analytics.GetPipelineAsync(new PipelineRequest { CouncilCode = Council, Breakdown = { "status" } },
            Key(CommissionerKey));
        Assert.Contains(pipeline.Rows, r => r.Dimensions["status"] == "failed");
    }

    [Fact]
    public async Task Streamed_upload_validates_and_a_bad_file_changes_nothing()
    {
        var before = await Data.GetStatusAsync(new StatusRequest(), Key(CommissionerKey));
        using var call = Data.Upload(Key(AnalystKey));
        var bytes = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Bad("unknown_scheme"), "units.csv"));
        await call.RequestStream.WriteAsync(new UploadChunk { Header = new UploadHeader { Table = "units", FileName = "units.csv" } });
        // Small chunks prove the file is reassembled across messages.
        for (var offset = 0; offset < bytes.Length; offset += 64)
            await call.RequestStream.WriteAsync(new UploadChunk { Data = ByteString.CopyFrom(bytes, offset, Math.Min(64, bytes.Length - offset)) });
        await call.RequestStream.CompleteAsync();
        var report = await call;

        Assert.False(report.Succeeded);
        Assert.Contains(report.Issues, i => i is { File: "units.csv", Column: "scheme_id" });
        var after = await Data.GetStatusAsync(new StatusRequest(), Key(CommissionerKey));
        Assert.Equal(before.SnapshotId, after.SnapshotId);
        Assert.Equal(before.Tables.Select(t => t.Rows), after.Tables.Select(t => t.Rows));

        var stored = await Data.GetValidationReportAsync(new ValidationReportRequest { ImportId = report.ImportId }, Key(AnalystKey));
        Assert.Equal(report.ErrorCount, stored.ErrorCount);
        // A report quotes the rows of the files: only the importing role may read it.
        var denied = await Assert.ThrowsAsync<RpcException>(() =>
            Data.GetValidationReportAsync(new ValidationReportRequest { ImportId = report.ImportId }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    private async Task<ImportReport> UploadOne(UploadHeader header, byte[] bytes)
    {
        using var call = Data.Upload(Key(AnalystKey));
        await call.RequestStream.WriteAsync(new UploadChunk { Header = header });
        await call.RequestStream.WriteAsync(new UploadChunk { Data = ByteString.CopyFrom(bytes) });
        await call.RequestStream.CompleteAsync();
        return await call;
    }

    [Fact]
    public async Task Upload_refuses_an_unknown_extension_without_a_format()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "councils.csv"));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            UploadOne(new UploadHeader { Table = "councils", FileName = "councils.txt", DryRun = true }, bytes));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("header.format", error.Status.Detail);

        var explicitCsv = await UploadOne(new UploadHeader { Table = "councils", FileName = "councils.txt", Format = FileFormat.Csv, DryRun = true }, bytes);
        Assert.True(explicitCsv.Succeeded, string.Join("; ", explicitCsv.Issues));
    }

    [Fact]
    public async Task A_truncated_upload_is_refused_unless_allow_shrink_and_reports_its_changes()
    {
        var lines = File.ReadLines(Path.Combine(RepoPaths.Samples, "contacts.csv")).Take(101);
        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        var total = Csv.Sample("contacts").Rows.Count;

        var refused = await UploadOne(new UploadHeader { FileName = "contacts.csv", DryRun = true }, bytes);
        Assert.False(refused.Succeeded);
        Assert.Contains(refused.Issues, i => i.Severity == Severity.Error && i.Reason.Contains("allow_shrink"));
        Assert.Contains(refused.Changes, c => c.Table == "contacts" && c.RowsRemoved == total - 100);

        var allowed = await UploadOne(new UploadHeader { FileName = "contacts.csv", DryRun = true, AllowShrink = true }, bytes);
        Assert.True(allowed.Succeeded, string.Join("; ", allowed.Issues));
        var change = Assert.Single(allowed.Changes);
        Assert.Equal((Council, (long)total, 0L, total - 100L, 0L, 100L),
            (change.CouncilCode, change.RowsBefore, change.RowsAdded, change.RowsRemoved, change.RowsChanged, change.RowsUnchanged));
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", allowed.AsOfDate);
    }

    [Fact]
    public async Task A_report_never_echoes_a_foreign_files_first_line_and_counts_every_issue()
    {
        var secret = System.Text.Encoding.UTF8.GetBytes("api_token=sk-live-0123456789abcdef\n");
        var report = await UploadOne(new UploadHeader { Table = "councils", FileName = "councils.csv", DryRun = true }, secret);
        Assert.False(report.Succeeded);
        var stored = await Data.GetValidationReportAsync(new ValidationReportRequest { ImportId = report.ImportId }, Key(AnalystKey));
        Assert.DoesNotContain("api_token", stored.ToString());
        Assert.DoesNotContain("sk-live", stored.ToString());

        // 300 bad routes: 100 listed, all counted, per rule.
        var rows = File.ReadLines(Path.Combine(RepoPaths.Samples, "contacts.csv")).Take(301)
            .Select((l, i) => i == 0 ? l : l.Replace(",community,", ",walk_in,").Replace(",hospital_discharge,", ",walk_in,")
                .Replace(",transition,", ",walk_in,").Replace(",hospital_diversion,", ",walk_in,").Replace(",prison,", ",walk_in,"));
        var bad = await UploadOne(new UploadHeader { FileName = "contacts.csv", DryRun = true },
            System.Text.Encoding.UTF8.GetBytes(string.Join('\n', rows) + "\n"));
        Assert.Equal(300, bad.ErrorCount);
        Assert.Equal(100, bad.Issues.Count(i => i.Column == "route"));
        var summary = Assert.Single(bad.Summaries, s => s.Column == "route");
        Assert.Equal((300L, 100), (summary.Count, summary.Listed));
    }

    [Fact]
    public async Task Status_lists_tables_coverage_and_the_council()
    {
        var status = await Data.GetStatusAsync(new StatusRequest(), Key(CommissionerKey));
        Assert.True(status.SchemaVersion >= 1);
        var contacts = status.Tables.Single(t => t.Table == "contacts");
        Assert.Equal(Csv.Sample("contacts").Rows.Count, contacts.Rows);
        Assert.Equal("2015-04-01", contacts.MinDate);
        Assert.Contains(status.Councils, c => c.CouncilCode == Council);
        Assert.NotEmpty((await Data.ListSnapshotsAsync(new ListSnapshotsRequest(), Key(CommissionerKey))).Snapshots);
    }

    [Fact]
    public async Task Health_and_reflection_answer_without_a_key()
    {
        var health = await new Health.HealthClient(factory.Channel()).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var call = new ServerReflection.ServerReflectionClient(factory.Channel()).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("forecasting.v1.AnalyticsService", services);
        Assert.Contains("forecasting.v1.DataService", services);
    }

    [Fact]
    public async Task Metric_catalog_lists_flows_and_stocks_with_dimensions()
    {
        var catalog = await Analytics.ListMetricsAsync(new ListMetricsRequest(), Key(CommissionerKey));
        Assert.Contains(catalog.Metrics, m => m.Name == "admissions" && m.Kind == "flow" && m.Dimensions.Contains("age_group"));
        Assert.Contains(catalog.Metrics, m => m.Name == "units" && m.Kind == "stock");
    }
}
