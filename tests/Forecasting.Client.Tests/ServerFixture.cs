using Forecasting.Client;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client.Tests;

/// <summary>
/// The server in process (<see cref="WebApplicationFactory{TEntryPoint}"/>) on a temporary copy of the sample template
/// database (data-samples/harbridge), for every test in the "server" collection. Clients and the command line reach it
/// through the test server's handler.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string AnalystKey = "dev-analyst-key";
    public const string StrategyKey = "dev-strategy-key";
    public const string CommissionerKey = "dev-commissioner-key";
    public const string Council = "E06009999";

    private readonly SampleServerFactory _factory = new();

    public string RepoRoot => RepoPaths.Root;
    public string SampleDirectory => RepoPaths.Samples;
    /// <summary>A temporary directory of the fixture's own, for files the tests write.</summary>
    public string WorkDirectory { get; } = RepoPaths.TempDirectory();

    /// <summary>The in-process server's address; calls reach it only through <see cref="Handler"/>.</summary>
    public string Address => _factory.Server.BaseAddress.ToString();

    public HttpMessageHandler Handler() => _factory.Server.CreateHandler();

    public static ForecastingClientOptions Options(string address, string? key) => new()
    {
        Address = address,
        ApiKey = key,
        DefaultDeadline = TimeSpan.FromSeconds(60),
    };

    public ForecastingClient Client(string? key = AnalystKey) => Client(Options(Address, key));

    public ForecastingClient Client(ForecastingClientOptions options) => new(options, Handler());

    /// <summary>
    /// Stores a new version of the strategy with the phases and period of <paramref name="previous"/>, so a test that made
    /// a version of its own leaves the shared server's strategy as it found it.
    /// </summary>
    public async Task RestoreStrategyAsync(V1.Strategy previous)
    {
        using var lead = Client(StrategyKey);
        await lead.CreateStrategyVersionAsync(new V1.CreateStrategyVersionRequest
        {
            CouncilCode = Council,
            StrategyId = previous.StrategyId,
            Reason = "restore the previous targets",
            StartFy = previous.StartFy,
            EndFy = previous.EndFy,
            Phases = { previous.Phases.Select(p => new V1.StrategyPhase { Name = p.Name, StartFy = p.StartFy, EndFy = p.EndFy, UnitTarget = p.UnitTarget }) },
        });
    }

    public Task InitializeAsync()
    {
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition("server")]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>;
