using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Planning;

/// <summary>Delay a pipeline scheme (by pipeline_id, or its exact name) by a number of months.</summary>
public sealed record SchemeSlippage(string PipelineId, int Months);

/// <summary>A scheme added by a scenario. Status defaults to confirmed; InArea null means in area.</summary>
public sealed record NewScheme(
    string Name,
    int Units,
    string Category,
    string ClientGroup,
    DateOnly ExpectedDate,
    string? Status = null,
    bool? InArea = null)
{
    [JsonIgnore]
    public string EffectiveStatus => string.IsNullOrEmpty(Status) ? PipelineStatuses.Confirmed : Status;
    [JsonIgnore]
    public bool EffectiveInArea => InArea ?? true;
}

/// <summary>
/// What-if levers applied on top of the baseline (names follow the ScenarioLevers message of planning.proto).
/// Every lever left at its default reproduces the baseline. Fields ending in _pct are percentages (2 = 2%);
/// rates and shares without _pct are fractions (0.02 = 2%).
/// </summary>
public sealed record ScenarioLevers
{
    /// <summary>low, principal or high population projection; null or empty = principal.</summary>
    public string? PopulationVariant { get; init; }
    /// <summary>Extra growth of new starts, percent per year, on top of the population variant (compounded).</summary>
    public double ExtraPopulationGrowthPct { get; init; }
    /// <summary>Growth in front-door contacts, percent per year (compounded); new starts follow contacts.</summary>
    public double ContactsGrowthPct { get; init; }
    /// <summary>Share of contacts converting to long-term support; null = the observed rate. New starts scale by new/observed.</summary>
    public double? ConversionRate { get; init; }
    /// <summary>Percent (0-100) of projected permanent residential admissions diverted into supported living.</summary>
    public double AdmissionDiversionPct { get; init; }
    /// <summary>Moves of step-down candidates from residential care to supported living per year; null = observed pace.</summary>
    public double? ResidentialToSlMovesPerYear { get; init; }
    /// <summary>Multiplier on the size of the transitions cohort; 0 = baseline (1.0).</summary>
    public double TransitionsCohortMultiplier { get; init; }
    /// <summary>Share (0-1) of young people in transition needing supported living; null = their predicted setting.</summary>
    public double? TransitionsSlShare { get; init; }
    /// <summary>Delivery probability per pipeline status, overriding the defaults.</summary>
    public Dictionary<string, double>? DeliveryProbability { get; init; }
    public List<SchemeSlippage>? Slippage { get; init; }
    public List<NewScheme>? NewSchemes { get; init; }
    /// <summary>Pipeline schemes (pipeline_id, or exact name) cancelled by the scenario.</summary>
    public List<string>? CancelledSchemes { get; init; }
    /// <summary>Void rate target (0-1) for all units; null = the observed void rate per client group.</summary>
    public double? VoidRate { get; init; }
    /// <summary>Shared Lives placements per year, split across client groups in proportion to the waiting list; each removes one unit of demand.</summary>
    public double SharedLivesPlacementsPerYear { get; init; }
    /// <summary>Share (0-1) of new need met by direct payments outside commissioned units.</summary>
    public double DirectPaymentShare { get; init; }
    /// <summary>Strategy to compare against; null or empty = the most recently changed strategy.</summary>
    public string? StrategyId { get; init; }
    /// <summary>Strategy version to compare against; null or 0 = the latest.</summary>
    public int? StrategyVersion { get; init; }
    /// <summary>Count out-of-area units as supply.</summary>
    public bool IncludeOutOfArea { get; init; }
    /// <summary>Net units already delivered under the strategy from its requirement.</summary>
    public bool NetDeliveredUnits { get; init; }
    /// <summary>First financial year to report (clamped to the year after the as-of date); null or 0 = from the as-of date.</summary>
    public int? StartFy { get; init; }
    /// <summary>Last financial year; null or 0 = the end of the strategy (or ten years).</summary>
    public int? EndFy { get; init; }
    /// <summary>Client groups to report (and to sum into "all"); null or empty = all.</summary>
    public List<string>? ClientGroups { get; init; }
    /// <summary>
    /// null = pipeline weighted by delivery probability; a status = pipeline at that status or firmer counted in full,
    /// weaker statuses not at all.
    /// </summary>
    public string? PipelineMinStatus { get; init; }

    public static ScenarioLevers Baseline => new();

    [JsonIgnore]
    public string EffectiveVariant => string.IsNullOrEmpty(PopulationVariant) ? PopulationVariants.Principal : PopulationVariant;
    [JsonIgnore]
    public double EffectiveCohortMultiplier => TransitionsCohortMultiplier == 0 ? 1.0 : TransitionsCohortMultiplier;
    [JsonIgnore]
    public string? EffectiveStrategyId => string.IsNullOrEmpty(StrategyId) ? null : StrategyId;
    [JsonIgnore]
    public int? EffectiveStrategyVersion => StrategyVersion is null or 0 ? null : StrategyVersion;

    [JsonIgnore]
    public IReadOnlyList<string> EffectiveClientGroups =>
        ClientGroups is { Count: > 0 } g ? Planning.ClientGroups.Known.Where(g.Contains).ToList() : Planning.ClientGroups.Known;

    public double DeliveryProbabilityOf(string status) =>
        DeliveryProbability is not null && DeliveryProbability.TryGetValue(status, out var p)
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
