using Forecasting.Planning;

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
        // A version outside the product's financial years (stored before they were checked) is not a period to forecast to.
        return Db.Scalar(connection,
            "SELECT max(end_fy) FROM strategies WHERE council_code = $c AND start_fy >= $first AND end_fy <= $last AND end_fy - start_fy < $years",
            ("c", councilCode), ("first", Domain.FinancialYear.First), ("last", Domain.FinancialYear.Last), ("years", StrategyVersion.MaxPeriodYears)) is int end ? end : null;
    }
}
