using Forecasting.Store.Audit;

namespace Forecasting.Application.Audit;

/// <summary>
/// Counts refused calls (a role without the right, a key past its rate or concurrency, an unknown key) instead of
/// storing one audit event each: the counts of one key (or client address), method, council, outcome and minute are
/// kept in memory and added to one summary event every few seconds, when the audit is read, and when the server
/// stops. A caller therefore cannot flood the trail: however many calls it makes, it adds at most one event per
/// method and minute. A kill loses at most the counts of the last flush interval.
/// </summary>
public sealed class RefusalTally : IDisposable
{
    private readonly IAuditTrail _audit;
    private readonly TimeProvider _clock;
    private readonly Dictionary<Bucket, Count> _pending = new();
    private readonly Timer _timer;
    private readonly Lock _lock = new();

    private const int MaxBuckets = 10_000;

    private sealed record Bucket(string KeyName, string Role, string Method, string? CouncilCode, string Outcome, DateTime Minute);

    private sealed class Count(string? detail)
    {
        public long Calls;
        public string? Detail { get; } = detail;
    }

    private readonly Action<Exception>? _onFlushError;

    /// <param name="onFlushError">Told when a timed flush fails (the counts are kept for the next one); the host logs it.</param>
    public RefusalTally(IAuditTrail audit, TimeSpan flushInterval, TimeProvider? clock = null, Action<Exception>? onFlushError = null)
    {
        _audit = audit;
        _clock = clock ?? TimeProvider.System;
        _onFlushError = onFlushError;
        _timer = new Timer(_ => FlushOnTimer(), null, flushInterval, flushInterval);
    }

    /// <summary>A timer's flush must never throw (it would end the process): a failure keeps the counts for the next one.</summary>
    private void FlushOnTimer()
    {
        try
        {
            Flush();
        }
        catch (Exception ex)
        {
            _onFlushError?.Invoke(ex);
        }
    }

    /// <summary>Counts one refused call; <paramref name="detail"/> (the refusal's message) is kept from the first of its minute.</summary>
    public void Add(string keyName, string role, string method, string? councilCode, string outcome, string? detail)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var minute = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        var bucket = new Bucket(keyName, role, method, councilCode, outcome, minute);
        lock (_lock)
        {
            // Memory stays bounded whatever callers send: past the cap, new buckets fold into one per method and outcome.
            if (_pending.Count >= MaxBuckets && !_pending.ContainsKey(bucket)) bucket = new Bucket("(other callers)", "-", method, null, outcome, minute);
            if (!_pending.TryGetValue(bucket, out var count)) _pending[bucket] = count = new Count(detail);
            count.Calls++;
        }
    }

    /// <summary>Adds every pending count to its summary event.</summary>
    public void Flush()
    {
        List<KeyValuePair<Bucket, Count>> taken;
        lock (_lock)
        {
            taken = _pending.ToList();
            _pending.Clear();
        }
        if (taken.Count == 0) return;
        try
        {
            // The store adds each count to the one event of its minute, so flushing often never splits a minute.
            _audit.RecordSummaries(taken.Select(p => new AuditSummary(p.Key.KeyName, p.Key.Role, p.Key.Method, p.Key.CouncilCode, p.Key.Outcome,
                "refused calls of this minute, counted in one event; the first was refused with: " + p.Value.Detail, p.Key.Minute, p.Value.Calls)).ToList());
        }
        catch
        {
            // Not written (the store is busy or stopping): the counts go back to be written with the next flush.
            lock (_lock)
                foreach (var (bucket, count) in taken)
                    if (_pending.TryGetValue(bucket, out var newer)) newer.Calls += count.Calls;
                    else _pending[bucket] = count;
            throw;
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        FlushOnTimer();
    }
}
