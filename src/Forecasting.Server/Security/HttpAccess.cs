namespace Forecasting.Server.Security;

/// <summary>
/// The access declaration of an HTTP endpoint that is not a gRPC method (gRPC methods, transcoded or not, are
/// declared in <see cref="AccessPolicy"/> and enforced by <see cref="ApiKeyInterceptor"/>). An endpoint with
/// neither is refused (<see cref="UndeclaredEndpointGuard"/>) and fails the test that enumerates the endpoints.
/// </summary>
public sealed class HttpAccess
{
    private HttpAccess(bool isPublic, Role? role, string reason)
    {
        IsPublic = isPublic;
        Role = role;
        Reason = reason;
    }

    public bool IsPublic { get; }
    /// <summary>The least role the endpoint needs when it is not public (checked by the endpoint's own sign-in).</summary>
    public Role? Role { get; }
    public string Reason { get; }

    public static HttpAccess Public(string reason) => new(true, null, reason);
    public static HttpAccess ForRole(Role role, string reason) => new(false, role, reason);
}
