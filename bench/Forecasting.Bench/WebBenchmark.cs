using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Forecasting.Bench;

/// <summary>
/// web [--repeat N]
/// The web pages on the sample, as a commissioner opens them: the server started on an empty store seeded from the
/// sample (gRPC port and web port), a sign-in, then the time to the complete HTML of the overview, the shortfall
/// page (whose first opening runs the baseline) and the committee report, first and then warm.
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

            Console.WriteLine($"{"page",-12} {"first (s)",10} {"warm median (s)",16} {"warm max (s)",13} {"bytes",9}");
            foreach (var page in new[] { "/", "/shortfall", "/report" })
            {
                var (first, bytes) = Time(http, page);
                var warm = Enumerable.Range(0, repeat).Select(_ => Time(http, page).Seconds).Order().ToList();
                Console.WriteLine(string.Format(ci, "{0,-12} {1,10:0.000} {2,16:0.000} {3,13:0.000} {4,9:N0}", page, first, warm[warm.Count / 2], warm[^1], bytes));
            }
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

    private static (double Seconds, long Bytes) Time(HttpClient http, string path)
    {
        var watch = Stopwatch.StartNew();
        var response = http.GetAsync(path).GetAwaiter().GetResult();
        var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var seconds = watch.Elapsed.TotalSeconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        return (seconds, body.LongLength);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
