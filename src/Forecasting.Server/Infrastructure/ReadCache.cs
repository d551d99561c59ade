using Forecasting.Domain;
using System.Globalization;
using System.Text;
using Forecasting.Server.Security;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Answers of analytics reads, kept for the data snapshot they were computed from. Data change only with an
/// import, which makes a new snapshot, so an answer is keyed by the snapshot id, the method, the caller's council
/// scope and the request's bytes; the first lookup under a new snapshot drops every entry of the old one. The
/// cache holds at most Limits:ReadCacheMegabytes (estimated from each answer's size) and evicts the least
/// recently used answer first; 0 turns it off. Errors are never kept, and an answer is kept only when the
/// snapshot was the same before and after it was computed, so it cannot mix an import's data into another's id.
/// Calls reach the cache after authentication and limits, as every other call does.
/// </summary>
public sealed class ReadCache
{
    /// <summary>Bytes counted per entry besides its key and answer: node, dictionary slot and object headers.</summary>
    private const long EntryOverheadBytes = 256;

    private readonly long _capacityBytes;
    private readonly Func<string?> _currentSnapshot;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private string? _snapshot;
    private long _bytes;

    private sealed record Entry(string Key, IMessage Answer, long Bytes);

    public ReadCache(IOptions<LimitsOptions> options, Func<string?> currentSnapshot)
    {
        _capacityBytes = Math.Max(0, (long)options.Value.ReadCacheMegabytes) * 1024 * 1024;
        _currentSnapshot = currentSnapshot;
    }

    public bool Enabled => _capacityBytes > 0;

    /// <summary>Answers held now.</summary>
    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>Estimated bytes held now.</summary>
    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    private long _hits;
    private long _misses;

    /// <summary>
    /// The kept answer to this request from this caller under the current snapshot, or the computed one (kept
    /// for the next call). <paramref name="variant"/> adds what else the answer depends on (e.g. today's date).
    /// </summary>
    public TResponse Answer<TResponse>(ServerCallContext context, IMessage request, Func<TResponse> compute, Func<TResponse, string> snapshotOf,
        string? variant = null) where TResponse : class, IMessage
    {
        if (!Enabled) return compute();
        context.CancellationToken.ThrowIfCancellationRequested();
        var snapshot = _currentSnapshot();
        if (snapshot is null) return compute();
        var key = Key(snapshot, context.Method, Caller.Of(context), variant, request);
        if (TryGet(snapshot, key) is TResponse kept)
        {
            Interlocked.Increment(ref _hits);
            Telemetry.CacheLookups.Add(1, new("rpc.method", context.Method), new("forecasting.cache.result", "hit"));
            return kept;
        }
        Interlocked.Increment(ref _misses);
        Telemetry.CacheLookups.Add(1, new("rpc.method", context.Method), new("forecasting.cache.result", "miss"));
        var answer = compute();
        if (snapshotOf(answer) == snapshot && _currentSnapshot() == snapshot) Add(snapshot, key, answer);
        return answer;
    }

    /// <summary>snapshot, method, scope (* = every council), variant and the request's bytes, one per line.</summary>
    private static string Key(string snapshot, string method, Caller caller, string? variant, IMessage request)
    {
        var text = new StringBuilder(snapshot.Length + method.Length + 64);
        text.Append(snapshot).Append('\n').Append(method).Append('\n');
        if (caller.Councils is null) text.Append('*');
        else text.AppendJoin(',', caller.Councils.Order(StringComparer.Ordinal));
        text.Append('\n').Append(variant).Append('\n').Append(Convert.ToBase64String(request.ToByteArray()));
        return text.ToString();
    }

    private IMessage? TryGet(string snapshot, string key)
    {
        lock (_lock)
        {
            if (!string.Equals(_snapshot, snapshot, StringComparison.Ordinal))
            {
                Clear(snapshot);
                return null;
            }
            if (!_entries.TryGetValue(key, out var node)) return null;
            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Answer;
        }
    }

    private void Add(string snapshot, string key, IMessage answer)
    {
        // Strings are UTF-16 and messages carry object headers: about three times the wire size in memory.
        var bytes = 2L * key.Length + 3L * answer.CalculateSize() + EntryOverheadBytes;
        if (bytes > _capacityBytes / 4) return;
        lock (_lock)
        {
            if (!string.Equals(_snapshot, snapshot, StringComparison.Ordinal)) Clear(snapshot);
            if (_entries.Remove(key, out var old))
            {
                _recency.Remove(old);
                _bytes -= old.Value.Bytes;
            }
            var node = _recency.AddFirst(new Entry(key, answer, bytes));
            _entries[key] = node;
            _bytes += bytes;
            while (_bytes > _capacityBytes && _recency.Last is { } last)
            {
                _recency.RemoveLast();
                _entries.Remove(last.Value.Key);
                _bytes -= last.Value.Bytes;
            }
        }
    }

    private void Clear(string snapshot)
    {
        _entries.Clear();
        _recency.Clear();
        _bytes = 0;
        _snapshot = snapshot;
    }

    /// <summary>Today's date (UTC): for answers that default to it.</summary>
    public static string Today() => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
