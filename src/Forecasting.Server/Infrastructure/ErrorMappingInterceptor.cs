using Forecasting.Analytics;
using Forecasting.Planning;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Forecasting.Server.Infrastructure;

/// <summary>Turns domain exceptions into gRPC statuses with messages that say what to fix.</summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    private RpcException Map(Exception ex, ServerCallContext context)
    {
        var status = ex switch
        {
            RpcException rpc => rpc.Status,
            QueryException q => new Status(StatusCode.InvalidArgument, q.Message),
            ScenarioValidationException v => new Status(StatusCode.InvalidArgument,
                string.Join("; ", v.Errors.Select(e => $"levers.{e.Field}: {e.Reason}"))),
            ArgumentException a => new Status(StatusCode.InvalidArgument, a.Message),
            ResultTooLargeException r => new Status(StatusCode.ResourceExhausted, r.Message),
            NoDataException n => new Status(StatusCode.FailedPrecondition, n.Message),
            KeyNotFoundException k => new Status(StatusCode.NotFound, k.Message),
            OperationCanceledException => new Status(StatusCode.Cancelled, "the call was cancelled"),
            _ => new Status(StatusCode.Internal, "internal error; the server log has the details"),
        };
        if (status.StatusCode == StatusCode.Internal)
            logger.LogError(ex, "Unhandled error in {Method}", context.Method);
        return ex as RpcException ?? new RpcException(status);
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
