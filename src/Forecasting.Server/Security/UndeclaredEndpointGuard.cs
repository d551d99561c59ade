using Grpc.AspNetCore.Server;

namespace Forecasting.Server.Security;

/// <summary>
/// Fail-closed for HTTP endpoints: a gRPC method (plain or transcoded to JSON) goes on to the interceptors, which
/// check its key and declared role; a web page carries its authorization policy; any other endpoint must carry an
/// <see cref="HttpAccess"/> declaration, and one without is refused with 403 before it runs.
/// </summary>
public static class UndeclaredEndpointGuard
{
    public static bool IsDeclared(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not null || endpoint.Metadata.GetMetadata<HttpAccess>() is not null
        || IsGrpcUnimplemented(endpoint) || HasAuthorization(endpoint);

    /// <summary>
    /// Web pages declare their access with ASP.NET Core authorization ([Authorize(Policy = ...)] or [AllowAnonymous]),
    /// enforced by the authorization middleware; the web project's own test checks that each page names its role.
    /// </summary>
    public static bool HasAuthorization(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null
        || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;

    /// <summary>
    /// gRPC's catch-alls for unknown services and methods: they match gRPC requests only (route constraint
    /// grpcunimplemented), answer UNIMPLEMENTED and run nothing.
    /// </summary>
    public static bool IsGrpcUnimplemented(Endpoint endpoint) =>
        endpoint is RouteEndpoint route && route.RoutePattern.Parameters.Any(parameter =>
            parameter.ParameterPolicies.Any(policy => policy.Content == "grpcunimplemented"));

    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint() is { } endpoint && !IsDeclared(endpoint))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await next(context);
    });
}
