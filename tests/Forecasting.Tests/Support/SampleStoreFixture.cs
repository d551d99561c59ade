using Forecasting.Store;
using Forecasting.Store.Import;

namespace Forecasting.Tests.Support;

/// <summary>A copy of the sample template database, shared read-only by a test class.</summary>
public sealed class SampleStoreFixture : IDisposable
{
    public SampleStoreFixture()
    {
        Directory = RepoPaths.TempDirectory();
        SeedReport = SampleDatabase.Report;
        Store = new ForecastingStore(new StoreOptions { Path = SampleDatabase.CopyTo(Path.Combine(Directory, "sample.duckdb")) });
        Importer = new DataImporter(Store);
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
