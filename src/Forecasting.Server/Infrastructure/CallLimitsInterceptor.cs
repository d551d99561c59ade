using System.Collections;
using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Forecasting.Server.Security;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Per-key rate and concurrency limits and size limits on every request message, applied before a service
/// sees the call. Sizes are checked by walking the message's descriptor, so a field added later is bounded too.
/// </summary>
public sealed class CallLimitsInterceptor : Interceptor, IDisposable
{
    private static readonly HashSet<string> HeavyMethods = new(StringComparer.Ordinal)
    {
        "/forecasting.v1.DataService/Import", "/forecasting.v1.DataService/Upload",
        "/forecasting.v1.ForecastService/Forecast", "/forecasting.v1.ForecastService/Refresh",
        "/forecasting.v1.PlanningService/RunScenario", "/forecasting.v1.PlanningService/CompareScenarios",
        "/forecasting.v1.PlanningService/BacktestPlanning",
        // A scorecard forecasts every stock measure's year end.
        "/forecasting.v1.PerformanceService/GetPerformance",
    };

    private static readonly HashSet<string> LongTextFields = new(StringComparer.Ordinal) { "description", "reason", "notes" };

    private readonly LimitsOptions _limits;
    private readonly PartitionedRateLimiter<string> _rate;
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _heavy = new(StringComparer.Ordinal);

    public CallLimitsInterceptor(IOptions<LimitsOptions> options)
    {
        _limits = options.Value;
        _rate = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, _limits.BurstPerKey),
            TokensPerPeriod = Math.Max(1, _limits.RequestsPerSecondPerKey),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public void Dispose()
    {
        _rate.Dispose();
        foreach (var limiter in _heavy.Values) limiter.Dispose();
    }

    private async Task<IDisposable> AdmitAsync(ServerCallContext context)
    {
        if (!context.UserState.TryGetValue(Caller.UserStateKey, out var value)) return NoLease.Instance;
        var caller = (Caller)value;
        using (var lease = _rate.AttemptAcquire(caller.Name))
            if (!lease.IsAcquired)
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"rate limit: at most {_limits.RequestsPerSecondPerKey} calls a second per key (burst {_limits.BurstPerKey}); retry shortly"));
        if (!HeavyMethods.Contains(context.Method)) return NoLease.Instance;
        var limiter = _heavy.GetOrAdd(caller.Name, _ => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, _limits.HeavyCallsPerKey),
            QueueLimit = Math.Max(0, _limits.HeavyCallsQueuedPerKey),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
        var heavy = await limiter.AcquireAsync(1, context.CancellationToken);
        if (!heavy.IsAcquired)
        {
            heavy.Dispose();
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"concurrency limit: at most {_limits.HeavyCallsPerKey} forecasts, scorecards, refreshes, imports or scenario runs at once per key " +
                $"and {_limits.HeavyCallsQueuedPerKey} waiting; retry when one finishes"));
        }
        return heavy;
    }

    /// <summary>Throws INVALID_ARGUMENT naming the first field over a size limit.</summary>
    private void CheckSizes(IMessage message, string path = "")
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = path + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var map = (IDictionary)value;
                if (map.Count > _limits.MaxListLength) throw TooLarge(name, $"at most {_limits.MaxListLength} entries (got {map.Count})");
                foreach (DictionaryEntry entry in map)
                {
                    CheckString(name + " key", entry.Key as string, _limits.MaxStringLength);
                    if (entry.Value is string s) CheckString($"{name}[{entry.Key}]", s, _limits.MaxStringLength);
                    else if (entry.Value is IMessage m) CheckSizes(m, $"{name}[{entry.Key}].");
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)value;
                if (list.Count > _limits.MaxListLength) throw TooLarge(name, $"at most {_limits.MaxListLength} values (got {list.Count})");
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is string s) CheckString($"{name}[{i}]", s, _limits.MaxStringLength);
                    else if (list[i] is IMessage m) CheckSizes(m, $"{name}[{i}].");
                }
            }
            else if (field.FieldType == FieldType.String)
            {
                CheckString(name, value as string, LongTextFields.Contains(field.Name) ? _limits.MaxTextLength : _limits.MaxStringLength);
            }
            else if (field.FieldType == FieldType.Message && value is IMessage nested)
            {
                CheckSizes(nested, name + ".");
            }
        }
        // Filter values add up across filters: one selector may not ask for more than the limit in all.
        if (message.Descriptor.FindFieldByName("filters") is { IsRepeated: true } filters
            && filters.MessageType?.FindFieldByName("values") is { } valuesField)
        {
            var total = ((IList)filters.Accessor.GetValue(message)).Cast<IMessage>().Sum(f => ((IList)valuesField.Accessor.GetValue(f)).Count);
            if (total > _limits.MaxFilterValues)
                throw TooLarge(path + "filters", $"at most {_limits.MaxFilterValues} filter values in all (got {total})");
        }
    }

    private static void CheckString(string name, string? text, int max)
    {
        if (text is not null && text.Length > max) throw TooLarge(name, $"at most {max} characters (got {text.Length})");
    }

    private static RpcException TooLarge(string field, string limit) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {limit}"));

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is IMessage message) CheckSizes(message);
        using var lease = await AdmitAsync(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var lease = await AdmitAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (request is IMessage message) CheckSizes(message);
        using var lease = await AdmitAsync(context);
        await continuation(request, responseStream, context);
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();
        public void Dispose() { }
    }
}
