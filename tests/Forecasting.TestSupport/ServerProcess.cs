using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Forecasting.TestSupport;

/// <summary>The server as a separate process on a free loopback port, as a user would run it.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string address, string databasePath, string? httpAddress = null)
    {
        _process = process;
        Address = address;
        DatabasePath = databasePath;
        HttpAddress = httpAddress;
    }

    /// <summary>The gRPC address (HTTP/2).</summary>
    public string Address { get; }

    /// <summary>The REST/JSON endpoint (HTTP/1.1) when started with <see cref="StartWithNamedEndpointsAsync"/>.</summary>
    public string? HttpAddress { get; }
    public string DatabasePath { get; }

    /// <summary>
    /// Starts the server on <paramref name="databasePath"/>; without a seed directory a database that does not
    /// exist yet starts as a copy of the sample template.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string databasePath, string? seedDirectory = null, string? workingDirectory = null)
    {
        if (seedDirectory is null && !File.Exists(databasePath)) SampleDatabase.CopyTo(databasePath);
        var port = FreePort();
        var address = $"http://127.0.0.1:{port}";
        var info = StartInfo(workingDirectory ?? AppContext.BaseDirectory,
            "--urls", address, $"--Store:Path={databasePath}", $"--Store:SeedDirectory={seedDirectory ?? RepoPaths.Samples}",
            $"--Import:Directories:0={Path.GetDirectoryName(RepoPaths.Samples)}", $"--Import:Directories:1={RepoPaths.TempRoot}");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address, databasePath);
        await server.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
        return server;
    }

    /// <summary>
    /// Starts the server as appsettings.json configures it, with its two named endpoints ("Grpc", HTTP/2 only, and
    /// "Http", HTTP/1.1 and HTTP/2) moved to free loopback ports, instead of one --urls address.
    /// </summary>
    public static async Task<ServerProcess> StartWithNamedEndpointsAsync(string databasePath)
    {
        if (!File.Exists(databasePath)) SampleDatabase.CopyTo(databasePath);
        var grpc = $"http://127.0.0.1:{FreePort()}";
        var http = $"http://127.0.0.1:{FreePort()}";
        var info = StartInfo(AppContext.BaseDirectory,
            $"--Kestrel:Endpoints:Grpc:Url={grpc}", $"--Kestrel:Endpoints:Http:Url={http}", $"--Store:Path={databasePath}",
            $"--Store:SeedDirectory={RepoPaths.Samples}");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, grpc, databasePath, http);
        await server.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
        return server;
    }

    /// <summary>The test build of the server with these arguments, output captured.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Forecasting.Server.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return info;
    }

    public GrpcChannel Channel() => GrpcChannel.ForAddress(Address);

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var channel = Channel();
        var health = new Health.HealthClient(channel);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with code {_process.ExitCode}");
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (global::Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("server did not become healthy");
            await Task.Delay(200);
        }
    }

    /// <summary>Ends the process at once, as a crash or an operator's kill -9 would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Asks the process to stop (SIGTERM), as a service manager does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
