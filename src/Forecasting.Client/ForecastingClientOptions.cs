namespace Forecasting.Client;

public sealed record ForecastingClientOptions
{
    /// <summary>Server address, e.g. http://127.0.0.1:5080 (plain HTTP/2) or an https address.</summary>
    public required string Address { get; init; }

    /// <summary>Sent as the x-api-key header on every call.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Deadline for ordinary calls.</summary>
    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline for calls that compute or load a lot: import, upload, forecast, refresh, scenario run and compare.</summary>
    public TimeSpan LongDeadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts for idempotent reads when the server is unavailable (1 = no retry), all within one deadline.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Backoff before the first retry (the channel waits a random time up to it); doubled for each further retry.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Bytes per message when streaming a local file.</summary>
    public int UploadChunkSize { get; init; } = 64 * 1024;
}
