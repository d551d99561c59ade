using Forecasting.Server.Infrastructure;
using Forecasting.Store;
using Forecasting.Tests.Support;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecasting.Tests.Grpc;

/// <summary>What a caller sees of a failure, and what the readiness check says of the store.</summary>
[Trait("Category", "integration")]
public sealed class ErrorAndHealthTests
{
    private static async Task<RpcException> Fail(Exception thrown, FakeCallContext context)
    {
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance);
        return await Assert.ThrowsAsync<RpcException>(() =>
            interceptor.UnaryServerHandler<string, string>("request", context, (_, _) => throw thrown));
    }

    [Fact]
    public async Task An_unexpected_failure_shows_only_a_correlation_id_never_its_text()
    {
        var context = new FakeCallContext();
        context.UserState[AuditInterceptor.CorrelationKey] = "abc123def456";
        var error = await Fail(new InvalidOperationException("Catalog Error: table secret_table at /srv/forecasting/data/x.duckdb"), context);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal("internal error (correlation id abc123def456); the server log has the details", error.Status.Detail);

        // A framework exception whose message quotes internals is not passed on either.
        var dictionary = await Fail(new KeyNotFoundException("The given key 'internal-key' was not present in the dictionary."), context);
        Assert.Equal(StatusCode.Internal, dictionary.StatusCode);
        var argument = await Fail(new ArgumentOutOfRangeException("index", "Index was out of range."), context);
        Assert.Equal(StatusCode.Internal, argument.StatusCode);
    }

    [Fact]
    public async Task Domain_errors_keep_their_status_and_message()
    {
        var context = new FakeCallContext();
        var invalid = await Fail(new Forecasting.Store.Analytics.QueryException("selector.metric", "unknown metric 'x'"), context);
        Assert.Equal((StatusCode.InvalidArgument, "selector.metric: unknown metric 'x'"), (invalid.StatusCode, invalid.Status.Detail));
        var missing = await Fail(new KeyNotFoundException("no scenario with id 'sc-1'"), context);
        Assert.Equal((StatusCode.NotFound, "no scenario with id 'sc-1'"), (missing.StatusCode, missing.Status.Detail));
    }

    [Fact]
    public async Task After_the_caller_has_gone_any_failure_is_reported_as_the_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var error = await Fail(new InvalidOperationException("INTERRUPT Error: Interrupted!"), new FakeCallContext(cancelled.Token));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task The_readiness_check_queries_the_store()
    {
        using var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(RepoPaths.TempDirectory(), "h.duckdb") });
        var check = new StoreHealthCheck(store);
        Assert.Equal(HealthStatus.Degraded, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        using (var connection = store.Open())
            ForecastingStore.Execute(connection, "INSERT INTO snapshots (snapshot_id, created_at, source, table_counts) SELECT 'x', now(), 'test', '{}'");
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        using (var connection = store.Open())
            ForecastingStore.Execute(connection, "ALTER TABLE snapshots RENAME TO snapshots_gone");
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }
}
