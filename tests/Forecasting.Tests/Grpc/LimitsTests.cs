using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>A server with small limits, so each one can be reached in a test.</summary>
public sealed class TightLimitsServerFactory : ServerFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Limits:RequestsPerSecondPerKey"] = "1";
        settings["Limits:BurstPerKey"] = "40";
        settings["Limits:MaxStoredForecastRuns"] = "3";
        settings["Limits:HeavyCallsPerKey"] = "1";
        settings["Limits:HeavyCallsQueuedPerKey"] = "0";
        return settings;
    }
}

/// <summary>Every call's work is bounded: sizes, counts, rates, stored results, and deadlines that stop the work.</summary>
[Trait("Category", "integration")]
public sealed class LimitsTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";

    private AnalyticsService.AnalyticsServiceClient Analytics => new(factory.Channel());

    [Fact]
    public async Task Too_many_filter_values_or_too_long_a_string_is_invalid_argument_naming_the_limit()
    {
        var filter = new Filter { Dimension = "route" };
        filter.Values.AddRange(Enumerable.Range(0, 101).Select(i => $"route{i}"));
        var many = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Filters = { filter } },
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, many.StatusCode);
        Assert.Contains("selector.filters", many.Status.Detail);
        Assert.Contains("at most 100", many.Status.Detail);

        var spread = new[] { "route", "channel", "outcome" }.Select(d => new Filter { Dimension = d, Values = { Enumerable.Range(0, 40).Select(i => $"v{i}") } });
        var total = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Filters = { spread } },
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, total.StatusCode);
        Assert.Contains("filter values in all (got 120)", total.Status.Detail);

        var code = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = new string('E', 100_000) },
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, code.StatusCode);
        Assert.Equal("selector.council_code: at most 200 characters (got 100000)", code.Status.Detail);
    }

    [Fact]
    public async Task A_comparison_is_bounded_in_scenarios_and_in_draws_times_runs()
    {
        var planning = new PlanningService.PlanningServiceClient(factory.Channel());
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
            ids.Add((await planning.CreateScenarioAsync(new CreateScenarioRequest
            {
                CouncilCode = Council, Name = $"variant {i}", Levers = new ScenarioLevers { ResidentialToSlMovesPerYear = i },
            }, Key(StrategyKey))).ScenarioId);

        var six = await Assert.ThrowsAsync<RpcException>(() => planning.CompareScenariosAsync(new CompareScenariosRequest
        {
            CouncilCode = Council, ScenarioIds = { ids }, Draws = 100,
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, six.StatusCode);
        Assert.Contains("at most 5 scenarios", six.Status.Detail);

        var heavy = await Assert.ThrowsAsync<RpcException>(() => planning.CompareScenariosAsync(new CompareScenariosRequest
        {
            CouncilCode = Council, ScenarioIds = { ids.Take(3) }, Draws = 50_000,
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, heavy.StatusCode);
        Assert.Contains("draws x runs limit", heavy.Status.Detail);
        Assert.Contains("asked 200000", heavy.Status.Detail);
    }

    [Fact]
    public async Task A_forecast_whose_deadline_passes_is_stopped_not_finished_in_the_background()
    {
        var forecasts = new ForecastService.ForecastServiceClient(factory.Channel());
        var request = new ForecastRequest
        {
            // Three breakdowns, so the work lasts well past the deadline even on an idle machine: with route and channel
            // alone a forecast sometimes finished inside 300 ms and was stored.
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Breakdown = { "route", "channel", "age_group" } },
            Model = "auto", Horizon = 24,
        };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            forecasts.ForecastAsync(request, Key(AnalystKey), deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);
        Console.WriteLine($"deadline call ended after {watch.ElapsedMilliseconds} ms with {error.StatusCode}: {error.Status.Detail}");
        // Over a real connection the client sees DEADLINE_EXCEEDED; the in-process test host may instead report the
        // server's reset of the stream at its deadline (or CANCELLED), depending on which side acts first.
        Assert.True(error.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled
                    || (error.StatusCode == StatusCode.Internal && error.Status.Detail.Contains("reset the request")), error.ToString());

        // The server records the call when its handler ends: stopped, not completed and stored.
        var audit = new AuditService.AuditServiceClient(factory.Channel());
        AuditEvent? ended = null;
        for (var attempt = 0; attempt < 100 && ended is null; attempt++)
        {
            // Only this call's record: other tests of the class may have run forecasts with the same key before it.
            ended = (await audit.ListAuditEventsAsync(new ListAuditEventsRequest { Method = "Forecast", KeyName = "development analyst" }, Key(AnalystKey)))
                .Events.FirstOrDefault(e => e.At.ToDateTime() >= started);
            if (ended is null) await Task.Delay(100);
        }
        Console.WriteLine($"audit event after {watch.ElapsedMilliseconds} ms: {ended}");
        Assert.NotNull(ended);
        Assert.Contains(ended!.Outcome, new[] { "DeadlineExceeded", "Cancelled" });
        Assert.DoesNotContain((await forecasts.ListRunsAsync(new ListRunsRequest(), Key(AnalystKey))).Runs,
            r => r.Kind == "forecast" && r.SeriesCount > 1);
    }

    [Fact]
    public async Task Planning_reads_do_not_wait_behind_a_scenario_run()
    {
        // Hold the planning runner as a long run does, for as long as the test likes, then read.
        var session = factory.Services.GetRequiredService<Forecasting.Application.Planning.PlanningSession>();
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var holding = session.RunAsync((_, _) => { entered.SetResult(); release.Task.Wait(); return 0; }, CancellationToken.None);
        await entered.Task;
        try
        {
            var planning = new PlanningService.PlanningServiceClient(factory.Channel());
            var strategies = await planning.ListStrategiesAsync(new ListStrategiesRequest { CouncilCode = Council }, Key(CommissionerKey),
                deadline: DateTime.UtcNow.AddSeconds(60));
            Assert.NotEmpty(strategies.Strategies);
            Assert.False(holding.IsCompleted);
        }
        finally
        {
            release.SetResult();
            await holding;
        }
    }

    [Fact]
    public async Task Dates_outside_1900_to_2199_and_forecasts_of_more_than_fifty_years_of_history_are_refused()
    {
        var far = await Assert.ThrowsAsync<RpcException>(() => Analytics.GetFlowSeriesAsync(new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, ToDate = "9999-12-31" },
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, far.StatusCode);
        Assert.Equal("selector.to_date: 9999-12-31 is outside 1900-01-01 to 2199-12-31", far.Status.Detail);

        // 1970-04 to 2025-03 is 660 months: more than the 600 a forecast fits.
        var forecasts = new ForecastService.ForecastServiceClient(factory.Channel());
        var stretched = await Assert.ThrowsAsync<RpcException>(() => forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, FromDate = "1970-04-01" },
            Model = "naive", Horizon = 2,
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, stretched.StatusCode);
        Assert.Contains("at most 50 years of history (600 periods; this series has 660)", stretched.Status.Detail);
    }

    [Fact]
    public async Task A_forecast_of_too_many_series_is_refused_before_any_fit()
    {
        var forecasts = new ForecastService.ForecastServiceClient(factory.Channel());
        var error = await Assert.ThrowsAsync<RpcException>(() => forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Breakdown = { "route", "channel", "outcome" } },
            Model = "naive", Horizon = 2,
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("at most 60 series", error.Status.Detail);
    }
}

[Trait("Category", "integration")]
public sealed class RateAndRetentionTests(TightLimitsServerFactory factory) : IClassFixture<TightLimitsServerFactory>
{
    [Fact]
    public async Task A_key_past_its_rate_is_resource_exhausted_and_other_keys_are_not_affected()
    {
        var analytics = new AnalyticsService.AnalyticsServiceClient(factory.Channel());
        var refused = 0;
        // A burst of 40 and one more a second: 60 quick calls must meet the limit.
        for (var i = 0; i < 60; i++)
        {
            try { await analytics.ListMetricsAsync(new ListMetricsRequest(), Key(HarbridgeStrategyKey)); }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                Assert.StartsWith("rate limit: at most 1 calls a second per key (burst 40)", ex.Status.Detail);
                refused++;
            }
        }
        Assert.InRange(refused, 1, 20);
        await analytics.ListMetricsAsync(new ListMetricsRequest(), Key(OthertonAnalystKey));
    }

    [Fact]
    public async Task A_second_heavy_call_of_one_key_is_refused_while_the_first_runs()
    {
        var planning = new PlanningService.PlanningServiceClient(factory.Channel());
        using var run = planning.RunScenario(new RunScenarioRequest { CouncilCode = "E06009999", Draws = 100_000, Seed = 5 }, Key(AnalystKey));
        Assert.True(await run.ResponseStream.MoveNext(CancellationToken.None));
        var forecasts = new ForecastService.ForecastServiceClient(factory.Channel());
        var busy = await Assert.ThrowsAsync<RpcException>(() => forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", CouncilCode = "E06009999", Period = Period.FinancialYear }, Model = "naive", Horizon = 1,
        }, Key(AnalystKey)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, busy.StatusCode);
        Assert.StartsWith("concurrency limit: at most 1 forecasts, scorecards, refreshes, imports or scenario runs at once per key", busy.Status.Detail);
        // Reads of the same key and heavy calls of other keys go on.
        await new AnalyticsService.AnalyticsServiceClient(factory.Channel()).ListMetricsAsync(new ListMetricsRequest(), Key(AnalystKey));
        while (await run.ResponseStream.MoveNext(CancellationToken.None)) { }
    }

    [Fact]
    public async Task Stored_forecast_runs_beyond_the_retention_limit_are_removed_oldest_first()
    {
        var forecasts = new ForecastService.ForecastServiceClient(factory.Channel());
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add((await forecasts.ForecastAsync(new ForecastRequest
            {
                Selector = new SeriesSelector { Metric = "contacts", CouncilCode = "E06009999", Period = Period.FinancialYear },
                Model = "naive", Horizon = 1 + i,
            }, Key(StrategyKey))).RunId);
        var kept = (await forecasts.ListRunsAsync(new ListRunsRequest(), Key(StrategyKey))).Runs.Where(r => r.Kind == "forecast").Select(r => r.RunId).ToList();
        Assert.Equal(ids.TakeLast(3).Reverse(), kept);
    }
}
