using Forecasting.TestSupport;

namespace Forecasting.Client.Tests;

/// <summary>The channel retries exactly the calls the protos declare reads (read: true in the method's policy).</summary>
[Trait("Category", "unit")]
public sealed class RetryPolicyTests
{
    [Fact]
    public void The_retried_calls_are_the_reads_the_protos_declare()
    {
        var options = new ForecastingClientOptions { Address = "http://127.0.0.1:9", MaxAttempts = 3 };
        var config = Assert.Single(ForecastingClient.ChannelOptions(options).ServiceConfig!.MethodConfigs);
        var retried = config.Names.Select(n => $"/{n.Service}/{n.Method}").Order().ToList();
        var reads = ProtoPolicyText.All.Where(d => d.Read).Select(d => d.Path).Order().ToList();
        Assert.Equal(reads, retried);
        Assert.Contains("/forecasting.v1.DataService/GetStatus", retried);
        Assert.DoesNotContain("/forecasting.v1.PlanningService/RunScenario", retried);
        Assert.Equal(3, config.RetryPolicy!.MaxAttempts);
    }

    [Fact]
    public void One_attempt_means_no_retry_policy_at_all()
    {
        var options = new ForecastingClientOptions { Address = "http://127.0.0.1:9", MaxAttempts = 1 };
        Assert.Null(ForecastingClient.ChannelOptions(options).ServiceConfig);
    }
}
