using System.Globalization;
using Forecasting.Domain;
using Forecasting.Planning;

namespace Forecasting.Web.Dashboard;

/// <summary>
/// The scenario form: the levers a person sets by hand, as text so a mistyped number is reported against its field.
/// Field names are the API's lever names, so the planning validation's errors land next to the right input. Levers
/// made of lists are form rows too: slipped schemes (a scheme and a number of months, with a few blank rows), cancelled
/// schemes, the chance of delivery per pipeline status, the client groups to report and weekly costs by setting. New and changed schemes are
/// kept as they are when a scenario is edited; they are set through the API.
/// </summary>
public sealed class LeverForm
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? PopulationVariant { get; set; }
    public string? ExtraPopulationGrowthPct { get; set; }
    public string? AdmissionDiversionPct { get; set; }
    public string? ResidentialToSlMovesPerYear { get; set; }
    public string? TransitionsCohortMultiplier { get; set; }
    public string? TransitionsSlShare { get; set; }
    public string? VoidRate { get; set; }
    public string? SharedLivesPlacementsPerYear { get; set; }
    public string? DirectPaymentShareChange { get; set; }
    public string? PipelineMinStatus { get; set; }
    public bool IncludeOutOfArea { get; set; }
    public bool StopOutOfAreaPlacements { get; set; }
    public bool DisplacedNeedLeaves { get; set; }
    public bool NetDeliveredUnits { get; set; }

    /// <summary>The value of a tick-box lever by its property name; null for levers entered as text.</summary>
    public bool? Flag(string property) => property switch
    {
        nameof(IncludeOutOfArea) => IncludeOutOfArea,
        nameof(StopOutOfAreaPlacements) => StopOutOfAreaPlacements,
        nameof(DisplacedNeedLeaves) => DisplacedNeedLeaves,
        nameof(NetDeliveredUnits) => NetDeliveredUnits,
        _ => null,
    };
    public string? EndFy { get; set; }
    public string? CostUpliftPct { get; set; }

    /// <summary>Weekly cost (GBP) per setting, as text; empty = the median of the council's services data.</summary>
    public Dictionary<string, string?> WeeklyCosts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Slipped schemes: one row each, blank rows ignored.</summary>
    public List<SlipRow> Slips { get; set; } = [];

    /// <summary>Pipeline ids of the schemes the scenario cancels.</summary>
    public List<string> Cancelled { get; set; } = [];

    /// <summary>Chance of delivery (0 to 1) per pipeline status, as text; empty = the model's default.</summary>
    public Dictionary<string, string?> DeliveryProbability { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Client groups to report; none = every group.</summary>
    public List<string> ClientGroups { get; set; } = [];

    /// <summary>Blank slippage rows the form offers beyond those filled in.</summary>
    public const int BlankSlipRows = 3;

    public sealed class SlipRow
    {
        public string? PipelineId { get; set; }
        public string? Months { get; set; }
    }

    /// <summary>Each field: the API's lever name, the label and the explanation the form shows.</summary>
    public static readonly IReadOnlyList<(string Field, string Property, string Label, string Hint)> Fields =
    [
        ("population_variant", nameof(PopulationVariant), "Population projection",
            "Which official projection of the population to use: principal (the central one), low or high."),
        ("extra_population_growth_pct", nameof(ExtraPopulationGrowthPct), "Extra population growth (% a year)",
            "Growth on top of the projection, in percent a year. 1 means the population grows 1% a year faster; leave empty for none."),
        ("admission_diversion_pct", nameof(AdmissionDiversionPct), "Residential admissions diverted to supported living (%)",
            "Percent (0 to 100) of admissions to residential (not nursing) care that supported living would meet instead."),
        ("residential_to_sl_moves_per_year", nameof(ResidentialToSlMovesPerYear), "Moves from residential care to supported living (people a year)",
            "People a year moving out of residential care into supported living. Leave empty to keep the pace seen in the data."),
        ("transitions_cohort_multiplier", nameof(TransitionsCohortMultiplier), "Young people reaching 18 (times the expected number)",
            "1.2 means 20% more young people reach 18 needing adult care than children's services expect. Leave empty for 1."),
        ("transitions_sl_share", nameof(TransitionsSlShare), "Share of young people reaching 18 who need supported living (0 to 1)",
            "As a fraction: 0.4 means 40%. Leave empty to use the setting predicted for each young person."),
        ("void_rate", nameof(VoidRate), "Empty (void) units (0 to 1)",
            "A target for the share of units empty between tenants, as a fraction: 0.05 means 5%. Groups above it re-let faster to reach it; groups below keep their own. Leave empty for each group's turnover from the data."),
        ("shared_lives_placements_per_year", nameof(SharedLivesPlacementsPerYear), "Shared Lives placements (people a year)",
            "People a year placed with Shared Lives carers instead of needing a unit."),
        ("direct_payment_share_change", nameof(DirectPaymentShareChange), "Change in direct payments instead of units (-1 to 1)",
            "Percentage points, as a fraction, added to each client group's share of need met by direct payments today: 0.05 takes a share of 40% to 45%."),
        ("pipeline_min_status", nameof(PipelineMinStatus), "Which planned schemes count",
            "Empty: every planned scheme counts in proportion to its chance of delivery. A status: only schemes that far along count, in full."),
        ("include_out_of_area", nameof(IncludeOutOfArea), "Count units outside the council's area as supply", ""),
        ("let_out_of_area_units", nameof(StopOutOfAreaPlacements), "Stop placing people in units outside the council's area",
            "Unticked: out-of-area units that come free are let again, as today."),
        ("count_displaced_need", nameof(DisplacedNeedLeaves), "People who leave the waiting list other than by death no longer need a unit",
            "Unticked: they stay in demand as displaced need, waiting elsewhere."),
        ("net_delivered_units", nameof(NetDeliveredUnits), "Take units already delivered off the strategy's requirement", ""),
        ("end_fy", nameof(EndFy), "Last financial year (for example 2030/31)", "Leave empty for the end of the strategy."),
        ("cost_uplift_pct", nameof(CostUpliftPct), "Cost uplift (% a year)",
            "Inflation applied to weekly costs, in percent a year, compounded from this year's prices. Leave empty for none."),
    ];

    /// <summary>The labels of the list levers, by the API's lever name.</summary>
    public static readonly IReadOnlyDictionary<string, string> ListLabels = new Dictionary<string, string>
    {
        ["slippage"] = "Schemes that open late",
        ["cancelled_schemes"] = "Cancelled schemes",
        ["delivery_probability"] = "Chance of delivery by status",
        ["client_groups"] = "Client groups to report",
        ["weekly_costs"] = "Weekly costs by setting (GBP)",
    };

    /// <summary>The label of the form field an error of the planning validation names (e.g. slippage[0].pipeline_id).</summary>
    public static string LabelOf(string field)
    {
        var root = field.Split('.', '[')[0];
        if (ListLabels.TryGetValue(root, out var label)) return label;
        return Fields.FirstOrDefault(f => f.Field == root).Label ?? (root == "name" ? "Name" : field);
    }

    public static LeverForm From(Scenario scenario)
    {
        var l = scenario.Levers;
        var ci = CultureInfo.InvariantCulture;
        string? N(double v) => v == 0 ? null : v.ToString("0.######", ci);
        string? O(double? v) => v?.ToString("0.######", ci);
        return new LeverForm
        {
            Name = scenario.Name,
            Description = scenario.Description,
            PopulationVariant = l.PopulationVariant,
            ExtraPopulationGrowthPct = N(l.ExtraPopulationGrowthPct),
            AdmissionDiversionPct = N(l.AdmissionDiversionPct),
            ResidentialToSlMovesPerYear = O(l.ResidentialToSlMovesPerYear),
            TransitionsCohortMultiplier = O(l.TransitionsCohortMultiplier),
            TransitionsSlShare = O(l.TransitionsSlShare),
            VoidRate = O(l.VoidRate),
            SharedLivesPlacementsPerYear = N(l.SharedLivesPlacementsPerYear),
            DirectPaymentShareChange = N(l.DirectPaymentShareChange),
            PipelineMinStatus = l.PipelineMinStatus,
            IncludeOutOfArea = l.IncludeOutOfArea,
            StopOutOfAreaPlacements = l.LetOutOfAreaUnits == false,
            DisplacedNeedLeaves = l.CountDisplacedNeed == false,
            NetDeliveredUnits = l.NetDeliveredUnits,
            EndFy = l.EndFy is > 0 ? FinancialYear.Label(l.EndFy.Value) : null,
            Slips = (l.Slippage ?? []).Select(x => new SlipRow { PipelineId = x.PipelineId, Months = x.Months.ToString(ci) }).ToList(),
            Cancelled = [.. l.CancelledSchemes ?? []],
            DeliveryProbability = (l.DeliveryProbability ?? []).ToDictionary(p => p.Key, p => (string?)p.Value.ToString("0.######", ci), StringComparer.Ordinal),
            ClientGroups = [.. l.ClientGroups ?? []],
            CostUpliftPct = N(l.CostUpliftPct),
            WeeklyCosts = (l.WeeklyCosts ?? []).ToDictionary(p => p.Key, p => (string?)p.Value.ToString("0.##", ci), StringComparer.Ordinal),
        };
    }

    /// <summary>The levers, starting from <paramref name="existing"/> (its list levers kept); mistyped numbers are errors.</summary>
    public (ScenarioLevers Levers, List<ValidationError> Errors) ToLevers(ScenarioLevers? existing)
    {
        var errors = new List<ValidationError>();
        double? Number(string field, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (double.TryParse(text.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
            errors.Add(new ValidationError(field, $"'{text}' is not a number"));
            return null;
        }
        int? endFy = null;
        if (!string.IsNullOrWhiteSpace(EndFy))
        {
            if (FinancialYear.TryParseLabel(EndFy.Trim(), out var fy)) endFy = fy;
            else errors.Add(new ValidationError("end_fy", $"'{EndFy}' is not a financial year like 2030/31"));
        }
        // Filled-in slippage rows only, renumbered so an error's index (slippage[i]) is the row the form shows next.
        Slips = Slips.Where(r => !string.IsNullOrWhiteSpace(r.PipelineId) || !string.IsNullOrWhiteSpace(r.Months)).ToList();
        var slippage = new List<SchemeSlippage>();
        for (var i = 0; i < Slips.Count; i++)
        {
            var row = Slips[i];
            if (string.IsNullOrWhiteSpace(row.PipelineId)) errors.Add(new ValidationError($"slippage[{i}].pipeline_id", "choose the scheme that slips"));
            if (!int.TryParse(row.Months?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var months))
                errors.Add(new ValidationError($"slippage[{i}].months",
                    string.IsNullOrWhiteSpace(row.Months) ? "give the number of months it slips" : $"'{row.Months}' is not a whole number of months"));
            slippage.Add(new SchemeSlippage(row.PipelineId?.Trim() ?? "", months));
        }
        var delivery = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (status, text) in DeliveryProbability)
            if (Number($"delivery_probability.{status}", text) is { } p)
                delivery[status] = p;
        var weekly = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (setting, text) in WeeklyCosts)
            if (Number($"weekly_costs.{setting}", text?.Trim().TrimStart('£')) is { } cost)
                weekly[setting] = cost;
        var cancelled = Cancelled.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var groups = ClientGroups.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var levers = (existing ?? ScenarioLevers.Baseline) with
        {
            PopulationVariant = string.IsNullOrWhiteSpace(PopulationVariant) ? null : PopulationVariant.Trim(),
            ExtraPopulationGrowthPct = Number("extra_population_growth_pct", ExtraPopulationGrowthPct) ?? 0,
            AdmissionDiversionPct = Number("admission_diversion_pct", AdmissionDiversionPct) ?? 0,
            ResidentialToSlMovesPerYear = Number("residential_to_sl_moves_per_year", ResidentialToSlMovesPerYear),
            TransitionsCohortMultiplier = Number("transitions_cohort_multiplier", TransitionsCohortMultiplier),
            TransitionsSlShare = Number("transitions_sl_share", TransitionsSlShare),
            VoidRate = Number("void_rate", VoidRate),
            SharedLivesPlacementsPerYear = Number("shared_lives_placements_per_year", SharedLivesPlacementsPerYear) ?? 0,
            DirectPaymentShareChange = Number("direct_payment_share_change", DirectPaymentShareChange) ?? 0,
            PipelineMinStatus = string.IsNullOrWhiteSpace(PipelineMinStatus) ? null : PipelineMinStatus.Trim(),
            IncludeOutOfArea = IncludeOutOfArea,
            LetOutOfAreaUnits = StopOutOfAreaPlacements ? false : null,
            CountDisplacedNeed = DisplacedNeedLeaves ? false : null,
            NetDeliveredUnits = NetDeliveredUnits,
            EndFy = endFy,
            Slippage = slippage.Count == 0 ? null : slippage,
            CancelledSchemes = cancelled.Count == 0 ? null : cancelled,
            DeliveryProbability = delivery.Count == 0 ? null : delivery,
            ClientGroups = groups.Count == 0 ? null : groups,
            WeeklyCosts = weekly.Count == 0 ? null : weekly,
            CostUpliftPct = Number("cost_uplift_pct", CostUpliftPct) ?? 0,
        };
        return (levers, errors);
    }
}
