using System.Globalization;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client;

/// <summary>Small conveniences for building the generated request messages.</summary>
public static class Proto
{
    /// <summary>A date as the contract writes it: ISO yyyy-MM-dd; empty for none.</summary>
    public static string Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A time as the contract writes it: UTC, yyyy-MM-ddTHH:mm:ssZ; empty for none.</summary>
    public static string Iso(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>An ISO date of a message (e.g. a period start) as a date; null when empty or not a date.</summary>
    public static DateOnly? Date(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>One filter per dimension: dimension -> allowed values.</summary>
    public static IEnumerable<V1.Filter> Filters(IReadOnlyDictionary<string, IReadOnlyList<string>>? filters) =>
        (filters ?? new Dictionary<string, IReadOnlyList<string>>()).Select(kv => new V1.Filter { Dimension = kv.Key, Values = { kv.Value } });

    /// <summary>A series selector; null arguments are left at the server's default.</summary>
    public static V1.SeriesSelector Selector(
        string metric,
        string? councilCode = null,
        V1.Period period = V1.Period.Unspecified,
        DateOnly? from = null,
        DateOnly? to = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters = null,
        IEnumerable<string>? breakdown = null) => new()
        {
            Metric = metric,
            CouncilCode = councilCode ?? "",
            Period = period,
            FromDate = Iso(from),
            ToDate = Iso(to),
            Filters = { Filters(filters) },
            Breakdown = { breakdown ?? [] },
        };

    /// <summary>The file format of a path by its extension (.csv, .parquet).</summary>
    public static V1.FileFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => V1.FileFormat.Csv,
        ".parquet" => V1.FileFormat.Parquet,
        _ => V1.FileFormat.Unspecified,
    };

    /// <summary>A file on the server to import; table empty = inferred from the file name.</summary>
    public static V1.ImportFile ImportFile(string serverPath, string? table = null) =>
        new() { Path = serverPath, Table = table ?? "", Format = FormatOf(serverPath) };
}
