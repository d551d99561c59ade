using DuckDB.NET.Data;
using Forecasting.Planning;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Store.Planning;

namespace Forecasting.Bench;

/// <summary>
/// The Harbridge sample imported (as of 31 March 2025) into a store in a temporary directory, with one open connection;
/// disposing it deletes the directory. The planning benchmarks share it.
/// </summary>
public sealed class SampleStore : IDisposable
{
    public const string Council = "E06009999";
    private readonly DirectoryInfo _work;
    private readonly ForecastingStore _store;

    public DuckDBConnection Connection { get; }

    /// <summary>The store itself, for queries that open their own connections (analytics).</summary>
    public ForecastingStore Store => _store;

    public SampleStore(string name)
    {
        _work = Directory.CreateTempSubdirectory($"forecasting-{name}-bench-");
        _store = new ForecastingStore(new StoreOptions { Path = Path.Combine(_work.FullName, name + ".duckdb") });
        var report = new DataImporter(_store).ImportDirectory(GoodCopyBenchmark.FindSample(), asOf: new DateOnly(2025, 3, 31));
        if (!report.Succeeded) throw new InvalidOperationException($"import failed: {report.Issues.FirstOrDefault()}");
        Connection = _store.Open();
    }

    /// <summary>A scenario runner on the sample with the given need-arising projector (default: need per head).</summary>
    public ScenarioRunner Runner(IFlowProjector? projector = null) =>
        new(new PlanningDataLoader(Connection), new ScenarioRepository(Connection), projector ?? new NeedRateProjector());

    public void Dispose()
    {
        Connection.Dispose();
        _store.Dispose();
        _work.Delete(true);
    }
}
