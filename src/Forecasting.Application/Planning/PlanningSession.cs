using Forecasting.Store.Analytics;
using Forecasting.Application.Forecasts;
using Forecasting.Planning;
using Forecasting.Store;
using Forecasting.Store.Planning;

namespace Forecasting.Application.Planning;

/// <summary>
/// One scenario runner per data snapshot, so the engine's projection of the baseline flows is computed
/// once and reused by every run until new data is imported. Runs and writes take turns on its connection;
/// reads use a connection of their own and never wait behind a run.
/// </summary>
public sealed class PlanningSession(ForecastingStore store, IFlowProjector projector, ForecastRunArchive runs) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PlanningConnection? _connection;
    private ScenarioRunner? _runner;
    private string? _snapshotId;

    /// <summary>A read of strategies, scenarios or results on its own connection, concurrent with runs.</summary>
    public Task<T> ReadAsync<T>(Func<IScenarioStore, IStrategyStore, T> read, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var connection = new PlanningConnection(store);
            return read(connection.Scenarios, connection.Strategies);
        }, cancellationToken);

    /// <summary>
    /// Publications with the stored results on a connection of their own. A write takes its turn with runs, since a
    /// run trims stored results and must not remove one being published.
    /// </summary>
    public async Task<T> PublicationsAsync<T>(Func<PublishedResultRepository, IScenarioStore, T> work, bool writes, CancellationToken cancellationToken)
    {
        if (!writes) return await Task.Run(() => Publications(work), cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Publications(work), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private T Publications<T>(Func<PublishedResultRepository, IScenarioStore, T> work)
    {
        using var connection = new PlanningConnection(store);
        return work(connection.Publications, connection.Scenarios);
    }

    /// <param name="changesBaseline">true for writes the cached baseline holds (strategy versions): the runner is renewed after.</param>
    public async Task<T> RunAsync<T>(Func<ScenarioRunner, IStrategyStore, T> work, CancellationToken cancellationToken,
        bool changesBaseline = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var snapshot = store.CurrentSnapshot()?.SnapshotId;
            if (_runner is null || _connection is null || snapshot != _snapshotId)
            {
                _connection?.Dispose();
                _connection = new PlanningConnection(store);
                _runner = new ScenarioRunner(_connection.Data, _connection.Scenarios, projector);
                _runner.FlowsProjected += (baseline, flows) => StoreFlows(baseline, flows, snapshot);
                _snapshotId = snapshot;
            }
            var runner = _runner;
            var connection = _connection;
            var result = await Task.Run(() => work(runner, connection.Strategies), cancellationToken);
            if (changesBaseline) _runner = null;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The engine's projections of need arising behind a scenario result are kept as a
    /// forecast run under the id the result names, so GetRun explains any stored result.
    /// </summary>
    private void StoreFlows(PlanningBaseline baseline, BaselineFlows flows, string? snapshot)
    {
        if (runs.Get(flows.ForecastRunId) is not null) return;
        var series = new List<SeriesProjection>();
        foreach (var (kind, projections, histories) in new[] { ("need_arising", flows.Arising, baseline.NeedArising) })
            foreach (var (group, projection) in projections)
            {
                var key = new Dictionary<string, string> { ["client_group"] = group, ["council_code"] = baseline.CouncilCode };
                var history = histories.TryGetValue(group, out var h)
                    ? h.Values.Select((v, i) => Point(h.FirstMonth.AddMonths(i), v)).ToList()
                    : [];
                var points = projection.Mean.Select((mean, i) =>
                {
                    var start = flows.HorizonStart.AddMonths(i);
                    return new ProjectedPoint(FinancialCalendar.PeriodLabel(start, Period.Month), FinancialCalendar.Iso(start), mean,
                        [new ForecastInterval(projection.Level, projection.Lower[i], projection.Upper[i])]);
                }).ToList();
                series.Add(new SeriesProjection(key, kind, projection.Method, new Dictionary<string, double>(), history, points, null, []));
            }
        runs.Save(new ForecastRunResult(flows.ForecastRunId, "planning_flows", DateTime.UtcNow, snapshot ?? "", "planning", 0, series),
            [baseline.CouncilCode]);
    }

    private static HistoryPoint Point(DateOnly month, double value) =>
        new(FinancialCalendar.PeriodLabel(month, Period.Month), FinancialCalendar.Iso(month), value, 0);

    public void Dispose()
    {
        _connection?.Dispose();
        _gate.Dispose();
    }
}
