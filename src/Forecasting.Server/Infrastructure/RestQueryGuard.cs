using System.Collections.Concurrent;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// JSON transcoding ignores query parameters that name no field, so a misspelt <c>?breakdwon=</c> would answer 200
/// with other data. This refuses such a request with 400 (INVALID_ARGUMENT) naming the unknown parameters. The known
/// names of a route are derived from its request message: every field reachable through single message fields, by
/// proto or JSON name, dotted (<c>selector.period</c>, <c>selector.fromDate</c>); a route whose whole body is the
/// request (<c>body: "*"</c>) takes none.
/// </summary>
public static class RestQueryGuard
{
    private const int MaxDepth = 6;
    private static readonly ConcurrentDictionary<(MethodDescriptor, string?), Parameters> Known = new();

    /// <summary>The names a route binds (proto and JSON spellings), and the JSON spellings alone, to tell the caller.</summary>
    public sealed record Parameters(IReadOnlySet<string> Names, IReadOnlyList<string> JsonNames);

    /// <summary>The query parameters a transcoded route of <paramref name="method"/> binds.</summary>
    public static Parameters KnownParameters(MethodDescriptor method, string? body) => Known.GetOrAdd((method, body), key =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var json = new List<string>();
        if (key.Item2 != "*") Collect(key.Item1.InputType, "", "", names, json, 0, key.Item2);
        return new Parameters(names, json);
    });

    private static void Collect(MessageDescriptor message, string protoPrefix, string jsonPrefix, HashSet<string> names, List<string> json,
        int depth, string? body)
    {
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            var proto = protoPrefix + field.Name;
            if (depth == 0 && field.Name == body) continue;
            var nested = field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap
                         && !field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal);
            if (!nested)
            {
                // A prefix may mix the two spellings segment by segment; both full spellings are what callers use.
                names.Add(proto);
                names.Add(jsonPrefix + field.JsonName);
                json.Add(jsonPrefix + field.JsonName);
            }
            else if (depth < MaxDepth)
            {
                Collect(field.MessageType, proto + ".", jsonPrefix + field.JsonName + ".", names, json, depth + 1, body);
            }
        }
    }

    /// <summary>The query parameters of a request that its route does not bind.</summary>
    public static IReadOnlyList<string> Unknown(GrpcJsonTranscodingMetadata metadata, IQueryCollection query)
    {
        if (query.Count == 0) return [];
        var known = KnownParameters(metadata.MethodDescriptor, metadata.HttpRule.Body).Names;
        return query.Keys.Where(k => !known.Contains(k)).ToList();
    }

    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } metadata
            && Unknown(metadata, context.Request.Query) is { Count: > 0 } unknown)
        {
            var listed = KnownParameters(metadata.MethodDescriptor, metadata.HttpRule.Body).JsonNames;
            var message = $"unknown query parameter{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}: " +
                          (listed.Count == 0 ? "this route takes none (send the request as the JSON body)" : $"this route takes {string.Join(", ", listed)}");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            // The same body as every other REST error: the gRPC status code (3, INVALID_ARGUMENT) and the message.
            await context.Response.WriteAsJsonAsync(new { code = 3, message, details = Array.Empty<object>() });
            return;
        }
        await next(context);
    });
}
