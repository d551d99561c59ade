using System.Text;

namespace Forecasting.Client;

public sealed record ForecastingClientOptions
{
    /// <summary>Server address, e.g. http://127.0.0.1:5080 (plain HTTP/2) or an https address.</summary>
    public required string Address { get; init; }

    /// <summary>Sent as the x-api-key header on every call. Give this, <see cref="BearerToken"/> or <see cref="BearerTokenProvider"/>, not two.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// An access token of the council's directory (the token alone, without "Bearer "), sent as
    /// <c>authorization: Bearer &lt;token&gt;</c> on every call. It is not renewed: for a long-lived client use
    /// <see cref="BearerTokenProvider"/>.
    /// </summary>
    public string? BearerToken { get; init; }

    /// <summary>
    /// Asked for the access token before every call, so a token library that caches and renews tokens can be plugged in
    /// (MSAL's <c>AcquireTokenSilent</c>, Azure.Identity's <c>GetTokenAsync</c>). The token is sent as with <see cref="BearerToken"/>.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? BearerTokenProvider { get; init; }

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

    /// <summary>Says which way of signing in is set, never the key or token, so logging the options leaks neither.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        var credential = !string.IsNullOrEmpty(ApiKey) ? "api key"
            : !string.IsNullOrEmpty(BearerToken) ? "bearer token"
            : BearerTokenProvider is not null ? "bearer token provider"
            : "none";
        builder.Append($"Address = {Address}, Credential = {credential}, DefaultDeadline = {DefaultDeadline}, LongDeadline = {LongDeadline}, ");
        builder.Append($"MaxAttempts = {MaxAttempts}, InitialBackoff = {InitialBackoff}, UploadChunkSize = {UploadChunkSize}");
        return true;
    }
}
