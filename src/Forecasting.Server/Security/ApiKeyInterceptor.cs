using Forecasting.Application.Limits;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Authentication;

namespace Forecasting.Server.Security;

/// <summary>
/// Authenticates every call by the x-api-key metadata entry, admits it by its key's rate, and authorises it by the
/// method's declared role, in that order:
/// <list type="bullet">
/// <item>a client address or key prefix locked out after repeated failed keys gives RESOURCE_EXHAUSTED before any key is checked;</item>
/// <item>without a key, a bearer token of the council's directory is checked instead (<see cref="DirectorySignIn"/>);</item>
/// <item>no or unknown key gives UNAUTHENTICATED after a delay, and counts towards the lockout;</item>
/// <item>a key past its rate gives RESOURCE_EXHAUSTED, before the role check, so refused calls are limited like any other;</item>
/// <item>a role without the right, or an undeclared method, gives PERMISSION_DENIED.</item>
/// </list>
/// Failed keys are counted in the audit trail per client address and minute (<see cref="AuthenticationThrottle"/>), never one event each.
/// The caller is kept in the call's user state for the services, the limits and the audit trail.
/// </summary>
public sealed class ApiKeyInterceptor(ApiKeyRegistry registry, AuthenticationThrottle throttle, KeyAdmission admission, DirectorySignIn directory)
    : Interceptor
{
    public const string HeaderName = "x-api-key";

    /// <summary>
    /// A call with no key and a bearer token, when the directory is configured: the token is validated by the bearer
    /// scheme (signature, issuer, audience, lifetime); a refused one is UNAUTHENTICATED and counted like a wrong key, a
    /// valid one without a granted role or council is PERMISSION_DENIED.
    /// </summary>
    private async Task<Caller?> BearerCallerAsync(ServerCallContext context, string address, string method)
    {
        if (!directory.Options.Enabled) return null;
        var authorization = context.RequestHeaders.GetValue("authorization");
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var result = await context.GetHttpContext().AuthenticateAsync(DirectorySignIn.BearerScheme);
        if (!result.Succeeded)
        {
            var reason = DirectorySignIn.Describe(result.Failure);
            await throttle.FailedAsync(address, null, method, reason, context.CancellationToken);
            throw new RpcException(new Status(StatusCode.Unauthenticated, reason));
        }
        var (caller, refusal) = directory.CallerOf(result.Principal);
        return caller ?? throw new RpcException(new Status(StatusCode.PermissionDenied, refusal!));
    }

    private async Task AuthoriseAsync(ServerCallContext context)
    {
        if (AccessPolicy.IsPublic(context.Method)) return;
        var method = context.Method.TrimStart('/');
        var key = context.RequestHeaders.GetValue(HeaderName);
        var address = ClientAddress(context);
        if (throttle.LockedOutFor(address, key, method) is { } wait)
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"too many failed API keys from this address or with this key's first characters; retry in {Math.Ceiling(wait.TotalSeconds)} s"));
        var caller = string.IsNullOrEmpty(key) ? await BearerCallerAsync(context, address, method) : registry.Find(key);
        if (caller is null)
        {
            await throttle.FailedAsync(address, key, method, string.IsNullOrEmpty(key) ? "no key" : "an unknown key", context.CancellationToken);
            throw new RpcException(new Status(StatusCode.Unauthenticated, string.IsNullOrEmpty(key)
                ? $"missing API key: send it in the '{HeaderName}' metadata header" + (directory.Options.Enabled ? ", or a bearer token of the directory" : "")
                : "unknown API key"));
        }
        // Known before the rate and role checks, so a refused call is counted with who tried it.
        context.UserState[Caller.UserStateKey] = caller;
        // A refusal (CallRefusedException) becomes RESOURCE_EXHAUSTED in the error mapping around this interceptor.
        admission.CheckRate(caller.Name);
        var rule = AccessPolicy.For(context.Method)
                   ?? throw new RpcException(new Status(StatusCode.PermissionDenied, $"{context.Method} is not open to any role"));
        if (caller.Role < rule.Role)
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"{context.Method} needs the {ApiKeyHasher.RoleName(rule.Role)} role; this key has {ApiKeyHasher.RoleName(caller.Role)}"));
    }

    /// <summary>The client's address as the server saw it (behind a proxy, configure forwarded headers).</summary>
    private static string ClientAddress(ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "unknown address";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthoriseAsync(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthoriseAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthoriseAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthoriseAsync(context);
        await continuation(requestStream, responseStream, context);
    }
}
