using Forecasting.Domain;

namespace Forecasting.Store.Analytics;

/// <summary>An analytics query that cannot be answered as asked; Field names the offending argument.</summary>
public class QueryException(string field, string message) : InvalidArgumentException(field, message);

/// <summary>The answer would exceed the result bound; the caller should narrow the query.</summary>
public sealed class ResultTooLargeException(string message) : Exception(message);

/// <summary>The store holds nothing that could answer the request.</summary>
public sealed class NoDataException(string message) : Exception(message);
