using System.Net;
using Forecasting.Store;
using Forecasting.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Tests.Operations;

/// <summary>/healthz/live and /healthz/ready over HTTP, with no key, for load balancers.</summary>
[Trait("Category", "integration")]
public sealed class HealthEndpointTests
{
    private static async Task<(HttpStatusCode Status, string Body)> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Live_and_ready_answer_without_a_key_and_ready_fails_when_the_store_cannot_answer()
    {
        await using var factory = new SampleServerFactory();
        using var http = factory.CreateClient();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Get(http, "/healthz/live"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Get(http, "/healthz/ready"));

        // The readiness check queries the store; liveness runs no check.
        var store = factory.Services.GetRequiredService<ForecastingStore>();
        using (var connection = store.Open())
            ForecastingStore.Execute(connection, "ALTER TABLE snapshots RENAME TO snapshots_gone");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await Get(http, "/healthz/ready"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Get(http, "/healthz/live"));
    }
}
