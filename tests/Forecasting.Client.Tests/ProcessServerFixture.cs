namespace Forecasting.Client.Tests;

/// <summary>
/// Runs the real server (the Forecasting.Server build of the same configuration) on a free loopback port, on a
/// temporary copy of the sample template database (data-samples/harbridge), for the tests of the wire path.
/// </summary>
public sealed class ProcessServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public string WorkDirectory { get; } = RepoPaths.TempDirectory();

    public string Address => _server?.Address ?? "";

    public ForecastingClient Client(string? key) => new(ServerFixture.Options(Address, key));

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(Path.Combine(WorkDirectory, "forecasting.duckdb"));

    public Task DisposeAsync()
    {
        _server?.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    public static int FreePort() => ServerProcess.FreePort();
}

[CollectionDefinition("server process")]
public sealed class ProcessServerCollection : ICollectionFixture<ProcessServerFixture>;
