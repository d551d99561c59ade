using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Forecasting.Bench;

/// <summary>
/// web [--repeat N]
/// The web pages on the sample, as a commissioner opens them: the server started on an empty store seeded from the
/// sample (gRPC port and web port), a sign-in, then for every page the time to its first HTML (which may be the honest
/// "being prepared" page that reloads itself), the time until the page is complete (following its reloads as a browser
/// does), and the warm median and maximum. The machine's load average is printed before and after.
/// </summary>
public static partial class WebBenchmark
{
    public static int Run(string[] args)
    {
        var repeat = 5;
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--repeat" when i + 1 < args.Length: repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        var work = Directory.CreateTempSubdirectory("forecasting-web-bench-");
        var (grpc, web) = (FreePort(), FreePort());
        var address = $"http://127.0.0.1:{web}";
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Forecasting.Server.dll"), $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpc}", $"--Kestrel:Endpoints:Http:Url={address}",
                     $"--Store:Path={Path.Combine(work.FullName, "web.duckdb")}", $"--Store:SeedDirectory={GoodCopyBenchmark.FindSample()}",
                     "--Logging:LogLevel:Default=Warning",
                 })
            info.ArgumentList.Add(arg);
        var started = Stopwatch.StartNew();
        using var server = Process.Start(info)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            {
                BaseAddress = new Uri(address),
                Timeout = TimeSpan.FromMinutes(5),
            };
            string signIn;
            while (true)
            {
                if (server.HasExited) throw new InvalidOperationException($"server exited with code {server.ExitCode}");
                try
                {
                    signIn = http.GetStringAsync("/signin").GetAwaiter().GetResult();
                    break;
                }
                catch (HttpRequestException) when (started.Elapsed < TimeSpan.FromMinutes(3))
                {
                    Thread.Sleep(200);
                }
            }
            var ci = CultureInfo.InvariantCulture;
            Console.WriteLine($"server up with the sample imported: {started.Elapsed.TotalSeconds.ToString("0.0", ci)} s (web port {web}, HTTP/1.1)");
            var token = WebUtility.HtmlDecode(Token().Match(signIn).Groups[1].Value);
            var response = http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Key"] = "dev-commissioner-key",
                ["__RequestVerificationToken"] = token,
            })).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {(int)response.StatusCode}");

            Console.WriteLine($"load average before: {LoadAverage()}");
            Console.WriteLine($"{"page",-20} {"first (s)",10} {"complete (s)",13} {"warm median (s)",16} {"warm max (s)",13} {"bytes",9}");
            foreach (var page in Pages)
            {
                var watch = Stopwatch.StartNew();
                var (first, _, preparing) = Time(http, page);
                // A preparing page reloads itself every two seconds (meta refresh), as a browser would follow it.
                while (preparing)
                {
                    Thread.Sleep(2000);
                    preparing = Time(http, page).Preparing;
                }
                var complete = watch.Elapsed.TotalSeconds;
                var warm = Enumerable.Range(0, repeat).Select(_ => Time(http, page)).ToList();
                if (warm.Any(w => w.Preparing)) throw new InvalidOperationException($"{page} was preparing again when warm");
                var seconds = warm.Select(w => w.Seconds).Order().ToList();
                Console.WriteLine(string.Format(ci, "{0,-20} {1,10:0.000} {2,13:0.000} {3,16:0.000} {4,13:0.000} {5,9:N0}", page, first, complete,
                    seconds[seconds.Count / 2], seconds[^1], warm[^1].Bytes));
            }
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            server.WaitForExit(10_000);
            try { work.Delete(recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Every page a commissioner opens from the menu (the report's first opening runs nothing the others have not).</summary>
    private static readonly string[] Pages =
        ["/", "/shortfall", "/performance", "/performance?months=9", "/report", "/forecasts", "/scenarios", "/national-measures", "/publications", "/glossary"];

    private static (double Seconds, long Bytes, bool Preparing) Time(HttpClient http, string path)
    {
        var watch = Stopwatch.StartNew();
        var response = http.GetAsync(path).GetAwaiter().GetResult();
        var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var seconds = watch.Elapsed.TotalSeconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        return (seconds, body.LongLength, System.Text.Encoding.UTF8.GetString(body).Contains("id=\"preparing\"", StringComparison.Ordinal));
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "unknown".</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
