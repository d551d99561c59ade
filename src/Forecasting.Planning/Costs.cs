namespace Forecasting.Planning;

/// <summary>Care settings planning prices (service_type of the services table).</summary>
public static class CostSettings
{
    public const string SupportedLiving = "supported_living";
    public const string ExtraCare = "extra_care";
    public const string SharedLives = "shared_lives";
    public const string Residential = "residential";
    public const string Nursing = "nursing";
    public static readonly IReadOnlyList<string> Known = [SupportedLiving, ExtraCare, SharedLives, Residential, Nursing];
    public static bool IsKnown(string setting) => Known.Contains(setting);
}

/// <summary>Median weekly cost (GBP) of the services of one setting open on the as-of date, and how many services it is from.</summary>
public sealed record WeeklyCostObservation(string Setting, double MedianWeeklyCost, int Services);

/// <summary>Where a weekly cost came from.</summary>
public static class CostSources
{
    public const string Data = "data";
    public const string Lever = "lever";
    /// <summary>No open services of the setting in the data and no lever: costs needing it are not computed.</summary>
    public const string Missing = "missing";
}

/// <summary>The weekly cost (GBP, at the as-of date's prices) a run uses for one setting, with its source.</summary>
/// <param name="WeeklyCost">null when missing.</param>
/// <param name="Services">Services the data median is from (0 for a lever or a missing cost).</param>
/// <param name="Description">E.g. "median of 412 open supported_living services on 2025-03-31".</param>
public sealed record SettingWeeklyCost(string Setting, double? WeeklyCost, string Source, int Services, string Description);

/// <summary>
/// Person-weeks of one year and client group: people housed in supported-living units (supported_living and
/// shared_house schemes), in extra care units, in Shared Lives placements made by the scenario, and the part of
/// these (housed or placed) that came from residential care (step-down) or instead of a residential admission
/// (diversion) after the as-of date: the residential placements avoided.
/// </summary>
public sealed record PersonWeeks(int Fy, string ClientGroup, double SupportedLiving, double ExtraCare, double SharedLives, double AvoidedResidential);

/// <summary>
/// Costs (GBP) of one year and client group at that year's prices. PlacementsCost = SupportedLivingCost +
/// ExtraCareCost + SharedLivesCost; NetCost = PlacementsCost - AvoidedResidentialCost; NetCostCumulative sums NetCost
/// from the first reported year. Each cost is person-weeks x weekly cost x UpliftFactor.
/// </summary>
public sealed record CostRow(
    int Fy, string ClientGroup, PersonWeeks Weeks, double UpliftFactor,
    double SupportedLivingCost, double ExtraCareCost, double SharedLivesCost, double PlacementsCost,
    double AvoidedResidentialCost, double NetCost, double NetCostCumulative);

/// <summary>The costs of a run: the weekly costs used, the uplift, one row per year and client group (and "all").</summary>
/// <param name="PriceFy">Financial year whose prices the weekly costs are (the as-of date's); year fy is uplifted fy - PriceFy times.</param>
public sealed record ScenarioCosts(int PriceFy, double CostUpliftPct, IReadOnlyList<SettingWeeklyCost> WeeklyCosts, IReadOnlyList<CostRow> Rows, string Description)
{
    public CostRow? At(int fy, string clientGroup = ClientGroups.All) => Rows.SingleOrDefault(r => r.Fy == fy && r.ClientGroup == clientGroup);
}

/// <summary>The cost arithmetic: no I/O; person-weeks come from the stock-flow model, weekly costs from the data or levers.</summary>
public static class CostCalculator
{
    /// <summary>Weekly costs per setting: a lever overrides the data median; neither = missing.</summary>
    public static IReadOnlyList<SettingWeeklyCost> Resolve(IReadOnlyDictionary<string, WeeklyCostObservation> observed, IReadOnlyDictionary<string, double>? overrides,
        DateOnly asOf)
    {
        var result = new List<SettingWeeklyCost>();
        foreach (var setting in CostSettings.Known)
        {
            if (overrides is not null && overrides.TryGetValue(setting, out var lever))
                result.Add(new SettingWeeklyCost(setting, lever, CostSources.Lever, 0, $"lever weekly_costs.{setting}"));
            else if (observed.TryGetValue(setting, out var o) && o.Services > 0)
                result.Add(new SettingWeeklyCost(setting, o.MedianWeeklyCost, CostSources.Data, o.Services,
                    $"median of {o.Services} open {setting} services on {asOf:yyyy-MM-dd}"));
            else
                result.Add(new SettingWeeklyCost(setting, null, CostSources.Missing, 0, $"no open {setting} services on {asOf:yyyy-MM-dd} and no lever"));
        }
        return result;
    }

    /// <summary>(1 + pct/100)^years: the price factor of a year <paramref name="years"/> after the price year.</summary>
    public static double UpliftFactor(double upliftPct, int years) => Math.Pow(1 + upliftPct / 100.0, years);

    /// <summary>One year's costs: person-weeks x weekly cost x uplift factor for each setting; avoided at the residential weekly cost.</summary>
    public static CostRow Row(PersonWeeks w, double supportedLiving, double extraCare, double sharedLives, double residential, double factor, double previousCumulative)
    {
        var sl = w.SupportedLiving * supportedLiving * factor;
        var ec = w.ExtraCare * extraCare * factor;
        var shared = w.SharedLives * sharedLives * factor;
        var placements = sl + ec + shared;
        var avoided = w.AvoidedResidential * residential * factor;
        var net = placements - avoided;
        return new CostRow(w.Fy, w.ClientGroup, w, factor, sl, ec, shared, placements, avoided, net, previousCumulative + net);
    }

