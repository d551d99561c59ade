using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// Where the server listens. Two named Kestrel endpoints (Kestrel:Endpoints in appsettings.json, the same defaults
/// without a configuration file): "Grpc" on http://127.0.0.1:5080, HTTP/2 only, for gRPC clients; "Http" on
/// http://127.0.0.1:5081, HTTP/1.1 and HTTP/2, for the REST/JSON API and its OpenAPI document (spreadsheet and BI
/// connectors speak HTTP/1.1, which cleartext gRPC cannot share a port with).
/// An explicit --urls (or ASPNETCORE_URLS) replaces both: the server then listens on exactly those addresses with
/// HTTP/2, as the test fixtures and benchmarks expect.
/// </summary>
public static class Listening
{
    public const string GrpcEndpoint = "Grpc";
    public const string HttpEndpoint = "Http";
    public const string DefaultGrpcUrl = "http://127.0.0.1:5080";
    public const string DefaultHttpUrl = "http://127.0.0.1:5081";

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        [$"Kestrel:Endpoints:{GrpcEndpoint}:Url"] = DefaultGrpcUrl,
        [$"Kestrel:Endpoints:{GrpcEndpoint}:Protocols"] = nameof(HttpProtocols.Http2),
        [$"Kestrel:Endpoints:{HttpEndpoint}:Url"] = DefaultHttpUrl,
        [$"Kestrel:Endpoints:{HttpEndpoint}:Protocols"] = nameof(HttpProtocols.Http1AndHttp2),
    };

    public static void Configure(WebApplicationBuilder builder)
    {
        // Lowest precedence: appsettings.json, the environment and the command line all override these.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = Defaults });
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            if (string.IsNullOrWhiteSpace(context.Configuration[WebHostDefaults.ServerUrlsKey])) return;
            // Kestrel would otherwise prefer the named endpoints and ignore --urls: keep every Kestrel setting but those.
            var kept = context.Configuration.GetSection("Kestrel").AsEnumerable(makePathsRelative: true)
                .Where(pair => !pair.Key.StartsWith("Endpoints", StringComparison.OrdinalIgnoreCase));
            kestrel.Configure(new ConfigurationBuilder().AddInMemoryCollection(kept).Build(), reloadOnChange: false);
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2);
        });
    }
}
