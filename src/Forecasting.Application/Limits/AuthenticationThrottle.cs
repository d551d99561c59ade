using Forecasting.Application.Audit;

namespace Forecasting.Application.Limits;

/// <summary>How failed authentication is slowed: a delay on every failure, and a brief lockout of a client address
/// or a key prefix after more than the allowed failures within the window. The values come from the host's Limits.</summary>
public sealed record AuthenticationThrottleOptions(int FailuresPerAddress, int FailuresPerKeyPrefix, TimeSpan Window, TimeSpan Lockout,
    TimeSpan FailureDelay)
{
    /// <summary>Characters of a presented key that form its prefix (a key family that guesses may target).</summary>
    public const int PrefixLength = 6;
}

/// <summary>
/// Failed authentication, per client address and per key prefix, for the API and the web sign-in alike: more than
/// the allowed failures within the window lock the address (or the prefix) out for the lockout period, during which
/// every attempt from it is refused before any key is checked. Every failure is answered only after a delay, and every
/// failure and refusal is counted in the audit trail under <see cref="UnknownKey"/> (<see cref="RefusalTally"/>), with
/// the client address and never the key.
/// </summary>
public sealed class AuthenticationThrottle(AuthenticationThrottleOptions options, RefusalTally refusals, TimeProvider? clock = null)
{
    /// <summary>How the audit trail names the caller of an attempt whose key was missing or unknown.</summary>
    public const string UnknownKey = "(unknown key)";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    private sealed class Counter
    {
        public DateTimeOffset WindowStart;
        public int Failures;
        public DateTimeOffset LockedUntil;
    }

    /// <summary>
    /// When the address or the key's prefix is locked out, how long until it may try again (the attempt is counted as
    /// refused for <paramref name="method"/>); otherwise null.
    /// </summary>
    public TimeSpan? LockedOutFor(string address, string? presentedKey, string method)
    {
        var now = _clock.GetUtcNow();
        DateTimeOffset until;
        lock (_lock)
            until = new[] { AddressKey(address), PrefixKey(presentedKey) }
                .Select(k => k is not null && _counters.TryGetValue(k, out var c) ? c.LockedUntil : DateTimeOffset.MinValue).Max();
        if (until <= now) return null;
        refusals.Add(UnknownKey, "-", method, null, "ResourceExhausted", $"from {address}: locked out after repeated failed keys");
        return until - now;
    }

    /// <summary>
    /// A failed attempt (no key, or an unknown one): counted towards the lockout and in the audit trail, then answered
    /// after the delay. <paramref name="what"/> says what was presented ("no key", "an unknown key").
    /// </summary>
    public async Task FailedAsync(string address, string? presentedKey, string method, string what, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            if (_counters.Count > 100_000) Prune(now);
            Count(AddressKey(address), options.FailuresPerAddress, now);
            if (PrefixKey(presentedKey) is { } prefix) Count(prefix, options.FailuresPerKeyPrefix, now);
        }
        refusals.Add(UnknownKey, "-", method, null, "Unauthenticated", $"from {address}: {what}");
        if (options.FailureDelay > TimeSpan.Zero) await Task.Delay(options.FailureDelay, _clock, cancellationToken);
    }

    private void Count(string key, int allowed, DateTimeOffset now)
    {
        if (!_counters.TryGetValue(key, out var counter)) _counters[key] = counter = new Counter { WindowStart = now };
        if (now - counter.WindowStart >= options.Window)
        {
            counter.WindowStart = now;
            counter.Failures = 0;
        }
        counter.Failures++;
        if (counter.Failures <= Math.Max(1, allowed)) return;
        counter.LockedUntil = now + options.Lockout;
        counter.Failures = 0;
        counter.WindowStart = now;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters.ToList())
            if (counter.LockedUntil <= now && now - counter.WindowStart >= options.Window) _counters.Remove(key);
    }

    private static string AddressKey(string address) => "a:" + address;

    private static string? PrefixKey(string? key) =>
        string.IsNullOrEmpty(key) ? null : "p:" + (key.Length <= AuthenticationThrottleOptions.PrefixLength ? key : key[..AuthenticationThrottleOptions.PrefixLength]);
}
