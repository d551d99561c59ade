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
    /// <summary>Audit events kept.</summary>
    public int MaxAuditEvents { get; set; } = 100_000;

    /// <summary>Memory for analytics answers kept for the current data snapshot (least recently used go first); 0 = none kept.</summary>
    public int ReadCacheMegabytes { get; set; } = 64;
}
