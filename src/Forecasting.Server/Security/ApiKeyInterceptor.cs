using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Forecasting.Server.Security;

/// <summary>
/// Authenticates every call by the x-api-key metadata entry and authorises it by role:
/// no or unknown key gives UNAUTHENTICATED, a role without the right gives PERMISSION_DENIED.
/// </summary>
public sealed class ApiKeyInterceptor(ApiKeyRegistry registry) : Interceptor
{
    public const string HeaderName = "x-api-key";
    public const string RoleKey = "role";

    public const string NameKey = "key_name";

    /// <summary>The configured name of the caller's key: recorded as the author of what the call writes.</summary>
    public static string CallerName(ServerCallContext context) =>
        context.UserState.TryGetValue(NameKey, out var name) ? (string)name : "unknown";

    public static Role CallerRole(ServerCallContext context) =>
        context.UserState.TryGetValue(RoleKey, out var role) ? (Role)role : Role.Commissioner;

    private void Authorise(ServerCallContext context)
    {
        if (AccessPolicy.IsPublic(context.Method)) return;
        var key = context.RequestHeaders.GetValue(HeaderName);
        if (string.IsNullOrEmpty(key))
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"missing API key: send it in the '{HeaderName}' metadata header"));
        var found = registry.Find(key)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown API key"));
        var required = AccessPolicy.RequiredRole(context.Method);
        if (found.Role < required)
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"{context.Method} needs the {ApiKeyHasher.RoleName(required)} role; this key has {ApiKeyHasher.RoleName(found.Role)}"));
        context.UserState[RoleKey] = found.Role;
        context.UserState[NameKey] = found.Name;
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
