using Forecasting.Store.Forecasts;

namespace Forecasting.Application.Forecasts;

/// <summary>
/// Forecast runs kept whole, in their stored JSON form (<see cref="ForecastRunJson"/>), in the store's forecast run
/// table. Each run records the councils it covers, and a caller sees only runs within its councils.
/// </summary>
public sealed class ForecastRunArchive(IForecastRunStore store)
{
    /// <param name="councils">The councils whose data the run used; null = every council.</param>
    public void Save(ForecastRunResult run, IReadOnlyCollection<string>? councils) =>
        store.Save(new StoredForecastRun(run.RunId, run.Kind, run.CreatedAt, run.SnapshotId, run.RequestedBy,
            run.Series.Count, run.Seconds, ForecastRunJson.Serialize(run)), councils);

    /// <param name="visibleTo">The caller's councils (null = every council): a run is visible when all its councils are.</param>
    public ForecastRunResult? Get(string runId, IReadOnlyCollection<string>? visibleTo = null) =>
        store.GetJson(runId, visibleTo) is { } json ? ForecastRunJson.Deserialize(json) : null;

    public IReadOnlyList<ForecastRunSummary> List(int limit, IReadOnlyCollection<string>? visibleTo = null) => store.List(limit, visibleTo);
}
