using DuckDB.NET.Data;
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
    private DuckDBConnection? _connection;
    private ScenarioRunner? _runner;
    private string? _snapshotId;

    /// <summary>A read of strategies, scenarios or results on its own connection, concurrent with runs.</summary>
    public Task<T> ReadAsync<T>(Func<IScenarioStore, IStrategyStore, T> read, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var connection = store.Open();
            return read(new ScenarioRepository(connection), new StrategyRepository(connection));
        }, cancellationToken);

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
                _connection = store.Open();
                _runner = new ScenarioRunner(new PlanningDataLoader(_connection), new ScenarioRepository(_connection), projector);
                _runner.FlowsProjected += (baseline, flows) => StoreFlows(baseline, flows, snapshot);
                _snapshotId = snapshot;
            }
            var runner = _runner;
            var connection = _connection;
            var result = await Task.Run(() => work(runner, new StrategyRepository(connection)), cancellationToken);
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
        var run = new Contracts.V1.ForecastRun
        {
            RunId = flows.ForecastRunId,
            Kind = "planning_flows",
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
            SnapshotId = snapshot ?? "",
            RequestedBy = "planning",
        };
        foreach (var (kind, projections, histories) in new[] { ("need_arising", flows.Arising, baseline.NeedArising) })
            foreach (var (group, projection) in projections)
            {
                var series = new Contracts.V1.SeriesForecast { Metric = kind, Model = projection.Method };
                series.Key["client_group"] = group;
                series.Key["council_code"] = baseline.CouncilCode;
                if (histories.TryGetValue(group, out var history))
                    series.History.AddRange(history.Values.Select((v, i) => Point(history.FirstMonth.AddMonths(i), v)));
                for (var i = 0; i < projection.Mean.Length; i++)
                {
                    var start = flows.HorizonStart.AddMonths(i);
                    var point = new Contracts.V1.ForecastPoint
                    {
                        PeriodLabel = Analytics.FinancialCalendar.PeriodLabel(start, Analytics.Period.Month),
                        PeriodStart = Analytics.FinancialCalendar.Iso(start),
                        Mean = projection.Mean[i],
                    };
                    point.Intervals.Add(new Contracts.V1.IntervalBound { Level = projection.Level, Lower = projection.Lower[i], Upper = projection.Upper[i] });
                    series.Points.Add(point);
                }
                run.Series.Add(series);
            }
        runs.Save(run, [baseline.CouncilCode]);
    }

    private static Contracts.V1.SeriesPoint Point(DateOnly month, double value) => new()
    {
        PeriodLabel = Analytics.FinancialCalendar.PeriodLabel(month, Analytics.Period.Month),
        PeriodStart = Analytics.FinancialCalendar.Iso(month),
        Value = value,
    };

    public void Dispose()
    {
        _connection?.Dispose();
        _gate.Dispose();
    }
}
