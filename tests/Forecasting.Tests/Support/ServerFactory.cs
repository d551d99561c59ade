using Forecasting.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Forecasting.Tests.Support;

/// <summary>The real server in process, on its own temporary database seeded with the sample.</summary>
public sealed class ServerFactory : WebApplicationFactory<Program>
{
    public const string AnalystKey = "dev-analyst-key";
    public const string StrategyKey = "dev-strategy-key";
    public const string CommissionerKey = "dev-commissioner-key";

    public string DatabasePath { get; } = Path.Combine(RepoPaths.TempDirectory(), "server.duckdb");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Path"] = DatabasePath,
            ["Store:SeedDirectory"] = RepoPaths.Samples,
            ["Import:Directories:0"] = Path.GetDirectoryName(RepoPaths.Samples),
            ["Import:Directories:1"] = RepoPaths.TempRoot,
        }));
    }

    public GrpcChannel Channel() => GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    public static Metadata Key(string key) => new() { { "x-api-key", key } };
}
