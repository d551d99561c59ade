namespace Forecasting.Store.Planning;

/// <summary>The periods the councils' strategies cover.</summary>
public interface IStrategyPeriods
{
    /// <summary>The last financial year (its starting calendar year) of the council's latest-ending strategy, or null when it has none.</summary>
    int? LatestEndFy(string councilCode);
}

public sealed class StrategyPeriods(ForecastingStore store) : IStrategyPeriods
{
    public int? LatestEndFy(string councilCode)
    {
        using var connection = store.Open();
        return Db.Scalar(connection, "SELECT max(end_fy) FROM strategies WHERE council_code = $c", ("c", councilCode)) is int end ? end : null;
    }
}
