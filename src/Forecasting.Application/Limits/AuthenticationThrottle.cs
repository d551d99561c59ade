namespace Forecasting.Application.Limits;

/// <summary>How failed authentication is slowed: a delay on every failure, and a brief lockout of a client address
/// or a key prefix after repeated failures.</summary>
public sealed record AuthenticationThrottleOptions(
    int FailuresPerAddress = 10,
    int FailuresPerKeyPrefix = 20,
    TimeSpan? Window = null,
    TimeSpan? Lockout = null,
    TimeSpan? FailureDelay = null)
{
    /// <summary>Characters of a presented key that form its prefix (a key family that guesses may target).</summary>
    public const int PrefixLength = 6;

    public TimeSpan WindowOrDefault => Window ?? TimeSpan.FromMinutes(1);
    public TimeSpan LockoutOrDefault => Lockout ?? TimeSpan.FromMinutes(1);
    public TimeSpan FailureDelayOrDefault => FailureDelay ?? TimeSpan.FromMilliseconds(250);
}

/// <summary>
/// Failed authentication, per client address and per key prefix, for the API and the web sign-in alike: more than
/// the allowed failures within the window lock the address (or the prefix) out for the lockout period, during which
/// every attempt from it is refused before any key is checked. Every failure is answered only after a delay.
/// </summary>
public sealed class AuthenticationThrottle(AuthenticationThrottleOptions options, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    private sealed class Counter
    {
        public DateTimeOffset WindowStart;
        public int Failures;
        public DateTimeOffset LockedUntil;
    }

    public AuthenticationThrottleOptions Options => options;

    public static string PrefixOf(string? key) =>
        string.IsNullOrEmpty(key) ? "" : key.Length <= AuthenticationThrottleOptions.PrefixLength ? key : key[..AuthenticationThrottleOptions.PrefixLength];

    /// <summary>When the address or the key's prefix is locked out, how long until it may try again; otherwise null.</summary>
    public TimeSpan? LockedOutFor(string address, string? presentedKey)
    {
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            var until = new[] { AddressKey(address), PrefixKey(presentedKey) }
                .Select(k => k is not null && _counters.TryGetValue(k, out var c) ? c.LockedUntil : DateTimeOffset.MinValue).Max();
            return until > now ? until - now : null;
        }
    }

    /// <summary>Counts a failed attempt; returns true when it locked the address or the prefix out.</summary>
    public bool RecordFailure(string address, string? presentedKey)
    {
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            if (_counters.Count > 100_000) Prune(now);
            var locked = Count(AddressKey(address), options.FailuresPerAddress, now);
            if (PrefixKey(presentedKey) is { } prefix) locked |= Count(prefix, options.FailuresPerKeyPrefix, now);
            return locked;
        }
    }

    /// <summary>The delay every failed attempt waits before it is answered.</summary>
    public Task DelayFailureAsync(CancellationToken cancellationToken) =>
        options.FailureDelayOrDefault <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(options.FailureDelayOrDefault, _clock, cancellationToken);

    private bool Count(string key, int allowed, DateTimeOffset now)
    {
        if (!_counters.TryGetValue(key, out var counter)) _counters[key] = counter = new Counter { WindowStart = now };
        if (now - counter.WindowStart >= options.WindowOrDefault)
        {
            counter.WindowStart = now;
            counter.Failures = 0;
        }
        counter.Failures++;
        if (counter.Failures <= Math.Max(1, allowed)) return false;
        counter.LockedUntil = now + options.LockoutOrDefault;
        counter.Failures = 0;
        counter.WindowStart = now;
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters.ToList())
            if (counter.LockedUntil <= now && now - counter.WindowStart >= options.WindowOrDefault) _counters.Remove(key);
    }

    private static string AddressKey(string address) => "a:" + address;

    private static string? PrefixKey(string? key) => string.IsNullOrEmpty(key) ? null : "p:" + PrefixOf(key);
}
