using Forecasting.Store;
using Forecasting.Store.Import;

namespace Forecasting.TestSupport;

/// <summary>
/// The Harbridge sample imported once per test process into a template database. Fixtures that need a
/// store or a server on the sample get a copy of the template's files (the database and its last good
/// copy), which opens and passes the start-up check like the store the server seeds itself.
/// </summary>
public static class SampleDatabase
{
    /// <summary>The source the server records when it seeds a new store from data-samples/harbridge.</summary>
    public const string SeedSource = "seed: harbridge";

    /// <summary>The date the sample's data run to: the as-of date its import states, as the server's seed does.</summary>
    public static readonly DateOnly AsOf = new(2025, 3, 31);

    private static readonly Lazy<Template> Shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The report of the template's import.</summary>
    public static ImportReport Report => Shared.Value.Report;

    /// <summary>Copies the template to <paramref name="databasePath"/> (which must not exist yet) and returns that path.</summary>
    public static string CopyTo(string databasePath)
    {
        var template = Shared.Value;
        var target = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        foreach (var suffix in CompanionSuffixes)
            if (File.Exists(template.Path + suffix))
                File.Copy(template.Path + suffix, target + suffix);
        return databasePath;
    }

    /// <summary>The database file, its write-ahead log (if one is left) and the last good copy with its log.</summary>
    private static readonly string[] CompanionSuffixes = ["", ".wal", ".good", ".good.wal"];

    private sealed record Template(string Path, ImportReport Report);

    private static Template Create()
    {
        var directory = Directory.CreateTempSubdirectory("forecasting-sample-template-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        };
        var path = Path.Combine(directory, "sample.duckdb");
        ImportReport report;
        using (var store = new ForecastingStore(new StoreOptions { Path = path }))
        {
            report = new DataImporter(store).ImportDirectory(RepoPaths.Samples, source: SeedSource, asOf: AsOf);
            if (!report.Succeeded)
                throw new InvalidOperationException("sample import failed: " + string.Join("; ", report.Issues.Take(5)));
            using var connection = store.Open();
            ForecastingStore.Execute(connection, "CHECKPOINT");
        }
        return new Template(path, report);
    }
}
