
namespace Forecasting.Server.Security;

/// <summary>
/// The role each gRPC method needs and whether it writes (writes are audited). Every method of every
/// service is declared here: a method missing from the table is refused, never treated as a read.
/// </summary>
public static class AccessPolicy
{
    public sealed record Rule(Role Role, bool Writes);

    private static Rule Read => new(Role.Commissioner, false);

    private static readonly Dictionary<string, Rule> Rules = new(StringComparer.Ordinal)
    {
        ["/forecasting.v1.DataService/Import"] = new(Role.Analyst, true),
        ["/forecasting.v1.DataService/Upload"] = new(Role.Analyst, true),
        ["/forecasting.v1.DataService/GetStatus"] = Read,
        // Validation reports quote the values of rows in imported files: the importing role reads them.
        ["/forecasting.v1.DataService/GetValidationReport"] = new(Role.Analyst, false),
        ["/forecasting.v1.DataService/ListSnapshots"] = Read,

        ["/forecasting.v1.AnalyticsService/ListMetrics"] = Read,
        ["/forecasting.v1.AnalyticsService/GetFlowSeries"] = Read,
        ["/forecasting.v1.AnalyticsService/GetRates"] = Read,
        ["/forecasting.v1.AnalyticsService/GetStockSnapshot"] = Read,
        ["/forecasting.v1.AnalyticsService/GetTransitionsCohort"] = Read,
        ["/forecasting.v1.AnalyticsService/GetPipeline"] = Read,

        ["/forecasting.v1.ForecastService/ListModels"] = Read,
        // A forecast is stored as a run: a write, audited, open to every role.
        ["/forecasting.v1.ForecastService/Forecast"] = new(Role.Commissioner, true),
        ["/forecasting.v1.ForecastService/Refresh"] = new(Role.Analyst, true),
        ["/forecasting.v1.ForecastService/ListRuns"] = Read,
        ["/forecasting.v1.ForecastService/GetRun"] = Read,
        ["/forecasting.v1.ForecastService/EstimateYearEnd"] = Read,

        ["/forecasting.v1.PlanningService/ListStrategies"] = Read,
        ["/forecasting.v1.PlanningService/GetStrategy"] = Read,
        ["/forecasting.v1.PlanningService/CreateStrategyVersion"] = new(Role.StrategyLead, true),
        ["/forecasting.v1.PlanningService/CreateScenario"] = new(Role.StrategyLead, true),
        ["/forecasting.v1.PlanningService/UpdateScenario"] = new(Role.StrategyLead, true),
        ["/forecasting.v1.PlanningService/ListScenarios"] = Read,
        ["/forecasting.v1.PlanningService/GetScenario"] = Read,
        ["/forecasting.v1.PlanningService/DeleteScenario"] = new(Role.StrategyLead, true),
        ["/forecasting.v1.PlanningService/RunScenario"] = new(Role.Commissioner, true),
        ["/forecasting.v1.PlanningService/GetScenarioResult"] = Read,
        ["/forecasting.v1.PlanningService/ListScenarioResults"] = Read,
        ["/forecasting.v1.PlanningService/CompareScenarios"] = new(Role.Commissioner, true),
        ["/forecasting.v1.PlanningService/BacktestPlanning"] = Read,
        // Without a result id it runs and stores the baseline, as RunScenario.
        ["/forecasting.v1.PlanningService/GetPrevalenceCheck"] = new(Role.Commissioner, true),
        // Publishing sets the figures members read: analysts and strategy leads.
        ["/forecasting.v1.PlanningService/PublishResult"] = new(Role.StrategyLead, true),
        ["/forecasting.v1.PlanningService/ListPublications"] = Read,

        ["/forecasting.v1.PerformanceService/ListMeasures"] = Read,
        ["/forecasting.v1.PerformanceService/GetMeasureSeries"] = Read,
        ["/forecasting.v1.PerformanceService/GetPerformance"] = Read,
        ["/forecasting.v1.PerformanceService/SetTarget"] = new(Role.StrategyLead, true),
        ["/forecasting.v1.PerformanceService/ListTargets"] = Read,
        ["/forecasting.v1.PerformanceService/GetBudgetOutturn"] = Read,
        ["/forecasting.v1.PerformanceService/GetNationalMeasures"] = Read,
        ["/forecasting.v1.PerformanceService/GetCldQuality"] = Read,

        ["/forecasting.v1.AuditService/ListAuditEvents"] = new(Role.Analyst, false),
    };

    /// <summary>Health checks and reflection are open so load balancers and tools can use them.</summary>
    public static bool IsPublic(string method) =>
        method.StartsWith("/grpc.health.", StringComparison.Ordinal) || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);

    /// <summary>The declared rule, or null for a method nobody declared (refused).</summary>
    public static Rule? For(string method) => Rules.GetValueOrDefault(method);

    public static bool Writes(string method) => Rules.TryGetValue(method, out var rule) && rule.Writes;

    /// <summary>Every method of the given services that has no rule; empty when the table is complete.</summary>
    public static IReadOnlyList<string> Undeclared(IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> services) =>
        services.SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}")).Where(m => !Rules.ContainsKey(m)).ToList();
}
