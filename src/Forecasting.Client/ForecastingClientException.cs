using Grpc.Core;

namespace Forecasting.Client;

/// <summary>A call failed: <see cref="StatusCode"/> is the gRPC status, <see cref="Detail"/> the server's message.</summary>
public sealed class ForecastingClientException : Exception
{
    public ForecastingClientException(StatusCode statusCode, string detail, string operation, Exception? inner = null)
        : base(Describe(statusCode, detail, operation), inner)
    {
        StatusCode = statusCode;
        Detail = detail;
        Operation = operation;
    }

    public StatusCode StatusCode { get; }

    /// <summary>The message the server (or the transport) gave.</summary>
    public string Detail { get; }

    /// <summary>The client method that failed, e.g. GetFlowSeries.</summary>
    public string Operation { get; }

    public bool IsAuthError => StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied;

    public bool IsUnreachable => StatusCode == StatusCode.Unavailable;

    private static string Describe(StatusCode code, string detail, string operation) =>
        string.IsNullOrWhiteSpace(detail) ? $"{operation} failed: {code}" : $"{operation} failed: {code}: {detail}";

    internal static ForecastingClientException From(RpcException e, string operation) =>
        new(e.StatusCode, e.Status.Detail ?? "", operation, e);
}
