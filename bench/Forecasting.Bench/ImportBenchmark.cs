using System.Diagnostics;
using Forecasting.Store;
using Forecasting.Store.Import;

namespace Forecasting.Bench;

/// <summary>
/// Validated import of an extract directory (default: the Harbridge sample) into a new store and then
/// again over its own data, printing the time to validate and to swap in, and rows per second.
/// </summary>
public static class ImportBenchmark
{
    public static int Run(string[] args)
    {
        var directory = args.Length > 0 ? args[0] : FindSample();
        var repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var work = Directory.CreateTempSubdirectory("forecasting-import-bench-");
        try
        {
            using var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(work.FullName, "import.duckdb") });
            var importer = new DataImporter(store);
            var watch = new Stopwatch();
            double swapStartedAt = 0;
            importer.BeforeTableSwap = table => { if (swapStartedAt == 0) swapStartedAt = watch.Elapsed.TotalSeconds; };
            Console.WriteLine($"{"run",-12} {"rows",9} {"validate s",11} {"swap s",8} {"total s",8} {"rows/s",9}");
            for (var i = 0; i < repeats; i++)
            {
                swapStartedAt = 0;
                watch.Restart();
                var report = importer.ImportDirectory(directory);
                var total = watch.Elapsed.TotalSeconds;
                if (!report.Succeeded)
                {
                    Console.Error.WriteLine($"import failed with {report.ErrorCount} errors; first: {report.Issues.FirstOrDefault()}");
                    return 1;
                }
                var rows = report.Tables.Sum(t => t.RowsInFile);
                Console.WriteLine($"{(i == 0 ? "new store" : "re-import"),-12} {rows,9:N0} {swapStartedAt,11:F2} {total - swapStartedAt,8:F2} {total,8:F2} {rows / total,9:N0}");
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string FindSample()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data-samples", "harbridge");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("data-samples/harbridge not found; give the extract directory as the first argument");
    }
}
