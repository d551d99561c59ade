using Google.Protobuf.Reflection;

namespace Forecasting.TestSupport;

/// <summary>Every gRPC service the contracts declare, found from the generated descriptors so a new service cannot be missed.</summary>
public static class ContractServices
{
    public static ServiceDescriptor[] All { get; } = typeof(Forecasting.Contracts.V1.DataService).Assembly.GetTypes()
        .Where(t => t.Namespace == "Forecasting.Contracts.V1" && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
        .Select(t => (FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!)
        .SelectMany(f => f.Services)
        .OrderBy(s => s.FullName, StringComparer.Ordinal)
        .ToArray();
}
