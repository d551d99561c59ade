using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Forecasting.Server.Security;

/// <summary>
/// Authenticates every call by the x-api-key metadata entry and authorises it by the method's declared role:
/// no or unknown key gives UNAUTHENTICATED, a role without the right or an undeclared method PERMISSION_DENIED.
/// The caller is kept in the call's user state for the services, the limits and the audit trail.
/// </summary>
public sealed class ApiKeyInterceptor(ApiKeyRegistry registry) : Interceptor
{
    public const string HeaderName = "x-api-key";

    private void Authorise(ServerCallContext context)
    {
        if (AccessPolicy.IsPublic(context.Method)) return;
        var key = context.RequestHeaders.GetValue(HeaderName);
        if (string.IsNullOrEmpty(key))
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"missing API key: send it in the '{HeaderName}' metadata header"));
        var caller = registry.Find(key) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown API key"));
        // Known before the role check, so a refused write is audited with who tried it.
        context.UserState[Caller.UserStateKey] = caller;
        var rule = AccessPolicy.For(context.Method)
                   ?? throw new RpcException(new Status(StatusCode.PermissionDenied, $"{context.Method} is not open to any role"));
        if (caller.Role < rule.Role)
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"{context.Method} needs the {ApiKeyHasher.RoleName(rule.Role)} role; this key has {ApiKeyHasher.RoleName(caller.Role)}"));
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorise(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorise(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorise(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorise(context);
        return continuation(requestStream, responseStream, context);
    }
}
