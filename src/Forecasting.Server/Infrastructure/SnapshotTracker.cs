using Forecasting.Store.Analytics;
using Forecasting.Server.Security;
using Forecasting.Store;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// The current snapshot id without a query per call. The id read from the store is reused while no write call
/// has run since it was read and none is running, and while the database file and its write-ahead log keep
/// their length and modification time; otherwise the store is asked again. Imports are write calls, so the
/// first read after an import's commit (or during one) reads the id from the store.
/// </summary>
public sealed class SnapshotTracker(AnalyticsQueries queries, ForecastingStore store)
{
    private readonly string _database = store.DatabasePath;
    private readonly string _wal = store.DatabasePath + ".wal";
    private long _generation;
    private int _writesRunning;
    private volatile Known? _known;

    private sealed record Known(long Generation, FileStamp Files, string? SnapshotId);

    private readonly record struct FileStamp(long DatabaseLength, DateTime DatabaseWritten, long WalLength, DateTime WalWritten);

    public string? Current()
    {
        var generation = Interlocked.Read(ref _generation);
        var files = Stamp();
        var known = _known;
        if (known is not null && known.Generation == generation && known.Files == files && Volatile.Read(ref _writesRunning) == 0)
            return known.SnapshotId;
        var id = queries.CurrentSnapshotId();
        if (Volatile.Read(ref _writesRunning) == 0) _known = new Known(generation, files, id);
        return id;
    }

    /// <summary>Marks a write call running until disposed: the id is read from the store meanwhile and after it.</summary>
    public IDisposable BeginWrite()
    {
        Interlocked.Increment(ref _writesRunning);
        Interlocked.Increment(ref _generation);
        return new WriteMark(this);
    }

    private void EndWrite()
    {
        Interlocked.Increment(ref _generation);
        Interlocked.Decrement(ref _writesRunning);
    }

    private FileStamp Stamp()
    {
        var database = new FileInfo(_database);
        var wal = new FileInfo(_wal);
        return new FileStamp(
            database.Exists ? database.Length : -1, database.Exists ? database.LastWriteTimeUtc : default,
            wal.Exists ? wal.Length : -1, wal.Exists ? wal.LastWriteTimeUtc : default);
    }

    private sealed class WriteMark(SnapshotTracker tracker) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0) tracker.EndWrite();
        }
    }
}

/// <summary>The innermost interceptor: marks every call the access policy declares a write while it runs.</summary>
public sealed class WriteTrackingInterceptor(SnapshotTracker tracker) : Interceptor
{
    private IDisposable? Mark(ServerCallContext context) =>
        AccessPolicy.Writes(context.Method) ? tracker.BeginWrite() : null;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var mark = Mark(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var mark = Mark(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var mark = Mark(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var mark = Mark(context);
        await continuation(requestStream, responseStream, context);
    }
}
