using DuckDB.NET.Data;
using Forecasting.Planning;
using Forecasting.Store;

namespace Forecasting.Server.Services;

/// <summary>
/// One scenario runner per data snapshot, so the engine's projection of the baseline flows is computed
/// once and reused by every run until new data is imported. Planning calls take turns on its connection.
/// </summary>
public sealed class PlanningSession(ForecastingStore store, IFlowProjector projector) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DuckDBConnection? _connection;
    private ScenarioRunner? _runner;
    private string? _snapshotId;

    /// <param name="changesBaseline">true for writes the cached baseline holds (strategy versions): the runner is renewed after.</param>
    public async Task<T> RunAsync<T>(Func<ScenarioRunner, DuckDBConnection, T> work, CancellationToken cancellationToken,
        bool changesBaseline = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var snapshot = store.CurrentSnapshot()?.SnapshotId;
            if (_runner is null || _connection is null || snapshot != _snapshotId)
            {
                _connection?.Dispose();
                _connection = store.Open();
                _runner = new ScenarioRunner(_connection, projector);
                _snapshotId = snapshot;
            }
            var runner = _runner;
            var connection = _connection;
            var result = await Task.Run(() => work(runner, connection), cancellationToken);
            if (changesBaseline) _runner = null;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _gate.Dispose();
    }
}
