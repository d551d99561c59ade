using Forecasting.Contracts.V1;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Forecasting.Server.Security;

/// <summary>
/// The server's reading of the policy each RPC declares in its proto (<see cref="MethodPolicies"/>): the role it
/// needs, whether it writes, whether it is heavy and whether every call is audited. A method without a declared
/// policy is refused, never treated as a read.
/// </summary>
public static class AccessPolicy
{
    public sealed record Rule(Role Role, bool Writes, bool Heavy, bool Audited);

    /// <summary>Health checks and reflection are open so load balancers and tools can use them.</summary>
    public static bool IsPublic(string method) =>
        method.StartsWith("/grpc.health.", StringComparison.Ordinal) || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);

    /// <summary>The declared rule, or null for a method nobody declared (refused).</summary>
    public static Rule? For(string method) => MethodPolicies.For(method) is { } policy ? From(policy) : null;

    /// <summary>The rule a declared policy gives.</summary>
    public static Rule From(MethodPolicy policy) => new(policy.Role switch
    {
        AccessRole.Commissioner => Role.Commissioner,
        AccessRole.StrategyLead => Role.StrategyLead,
        AccessRole.Analyst => Role.Analyst,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy.Role, "no such role"),
    }, !policy.Read, policy.Heavy, policy.Audit == AuditLevel.EveryCall);

    public static bool Writes(string method) => For(method) is { Writes: true };

    public static bool Heavy(string method) => For(method) is { Heavy: true };

    public static bool Audited(string method) => For(method) is { Audited: true };

    /// <summary>Every method of the given services that declares no policy; empty when all do.</summary>
    public static IReadOnlyList<string> Undeclared(IEnumerable<ServiceDescriptor> services) => MethodPolicies.Undeclared(services);
}

/// <summary>The audit decision for the web pages' writes, from the policy the matching RPC declares.</summary>
public sealed class ProtoAuditedMethods : Application.Audit.IAuditedMethods
{
    public bool EveryCall(string method) => AccessPolicy.For("/" + method.TrimStart('/')) is not { Audited: false };
}
