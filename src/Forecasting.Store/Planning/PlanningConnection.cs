using DuckDB.NET.Data;
using Forecasting.Planning;

namespace Forecasting.Store.Planning;

/// <summary>
/// One connection to the store with the planning stores over it: the baseline's data, scenarios and strategies.
/// Work on one connection sees one snapshot; dispose it to close the connection.
/// </summary>
public sealed class PlanningConnection : IDisposable
{
    private readonly DuckDBConnection _connection;

    public PlanningConnection(ForecastingStore store)
    {
        _connection = store.Open();
        Data = new PlanningDataLoader(_connection);
        Scenarios = new ScenarioRepository(_connection);
        Strategies = new StrategyRepository(_connection);
        Publications = new PublishedResultRepository(_connection);
    }

    public IPlanningData Data { get; }
    public IScenarioStore Scenarios { get; }
    public IStrategyStore Strategies { get; }
    public PublishedResultRepository Publications { get; }

    public void Dispose() => _connection.Dispose();
}
