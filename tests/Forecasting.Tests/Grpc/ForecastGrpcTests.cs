using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

[Trait("Category", "integration")]
public sealed class ForecastGrpcTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private ForecastService.ForecastServiceClient Forecasts => new(factory.Channel());

    private static Dictionary<(int Year, int Month), int> MonthlyContacts()
    {
        var csv = Csv.Sample("contacts");
        return csv.Rows.Select(r => Csv.Date(csv.Get(r, "contact_date"))).GroupBy(d => (d.Year, d.Month)).ToDictionary(g => g.Key, g => g.Count());
    }

    [Fact]
    public async Task Seasonal_naive_repeats_the_last_year_of_the_csv_and_the_run_is_stored()
    {
        var run = await Forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.Month },
            Horizon = 12,
            Model = "snaive",
        }, Key(CommissionerKey));

        var series = Assert.Single(run.Series);
        var monthly = MonthlyContacts();
        Assert.Equal(12, series.Points.Count);
        Assert.Equal("2025-04", series.Points[0].PeriodLabel);
        for (var i = 0; i < 12; i++)
        {
            var month = new DateOnly(2024, 4, 1).AddMonths(i);
            Assert.Equal(monthly[(month.Year, month.Month)], series.Points[i].Mean, 6);
            var (i80, i95) = (series.Points[i].Intervals.Single(b => b.Level == 80), series.Points[i].Intervals.Single(b => b.Level == 95));
            Assert.True(i95.Lower <= i80.Lower && i80.Lower <= series.Points[i].Mean && series.Points[i].Mean <= i80.Upper && i80.Upper <= i95.Upper);
        }
        Assert.Equal("snaive", series.Model);
        Assert.Matches("^[0-9a-f]{16}$", run.SnapshotId);
        Assert.Contains("commissioner", run.RequestedBy);

        var stored = await Forecasts.GetRunAsync(new GetRunRequest { RunId = run.RunId }, Key(CommissionerKey));
        Assert.Equal(run, stored);
        var list = await Forecasts.ListRunsAsync(new ListRunsRequest(), Key(CommissionerKey));
        Assert.Contains(list.Runs, r => r.RunId == run.RunId && r.SeriesCount == 1);
    }

    [Fact]
    public async Task Auto_forecast_to_the_end_of_a_strategy_reports_model_backtest_and_intervals()
    {
        var run = await Forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector
            {
                Metric = "admissions", CouncilCode = Council, Filters = { new Filter { Dimension = "age_group", Values = { "65+" } } },
            },
            UntilFy = "2030/31",
        }, Key(CommissionerKey));

        var series = Assert.Single(run.Series);
        Assert.Equal(72, series.Points.Count);
        Assert.Equal("2025-03", series.History[^1].PeriodLabel);
        Assert.Equal("2031-03", series.Points[^1].PeriodLabel);
        Assert.NotEmpty(series.Model);
        Assert.NotNull(series.Backtest);
        Assert.True(series.Backtest.Origins > 0);
        Assert.Contains(series.Backtest.Candidates, c => c.Model == "snaive");
        Assert.All(series.Points, p => Assert.True(p.Intervals.Single(b => b.Level == 80).Lower >= 0));
        // 65+ admissions run at roughly 20-25 a month in the sample.
        Assert.InRange(series.Points.Take(12).Sum(p => p.Mean), 150, 400);
    }

    [Fact]
    public async Task A_definition_break_is_reported_in_the_notes()
    {
        var run = await Forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.Quarter },
            Horizon = 4,
            BreakDate = "2020-04-01",
            Model = "ets",
        }, Key(CommissionerKey));
        Assert.Contains(Assert.Single(run.Series).Notes, n => n.Contains("break", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Year_end_estimate_follows_the_seasonal_profile_of_earlier_years()
    {
        var monthly = MonthlyContacts();
        double Sum(int fy, int months) => Enumerable.Range(0, months).Sum(i =>
        {
            var m = new DateOnly(fy, 4, 1).AddMonths(i);
            return (double)monthly[(m.Year, m.Month)];
        });
        // Hand computation: the mean share of each earlier year's total that April-December held.
        var shares = Enumerable.Range(2015, 8).Select(fy => Sum(fy, 9) / Sum(fy, 12)).ToList();
        var ytd = Sum(2023, 9);
        var expected = ytd / shares.Average();

        var response = await Forecasts.EstimateYearEndAsync(new YearEndRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council },
            FinancialYear = "2023/24",
            MonthsElapsed = 9,
        }, Key(CommissionerKey));

        Assert.Equal(ytd, response.YearToDate);
        Assert.Equal(expected, response.Estimate, 6);
        Assert.Equal(Sum(2023, 12), response.Actual);
        var i95 = response.Intervals.Single(i => i.Level == 95);
        Assert.InRange(response.Actual, i95.Lower, i95.Upper);
    }

    [Fact]
    public async Task Refresh_streams_progress_stores_a_run_and_needs_the_analyst_role()
    {
        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Forecasts.Refresh(new RefreshRequest(), Key(StrategyKey));
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        using var refresh = Forecasts.Refresh(new RefreshRequest { CouncilCode = Council, UntilFy = "2026/27" }, Key(AnalystKey));
        var steps = new List<RefreshProgress>();
        await foreach (var step in refresh.ResponseStream.ReadAllAsync()) steps.Add(step);
        var last = steps[^1];
        Assert.True(last.Finished);
        Assert.True(steps.Count > 2);
        Assert.Equal(steps.Where(s => !s.Finished).Select(s => s.Done), steps.Where(s => !s.Finished).Select(s => s.Done).Order());
        // Progress names the series being done, not the first of its batch.
        var labels = steps.Where(s => !s.Finished).Select(s => s.Current).ToHashSet();
        Assert.Contains(labels, l => l.StartsWith("new_tenancies", StringComparison.Ordinal));
        Assert.Contains(labels, l => l.StartsWith("admissions", StringComparison.Ordinal));

        var run = await Forecasts.GetRunAsync(new GetRunRequest { RunId = last.RunId }, Key(CommissionerKey));
        Assert.Equal("refresh", run.Kind);
        Assert.Equal(last.Total, run.Series.Count);
        Assert.Contains(run.Series, s => s.Metric == "admissions" && s.Key["age_group"] == "65+");
        Assert.Contains(run.Series, s => s.Metric == "admissions" && s.Key["age_group"] == "18-64");
        Assert.Contains(run.Series, s => s.Metric == "new_tenancies" && s.Key["client_group"] == "ld_autism");
        Assert.All(run.Series, s => Assert.Equal("2027-03", s.Points[^1].PeriodLabel));
    }

    [Fact]
    public async Task Unknown_models_and_bad_years_are_invalid_arguments()
    {
        var model = await Assert.ThrowsAsync<RpcException>(() => Forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts" }, Model = "prophet",
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, model.StatusCode);
        Assert.Contains("ets", model.Status.Detail);

        var year = await Assert.ThrowsAsync<RpcException>(() => Forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts" }, UntilFy = "2030/32",
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.StartsWith("until_fy", year.Status.Detail);
    }
}
