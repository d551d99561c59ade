using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Protobuf's JSON mapping writes an undefined double (NaN, infinity) as the string "NaN" or "Infinity", which breaks
/// the typing of a numeric column in Excel, Power BI or pandas. On the REST routes such a value is written as null
/// instead (a map entry is left out, since proto JSON has no null map value): only where the response message declares a double or float (a field, a repeated value, a map value or a
/// DoubleValue), so a text field that happens to read "NaN" is left alone. gRPC callers still get NaN, which the binary
/// format carries as a number. A streamed response (one JSON message per line) is rewritten line by line as it goes.
/// </summary>
public static class JsonUndefinedNumbers
{
    private static readonly HashSet<string> Undefined = new(StringComparer.Ordinal) { "NaN", "Infinity", "-Infinity" };

    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not { } metadata)
        {
            await next(context);
            return;
        }
        var body = context.Response.Body;
        await using var rewriting = new LineRewritingStream(body, line => Rewrite(line, metadata.MethodDescriptor.OutputType));
        context.Response.Body = rewriting;
        // The length of a rewritten body differs from the one the transcoder may announce.
        context.Response.OnStarting(() =>
        {
            context.Response.ContentLength = null;
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
            await rewriting.CompleteAsync();
        }
        finally
        {
            context.Response.Body = body;
        }
    });

    /// <summary>One JSON message with every undefined number in a numeric field written as null; other text unchanged.</summary>
    public static string Rewrite(string json, MessageDescriptor message)
    {
        if (!json.Contains("NaN", StringComparison.Ordinal) && !json.Contains("Infinity", StringComparison.Ordinal)) return json;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }
        if (node is not JsonObject root) return json;
        return Clean(root, message) ? root.ToJsonString() : json;
    }

    private static bool Clean(JsonObject json, MessageDescriptor message)
    {
        var changed = false;
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (!json.TryGetPropertyValue(field.JsonName, out var value) || value is null) continue;
            if (field.IsMap)
            {
                var valueField = field.MessageType.FindFieldByNumber(2);
                if (value is JsonObject map)
                    foreach (var key in map.Select(p => p.Key).ToList())
                    {
                        // Proto JSON has no null map value: an undefined entry is left out, as a field that is not set.
                        if (IsNumber(valueField) && IsUndefined(map[key])) changed |= map.Remove(key);
                        else changed |= CleanValue(map, key, valueField);
                    }
            }
            else if (field.IsRepeated)
            {
                if (value is JsonArray array)
                    for (var i = 0; i < array.Count; i++)
                        changed |= CleanElement(array, i, field);
            }
            else
            {
                changed |= CleanValue(json, field.JsonName, field);
            }
        }
        return changed;
    }

    private static bool IsNumber(FieldDescriptor field) =>
        field.FieldType is FieldType.Double or FieldType.Float
        || field.FieldType == FieldType.Message && field.MessageType.FullName is "google.protobuf.DoubleValue" or "google.protobuf.FloatValue";

    private static bool IsUndefined(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && Undefined.Contains(v.GetValue<string>());

    private static bool CleanValue(JsonObject parent, string key, FieldDescriptor field)
    {
        var node = parent[key];
        if (IsNumber(field))
        {
            if (!IsUndefined(node)) return false;
            parent[key] = null;
            return true;
        }
        return field.FieldType == FieldType.Message && node is JsonObject nested && !IsWellKnown(field) && Clean(nested, field.MessageType);
    }

    private static bool CleanElement(JsonArray array, int index, FieldDescriptor field)
    {
        var node = array[index];
        if (IsNumber(field))
        {
            if (!IsUndefined(node)) return false;
            array[index] = null;
            return true;
        }
        return field.FieldType == FieldType.Message && node is JsonObject nested && !IsWellKnown(field) && Clean(nested, field.MessageType);
    }

    private static bool IsWellKnown(FieldDescriptor field) => field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal);

    /// <summary>Passes the body through, rewriting each complete line (a streamed message) and, at the end, the rest.</summary>
    private sealed class LineRewritingStream(Stream inner, Func<string, string> rewrite) : Stream
    {
        private readonly MemoryStream _pending = new();
        private bool _completed;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var start = 0;
            for (var i = 0; i < buffer.Length; i++)
            {
                if (buffer.Span[i] != (byte)'\n') continue;
                _pending.Write(buffer.Span[start..(i + 1)]);
                start = i + 1;
                await EmitAsync(cancellationToken);
            }
            _pending.Write(buffer.Span[start..]);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        /// <summary>A streamed message is flushed to the caller as soon as its line is complete.</summary>
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        private async Task EmitAsync(CancellationToken cancellationToken)
        {
            if (_pending.Length == 0) return;
            var text = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length);
            _pending.SetLength(0);
            var newline = text.EndsWith('\n');
            var rewritten = rewrite(newline ? text[..^1] : text) + (newline ? "\n" : "");
            await inner.WriteAsync(Encoding.UTF8.GetBytes(rewritten), cancellationToken);
        }

        public async Task CompleteAsync()
        {
            if (_completed) return;
            _completed = true;
            await EmitAsync(CancellationToken.None);
        }

        public override async ValueTask DisposeAsync()
        {
            await CompleteAsync();
            await base.DisposeAsync();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
