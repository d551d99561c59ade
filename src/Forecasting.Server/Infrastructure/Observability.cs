using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forecasting.Domain;
using Forecasting.Server.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StatusCode = Grpc.Core.StatusCode;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Traces and metrics with OpenTelemetry: ASP.NET Core's requests and the product's own source and meter
/// (<see cref="Telemetry"/>: API calls by method, import rows, forecast and scenario runs, cache lookups).
/// <list type="bullet">
/// <item>By default every finished span is one log line (<see cref="SpanLogProcessor"/>; <c>Telemetry:LogSpans</c> = false turns it off).</item>
/// <item><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the standard variable, or the same key in configuration) exports traces and metrics over OTLP;
/// the other standard <c>OTEL_*</c> variables (protocol, headers, service name) apply.</item>
/// <item><c>Telemetry:ConsoleExporter</c> = true prints spans and metrics to standard output as well.</item>
/// </list>
/// </summary>
public static class Observability
{
    public const string SectionName = "Telemetry";
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        var console = section.GetValue("ConsoleExporter", false);
        var logSpans = section.GetValue("LogSpans", true);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("forecasting", serviceVersion: typeof(Observability).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.Name)
                    // A load balancer's probes every few seconds would drown the calls people make.
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments(HealthEndpoints.Root));
                if (logSpans) tracing.AddProcessor(sp => new SpanLogProcessor(sp.GetRequiredService<ILoggerFactory>().CreateLogger(Telemetry.Name)));
                if (console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Telemetry.Name).AddAspNetCoreInstrumentation();
                if (console) metrics.AddConsoleExporter();
            });
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey])) telemetry.UseOtlpExporter();
        builder.Services.AddSingleton<TelemetryInterceptor>();
        return builder;
    }
}

/// <summary>
/// One log line per finished span, so a trace can be followed in the server log without a collector: name,
/// duration, status, trace and span ids, and the span's tags.
/// </summary>
public sealed class SpanLogProcessor(ILogger logger) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity activity)
    {
        if (!logger.IsEnabled(LogLevel.Information)) return;
        var tags = new StringBuilder();
        foreach (var (key, value) in activity.TagObjects)
            tags.Append(' ').Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        logger.LogInformation("span {Span} {DurationMs} ms {Status} trace={TraceId} span={SpanId} parent={ParentSpanId}{Tags}",
            activity.DisplayName, Math.Round(activity.Duration.TotalMilliseconds, 1), activity.Status == ActivityStatusCode.Error ? "error" : "ok",
            activity.TraceId.ToHexString(), activity.SpanId.ToHexString(), activity.ParentSpanId.ToHexString(), tags.ToString());
    }
}

/// <summary>
/// A span and a duration point for every API call (gRPC, or REST through the JSON transcoding), named by its method,
/// with the status the caller got. Outermost of the interceptors, so the status is the mapped one.
/// </summary>
public sealed class TelemetryInterceptor : Interceptor
{
    private sealed class Call : IDisposable
    {
        private readonly ServerCallContext _context;
        private readonly Activity? _activity;
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly string _service;
        private readonly string _method;

        public StatusCode Status { get; set; } = StatusCode.OK;

        public Call(ServerCallContext context)
        {
            _context = context;
            var full = context.Method.TrimStart('/');
            var slash = full.IndexOf('/');
            (_service, _method) = slash < 0 ? ("", full) : (full[..slash], full[(slash + 1)..]);
            _activity = Telemetry.Source.StartActivity(full, ActivityKind.Internal)?
                .SetTag("rpc.system", "grpc").SetTag("rpc.service", _service).SetTag("rpc.method", _method);
        }

        public void Dispose()
        {
            var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            Telemetry.RpcDuration.Record(seconds, new("rpc.service", _service), new("rpc.method", _method),
                new("rpc.grpc.status_code", (int)Status));
            if (_activity is null) return;
            _activity.SetTag("rpc.grpc.status_code", (int)Status);
            if (_context.UserState.TryGetValue(Caller.UserStateKey, out var caller) && caller is Caller known)
                _activity.SetTag("forecasting.role", ApiKeyHasher.RoleName(known.Role));
            if (Status != StatusCode.OK) _activity.SetStatus(ActivityStatusCode.Error, Status.ToString());
            _activity.Dispose();
        }
    }

    private static async Task<T> Measure<T>(ServerCallContext context, Func<Task<T>> run)
    {
        using var call = new Call(context);
        try
        {
            var result = await run();
            call.Status = context.Status.StatusCode;
            return result;
        }
        catch (RpcException e)
        {
            call.Status = e.StatusCode;
            throw;
        }
        catch (OperationCanceledException)
        {
            call.Status = StatusCode.Cancelled;
            throw;
        }
        catch
        {
            call.Status = StatusCode.Unknown;
            throw;
        }
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation) =>
        Measure(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        Measure(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        Measure(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        Measure(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });
}
