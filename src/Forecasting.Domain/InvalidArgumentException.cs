namespace Forecasting.Domain;

/// <summary>
/// A request that cannot be answered as asked, whatever layer finds it. <see cref="Detail"/> is the text the
/// caller sees (the gRPC layer maps it to INVALID_ARGUMENT): one or more "field: reason" pairs.
/// </summary>
public class InvalidArgumentException : ArgumentException
{
    /// <summary>One offending field and why.</summary>
    public InvalidArgumentException(string field, string reason) : base($"{field}: {reason}", field)
    {
        Field = field;
        Reason = reason;
        Detail = $"{field}: {reason}";
    }

    /// <summary>Several problems at once: <paramref name="message"/> for logs, <paramref name="detail"/> for the caller.</summary>
    protected InvalidArgumentException(string message, string field, string reason, string detail) : base(message)
    {
        Field = field;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The offending argument (the first, when there are several).</summary>
    public string Field { get; }

    /// <summary>Why it is refused.</summary>
    public string Reason { get; }

    /// <summary>What the caller is told.</summary>
    public string Detail { get; }
}
