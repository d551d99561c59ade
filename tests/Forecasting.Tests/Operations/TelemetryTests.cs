using System.Diagnostics;
using Forecasting.Contracts.V1;
using Forecasting.Domain;
using Forecasting.TestSupport;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StatusCode = Grpc.Core.StatusCode;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Operations;

/// <summary>The sample server with its spans and metrics also exported to memory.</summary>
public sealed class TelemetryServerFactory : SampleServerFactory
{
    /// <summary>Every span of the product's source and of ASP.NET Core in this process (other suites' servers too: filter by trace).</summary>
    public LockedCollection<Activity> Spans { get; } = new();
    public LockedCollection<MetricSnapshot> Metrics { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
        });
    }

    /// <summary>The count of a histogram's or the sum of a counter's points matching <paramref name="tags"/>, as exported now.</summary>
    public double Total(string instrument, params (string Key, object Value)[] tags)
    {
        Services.GetRequiredService<MeterProvider>().ForceFlush();
        var latest = Metrics.Snapshot().LastOrDefault(m => m.Name == instrument);
        if (latest is null) return 0;
        double total = 0;
        foreach (var point in latest.MetricPoints)
        {
            var held = new Dictionary<string, object?>();
            foreach (var tag in point.Tags) held[tag.Key] = tag.Value;
            if (!tags.All(t => held.TryGetValue(t.Key, out var v) && Equals(v, t.Value))) continue;
            total += latest.MetricType switch
            {
                MetricType.Histogram => point.GetHistogramCount(),
                MetricType.LongSum => point.GetSumLong(),
                _ => point.GetSumDouble(),
            };
        }
        return total;
    }
}

