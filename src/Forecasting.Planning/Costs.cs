namespace Forecasting.Planning;

/// <summary>
/// Care settings planning prices. Placements (service_type of the services table): supported living, extra care,
/// Shared Lives, residential, nursing. Where people wait: home care (the family home), residential care, inpatient,
/// temporary accommodation, and displaced need (people taken off the list other than by death, still in need); and
/// out-of-area placements (people housed outside the council's area).
/// </summary>
public static class CostSettings
{
    public const string SupportedLiving = "supported_living";
    public const string ExtraCare = "extra_care";
    public const string SharedLives = "shared_lives";
    public const string Residential = "residential";
    public const string Nursing = "nursing";
    public const string HomeCare = "home_care";
    public const string OutOfArea = "out_of_area";
    public const string Inpatient = "inpatient";
    public const string TemporaryAccommodation = "temporary_accommodation";
    public const string Displaced = "displaced";

    /// <summary>Settings whose weekly cost the baseline's all-groups medians hold (the services table's placement types).</summary>
    public static readonly IReadOnlyList<string> Known = [SupportedLiving, ExtraCare, SharedLives, Residential, Nursing];
    /// <summary>Every setting a weekly cost can be given for (lever keys, cost_assumptions.csv).</summary>
    public static readonly IReadOnlyList<string> All = [.. Known, HomeCare, OutOfArea, Inpatient, TemporaryAccommodation, Displaced];
    public static bool IsKnown(string setting) => All.Contains(setting);

    /// <summary>
    /// Where the people of a waiting cohort (a demand component) wait, and so what their week costs: the waiting list,
    /// transitions and older people awaiting extra care at home with home care; step-down and diverted admissions in
    /// residential care; inpatients in hospital; temporary accommodation; displaced need as the council states (home care
    /// when it does not); tenants of a closing scheme in temporary accommodation.
    /// </summary>
    public static string WaitingPlace(string component) => component switch
    {
        DemandComponents.WaitingList or DemandComponents.Transitions or DemandComponents.OlderAwaitingExtraCare => HomeCare,
        DemandComponents.StepDown or DemandComponents.AdmissionDiversion => Residential,
        DemandComponents.Inpatient => Inpatient,
        DemandComponents.TemporaryAccommodation => TemporaryAccommodation,
        _ when component.Contains("displaced", StringComparison.Ordinal) => Displaced,
        _ when component.Contains("clos", StringComparison.Ordinal) || component.Contains("rehous", StringComparison.Ordinal) => TemporaryAccommodation,
        _ => throw new ArgumentException($"no waiting place for the cohort '{component}'", nameof(component)),
    };

    /// <summary>Cohorts whose people come from residential care, or would be admitted to it: the residential care they leave is the council's counterfactual.</summary>
    public static bool FromResidential(string component) => component is DemandComponents.StepDown or DemandComponents.AdmissionDiversion;

    /// <summary>
    /// The budget line (budgets.csv service_line) a setting's cost falls on; null when it is not adult social care's
    /// (inpatient beds are the NHS's, temporary accommodation the housing service's).
    /// </summary>
    public static string? BudgetLine(string setting) => setting switch
    {
        SupportedLiving or OutOfArea => "supported_living",
        ExtraCare => "extra_care",
        SharedLives => "shared_lives",
        Residential => "residential",
        Nursing => "nursing",
        HomeCare => "home_care",
        Displaced => "other",
        _ => null,
    };

    /// <summary>Splits a weekly_costs lever key: "setting" (every group) or "setting.client_group".</summary>
    public static (string Setting, string ClientGroup) ParseKey(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (key, ClientGroups.All) : (key[..dot], key[(dot + 1)..]);
    }
}

/// <summary>Where a weekly cost came from.</summary>
public static class CostSources
{
    public const string Data = "data";
    /// <summary>The all-groups median, because the group has fewer than <see cref="CostCalculator.MinServices"/> open services of the setting.</summary>
    public const string DataAllGroups = "data_all_groups";
    public const string Lever = "lever";
    /// <summary>A row of the council's cost_assumptions table.</summary>
    public const string Assumption = "assumption";
    /// <summary>A stated rule of the model when neither data nor an assumption prices the setting (see the description).</summary>
    public const string Rule = "rule";
    /// <summary>No data, assumption or lever: costs needing it are not computed.</summary>
    public const string Missing = "missing";
}

