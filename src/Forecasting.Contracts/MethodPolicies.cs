using Google.Protobuf.Reflection;

namespace Forecasting.Contracts.V1;

/// <summary>
/// The <see cref="MethodPolicy"/> each RPC declares in its proto (<c>option (forecasting.v1.policy)</c>), read once
/// from the generated descriptors and keyed by the gRPC path ("/forecasting.v1.DataService/Import"). The server's
/// role check, heavy-call limits and audit trail and the C# client's retries all ask here, so the policy has one source.
/// </summary>
public static class MethodPolicies
{
    /// <summary>Every service of the contract.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
    [
        DataService.Descriptor, AnalyticsService.Descriptor, ForecastService.Descriptor,
        PlanningService.Descriptor, PerformanceService.Descriptor, AuditService.Descriptor,
    ];

    private static readonly Dictionary<string, MethodPolicy> ByPath = Services
        .SelectMany(s => s.Methods)
        .Select(m => (Path: PathOf(m), Policy: Declared(m)))
        .Where(p => p.Policy is not null)
        .ToDictionary(p => p.Path, p => p.Policy!, StringComparer.Ordinal);

    /// <summary>The gRPC path of a method, as <c>ServerCallContext.Method</c> gives it.</summary>
    public static string PathOf(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    /// <summary>
    /// The method's policy when it declares a complete one (a role and an audit level), else null: a partial
    /// declaration counts as none, so a method cannot be opened by forgetting a field.
    /// </summary>
    public static MethodPolicy? Declared(MethodDescriptor method) =>
        method.GetOptions()?.GetExtension(PolicyExtensions.Policy) is { } policy
        && policy.Role != AccessRole.Unspecified && policy.Audit != AuditLevel.Unspecified
            ? policy
            : null;

    /// <summary>The declared policy of a gRPC path, or null for a method of no service here or without one.</summary>
    public static MethodPolicy? For(string path) => ByPath.GetValueOrDefault(path);

    /// <summary>Every method of the given services without a complete policy; empty when all declare one.</summary>
    public static IReadOnlyList<string> Undeclared(IEnumerable<ServiceDescriptor> services) =>
        services.SelectMany(s => s.Methods).Where(m => Declared(m) is null).Select(PathOf).ToList();
}
