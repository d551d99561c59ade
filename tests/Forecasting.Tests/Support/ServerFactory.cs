using Forecasting.Contracts.V1;
using Forecasting.Server.Security;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Forecasting.Tests.Support;

/// <summary>The real server in process, on its own temporary copy of the sample template database.</summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    public const string AnalystKey = "dev-analyst-key";
    public const string StrategyKey = "dev-strategy-key";
    public const string CommissionerKey = "dev-commissioner-key";

    /// <summary>Keys limited to one council: Otherton (E06000001, not in the sample) and Harbridge.</summary>
    public const string OthertonAnalystKey = "otherton-analyst-key";
    public const string HarbridgeStrategyKey = "harbridge-strategy-key";

    public string DatabasePath { get; } = SampleDatabase.CopyTo(Path.Combine(RepoPaths.TempDirectory(), "server.duckdb"));

    /// <summary>Settings on top of appsettings.json; subclasses add their own.</summary>
    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Store:Path"] = DatabasePath,
        ["Store:SeedDirectory"] = RepoPaths.Samples,
        ["Import:Directories:0"] = Path.GetDirectoryName(RepoPaths.Samples),
        ["Import:Directories:1"] = RepoPaths.TempRoot,
        // appsettings.json holds keys 0-2 (the development keys of every council).
        ["Auth:Keys:3:Name"] = "otherton analyst",
        ["Auth:Keys:3:Role"] = "analyst",
        ["Auth:Keys:3:Sha256"] = ApiKeyHasher.Hash(OthertonAnalystKey),
        ["Auth:Keys:3:Councils:0"] = "E06000001",
        ["Auth:Keys:4:Name"] = "harbridge strategy lead",
        ["Auth:Keys:4:Role"] = "strategy_lead",
        ["Auth:Keys:4:Sha256"] = ApiKeyHasher.Hash(HarbridgeStrategyKey),
        ["Auth:Keys:4:Councils:0"] = "E06009999",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings()));

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
