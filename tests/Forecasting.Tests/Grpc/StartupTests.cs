using System.Diagnostics;
using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>The server process started as an operator would: from any directory, without keys, twice on one file, stopped under load.</summary>
[Trait("Category", "integration")]
public sealed class StartupTests
{
    private static ProcessStartInfo Server(string workingDirectory, params string[] args) => ServerProcess.StartInfo(workingDirectory, args);

    private static async Task<(int Code, string Out, string Err)> RunToExit(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Started_from_another_directory_it_reads_its_own_settings_and_speaks_http2()
    {
        var elsewhere = RepoPaths.TempDirectory();
        using var server = await ServerProcess.StartAsync(Path.Combine(elsewhere, "s.duckdb"), workingDirectory: elsewhere);
        using var channel = server.Channel();
        var status = await new DataService.DataServiceClient(channel).GetStatusAsync(new StatusRequest(), Key(CommissionerKey));
        Assert.Contains(status.Councils, c => c.CouncilCode == "E06009999");
    }

    [Fact]
    public async Task Without_keys_it_refuses_to_start_and_says_how_to_add_one()
    {
        var empty = RepoPaths.TempDirectory();
        var (code, _, err) = await RunToExit(Server(empty, $"--contentRoot={empty}", "--urls", "http://127.0.0.1:0",
            $"--Store:Path={Path.Combine(empty, "k.duckdb")}", "--Store:SeedDirectory="));
        Assert.Equal(1, code);
        Assert.Contains("No API keys are configured", err);
        Assert.Contains("hash-key", err);
    }

    [Fact]
    public async Task A_second_server_on_the_same_database_exits_with_one_clear_line()
    {
        var database = Path.Combine(RepoPaths.TempDirectory(), "locked.duckdb");
        using var first = await ServerProcess.StartAsync(database);
        var (code, _, err) = await RunToExit(Server(AppContext.BaseDirectory, "--urls", "http://127.0.0.1:0", $"--Store:Path={database}"));
        Assert.Equal(1, code);
        Assert.Contains("is in use by another process", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task A_relative_database_path_is_under_the_directory_started_from_and_the_refusal_names_it_in_full()
    {
        var directory = RepoPaths.TempDirectory();
        var database = Path.Combine(directory, "data", "forecasting.duckdb");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        using var first = await ServerProcess.StartAsync(database);
        // The default Store:Path, data/forecasting.duckdb, from the directory the second server starts in.
        var (code, _, err) = await RunToExit(Server(directory, "--urls", "http://127.0.0.1:0", "--Store:Path=data/forecasting.duckdb"));
        Assert.Equal(1, code);
        Assert.Contains($"The database {database} is in use by another process", err);
    }

    [Fact]
    public void The_readmes_start_the_server_the_same_way_with_its_web_pages_and_name_the_database_where_it_is()
    {
        string Read(string path) => File.ReadAllText(Path.Combine(RepoPaths.Root, path));
        var readmes = new[] { "README.md", "src/Forecasting.Cli/README.md", "src/python/README.md" };
        foreach (var readme in readmes)
        {
            var text = Read(readme);
            // The command that starts the server, as the main README gives it: both ports, so the web pages are served.
            Assert.Contains("\ndotnet run --project src/Forecasting.Server\n", text.Replace("\r\n", "\n"));
            Assert.DoesNotContain("--project src/Forecasting.Server -- --urls", text);
            Assert.Contains("data/forecasting.duckdb", text);
        }
        // The database the READMEs name is the default one, relative to the directory the server is started from.
        Assert.Contains("\"Path\": \"data/forecasting.duckdb\"", Read("src/Forecasting.Server/appsettings.json"));
        Assert.Equal("data/forecasting.duckdb", new Forecasting.Store.StoreOptions().Path);
    }

    [Fact]
    public async Task Sigterm_stops_the_server_within_seconds_while_a_refresh_runs()
    {
        using var server = await ServerProcess.StartAsync(Path.Combine(RepoPaths.TempDirectory(), "t.duckdb"));
        using var channel = server.Channel();
        var refresh = new ForecastService.ForecastServiceClient(channel).Refresh(new RefreshRequest(), Key(AnalystKey));
        await refresh.ResponseStream.MoveNext(CancellationToken.None);
        var watch = Stopwatch.StartNew();
        server.Terminate();
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(20)), "the server did not stop within 20 s of SIGTERM");
        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 20);
    }
}