/// <summary>The weekly cost (GBP, at the as-of date's prices) a run uses for one setting and client group, with its source.</summary>
/// <param name="WeeklyCost">null when missing.</param>
/// <param name="Services">Services the data median is from (0 for a lever, assumption or missing cost).</param>
/// <param name="Description">E.g. "median of 412 open supported_living services of ld_autism on 2025-03-31".</param>
public sealed record SettingWeeklyCost(string Setting, double? WeeklyCost, string Source, int Services, string Description)
{
    /// <summary>The client group priced ("all" = every group, the figure a group falls back to).</summary>
    public string ClientGroup { get; init; } = ClientGroups.All;
    /// <summary>For the residential and nursing rows by age band (reported beside the group figures).</summary>
    public string? AgeBand { get; init; }
}

/// <summary>
/// Person-weeks of one year and client group: people housed in supported-living units (supported_living and
/// shared_house schemes), in extra care units, in Shared Lives placements made by the scenario, and the part of
/// these (housed or placed) that came from residential care (step-down) or instead of a residential admission
/// (diversion) after the as-of date: the residential placements avoided.
/// </summary>
public sealed record PersonWeeks(int Fy, string ClientGroup, double SupportedLiving, double ExtraCare, double SharedLives, double AvoidedResidential)
{
    /// <summary>People housed out of area (priced at the out-of-area weekly cost instead of the in-area one).</summary>
    public double HousedOutOfArea { get; init; }
    /// <summary>Person-weeks waiting, per waiting cohort (its demand component).</summary>
    public IReadOnlyDictionary<string, double> Waiting { get; init; } = new Dictionary<string, double>();
}

/// <summary>The cost of one waiting cohort in a year: person-weeks x the weekly cost of where it waits.</summary>
public sealed record WaitingCost(string Cohort, string Setting, double Weeks, double WeeklyCost, double Cost);

/// <summary>P10/P50/P90 of a cost across the draws.</summary>
public sealed record CostRange(double P10, double P50, double P90);

/// <summary>
/// Costs (GBP) of one year and client group at that year's prices. PlacementsCost = SupportedLivingCost +
/// ExtraCareCost + SharedLivesCost + OutOfAreaCost; WaitingCost = the sum of <see cref="Waiting"/>;
/// AvoidedResidentialCost = the residential care the council would pay for people who moved from it or were diverted
/// from it (housed, placed or still waiting); NetCost = PlacementsCost + WaitingCost - AvoidedResidentialCost;
/// NetCostCumulative sums NetCost from the first reported year. Each cost is person-weeks x weekly cost x UpliftFactor.
/// </summary>
public sealed record CostRow(
    int Fy, string ClientGroup, PersonWeeks Weeks, double UpliftFactor,
    double SupportedLivingCost, double ExtraCareCost, double SharedLivesCost, double PlacementsCost,
    double AvoidedResidentialCost, double NetCost, double NetCostCumulative)
{
    public double OutOfAreaCost { get; init; }
    public double WaitingCost { get; init; }
    public IReadOnlyList<WaitingCost> Waiting { get; init; } = [];
    /// <summary>1 / (1 + discount rate)^(fy - price year).</summary>
    public double DiscountFactor { get; init; } = 1;
    /// <summary>NetCost x DiscountFactor.</summary>
    public double PresentValue { get; init; }
    public double PresentValueCumulative { get; init; }
    /// <summary>Cost per setting (GBP; the residential counterfactual negative under residential), for the budget lines.</summary>
    public IReadOnlyDictionary<string, double> BySetting { get; init; } = new Dictionary<string, double>();
    /// <summary>P10/P50/P90 of NetCost across the draws (null for the zero-variance path or before the draws are summarised).</summary>
    public CostRange? NetCostRange { get; init; }
}

/// <summary>A year's modelled cost on one budget line against the line's budget.</summary>
/// <param name="ModelledCost">The run's net cost (all reported groups) of the settings that fall on the line, at that year's prices.</param>
/// <param name="Share">ModelledCost / Budget.</param>
public sealed record BudgetComparison(int Fy, string ServiceLine, IReadOnlyList<string> Settings, double Budget, double? Outturn, double ModelledCost, double Share);

/// <summary>The costs of a run: the weekly costs used, uplift and discounting, one row per year and client group (and "all").</summary>
/// <param name="PriceFy">Financial year whose prices the weekly costs are (the as-of date's); year fy is uplifted and discounted fy - PriceFy times.</param>
public sealed record ScenarioCosts(int PriceFy, double CostUpliftPct, IReadOnlyList<SettingWeeklyCost> WeeklyCosts, IReadOnlyList<CostRow> Rows, string Description)
{
    public double DiscountRatePct { get; init; }
    public IReadOnlyList<BudgetComparison> Budgets { get; init; } = [];
    public CostRow? At(int fy, string clientGroup = ClientGroups.All) => Rows.SingleOrDefault(r => r.Fy == fy && r.ClientGroup == clientGroup);
}
