namespace Forecasting.Domain;

/// <summary>Definitions over supported-living units, shared by the stock measures and the planning model.</summary>
public static class Units
{
    /// <summary>
    /// Void rate: void units over units that are not offline (occupied, void, or without a status on the date).
    /// The `units` stock measure reports it and planning applies it to counted supply.
    /// </summary>
    public static double VoidRate(double voidUnits, double unitsNotOffline) => unitsNotOffline > 0 ? voidUnits / unitsNotOffline : 0;

    /// <summary>The same in SQL, over unit-status rows joined to units (a NULL status = no status on the date).</summary>
    public static string VoidRateSql(string statusColumn) =>
        $"count(*) FILTER (WHERE {statusColumn} = 'void') / nullif(count(*) FILTER (WHERE {statusColumn} IS DISTINCT FROM 'offline'), 0)";
}
