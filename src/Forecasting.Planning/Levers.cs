using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Planning;

/// <summary>Delay a pipeline scheme (by pipeline_id or exact name) by a number of months.</summary>
public sealed record SchemeSlippage(string Scheme, int Months);

/// <summary>A scheme added by a scenario. Status defaults to confirmed (probability from the status table).</summary>
public sealed record NewScheme(
    string Name,
    int Units,
    string Category,
    string ClientGroup,
    DateOnly ExpectedDate,
    string Status = PipelineStatuses.Confirmed,
    bool InArea = true);

/// <summary>
/// What-if levers applied on top of the baseline. Every lever left at its default reproduces the baseline.
/// Rates and shares are fractions (0.02 = 2%).
/// </summary>
public sealed record ScenarioLevers
{
    /// <summary>low, principal or high population projection; null = principal.</summary>
    public string? PopulationVariant { get; init; }
    /// <summary>Extra growth of new starts per year on top of the population driver (compounded).</summary>
    public double ExtraGrowthPerYear { get; init; }
    /// <summary>Growth in front-door contacts per year (compounded); new starts follow contacts.</summary>
    public double ContactsGrowthPerYear { get; init; }
    /// <summary>Share of contacts converting to long-term support; null = the observed rate. New starts scale by new/observed.</summary>
    public double? ConversionRate { get; init; }
    /// <summary>Share (0-1) of projected permanent residential admissions diverted into supported living.</summary>
    public double AdmissionDiversionShare { get; init; }
    /// <summary>Moves of step-down candidates from residential care to supported living per year; null = observed pace.</summary>
    public double? ResidentialToSlMovesPerYear { get; init; }
    /// <summary>Multiplier on the size of the transitions cohort.</summary>
    public double TransitionsCohortMultiplier { get; init; } = 1.0;
    /// <summary>Share (0-1) of young people in transition needing supported living; null = their predicted setting.</summary>
    public double? TransitionsShareSupportedLiving { get; init; }
    /// <summary>Delivery probability per pipeline status, overriding the defaults.</summary>
    public Dictionary<string, double>? DeliveryProbabilities { get; init; }
    public List<SchemeSlippage>? SchemeSlippage { get; init; }
    public List<NewScheme>? NewSchemes { get; init; }
    /// <summary>Pipeline schemes (pipeline_id or exact name) cancelled by the scenario.</summary>
    public List<string>? CancelledSchemes { get; init; }
    /// <summary>Void rate target (0-1) for all units; null = the observed void rate per client group.</summary>
    public double? VoidRateTarget { get; init; }
    /// <summary>Shared Lives placements per year per client group; each placement removes one unit of demand.</summary>
    public Dictionary<string, double>? SharedLivesPlacementsPerYear { get; init; }
    /// <summary>Share (0-1) of new need met by direct payments outside commissioned units.</summary>
    public double DirectPaymentShare { get; init; }
    public string? StrategyId { get; init; }
    /// <summary>Strategy version to compare against; null = the latest.</summary>
    public int? StrategyVersion { get; init; }
    /// <summary>Count out-of-area units as supply.</summary>
    public bool IncludeOutOfArea { get; init; }
    /// <summary>Net units already delivered under the strategy from its requirement.</summary>
    public bool NetDelivered { get; init; } = true;
    /// <summary>
    /// null = pipeline weighted by delivery probability; a status = pipeline at that status or firmer counted in full,
    /// weaker statuses not at all.
    /// </summary>
    public string? PipelineMinStatus { get; init; }

    public static ScenarioLevers Baseline => new();

    public double DeliveryProbability(string status) =>
        DeliveryProbabilities is not null && DeliveryProbabilities.TryGetValue(status, out var p)
            ? p
            : PipelineStatuses.DefaultProbabilities.GetValueOrDefault(status, 0.0);

    /// <summary>Structural equality (lists and dictionaries compared by content) through the JSON form.</summary>
    public bool SameAs(ScenarioLevers other) => ScenarioJson.Serialize(this) == ScenarioJson.Serialize(other);
}

/// <summary>A scenario as kept in a JSON file next to a strategy paper.</summary>
public sealed record ScenarioDocument(string Name, ScenarioLevers Levers, string? Description = null);

/// <summary>JSON (snake_case) form of levers, scenario documents and results.</summary>
public static class ScenarioJson
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = indented,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    public static string Serialize<T>(T value, bool indented = false) => JsonSerializer.Serialize(value, indented ? Indented : Options);

    /// <summary>Reads JSON; malformed JSON or unknown lever names raise a <see cref="ScenarioValidationException"/>.</summary>
    public static T Deserialize<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new ScenarioValidationException([new("json", "empty document")]);
        }
        catch (JsonException e)
        {
            throw new ScenarioValidationException([new(e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "json", e.Message)]);
        }
    }

    public static ScenarioDocument ReadFile(string path) => Deserialize<ScenarioDocument>(File.ReadAllText(path));
    public static void WriteFile(string path, ScenarioDocument document) => File.WriteAllText(path, Serialize(document, indented: true));
}