    /// <summary>
    /// Costs of every year and group, and of "all" (the sum of the groups given). Null, with a warning, when a setting
    /// with person-weeks has no weekly cost: costs are not computed rather than invented.
    /// </summary>
    public static ScenarioCosts? Compute(IReadOnlyList<PersonWeeks> weeks, IReadOnlyList<SettingWeeklyCost> weeklyCosts, double upliftPct, DateOnly asOf,
        List<string> warnings)
    {
        double? Cost(string setting) => weeklyCosts.FirstOrDefault(c => c.Setting == setting)?.WeeklyCost;
        var needed = new (string Setting, Func<PersonWeeks, double> Weeks)[]
        {
            (CostSettings.SupportedLiving, w => w.SupportedLiving), (CostSettings.ExtraCare, w => w.ExtraCare),
            (CostSettings.SharedLives, w => w.SharedLives), (CostSettings.Residential, w => w.AvoidedResidential),
        };
        var missing = needed.Where(n => Cost(n.Setting) is null && weeks.Any(w => n.Weeks(w) > 0)).Select(n => n.Setting).ToList();
        if (missing.Count > 0)
        {
            warnings.Add($"costs not computed: no weekly cost for {string.Join(", ", missing)} (no open services of that type on {asOf:yyyy-MM-dd} " +
                         $"in the services data); set levers.weekly_costs to provide {(missing.Count == 1 ? "it" : "them")}");
            return null;
        }
        double sl = Cost(CostSettings.SupportedLiving) ?? 0, ec = Cost(CostSettings.ExtraCare) ?? 0,
            shared = Cost(CostSettings.SharedLives) ?? 0, residential = Cost(CostSettings.Residential) ?? 0;
        var priceFy = FinancialYear.Of(asOf);
        var rows = new List<CostRow>();
        foreach (var group in weeks.GroupBy(w => w.ClientGroup))
        {
            var cumulative = 0.0;
            foreach (var w in group.OrderBy(w => w.Fy))
            {
                var row = Row(w, sl, ec, shared, residential, UpliftFactor(upliftPct, w.Fy - priceFy), cumulative);
                cumulative = row.NetCostCumulative;
                rows.Add(row);
            }
        }
        var all = new List<CostRow>();
        foreach (var year in rows.GroupBy(r => r.Fy).OrderBy(g => g.Key))
        {
            var w = new PersonWeeks(year.Key, ClientGroups.All, year.Sum(r => r.Weeks.SupportedLiving), year.Sum(r => r.Weeks.ExtraCare),
                year.Sum(r => r.Weeks.SharedLives), year.Sum(r => r.Weeks.AvoidedResidential));
            all.Add(new CostRow(year.Key, ClientGroups.All, w, year.First().UpliftFactor, year.Sum(r => r.SupportedLivingCost), year.Sum(r => r.ExtraCareCost),
                year.Sum(r => r.SharedLivesCost), year.Sum(r => r.PlacementsCost), year.Sum(r => r.AvoidedResidentialCost), year.Sum(r => r.NetCost),
                year.Sum(r => r.NetCostCumulative)));
        }
        rows.AddRange(all);
        var used = weeklyCosts.Where(c => c.Setting != CostSettings.Nursing).Select(c => $"{c.Setting} {Money(c.WeeklyCost)} a week ({c.Description})");
        var description =
            $"Cost = person-weeks x weekly cost x (1 + {upliftPct:0.##}%)^(years after {FinancialYear.Label(priceFy)}), at {FinancialYear.Label(priceFy)} prices: " +
            "placements = supported living (supported_living and shared_house units) + extra care + Shared Lives placed by the scenario; " +
            "avoided = weeks housed or placed of people who moved from residential care or were diverted from a residential admission after the as-of date, " +
            "at the residential weekly cost; net = placements - avoided. Weekly costs: " + string.Join("; ", used) + ".";
        return new ScenarioCosts(priceFy, upliftPct, weeklyCosts, rows, description);
    }

    /// <summary>
    /// GBP per unit of each quantity of the stock-flow model, [(group * K + year) * Q.Count + q], so that a path's net cost
    /// of a group and year is the sum of its quantities x these weights (the simulation's per-draw cost); null when a
    /// weekly cost the run needs is missing.
    /// </summary>
    internal static double[]? Weights(PreparedScenario s)
    {
        double? Cost(string setting) => s.WeeklyCosts.FirstOrDefault(c => c.Setting == setting)?.WeeklyCost;
        if (Cost(CostSettings.SupportedLiving) is not { } sl || Cost(CostSettings.ExtraCare) is not { } ec
            || Cost(CostSettings.SharedLives) is not { } shared || Cost(CostSettings.Residential) is not { } residential) return null;
        const int G = PreparedScenario.G;
        var q = StockFlowModel.Q.Count;
        var weights = new double[G * s.K * q];
        var priceFy = FinancialYear.Of(s.Baseline.AsOf);
        for (var g = 0; g < G; g++)
            for (var k = 0; k < s.K; k++)
            {
                var factor = UpliftFactor(s.Levers.CostUpliftPct, s.Period.FirstFy + k - priceFy);
                var row = (g * s.K + k) * q;
                weights[row + StockFlowModel.Q.WeeksSupportedLiving] = sl * factor;
                weights[row + StockFlowModel.Q.WeeksExtraCare] = ec * factor;
                weights[row + StockFlowModel.Q.WeeksSharedLives] = shared * factor;
                weights[row + StockFlowModel.Q.WeeksAvoided] = -residential * factor;
            }
        return weights;
    }

    public static string Money(double? gbp) => gbp is { } v ? "GBP " + v.ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture) : "none";
}
