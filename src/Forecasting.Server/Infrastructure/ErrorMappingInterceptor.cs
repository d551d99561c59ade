using Forecasting.Store.Analytics;
using Forecasting.Domain;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Turns domain exceptions into gRPC statuses with messages that say what to fix. Anything else is INTERNAL
/// with only a correlation id: exception text, SQL and server paths go to the log, never to the caller.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    private RpcException Map(Exception ex, ServerCallContext context)
    {
        var status = ex switch
        {
            InvalidArgumentException i => new Status(StatusCode.InvalidArgument, i.Detail),
            ResultTooLargeException r => new Status(StatusCode.ResourceExhausted, r.Message),
            Forecasting.Application.Limits.CallRefusedException c => new Status(StatusCode.ResourceExhausted, c.Message),
            NoDataException n => new Status(StatusCode.FailedPrecondition, n.Message),
            // Once the caller has gone, whatever the interrupted work threw (DuckDB's interrupt error, a cancelled
            // parallel loop) is the cancellation itself.
            _ when context.CancellationToken.IsCancellationRequested =>
                context.Deadline <= DateTime.UtcNow
                    ? new Status(StatusCode.DeadlineExceeded, "the call's deadline passed; the work was stopped")
                    : new Status(StatusCode.Cancelled, "the call was cancelled; the work was stopped"),
            // Our own code throws these with messages written for callers; framework ones are caught above by type.
            KeyNotFoundException k when k.GetType() == typeof(KeyNotFoundException) && !k.Message.StartsWith("The given key", StringComparison.Ordinal) =>
                new Status(StatusCode.NotFound, k.Message),
            ArgumentException a when a.GetType() == typeof(ArgumentException) && a.ParamName is null =>
                new Status(StatusCode.InvalidArgument, a.Message),
            _ => new Status(StatusCode.Internal,
                $"internal error (correlation id {AuditInterceptor.CorrelationId(context)}); the server log has the details"),
        };
        if (status.StatusCode == StatusCode.Internal)
            logger.LogError(ex, "Unhandled error in {Method} (correlation id {CorrelationId})", context.Method, AuditInterceptor.CorrelationId(context));
        return new RpcException(status);
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(request, context); }
        catch (Exception ex) when (ex is not RpcException) { throw Map(ex, context); }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(requestStream, context); }
        catch (Exception ex) when (ex is not RpcException) { throw Map(ex, context); }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(request, responseStream, context); }
        catch (Exception ex) when (ex is not RpcException) { throw Map(ex, context); }
    }
}
