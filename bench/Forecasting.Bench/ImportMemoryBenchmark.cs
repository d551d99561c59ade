using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forecasting.Store;
using Forecasting.Store.Import;

namespace Forecasting.Bench;

/// <summary>
/// Peak memory of importing one large invalid contacts.csv (default about 1 GB): every row has a bad
/// route and every other row an unparseable date, so the import finds tens of millions of issues.
/// Prints the file size, the issues counted and listed, the time, and the process's peak working set
/// (Linux VmHWM), before and after the import. Run each size in its own process: the peak only grows.
/// Usage: import-memory [MB, default 1024] [DuckDB memory limit during the import, default the importer's; "none"].
/// </summary>
public static class ImportMemoryBenchmark
{
    private const string Header = "council_code,contact_id,contact_date,route,channel,age_band,psr,locality,outcome,repeat_within_12m";

    public static int Run(string[] args)
    {
        var megabytes = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        var work = Directory.CreateTempSubdirectory("forecasting-import-memory-");
        try
        {
            var file = Path.Combine(work.FullName, "contacts.csv");
            var rows = Write(file, megabytes * 1024 * 1024);
            var size = new FileInfo(file).Length;

            using var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(work.FullName, "memory.duckdb") });
            var importer = new DataImporter(store);
            // "none" measures the import with DuckDB's default cache size (80% of RAM).
            if (args.Length > 1) importer.MemoryLimit = args[1] == "none" ? null : args[1];
            using (var warm = store.Open()) { }
            GC.Collect();
            var before = Peak();

            var watch = Stopwatch.StartNew();
            var report = importer.Import([new ImportFileSpec("contacts", file)], dryRun: true);
            var seconds = watch.Elapsed.TotalSeconds;
            var after = Peak();

            Console.WriteLine($"file             {size / 1024.0 / 1024.0:N0} MB, {rows:N0} rows");
            Console.WriteLine($"errors counted   {report.ErrorCount:N0} (listed {report.Issues.Count:N0}; per rule: {string.Join(", ", (report.Summaries ?? []).Select(s => $"{s.Column} {s.Count:N0}"))})");
            Console.WriteLine($"time             {seconds:F1} s (DuckDB memory limit during the import: {importer.MemoryLimit ?? "default"})");
            Console.WriteLine($"peak working set {before / 1024.0 / 1024.0:N0} MB before the import, {after / 1024.0 / 1024.0:N0} MB after (managed heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:N0} MB)");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Rows of about 100 bytes until the file reaches the size; every row is invalid.</summary>
    private static long Write(string path, long bytes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(Header);
        writer.Write('\n');
        long rows = 0, written = Header.Length + 1;
        var line = new StringBuilder();
        while (written < bytes)
        {
            rows++;
            line.Clear()
                .Append("E06009999,C").Append(rows.ToString("D9", CultureInfo.InvariantCulture))
                .Append(rows % 2 == 0 ? ",2023-2-5" : ",2024-04-02")
                .Append(",walk_in,phone,85+,physical_support,HBC01,information_advice,false\n");
            writer.Write(line);
            written += line.Length;
        }
        return rows;
    }

    /// <summary>The process's peak resident set (VmHWM); PeakWorkingSet64 reads the same on Linux.</summary>
    private static long Peak()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
