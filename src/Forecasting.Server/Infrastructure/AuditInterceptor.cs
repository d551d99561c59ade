using System.Diagnostics;
using Forecasting.Application.Audit;
using Forecasting.Server.Security;
using Forecasting.Server.Services;
using Forecasting.Store.Audit;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// The outermost interceptor: gives every call a correlation id (sent back in the x-correlation-id header and
/// written in the server log) and records every call whose proto policy says AUDIT_LEVEL_EVERY_CALL (every write) in the audit log, with who,
/// what and the outcome, whether it succeeded or not. Refused calls (PERMISSION_DENIED, RESOURCE_EXHAUSTED) of any
/// method are counted instead, one event per key, method and minute (<see cref="RefusalTally"/>), so no caller can flood
/// the trail.
/// </summary>
public sealed class AuditInterceptor(IAuditTrail audit, RefusalTally refusals, ILogger<AuditInterceptor> logger) : Interceptor
{
    public const string CorrelationKey = "correlation_id";
    public const string CorrelationHeader = "x-correlation-id";

    /// <summary>Fields of requests and responses that say what a write touched.</summary>
    private static readonly string[] TargetFields = ["import_id", "snapshot_id", "strategy_id", "scenario_id", "revision", "result_id", "run_id"];

    public static string CorrelationId(ServerCallContext context) =>
        context.UserState.TryGetValue(CorrelationKey, out var id) ? (string)id : "-";

    private static string Begin(ServerCallContext context)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        context.UserState[CorrelationKey] = id;
        context.ResponseTrailers.Add(CorrelationHeader, id);
        return id;
    }

    private void Finish(ServerCallContext context, string correlationId, Stopwatch watch, object? request, object? response, RpcException? error)
    {
        if (!context.UserState.TryGetValue(Caller.UserStateKey, out var value)) return;
        var caller = (Caller)value;
        if (error?.StatusCode is StatusCode.PermissionDenied or StatusCode.ResourceExhausted)
        {
            // Only a council the key may use is named: a refused call cannot write arbitrary text into the trail.
            var council = request is IMessage named ? CouncilOf(named) : null;
            refusals.Add(caller.Name, ApiKeyHasher.RoleName(caller.Role), context.Method.TrimStart('/'),
                council is { Length: <= 20 } && caller.CanSee(council) ? council : null, error.StatusCode.ToString(), error.Status.Detail);
            return;
        }
        if (!AccessPolicy.Audited(context.Method)) return;
        var targets = new List<string>();
        if (request is IMessage req) CollectTargets(req, targets, 0);
        if (response is IMessage res) CollectTargets(res, targets, 0);
        try
        {
            audit.Record(new AuditEntry(caller.Name, ApiKeyHasher.RoleName(caller.Role), context.Method.TrimStart('/'),
                request is IMessage m ? CouncilOf(m) : null,
                targets.Count == 0 ? null : string.Join(" ", targets.Distinct()),
                error is null ? "OK" : error.StatusCode.ToString(), error?.Status.Detail, watch.Elapsed.TotalSeconds, correlationId));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the audit event of {Method} ({CorrelationId})", context.Method, correlationId);
        }
    }

    private static string? CouncilOf(IMessage message)
    {
        if (message.Descriptor.FindFieldByName("council_code") is { FieldType: Google.Protobuf.Reflection.FieldType.String } field
            && field.Accessor.GetValue(message) is string { Length: > 0 } code) return code;
        return message.Descriptor.FindFieldByName("selector") is { } selector && selector.Accessor.GetValue(message) is IMessage nested
            ? CouncilOf(nested) : null;
    }

    private static void CollectTargets(IMessage message, List<string> targets, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.IsRepeated || field.IsMap) continue;
            var value = field.Accessor.GetValue(message);
            if (TargetFields.Contains(field.Name) && value is string { Length: > 0 } or int and not 0)
                targets.Add($"{field.Name}={value}");
            else if (depth == 0 && value is IMessage nested && field.Name is "result" or "report")
                CollectTargets(nested, targets, depth + 1);
        }
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var id = Begin(context);
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await continuation(request, context);
            Finish(context, id, watch, request, response, null);
            return response;
        }
        catch (RpcException ex)
        {
            Finish(context, id, watch, request, null, ex);
            throw;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var id = Begin(context);
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await continuation(requestStream, context);
            Finish(context, id, watch, null, response, null);
            return response;
        }
        catch (RpcException ex)
        {
            Finish(context, id, watch, null, null, ex);
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var id = Begin(context);
        var watch = Stopwatch.StartNew();
        var writer = new LastMessageWriter<TResponse>(responseStream);
        try
        {
            await continuation(request, writer, context);
            Finish(context, id, watch, request, writer.Last, null);
        }
        catch (RpcException ex)
        {
            Finish(context, id, watch, request, null, ex);
            throw;
        }
    }

    /// <summary>Passes messages through and keeps the last one: a stream's final message names what it stored.</summary>
    private sealed class LastMessageWriter<T>(IServerStreamWriter<T> inner) : IServerStreamWriter<T>
    {
        public T? Last { get; private set; }

        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            Last = message;
            return inner.WriteAsync(message);
        }
    }
}
