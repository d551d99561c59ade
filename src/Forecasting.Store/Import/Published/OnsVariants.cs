using Forecasting.Planning;

namespace Forecasting.Store.Import.Published;

/// <summary>
/// ONS projection variants by the names ONS gives them, written in lower case with underscores (a file
/// <c>snpp_high_international_migration.csv</c> holds that variant). The product's own codes <c>low</c> and
/// <c>high</c> are ONS's low population and high population variants, so those two land under the codes the planning
/// levers and the prevalence range use; every other variant keeps its ONS name.
/// </summary>
public static class OnsVariants
{
    /// <summary>ONS name (as in a file name) to the code stored in population.variant.</summary>
    public static readonly IReadOnlyDictionary<string, string> StoredCode = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["principal"] = PopulationVariants.Principal,
        ["low_population"] = PopulationVariants.Low,
        ["high_population"] = PopulationVariants.High,
        ["high_international_migration"] = "high_international_migration",
        ["low_international_migration"] = "low_international_migration",
        ["alternative_internal_migration"] = "alternative_internal_migration",
        ["10_year_migration"] = "10_year_migration",
        ["zero_net_migration"] = "zero_net_migration",
        ["high_fertility"] = "high_fertility",
        ["low_fertility"] = "low_fertility",
        ["high_life_expectancy"] = "high_life_expectancy",
        ["low_life_expectancy"] = "low_life_expectancy",
    };

    /// <summary>Codes population.variant accepts beyond the product's own (estimate, low, principal, high).</summary>
    public static IReadOnlyList<string> Additional =>
        StoredCode.Values.Where(v => !Forecasting.Domain.Vocabulary.PopulationVariants.Contains(v)).ToList();

    /// <summary>The ONS name in words, for sources and messages: "high_international_migration" is "high international migration".</summary>
    public static string Words(string name) => name.Replace('_', ' ');
}
