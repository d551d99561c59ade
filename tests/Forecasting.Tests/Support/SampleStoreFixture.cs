using Forecasting.Store;
using Forecasting.Store.Import;

namespace Forecasting.Tests.Support;

/// <summary>A store loaded once with the Harbridge sample, shared read-only by a test class.</summary>
public sealed class SampleStoreFixture : IDisposable
{
    public SampleStoreFixture()
    {
        Directory = RepoPaths.TempDirectory();
        Store = new ForecastingStore(new StoreOptions { Path = Path.Combine(Directory, "sample.duckdb") });
        Importer = new DataImporter(Store);
        SeedReport = Importer.ImportDirectory(RepoPaths.Samples);
        if (!SeedReport.Succeeded)
            throw new InvalidOperationException("sample import failed: " + string.Join("; ", SeedReport.Issues.Take(5)));
    }

    public string Directory { get; }
    public ForecastingStore Store { get; }
    public DataImporter Importer { get; }
    public ImportReport SeedReport { get; }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