/// <summary>A collection several exporters may add to at once.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public List<T> Snapshot()
    {
        lock (_items) return [.. _items];
    }

    public int Count
    {
        get { lock (_items) return _items.Count; }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (_items) _items.Add(item);
    }

    public void Clear()
    {
        lock (_items) _items.Clear();
    }

    public bool Contains(T item)
    {
        lock (_items) return _items.Contains(item);
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_items) _items.CopyTo(array, arrayIndex);
    }

    public bool Remove(T item)
    {
        lock (_items) return _items.Remove(item);
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

[Trait("Category", "integration")]
public sealed class TelemetryTests(TelemetryServerFactory factory) : IClassFixture<TelemetryServerFactory>
{
    private const string ForecastMethod = "forecasting.v1.ForecastService/Forecast";

    /// <summary>Metadata that makes the call part of a new trace (W3C traceparent), so its spans can be told from other suites'.</summary>
    private static (Metadata Headers, ActivityTraceId Trace, ActivitySpanId Parent) Traced(string? key)
    {
        var (trace, parent) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        var headers = new Metadata { { "traceparent", $"00-{trace.ToHexString()}-{parent.ToHexString()}-01" } };
        if (key is not null) headers.Add("x-api-key", key);
        return (headers, trace, parent);
    }

    private static ForecastRequest Snaive() => new()
    {
        Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.Month },
        Horizon = 12,
        Model = "snaive",
    };

    [Fact]
    public async Task A_forecast_call_gives_a_span_named_by_its_method_with_the_run_beneath_and_a_duration_point()
    {
        var forecasts = new ForecastService.ForecastServiceClient(factory.Channel());
        var before = factory.Total("forecasting.rpc.duration", ("rpc.method", "Forecast"), ("rpc.grpc.status_code", 0));
        var runsBefore = factory.Total("forecasting.forecast.runs", ("forecasting.run.kind", "forecast"));
        var (headers, trace, parent) = Traced(CommissionerKey);
        var clock = Stopwatch.StartNew();
        var run = await forecasts.ForecastAsync(Snaive(), headers);
        var elapsed = clock.Elapsed;

        var spans = factory.Spans.Snapshot().Where(s => s.TraceId == trace).ToList();
        var http = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal(parent, http.ParentSpanId);
        var call = Assert.Single(spans, s => s.DisplayName == ForecastMethod);
        Assert.Equal(http.SpanId, call.ParentSpanId);
        Assert.Equal("Forecast", call.GetTagItem("rpc.method"));
        Assert.Equal("forecasting.v1.ForecastService", call.GetTagItem("rpc.service"));
        Assert.Equal(0, call.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal("commissioner", call.GetTagItem("forecasting.role"));
        Assert.True(call.Duration > TimeSpan.Zero && call.Duration <= elapsed, $"{call.Duration} within {elapsed}");
        var fit = Assert.Single(spans, s => s.DisplayName == "forecast run (forecast)");
        Assert.Equal(call.SpanId, fit.ParentSpanId);
        Assert.Equal(run.RunId, fit.GetTagItem("forecasting.run.id"));
        Assert.Equal(1, fit.GetTagItem("forecasting.run.series"));

        Assert.True(factory.Total("forecasting.rpc.duration", ("rpc.method", "Forecast"), ("rpc.grpc.status_code", 0)) >= before + 1);
        Assert.True(factory.Total("forecasting.forecast.runs", ("forecasting.run.kind", "forecast")) >= runsBefore + 1);
    }

    [Fact]
    public async Task A_refused_call_carries_the_status_the_caller_got()
    {
        var forecasts = new ForecastService.ForecastServiceClient(factory.Channel());
        var (headers, trace, _) = Traced(key: null);
        var error = await Assert.ThrowsAsync<RpcException>(() => forecasts.ForecastAsync(Snaive(), headers).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        var call = Assert.Single(factory.Spans.Snapshot(), s => s.TraceId == trace && s.DisplayName == ForecastMethod);
        Assert.Equal((int)StatusCode.Unauthenticated, call.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.True(factory.Total("forecasting.rpc.duration", ("rpc.method", "Forecast"), ("rpc.grpc.status_code", (int)StatusCode.Unauthenticated)) >= 1);
    }

    [Fact]
    public async Task A_repeated_read_counts_a_cache_hit()
    {
        const string method = "/forecasting.v1.AnalyticsService/GetFlowSeries";
        var analytics = new AnalyticsService.AnalyticsServiceClient(factory.Channel());
        var request = new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "admissions", Period = Period.FinancialYear, FromDate = "2022-04-01", ToDate = "2023-03-31" },
        };
        var hits = factory.Total("forecasting.cache.lookups", ("rpc.method", method), ("forecasting.cache.result", "hit"));
        var first = await analytics.GetFlowSeriesAsync(request, Key(CommissionerKey));
        var second = await analytics.GetFlowSeriesAsync(request, Key(CommissionerKey));
        Assert.Equal(first, second);
        Assert.True(factory.Total("forecasting.cache.lookups", ("rpc.method", method), ("forecasting.cache.result", "hit")) >= hits + 1);
        Assert.True(factory.Total("forecasting.cache.lookups", ("rpc.method", method), ("forecasting.cache.result", "miss")) >= 1);
    }

    [Fact]
    public async Task An_import_counts_the_rows_of_its_files()
    {
        var expected = Csv.Sample("contacts").Rows.Count;
        var before = factory.Total("forecasting.import.rows", ("forecasting.table", "contacts"), ("forecasting.import.outcome", "dry_run"));
        var (headers, trace, _) = Traced(AnalystKey);
        var report = await new DataService.DataServiceClient(factory.Channel()).ImportAsync(new ImportRequest
        {
            Files = { new ImportFile { Table = "contacts", Path = Path.Combine(RepoPaths.Samples, "contacts.csv") } },
            DryRun = true,
        }, headers);
        Assert.True(report.Succeeded, report.ToString());

        var import = Assert.Single(factory.Spans.Snapshot(), s => s.TraceId == trace && s.DisplayName == "import");
        Assert.Equal((long)expected, import.GetTagItem("forecasting.import.rows"));
        Assert.Equal("dry_run", import.GetTagItem("forecasting.import.outcome"));
        Assert.True(factory.Total("forecasting.import.rows", ("forecasting.table", "contacts"), ("forecasting.import.outcome", "dry_run")) >= before + expected);
    }

    [Fact]
    public async Task A_scenario_run_is_counted_with_its_draws()
    {
        var before = factory.Total("forecasting.scenario.runs", ("forecasting.run.kind", "baseline"));
        var (headers, trace, _) = Traced(CommissionerKey);
        using var call = new PlanningService.PlanningServiceClient(factory.Channel())
            .RunScenario(new RunScenarioRequest { CouncilCode = Council, Draws = 200, Seed = 3 }, headers);
        ScenarioResult? result = null;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
            result = call.ResponseStream.Current.Result ?? result;
        Assert.NotNull(result);

        var run = Assert.Single(factory.Spans.Snapshot(), s => s.TraceId == trace && s.DisplayName == "scenario run (baseline)");
        Assert.Equal(200, run.GetTagItem("forecasting.run.draws"));
        Assert.Equal(result.ResultId, run.GetTagItem("forecasting.result.id"));
        var rpc = Assert.Single(factory.Spans.Snapshot(), s => s.TraceId == trace && s.DisplayName == "forecasting.v1.PlanningService/RunScenario");
        Assert.Equal(0, rpc.GetTagItem("rpc.grpc.status_code"));
        Assert.True(factory.Total("forecasting.scenario.runs", ("forecasting.run.kind", "baseline")) >= before + 1);
    }

    [Fact]
    public void The_product_has_one_source_and_one_meter_named_for_it()
    {
        Assert.Equal("Forecasting", Telemetry.Source.Name);
        Assert.Equal("Forecasting", Telemetry.Meter.Name);
    }
}
