using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Forecasting.Bench;

/// <summary>
/// Repeated reads under load: a Release server on the sample answers the same GetFlowSeries (contacts by month
/// for one council) from h2load (nghttp2-client) over HTTP/2, at several connection counts. Prints calls a second,
/// mean, median and 99th percentile latency. Every answer is checked to be a whole successful message of the
/// expected size, so refusals (which carry no message) cannot pass for fast answers.
/// </summary>
public static partial class ReadsBenchmark
{
    private const string Council = "E06009999";
    private const string ApiKey = "dev-commissioner-key";
    private const string MethodPath = "/forecasting.v1.AnalyticsService/GetFlowSeries";

    public static int Run(string[] args)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "Forecasting.Server.dll");
        var seconds = 10;
        var warmUp = 2;
        var streams = 1;
        var connections = new List<int> { 1, 10 };
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--server" when i + 1 < args.Length: serverDll = Path.GetFullPath(args[++i]); break;
                case "--duration" when i + 1 < args.Length: seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warm-up" when i + 1 < args.Length: warmUp = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--streams" when i + 1 < args.Length: streams = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--connections" when i + 1 < args.Length:
                    connections = args[++i].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
                    break;
                case "--set" when i + 1 < args.Length: settings.Add("--" + args[++i]); break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}; options: --server PATH, --duration S (10), --warm-up S (2), " +
                                                "--connections 1,10, --streams N per connection (1), --set Section:Key=value");
            }
        const string h2load = "/usr/bin/h2load";
        if (!File.Exists(h2load))
        {
            Console.Error.WriteLine("h2load not found: apt-get install nghttp2-client");
            return 1;
        }

        var work = Directory.CreateTempSubdirectory("forecasting-reads-bench-");
        try
        {
            // The per-key rate limit would otherwise refuse most calls: the benchmark measures answers, not refusals.
            settings.InsertRange(0, ["--Limits:RequestsPerSecondPerKey=10000000", "--Limits:BurstPerKey=10000000"]);
            using var server = BenchServer.Start(Path.Combine(work.FullName, "reads.duckdb"), SamplePath(), serverDll, settings: settings);
            var request = new FlowSeriesRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Council, Period = Period.Month } };
            var client = new AnalyticsService.AnalyticsServiceClient(server.Channel);
            var expected = client.GetFlowSeries(request, new Metadata { { "x-api-key", ApiKey } });
            var frameBytes = 5 + expected.CalculateSize();
            Console.WriteLine($"server: {serverDll}");
            Console.WriteLine($"call: GetFlowSeries contacts by month, council {Council}: {expected.Groups.Sum(g => g.Points.Count)} points, " +
                              $"{frameBytes} bytes, snapshot {expected.SnapshotId}");
            Console.WriteLine($"h2load: {seconds} s per run after {warmUp} s warm-up, {streams} stream(s) per connection");

            var body = Path.Combine(work.FullName, "request.bin");
            var payload = request.ToByteArray();
            var frame = new byte[5 + payload.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)payload.Length);
            payload.CopyTo(frame, 5);
            File.WriteAllBytes(body, frame);

            Console.WriteLine();
            Console.WriteLine("| connections | calls/s | mean ms | p50 ms | p99 ms | max ms | calls | failed | server CPU ms/call |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
            var failures = 0;
            foreach (var c in connections)
            {
                var log = Path.Combine(work.FullName, $"h2load-{c}.log");
                var cpuBefore = server.CpuSeconds();
                var output = RunH2Load(h2load, [
                    "-c", c.ToString(CultureInfo.InvariantCulture), "-m", streams.ToString(CultureInfo.InvariantCulture),
                    "-D", seconds.ToString(CultureInfo.InvariantCulture), "--warm-up-time", warmUp.ToString(CultureInfo.InvariantCulture),
                    "-d", body, "--log-file", log,
                    "-H", "content-type: application/grpc", "-H", "te: trailers", "-H", $"x-api-key: {ApiKey}",
                    server.Address + MethodPath]);
                var cpu = server.CpuSeconds() - cpuBefore;
                var rate = double.Parse(ReqPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
                var counts = Requests().Match(output);
                var succeeded = long.Parse(counts.Groups["ok"].Value, CultureInfo.InvariantCulture);
                var failed = long.Parse(counts.Groups["failed"].Value, CultureInfo.InvariantCulture) +
                             long.Parse(counts.Groups["errored"].Value, CultureInfo.InvariantCulture);
                var data = long.Parse(Traffic().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
                // Traffic counts every call of the run, the warm-up included, so whole answers make a multiple of one answer.
                if (data % frameBytes != 0 || data / frameBytes < succeeded)
                {
                    Console.WriteLine($"| {c} | answers are not all whole messages of {frameBytes} bytes ({data} data bytes for {succeeded} calls) |");
                    failures++;
                    continue;
                }
                var latencies = File.ReadLines(log)
                    .Select(l => l.Split('\t'))
                    .Where(f => f.Length >= 3 && f[1] == "200")
                    .Select(f => double.Parse(f[2], CultureInfo.InvariantCulture) / 1000.0)
                    .Order()
                    .ToArray();
                failed += File.ReadLines(log).Count(l => l.Split('\t') is { Length: >= 3 } f && f[1] != "200");
                if (failed > 0) failures++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c} | {rate:F0} | {latencies.Average():F2} | {Percentile(latencies, 0.50):F2} | {Percentile(latencies, 0.99):F2} | " +
                    $"{latencies[^1]:F2} | {latencies.Length} | {failed} | {cpu * 1000 / Math.Max(1, latencies.Length):F2} |"));
            }
            var after = client.GetFlowSeries(request, new Metadata { { "x-api-key", ApiKey } });
            if (!after.Equals(expected))
            {
                Console.WriteLine("the answer after the runs differs from the first");
                failures++;
            }
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static string RunH2Load(string h2load, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(h2load) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"h2load exited with {process.ExitCode}: {stderr.Result}{output}");
        return output;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string SamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "data-samples", "harbridge"))) return Path.Combine(dir.FullName, "data-samples", "harbridge");
        throw new DirectoryNotFoundException("data-samples/harbridge not found above the benchmark");
    }

    [GeneratedRegex(@"finished in [^,]+, ([0-9.]+) req/s")]
    private static partial Regex ReqPerSecond();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<ok>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored")]
    private static partial Regex Requests();

    [GeneratedRegex(@"traffic: .*?, .*?, [^(]*\((\d+)\) data")]
    private static partial Regex Traffic();
}
