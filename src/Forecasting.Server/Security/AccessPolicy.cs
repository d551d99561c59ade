namespace Forecasting.Server.Security;

/// <summary>The role each gRPC method needs. Unlisted methods of our services are reads (commissioner).</summary>
public static class AccessPolicy
{
    private static readonly Dictionary<string, Role> Required = new(StringComparer.Ordinal)
    {
        ["/forecasting.v1.DataService/Import"] = Role.Analyst,
        ["/forecasting.v1.DataService/Upload"] = Role.Analyst,
        ["/forecasting.v1.ForecastService/Refresh"] = Role.Analyst,
        ["/forecasting.v1.PlanningService/CreateStrategyVersion"] = Role.StrategyLead,
        ["/forecasting.v1.PlanningService/CreateScenario"] = Role.StrategyLead,
        ["/forecasting.v1.PlanningService/UpdateScenario"] = Role.StrategyLead,
        ["/forecasting.v1.PlanningService/DeleteScenario"] = Role.StrategyLead,
    };

    /// <summary>Health checks and reflection are open so load balancers and tools can use them.</summary>
    public static bool IsPublic(string method) =>
        method.StartsWith("/grpc.health.", StringComparison.Ordinal) || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);

    public static Role RequiredRole(string method) => Required.GetValueOrDefault(method, Role.Commissioner);
}
