using Forecasting.Store;
using Forecasting.Store.Import;

namespace Forecasting.Tests.Support;

public static class StoreCounts
{
    /// <summary>Rows in every data table, counted directly in the store.</summary>
    public static Dictionary<string, long> Of(ForecastingStore store)
    {
        using var connection = store.Open();
        return TableSchemas.All.ToDictionary(t => t.Name, t =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM {t.Name}";
            return Convert.ToInt64(cmd.ExecuteScalar());
        });
    }
}
