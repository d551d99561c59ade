using Forecasting.Contracts.V1;
using Forecasting.Store.Forecasts;
using Google.Protobuf;

namespace Forecasting.Application.Forecasts;

/// <summary>
/// Forecast runs kept whole, in the contract's JSON form, in the store's forecast run table. Each run records the
/// councils it covers, and a caller sees only runs within its councils.
/// </summary>
public sealed class ForecastRunArchive(IForecastRunStore store)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <param name="councils">The councils whose data the run used; null = every council.</param>
    public void Save(ForecastRun run, IReadOnlyCollection<string>? councils) =>
        store.Save(new StoredForecastRun(run.RunId, run.Kind, run.CreatedAt.ToDateTime(), run.SnapshotId, run.RequestedBy,
            run.Series.Count, run.Seconds, Formatter.Format(run)), councils);

    /// <param name="visibleTo">The caller's councils (null = every council): a run is visible when all its councils are.</param>
    public ForecastRun? Get(string runId, IReadOnlyCollection<string>? visibleTo = null) =>
        store.GetJson(runId, visibleTo) is { } json ? Parser.Parse<ForecastRun>(json) : null;

    public IReadOnlyList<ForecastRunSummary> List(int limit, IReadOnlyCollection<string>? visibleTo = null) => store.List(limit, visibleTo);
}
