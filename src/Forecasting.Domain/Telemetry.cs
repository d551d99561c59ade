using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Forecasting.Domain;

/// <summary>
/// The product's one trace source and one meter, both named <see cref="Name"/>, and every instrument on it. Defined
/// here, with no dependency but the runtime, so the import, the use cases and the host record into the same ones; the
/// host decides where they go (OpenTelemetry, in <c>Server/Infrastructure/Telemetry.cs</c>).
/// </summary>
public static class Telemetry
{
    public const string Name = "Forecasting";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Every finished API call, gRPC or REST, by method and status: its count is the request count.</summary>
    public static readonly Histogram<double> RpcDuration = Meter.CreateHistogram<double>("forecasting.rpc.duration", "s",
        "Time to answer an API call, by method (rpc.method) and gRPC status (rpc.grpc.status_code)", tags: null,
        // In seconds, from a cached read (milliseconds) to a long planning run (minutes); the SDK's default buckets are for milliseconds.
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });

    public static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("forecasting.import.rows", "{row}",
        "Rows read from imported files, by table and whether the import was committed (imported), only checked (dry_run) or refused (failed)");

    public static readonly Counter<long> ForecastRuns = Meter.CreateCounter<long>("forecasting.forecast.runs", "{run}",
        "Stored forecast runs, by kind (forecast or refresh)");

    public static readonly Counter<long> ForecastSeries = Meter.CreateCounter<long>("forecasting.forecast.series", "{series}",
        "Series fitted by forecast runs, by kind");

    public static readonly Counter<long> ScenarioRuns = Meter.CreateCounter<long>("forecasting.scenario.runs", "{run}",
        "Planning runs stored, by kind (baseline or scenario)");

    public static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("forecasting.cache.lookups", "{lookup}",
        "Read-cache lookups, by method and result (hit or miss)");
}
