namespace Forecasting.Store;

/// <summary>Where the embedded database lives and what it is seeded with.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>Database file; relative paths are resolved against the working directory.</summary>
    public string Path { get; set; } = "data/forecasting.duckdb";

    /// <summary>A directory of table files imported on start when the store holds no data.</summary>
    public string? SeedDirectory { get; set; }

    /// <summary>
    /// The as-of date (yyyy-mm-dd) the seed import states: the date its data run to (the sample's is 2025-03-31,
    /// set in appsettings.json). Empty = the day of the import; rows after it are refused, planned dates excepted.
    /// </summary>
    public string? SeedAsOfDate { get; set; }
}
