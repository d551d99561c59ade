using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Forecasting.Application.Limits;

/// <summary>
/// Admits the calls of one key: a token bucket per key for every call, and a concurrency limit per key for heavy
/// calls (forecasts, scorecards, refreshes, imports, scenario runs and comparisons). One instance serves the gRPC
/// API, REST/JSON and the web pages, so a key's budget is shared by every front end it uses.
/// </summary>
public sealed class KeyAdmission : IDisposable
{
    private readonly CallBounds _bounds;
    private readonly PartitionedRateLimiter<string> _rate;
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _heavy = new(StringComparer.Ordinal);

    public KeyAdmission(CallBounds bounds)
    {
        _bounds = bounds;
        _rate = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, bounds.BurstPerKey),
            TokensPerPeriod = Math.Max(1, bounds.RequestsPerSecondPerKey),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public CallBounds Bounds => _bounds;

    /// <summary>Takes one call from the key's rate; throws <see cref="CallRefusedException"/> when the key is past it.</summary>
    public void CheckRate(string key)
    {
        using var lease = _rate.AttemptAcquire(key);
        if (!lease.IsAcquired)
            throw new CallRefusedException(
                $"rate limit: at most {_bounds.RequestsPerSecondPerKey} calls a second per key (burst {_bounds.BurstPerKey}); retry shortly",
                TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Waits for one of the key's heavy-call places (queued oldest first); throws <see cref="CallRefusedException"/>
    /// when the key already runs and queues as many as it may. Dispose the lease when the call ends.
    /// </summary>
    public async Task<IDisposable> AcquireHeavyAsync(string key, CancellationToken cancellationToken)
    {
        var limiter = _heavy.GetOrAdd(key, _ => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, _bounds.HeavyCallsPerKey),
            QueueLimit = Math.Max(0, _bounds.HeavyCallsQueuedPerKey),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
        var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        throw new CallRefusedException(
            $"concurrency limit: at most {_bounds.HeavyCallsPerKey} forecasts, scorecards, refreshes, imports or scenario runs at once per key " +
            $"and {_bounds.HeavyCallsQueuedPerKey} waiting; retry when one finishes");
    }

    public void Dispose()
    {
        _rate.Dispose();
        foreach (var limiter in _heavy.Values) limiter.Dispose();
    }
}
