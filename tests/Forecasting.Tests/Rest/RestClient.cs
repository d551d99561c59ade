using System.Net;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Forecasting.Tests.Rest;

/// <summary>Calls the REST/JSON routes as a script or BI tool would: a path, the key header, JSON in and out.</summary>
public sealed class RestClient(HttpClient http)
{
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("x-api-key", key);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET or POST that must answer 200; the JSON body parsed strictly (unknown fields fail) into T.</summary>
    public async Task<T> CallAsync<T>(HttpMethod method, string path, string key, string? json = null) where T : IMessage, new()
    {
        var (status, body) = await SendAsync(method, path, key, json);
        Assert.True(status == HttpStatusCode.OK, $"{method} {path}: {(int)status} {body}");
        return JsonParser.Default.Parse<T>(body);
    }

    public Task<T> GetAsync<T>(string path, string key) where T : IMessage, new() => CallAsync<T>(HttpMethod.Get, path, key);

    public Task<T> PostAsync<T>(string path, string key, string json) where T : IMessage, new() => CallAsync<T>(HttpMethod.Post, path, key, json);

    /// <summary>A server-streaming route: one JSON message per line.</summary>
    public async Task<List<T>> StreamAsync<T>(string path, string key, string json) where T : IMessage, new()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, path, key, json);
        Assert.True(status == HttpStatusCode.OK, $"POST {path}: {(int)status} {body}");
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonParser.Default.Parse<T>(line)).ToList();
    }

    /// <summary>
    /// A copy with the fields that differ between two runs of the same request (new ids, times, durations) cleared
    /// at every depth, so the figures of two runs can be compared whole.
    /// </summary>
    public static T WithoutRunIdentity<T>(T message) where T : IMessage<T>
    {
        var copy = message.Clone();
        Clear(copy);
        return copy;
    }

    private static readonly HashSet<string> RunIdentity = new(StringComparer.Ordinal)
    {
        "result_id", "run_id", "forecast_run_id", "created_at", "seconds",
    };

    private static void Clear(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (RunIdentity.Contains(field.Name))
            {
                field.Accessor.Clear(message);
                continue;
            }
            if (field.FieldType != FieldType.Message || field.IsMap) continue;
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
                foreach (var item in (System.Collections.IEnumerable)value) Clear((IMessage)item);
            else if (value is IMessage inner) Clear(inner);
        }
    }
}
