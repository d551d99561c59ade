using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Planning;

/// <summary>Delay a pipeline scheme (by pipeline_id, or its exact name) by a number of months.</summary>
public sealed record SchemeSlippage(string PipelineId, int Months);

/// <summary>
/// A change to an existing pipeline scheme (by pipeline_id, or its exact name); null fields keep the scheme's value.
/// Probability overrides the probability of the scheme's (new) status for this scheme only.
/// </summary>
public sealed record SchemeOverride(
    string PipelineId,
    string? Status = null,
    double? Probability = null,
    int? Units = null,
    DateOnly? ExpectedDate = null);

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
    /// <summary>
    /// Extra growth of the driver population, percent per year (compounded), on top of the population variant.
    /// Need arising follows the driver population with the model's elasticity.
    /// </summary>
    public double ExtraPopulationGrowthPct { get; init; }
    /// <summary>Percent (0-100) of residential (not nursing) admissions, at the rate of the last twelve months, diverted into supported-living need.</summary>
    public double AdmissionDiversionPct { get; init; }
    /// <summary>
    /// Moves from residential care to supported living a year, one total for the council, split across client groups
    /// in proportion to their step-down candidates; null = the observed pace of each group.
    /// </summary>
    public double? ResidentialToSlMovesPerYear { get; init; }
    /// <summary>Multiplier on the size of the transitions cohort; null = baseline (1.0); 0 = no young people in transition arrive.</summary>
    public double? TransitionsCohortMultiplier { get; init; }
    /// <summary>Share (0-1) of young people in transition needing supported living; null = their predicted setting.</summary>
    public double? TransitionsSlShare { get; init; }
    /// <summary>Delivery probability per pipeline status, overriding the defaults.</summary>
    public Dictionary<string, double>? DeliveryProbability { get; init; }
    public List<SchemeSlippage>? Slippage { get; init; }
    public List<NewScheme>? NewSchemes { get; init; }
    /// <summary>Pipeline schemes (pipeline_id, or exact name) cancelled by the scenario.</summary>
    public List<string>? CancelledSchemes { get; init; }
    /// <summary>Changes to existing pipeline schemes (status, delivery probability, units, expected date).</summary>
    public List<SchemeOverride>? SchemeOverrides { get; init; }
    /// <summary>
    /// Void rate target (0-1): client groups whose turnover void share is above it re-let faster to reach it, groups below
    /// keep their own; null = each group's turnover (mean re-let time from the data).
    /// </summary>
    public double? VoidRate { get; init; }
    /// <summary>Shared Lives placements per year, split across client groups in proportion to the waiting list; each removes one unit of demand.</summary>
    public double SharedLivesPlacementsPerYear { get; init; }
    /// <summary>
    /// Change (fraction, -1 to 1) in the share of need met by direct payments instead of commissioned units, from
    /// today's share s0 of each client group (<see cref="PlanningBaseline.DirectPaymentShare"/>): need that arises on its
    /// own is scaled by (1 - (s0 + change)) / (1 - s0). s0 + change must stay within 0..1. Counts a scenario sets
    /// explicitly (residential_to_sl_moves_per_year) are not scaled; people housed or waiting today are unchanged.
    /// </summary>
    public double DirectPaymentShareChange { get; init; }
    /// <summary>Strategy to compare against; null or empty = the most recently changed strategy.</summary>
    public string? StrategyId { get; init; }
    /// <summary>Strategy version to compare against; null = the latest.</summary>
    public int? StrategyVersion { get; init; }
    /// <summary>Count out-of-area units as supply (a reporting choice: the people housed in them count as demand either way).</summary>
    public bool IncludeOutOfArea { get; init; }
    /// <summary>
    /// Behaviour: out-of-area units that come free keep being let, as they are today (null = true). False = the council
    /// stops placing out of area: out-of-area tenancies run down as tenants leave.
    /// </summary>
    public bool? LetOutOfAreaUnits { get; init; }
    /// <summary>
    /// People removed from the waiting list other than by death (withdrawn, other) stay in demand as displaced need
    /// (null = true). False = they leave demand when removed.
    /// </summary>
    public bool? CountDisplacedNeed { get; init; }
    [JsonIgnore]
    public bool EffectiveLetOutOfAreaUnits => LetOutOfAreaUnits ?? true;
    [JsonIgnore]
    public bool EffectiveCountDisplacedNeed => CountDisplacedNeed ?? true;
    /// <summary>Net units already delivered under the strategy from its requirement.</summary>
    public bool NetDeliveredUnits { get; init; }
    /// <summary>First financial year to report (clamped to the year after the as-of date); null = from the as-of date.</summary>
    public int? StartFy { get; init; }
    /// <summary>Last financial year; null = the end of the strategy (or ten years).</summary>
    public int? EndFy { get; init; }
    /// <summary>Client groups to report (and to sum into "all"); null or empty = all.</summary>
    public List<string>? ClientGroups { get; init; }
    /// <summary>
    /// null = pipeline weighted by delivery probability; a status = pipeline at that status or firmer counted in full,
    /// weaker statuses not at all.
    /// </summary>
    public string? PipelineMinStatus { get; init; }
    /// <summary>
    /// Counting basis of the strategy target arithmetic only: null = as the simulation (pipeline_min_status, or weighted
    /// by delivery probability); a status = pipeline at that status or firmer counted in full, weaker ones not at all.
    /// The simulation and every demand-based figure are unchanged by it.
    /// </summary>
    public string? TargetPipelineMinStatus { get; init; }
    /// <summary>
    /// Weekly cost (GBP, at the as-of date's prices) per setting (<see cref="CostSettings.All"/>), for every client group
    /// ("setting") or one ("setting.client_group"), overriding the data and the council's cost assumptions.
    /// </summary>
    public Dictionary<string, double>? WeeklyCosts { get; init; }
    /// <summary>Annual uplift of weekly costs (inflation), percent per year, compounded from the as-of date's financial year.</summary>
    public double CostUpliftPct { get; init; }
    /// <summary>Discount rate for present values, percent a year (null = the Green Book's 3.5% real), from the as-of date's financial year.</summary>
    public double? DiscountRatePct { get; init; }
    [JsonIgnore]
    public double EffectiveDiscountRatePct => DiscountRatePct ?? CostCalculator.DefaultDiscountRatePct;

    public static ScenarioLevers Baseline => new();

    [JsonIgnore]
    public string EffectiveVariant => string.IsNullOrEmpty(PopulationVariant) ? PopulationVariants.Principal : PopulationVariant;
    [JsonIgnore]
    public double EffectiveCohortMultiplier => TransitionsCohortMultiplier ?? 1.0;
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
    /// <summary>For stored results written by earlier versions of the model: unknown members are skipped.</summary>
    private static readonly JsonSerializerOptions Stored = Create(indented: false, skipUnknown: true);

    /// <summary>
    /// Levers that no longer exist, with the reason. Stored scenarios that set them still load (the lever is dropped
    /// and named in the run's warnings); new scenarios that set them are refused as unknown levers.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RetiredLevers = new Dictionary<string, string>
    {
        ["contacts_growth_pct"] = "need arising follows the driver population; use extra_population_growth_pct",
        ["conversion_rate"] = "need arising is estimated from waiting-list additions and direct placements, not from contacts",
        ["direct_payment_share"] = "replaced by direct_payment_share_change, a change from today's position",
    };

    // transitions_cohort_multiplier is not here: 0 is a real value (no young people arrive), kept by stored scenarios;
    // a run with 0 names it in its warnings.
    private static readonly string[] LegacyZeroMeansUnset = ["strategy_version", "start_fy", "end_fy"];

    private static JsonSerializerOptions Create(bool indented, bool skipUnknown = false)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = indented,
            UnmappedMemberHandling = skipUnknown ? JsonUnmappedMemberHandling.Skip : JsonUnmappedMemberHandling.Disallow,
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

    /// <summary>Levers of a stored scenario: retired levers set to a non-default value are dropped and returned.</summary>
    public static ScenarioLevers ReadStoredLevers(string json, out IReadOnlyList<string> dropped)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)?.AsObject()
                   ?? throw new ScenarioValidationException([new("json", "empty document")]);
        var removed = new List<string>();
        foreach (var name in RetiredLevers.Keys)
        {
            if (!node.TryGetPropertyValue(name, out var value)) continue;
            node.Remove(name);
            if (value is not null && value.ToJsonString() is not ("0" or "null" or "0.0")) removed.Add($"{name} ({RetiredLevers[name]})");
        }
        // Written before these levers had presence, when 0 stood for "unset".
        foreach (var name in LegacyZeroMeansUnset)
            if (node.TryGetPropertyValue(name, out var value) && value is not null && value.ToJsonString() is "0" or "0.0")
                node[name] = null;
        dropped = removed;
        return Deserialize<ScenarioLevers>(node.ToJsonString());
    }

    /// <summary>A stored result; members written by earlier versions of the model and no longer known are skipped.</summary>
    public static PlanningResult ReadStoredResult(string json) =>
        JsonSerializer.Deserialize<PlanningResult>(json, Stored) ?? throw new InvalidOperationException("empty stored result");

    public static ScenarioDocument ReadFile(string path) => Deserialize<ScenarioDocument>(File.ReadAllText(path));
    public static void WriteFile(string path, ScenarioDocument document) => File.WriteAllText(path, Serialize(document, indented: true));
}
