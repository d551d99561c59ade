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
