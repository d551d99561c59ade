using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
namespace Forecasting.Client.Tests;

/// <summary>
/// Runs the real server (the Forecasting.Server build of the same configuration) on a free loopback port, on a
/// temporary copy of the sample template database (data-samples/harbridge), for the tests of the wire path.
/// </summary>
public sealed class ProcessServerFixture : IAsyncLifetime
{
    private Process? _process;
    private readonly StringBuilder _log = new();

    public string WorkDirectory { get; } = RepoPaths.TempDirectory();
    public string Address { get; private set; } = "";

    public ForecastingClient Client(string? key) => new(ServerFixture.Options(Address, key));

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Address = $"http://127.0.0.1:{port}";
        var dll = ServerDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     dll, "--urls", Address,
                     $"--Store:Path={SampleDatabase.CopyTo(Path.Combine(WorkDirectory, "forecasting.duckdb"))}",
                     $"--Store:SeedDirectory={RepoPaths.Samples}",
                 })
            start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new ForecastingClient(ServerFixture.Options(Address, ServerFixture.AnalystKey) with
        {
            DefaultDeadline = TimeSpan.FromSeconds(5),
            MaxAttempts = 1,
        });
        var deadline = DateTime.UtcNow.AddMinutes(3);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                var status = await client.GetStatusAsync();
                if (status.Tables.Sum(t => t.Rows) > 0) return;
            }
            catch (ForecastingClientException e)
            {
                last = e;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"the server was not ready within 3 minutes ({last?.Message}):\n{Log}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string ServerDll()
    {
        // The test output sits in bin/<Configuration>/<tfm>/: use the server build of the same configuration.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "src", "Forecasting.Server", "bin", configuration, tfmDir.Name, "Forecasting.Server.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the server first: dotnet build src/Forecasting.Server", dll);
        return dll;
    }
}

[CollectionDefinition("server process")]
public sealed class ProcessServerCollection : ICollectionFixture<ProcessServerFixture>;
