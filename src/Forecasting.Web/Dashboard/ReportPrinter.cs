using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Forecasting.Web.Dashboard;

/// <summary>The printer is missing or failed; the page says so and offers the browser's print instead.</summary>
public sealed class PrintUnavailableException(string message) : Exception(message);

/// <summary>
/// Prints a page's HTML to an A4 PDF with the system's headless Chromium (nothing is downloaded): the same print style
/// sheet as the browser's Print, so the file and the printed page agree. The style sheet is inlined and the page's links
/// are made absolute, so Chromium reads nothing but the one file. One print at a time; a print that takes longer than
/// <see cref="Deadline"/> is stopped.
/// </summary>
public sealed class ReportPrinter(IConfiguration configuration, ILogger<ReportPrinter> logger)
{
    /// <summary>Debian's Chromium; <c>Web:Chromium</c> names another.</summary>
    public string Chromium { get; } = configuration["Web:Chromium"] is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public TimeSpan Deadline { get; } = TimeSpan.FromSeconds(configuration.GetValue("Web:PrintDeadlineSeconds", 90));

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <param name="html">The page as served.</param>
    /// <param name="baseAddress">The server's address, so the links in the file lead back to the pages.</param>
    public async Task<byte[]> Print(string html, string baseAddress, CancellationToken ct)
    {
        if (!File.Exists(Chromium)) throw new PrintUnavailableException("the server has no Chromium to print with");
        var page = html
            .Replace("<link rel=\"stylesheet\" href=\"/site.css\" />", $"<style>{WebExtensions.StyleSheetText}</style>", StringComparison.Ordinal)
            // Links to other pages lead to the server; links within the report ("#costs") stay links within the file.
            .Replace("href=\"/", $"href=\"{System.Net.WebUtility.HtmlEncode(baseAddress.TrimEnd('/'))}/", StringComparison.Ordinal);
        var directory = Directory.CreateTempSubdirectory("forecasting-print-");
        await _one.WaitAsync(ct);
        try
        {
            var input = Path.Combine(directory.FullName, "report.html");
            var output = Path.Combine(directory.FullName, "report.pdf");
            await File.WriteAllTextAsync(input, page, Encoding.UTF8, ct);
            var start = new ProcessStartInfo(Chromium)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            // A profile of its own per print, no network beyond the file, no header or footer of Chromium's own (the
            // style sheet numbers the pages).
            foreach (var argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                         "--disable-background-networking", "--disable-sync", "--no-pdf-header-footer",
                         $"--user-data-dir={Path.Combine(directory.FullName, "profile")}", $"--print-to-pdf={output}", new Uri(input).AbsoluteUri,
                     })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new PrintUnavailableException("Chromium did not start");
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(Deadline);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                ct.ThrowIfCancellationRequested();
                throw new PrintUnavailableException($"printing took longer than {Deadline.TotalSeconds:0} seconds");
            }
            if (process.ExitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
            {
                logger.LogWarning("Chromium printed nothing (exit {Code}): {Errors}", process.ExitCode, await errors);
                throw new PrintUnavailableException("the printer failed");
            }
            return await File.ReadAllBytesAsync(output, ct);
        }
        finally
        {
            _one.Release();
            try { directory.Delete(recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}
