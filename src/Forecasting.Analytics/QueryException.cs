namespace Forecasting.Analytics;

/// <summary>A request that cannot be answered as asked; Field names the offending argument.</summary>
public class QueryException(string field, string message) : ArgumentException($"{field}: {message}", field)
{
    public string Field { get; } = field;
    public string Reason { get; } = message;
}

/// <summary>The answer would exceed the result bound; the caller should narrow the query.</summary>
public sealed class ResultTooLargeException(string message) : Exception(message);

/// <summary>The store holds nothing that could answer the request.</summary>
public sealed class NoDataException(string message) : Exception(message);
