using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Forecasting.TestSupport;
using Google.Protobuf;
using Grpc.Core;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>
/// Dates from the future never move an answer: a contact dated after the data's as-of date, held from an older
/// snapshot, changes neither the contacts forecast, the year-end estimate, the planning baseline's as-of date and
/// shortfall nor the scorecard's default year; every answer names the as-of date it used.
/// </summary>
[Trait("Category", "integration")]
public sealed class AsOfGrpcTests(ServerFactory clean) : IClassFixture<ServerFactory>
{
    private const string AsOf = "2025-03-31";
    private static readonly string Today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    private sealed record Figures(double Forecast, double YearEnd, string YearEndFy, string PlanningAsOf, double Shortfall, string ScorecardFy,
        IReadOnlyList<string> AsOfDates);

    private static async Task<Figures> Measure(ServerFactory factory)
    {
        var channel = factory.Channel();
        var selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.Month };
        var forecast = await new ForecastService.ForecastServiceClient(channel).ForecastAsync(
            new ForecastRequest { Selector = selector, Horizon = 3, Model = "snaive" }, Key(AnalystKey));
        var yearEnd = await new ForecastService.ForecastServiceClient(channel).EstimateYearEndAsync(
            new YearEndRequest { Selector = selector, MonthsElapsed = 9 }, Key(CommissionerKey));
        using var call = new PlanningService.PlanningServiceClient(channel).RunScenario(
            new RunScenarioRequest { CouncilCode = Council, Draws = 0, Seed = 5 }, Key(CommissionerKey));
        ScenarioResult? baseline = null;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
            if (call.ResponseStream.Current.Result is { } r) baseline = r;
        var scorecard = await new PerformanceService.PerformanceServiceClient(channel).GetPerformanceAsync(
            new PerformanceRequest { CouncilCode = Council, Measures = { "ascof_2a2" } }, Key(CommissionerKey));
        var series = await new AnalyticsService.AnalyticsServiceClient(channel).GetFlowSeriesAsync(
            new FlowSeriesRequest { Selector = selector }, Key(CommissionerKey));
        var status = await new DataService.DataServiceClient(channel).GetStatusAsync(new StatusRequest(), Key(AnalystKey));
        var last = baseline!.Years.Where(y => y.ClientGroup == "all").MaxBy(y => y.Fy)!;
        return new Figures(forecast.Series.Single().Points[0].Mean, yearEnd.Estimate, yearEnd.FinancialYear, baseline.AsOf,
            last.ShortfallCumulative, scorecard.FinancialYear,
            [forecast.AsOfDate, yearEnd.AsOfDate, baseline.AsOfDate, scorecard.AsOfDate, series.AsOfDate, status.AsOfDate]);
    }

    private static async Task<ImportReport> Upload(ServerFactory factory, string table, string path, string asOfDate)
    {
        using var call = new DataService.DataServiceClient(factory.Channel()).Upload(Key(AnalystKey));
        await call.RequestStream.WriteAsync(new UploadChunk { Header = new UploadHeader { FileName = table + ".csv", AsOfDate = asOfDate } });
        foreach (var chunk in File.ReadAllBytes(path).Chunk(1 << 20))
            await call.RequestStream.WriteAsync(new UploadChunk { Data = ByteString.CopyFrom(chunk) });
        await call.RequestStream.CompleteAsync();
        return await call;
    }

    [Fact]
    public async Task A_contact_after_the_as_of_date_held_from_an_older_snapshot_moves_no_answer_and_every_answer_names_the_date()
    {
        var before = await Measure(clean);
        Assert.All(before.AsOfDates, d => Assert.Equal(AsOf, d));
        Assert.Equal(AsOf, before.PlanningAsOf);

        await using var attacked = new ServerFactory();
        // A contact dated after the sample's end, accepted by an import that states the data run to today...
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Samples, "contacts.csv")).ToList();
        lines.Add("E06009999,CLATE,2025-06-15,community,phone,25-64,,,information_advice,false");
        var contacts = Path.Combine(RepoPaths.TempDirectory(), "contacts.csv");
        File.WriteAllLines(contacts, lines);
        var first = await Upload(attacked, "contacts", contacts, Today);
        Assert.True(first.Succeeded, string.Join("; ", first.Issues));
        Assert.Equal(Today, first.AsOfDate);
        // ...then a later import stating the data run to 2025-03-31: the contact is held but after the as-of date.
        var second = await Upload(attacked, "councils", Path.Combine(RepoPaths.Samples, "councils.csv"), AsOf);
        Assert.True(second.Succeeded, string.Join("; ", second.Issues));
        Assert.Equal(AsOf, second.AsOfDate);

        var after = await Measure(attacked);
        Assert.Equal(before, after with { AsOfDates = before.AsOfDates });
        Assert.All(after.AsOfDates, d => Assert.Equal(AsOf, d));
    }

    [Fact]
    public async Task An_upload_stating_an_as_of_date_after_today_is_refused_before_the_file_is_read()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Upload(clean, "councils", Path.Combine(RepoPaths.Samples, "councils.csv"),
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd")));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("as_of_date", e.Status.Detail);
    }

    [Fact]
    public async Task Snapshots_and_stock_answers_name_their_as_of_date()
    {
        var channel = clean.Channel();
        var snapshots = await new DataService.DataServiceClient(channel).ListSnapshotsAsync(new ListSnapshotsRequest(), Key(AnalystKey));
        Assert.Equal(AsOf, snapshots.Snapshots[0].AsOfDate);
        var analytics = new AnalyticsService.AnalyticsServiceClient(channel);
        var units = await analytics.GetStockSnapshotAsync(new StockRequest { Measure = "units", CouncilCode = Council }, Key(CommissionerKey));
        Assert.Equal((AsOf, AsOf), (units.AsOf, units.AsOfDate));
        var later = await Assert.ThrowsAsync<RpcException>(async () =>
            await analytics.GetStockSnapshotAsync(new StockRequest { Measure = "units", CouncilCode = Council, AsOf = "2025-04-01" }, Key(CommissionerKey)));
        Assert.Equal(StatusCode.InvalidArgument, later.StatusCode);
    }
}
