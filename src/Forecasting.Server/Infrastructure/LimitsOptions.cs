using Forecasting.Application.Limits;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Bounds on the work one call or one key can ask for. Each refusal names the limit: INVALID_ARGUMENT for a
/// request that is too large in itself, RESOURCE_EXHAUSTED for a key that asks too often or too much at once.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";
    public int MaxReceiveMessageBytes { get; set; } = 16 * 1024 * 1024;
    public int MaxSendMessageBytes { get; set; } = 64 * 1024 * 1024;
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>Root of upload staging directories; default: forecasting-uploads in the system temp directory.</summary>
    public string? UploadDirectory { get; set; }

    /// <summary>Longest text field (codes, ids, names, dates); descriptions and reasons may be longer.</summary>
    public int MaxStringLength { get; set; } = 200;
    public int MaxTextLength { get; set; } = 4000;
    /// <summary>Most elements in any repeated or map field, and most filter values in one selector.</summary>
    public int MaxListLength { get; set; } = 100;
    public int MaxFilterValues { get; set; } = 100;
    /// <summary>Scenarios one comparison may name (the baseline comes on top).</summary>
    public int MaxCompareScenarios { get; set; } = 5;
    /// <summary>Draws x runs one comparison may simulate (a single run stays within the planning maximum).</summary>
    public int MaxCompareDraws { get; set; } = 120_000;
    /// <summary>Series one forecast call may fit (groups of its breakdown).</summary>
    public int MaxForecastSeries { get; set; } = 60;

    /// <summary>Calls per second per key, with a burst allowance.</summary>
    public int RequestsPerSecondPerKey { get; set; } = 100;
    public int BurstPerKey { get; set; } = 500;
    /// <summary>Heavy calls (forecasts, refreshes, imports, scenario runs and comparisons) running at once per key, and waiting.</summary>
    public int HeavyCallsPerKey { get; set; } = 2;
    public int HeavyCallsQueuedPerKey { get; set; } = 8;

    /// <summary>
    /// Stored forecast runs and scenario results kept per council: when a council's count passes its cap, that council's
    /// oldest are removed, never another council's. A forecast run covering several councils (a key limited to several,
    /// or every council) counts in the partition of exactly that set of councils.
    /// </summary>
    public int MaxStoredForecastRuns { get; set; } = 500;
    public int MaxStoredScenarioResults { get; set; } = 1000;
    /// <summary>
    /// Days audit events are kept (at least 396, thirteen months): events are removed by age only, never by a count
    /// another council's calls could exhaust.
    /// </summary>
    public int AuditRetentionDays { get; set; } = 400;
    /// <summary>Seconds between writes of the counted refusals (one audit event per key, method and minute).</summary>
    public double AuditSummaryFlushSeconds { get; set; } = 5;

    /// <summary>
    /// Failed authentication (an unknown key over the API, a wrong key on the sign-in page): more than these failures
    /// within the window from one client address, or with one key prefix, lock it out for the lockout period; every
    /// failure is answered after the delay.
    /// </summary>
    public int FailedAuthPerAddress { get; set; } = 10;
    public int FailedAuthPerKeyPrefix { get; set; } = 20;
    public double FailedAuthWindowSeconds { get; set; } = 60;
    public double FailedAuthLockoutSeconds { get; set; } = 60;
    public int FailedAuthDelayMilliseconds { get; set; } = 250;

    /// <summary>The bounds the API and the web pages share (text lengths, rate, heavy calls), from these settings.</summary>
    public CallBounds Bounds() => new(MaxStringLength, MaxTextLength, RequestsPerSecondPerKey, BurstPerKey, HeavyCallsPerKey, HeavyCallsQueuedPerKey);

    public AuthenticationThrottleOptions AuthThrottle() => new(FailedAuthPerAddress, FailedAuthPerKeyPrefix,
        TimeSpan.FromSeconds(FailedAuthWindowSeconds), TimeSpan.FromSeconds(FailedAuthLockoutSeconds), TimeSpan.FromMilliseconds(FailedAuthDelayMilliseconds));

    /// <summary>Memory for analytics answers kept for the current data snapshot (least recently used go first); 0 = none kept.</summary>
    public int ReadCacheMegabytes { get; set; } = 64;
}
