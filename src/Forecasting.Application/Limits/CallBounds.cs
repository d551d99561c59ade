namespace Forecasting.Application.Limits;

/// <summary>
/// The bounds every front end applies to what one key may ask for: text lengths, the per-key call rate and the
/// heavy calls a key may run at once. The host builds one from its configuration (Limits); the gRPC interceptors
/// and the web pages both read this one definition, so a page cannot store or run what the API would refuse.
/// </summary>
public sealed record CallBounds(
    int MaxStringLength,
    int MaxTextLength,
    int RequestsPerSecondPerKey,
    int BurstPerKey,
    int HeavyCallsPerKey,
    int HeavyCallsQueuedPerKey)
{
    /// <summary>Fields that hold prose (a scenario's description, a reason, notes) and may be longer than names and codes.</summary>
    public static readonly IReadOnlySet<string> LongTextFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "description", "reason", "notes" };

    /// <summary>The longest value a field of this name may hold.</summary>
    public int MaxLengthOf(string fieldName) => LongTextFields.Contains(fieldName) ? MaxTextLength : MaxStringLength;
}

/// <summary>A call refused because its key asked too often or too much at once (RESOURCE_EXHAUSTED, HTTP 429).</summary>
public sealed class CallRefusedException(string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
