using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;

namespace Forecasting.Bench;

/// <summary>
/// The server as a separate process on a free loopback port, as an operator runs it: started, waited for until
/// its health check answers, measured from /proc, stopped with SIGTERM or killed.
/// </summary>
public sealed class BenchServer : IDisposable
{
    private readonly Process _process;

    private BenchServer(Process process, string address)
    {
        _process = process;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024, MaxSendMessageSize = 64 * 1024 * 1024 });
    }

    public string Address { get; }

    public GrpcChannel Channel { get; }

    /// <param name="seed">The directory imported when the store is empty; empty = none.</param>
    /// <param name="serverDll">Another build of Forecasting.Server.dll (default: the one beside the benchmark); it runs in its own folder.</param>
    /// <param name="onOutput">Receives each line the server writes to standard output.</param>
    /// <param name="importDirectory">A directory server-side imports may read (besides the configured ones).</param>
    /// <param name="settings">More configuration, each as --Section:Key=value.</param>
    public static BenchServer Start(string database, string seed = "", string? serverDll = null, Action<string>? onOutput = null,
        string? importDirectory = null, IEnumerable<string>? settings = null)
    {
        serverDll ??= Path.Combine(AppContext.BaseDirectory, "Forecasting.Server.dll");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var address = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(serverDll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { serverDll, "--urls", address, $"--Store:Path={database}", $"--Store:SeedDirectory={seed}", "--Logging:LogLevel:Default=Warning" })
            info.ArgumentList.Add(arg);
        if (importDirectory is not null) info.ArgumentList.Add($"--Import:Directories:0={importDirectory}");
        foreach (var setting in settings ?? []) info.ArgumentList.Add(setting);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onOutput?.Invoke(line); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BenchServer(process, address);
        var health = new Grpc.Health.V1.Health.HealthClient(server.Channel);
        for (var attempt = 0; ; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"server exited with code {process.ExitCode}");
            try
            {
                if (health.Check(new Grpc.Health.V1.HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2)).Status ==
                    Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving) return server;
            }
            catch (RpcException) when (attempt < 600) { }
            Thread.Sleep(100);
        }
    }

    /// <summary>User + system CPU seconds of the server process.</summary>
    public double CpuSeconds()
    {
        var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public double RssMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits; false when it is still running after the timeout.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        return _process.WaitForExit(timeout);
    }

    /// <summary>Ends the process at once, as a crash or kill -9 would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        Channel.Dispose();
        _process.Dispose();
    }
}
