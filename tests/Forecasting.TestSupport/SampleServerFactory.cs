using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Forecasting.TestSupport;

/// <summary>
/// The real server in process (<see cref="WebApplicationFactory{TEntryPoint}"/>) on its own temporary copy of the
/// sample template database; suites add their settings (extra keys) on top of appsettings.json.
/// </summary>
public class SampleServerFactory : WebApplicationFactory<Program>
{
    public const string AnalystKey = "dev-analyst-key";
    public const string StrategyKey = "dev-strategy-key";
    public const string CommissionerKey = "dev-commissioner-key";
    public const string Council = "E06009999";

    public string DatabasePath { get; } = SampleDatabase.CopyTo(Path.Combine(RepoPaths.TempDirectory(), "server.duckdb"));

    /// <summary>Settings on top of appsettings.json; subclasses add their own.</summary>
    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Store:Path"] = DatabasePath,
        ["Store:SeedDirectory"] = RepoPaths.Samples,
        ["Store:SeedAsOfDate"] = "2025-03-31",
        ["Import:Directories:0"] = Path.GetDirectoryName(RepoPaths.Samples),
        ["Import:Directories:1"] = RepoPaths.TempRoot,
        // Every in-process request comes from the same (unknown) address: suites that try wrong keys on purpose
        // must not lock the rest out. The throttle's own tests set these low.
        ["Limits:FailedAuthPerAddress"] = "100000",
        ["Limits:FailedAuthPerKeyPrefix"] = "100000",
        ["Limits:FailedAuthDelayMilliseconds"] = "0",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings()));

    /// <summary>A gRPC channel to the in-process server.</summary>
    public GrpcChannel Channel() => GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    public static Metadata Key(string key) => new() { { "x-api-key", key } };

    /// <summary>Stops the server, then removes its temporary database directory.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(Path.GetDirectoryName(DatabasePath)!, recursive: true); }
        catch (IOException) { }
    }
}
