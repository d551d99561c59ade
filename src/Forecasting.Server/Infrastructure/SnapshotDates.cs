using System.Collections.Concurrent;
using Forecasting.Store;
using Forecasting.Store.Analytics;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// The as-of date a snapshot states (the date its data run to), by snapshot id, for the answers that name both.
/// The as-of date is part of the snapshot id, so an id's date never changes and is kept once read.
/// </summary>
public sealed class SnapshotDates(ForecastingStore store)
{
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);

    /// <summary>yyyy-mm-dd, or empty for no snapshot (an empty store) or an unknown id.</summary>
    public string Of(string? snapshotId)
    {
        if (string.IsNullOrEmpty(snapshotId)) return "";
        if (_known.TryGetValue(snapshotId, out var known)) return known;
        if (store.AsOfOf(snapshotId) is not { } date) return "";
        var text = FinancialCalendar.Iso(date);
        // Ids are few (one per import); the bound keeps a long-running server's map small all the same.
        if (_known.Count < 10_000) _known[snapshotId] = text;
        return text;
    }
}
