using System.Diagnostics;
using System.Globalization;
using Forecasting.Store;
using Forecasting.Store.Import;

namespace Forecasting.Bench;

/// <summary>
/// What crash safety adds to an import: the checkpoint and the last good copy written after each commit
/// (StoreIntegrity.AfterCommit), timed on its own against the whole import, for the sample and for the sample
/// with its contacts repeated to 1.85 million rows; and the start-up check (table hashes, good copy comparison).
/// </summary>
public static class GoodCopyBenchmark
{
    public static int Run(string[] args)
    {
        var repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var sample = FindSample();
        var work = Directory.CreateTempSubdirectory("forecasting-good-copy-bench-");
        try
        {
            var big = Path.Combine(work.FullName, "big");
            Directory.CreateDirectory(big);
            var lines = File.ReadAllLines(Path.Combine(sample, "contacts.csv"));
            using (var writer = new StreamWriter(Path.Combine(big, "contacts.csv")))
            {
                writer.WriteLine(lines[0]);
                for (var k = 0; k < 10; k++)
                    foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
                        writer.WriteLine(line.Insert(line.IndexOf(',') + 1, $"K{k}-"));
            }

            var database = Path.Combine(work.FullName, "cost.duckdb");
            Console.WriteLine($"{"store",-28} {"import s",9} {"after-commit s (median)",24} {"share",6} {"good copy MB",13} {"start-up check s",17}");
            using (var store = new ForecastingStore(new StoreOptions { Path = database }))
            {
                var importer = new DataImporter(store);
                Measure("sample (200,947 rows)", store, () => importer.ImportDirectory(sample), repeats);
                // Every sample contact id is replaced by the generated ones: an intended removal, so the shrink guard is told.
                Measure("sample + 1,849,060 contacts", store, () => importer.ImportDirectory(big, allowShrink: true), repeats);
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void Measure(string name, ForecastingStore store, Func<ImportReport> import, int repeats)
    {
        var watch = Stopwatch.StartNew();
        var report = import();
        var importSeconds = watch.Elapsed.TotalSeconds;
        if (!report.Succeeded) throw new InvalidOperationException($"import failed: {report.Issues.FirstOrDefault()}");
        var times = new List<double>();
        using (var connection = store.Open())
            for (var i = 0; i < repeats; i++)
            {
                watch.Restart();
                StoreIntegrity.AfterCommit(store, connection);
                times.Add(watch.Elapsed.TotalSeconds);
            }
        times.Sort();
        var median = times[times.Count / 2];
        var size = new FileInfo(StoreIntegrity.GoodCopyPath(store.DatabasePath)).Length / 1048576.0;
        watch.Restart();
        var check = StoreIntegrity.CheckAtStartup(store);
        var checkSeconds = watch.Elapsed.TotalSeconds;
        if (check is not null) throw new InvalidOperationException(check.Message);
        Console.WriteLine($"{name,-28} {importSeconds,9:F2} {median,24:F2} {median / importSeconds,6:P0} {size,13:F1} {checkSeconds,17:F2}");
    }

    internal static string FindSample()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data-samples", "harbridge");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("data-samples/harbridge not found; run from the repository");
    }
}
