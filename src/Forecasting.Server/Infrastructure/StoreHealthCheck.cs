using Forecasting.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Forecasting.Server.Infrastructure;

/// <summary>Ready only when the store answers a query and holds a data snapshot.</summary>
public sealed class StoreHealthCheck(ForecastingStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var snapshots = store.SnapshotCount();
            return Task.FromResult(snapshots > 0
                ? HealthCheckResult.Healthy($"{snapshots} snapshots")
                : HealthCheckResult.Degraded("the store holds no data yet: import a council's files"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the store cannot be queried", ex));
        }
    }
}
