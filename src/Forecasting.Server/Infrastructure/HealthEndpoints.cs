using Forecasting.Server.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Health over plain HTTP for load balancers and orchestrators, beside gRPC's grpc.health.v1, with no key:
/// <c>/healthz/live</c> answers 200 whenever the process serves requests (no check runs), <c>/healthz/ready</c>
/// runs the checks tagged <see cref="ReadyTag"/> (the store opens and answers a query): 200 "Healthy" or
/// "Degraded" (an empty store), 503 "Unhealthy". The body is the status word only, never a check's details.
/// </summary>
public static class HealthEndpoints
{
    public const string Root = "/healthz";
    public const string Live = Root + "/live";
    public const string Ready = Root + "/ready";
    public const string ReadyTag = "ready";

    public static void Map(WebApplication app)
    {
        app.MapHealthChecks(Live, new HealthCheckOptions { Predicate = _ => false })
            .WithMetadata(HttpAccess.Public("liveness for load balancers: the status word only"));
        app.MapHealthChecks(Ready, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithMetadata(HttpAccess.Public("readiness for load balancers: the status word only"));
    }
}
