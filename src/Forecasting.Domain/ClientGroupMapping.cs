namespace Forecasting.Domain;

/// <summary>
/// How a young person's primary need maps to the supported-living client group: declared once as data, used by
/// C# (planning) and rendered to SQL (analytics). Every primary need of <see cref="Vocabulary.PrimaryNeeds"/> maps;
/// anything else maps to nothing (null in C#, NULL in SQL).
/// </summary>
public static class ClientGroupMapping
{
    public static readonly IReadOnlyDictionary<string, string> ByPrimaryNeed = new Dictionary<string, string>
    {
        ["learning_disability"] = "ld_autism",
        ["autism"] = "ld_autism",
        ["pmld"] = "complex_needs",
        ["mental_health"] = "mental_health",
        ["physical"] = "physical_sensory",
    };

    public static string? FromPrimaryNeed(string primaryNeed) => ByPrimaryNeed.GetValueOrDefault(primaryNeed);

    /// <summary>A SQL CASE mapping the primary-need column to its client group.</summary>
    public static string PrimaryNeedSql(string column) =>
        $"CASE {column} " + string.Join(" ", ByPrimaryNeed.Select(kv => $"WHEN '{kv.Key}' THEN '{kv.Value}'")) + " END";
}
