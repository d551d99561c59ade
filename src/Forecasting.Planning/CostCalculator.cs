using System.Globalization;

namespace Forecasting.Planning;

/// <summary>The cost arithmetic: no I/O; person-weeks come from the stock-flow model, weekly costs from the data, the council's assumptions or levers.</summary>
public static class CostCalculator
{
    /// <summary>Fewest open services of a setting a client group needs for its own median; below it the group takes the all-groups median.</summary>
    public const int MinServices = 10;
    /// <summary>HM Treasury Green Book real discount rate for the first 30 years (percent a year).</summary>
    public const double DefaultDiscountRatePct = 3.5;

    /// <summary>
    /// The weekly cost of every setting for every client group and for "all", first found of: the lever
    /// "setting.client_group", the lever "setting", the council's assumption for the group, its assumption for all groups,
    /// the median of the group's open services of the setting (at least <see cref="MinServices"/>), the all-groups median,
    /// a stated rule (out of area as in-area supported living, displaced need as home care); else missing. Residential and
    /// nursing are also reported by age band.
    /// </summary>
    public static IReadOnlyList<SettingWeeklyCost> Resolve(PlanningBaseline baseline, ScenarioLevers levers)
    {
        var result = new List<SettingWeeklyCost>();
        var groups = new List<string> { ClientGroups.All };
        groups.AddRange(ClientGroups.Known);
        foreach (var setting in CostSettings.All)
            foreach (var group in groups)
                result.Add(ResolveOne(baseline, levers.WeeklyCosts, setting, group, result));
        foreach (var cell in baseline.Costs.Cells.Where(c => c.AgeBand is not null).OrderBy(c => c.Setting, StringComparer.Ordinal).ThenBy(c => c.AgeBand, StringComparer.Ordinal))
            result.Add(new SettingWeeklyCost(cell.Setting, cell.MedianWeeklyCost, CostSources.Data, cell.Services,
                $"median of {cell.Services} open {cell.Setting} services of people aged {cell.AgeBand} on {Iso(baseline.AsOf)}")
            { AgeBand = cell.AgeBand });
        return result;
    }

    private static SettingWeeklyCost ResolveOne(PlanningBaseline b, IReadOnlyDictionary<string, double>? levers, string setting, string group,
        IReadOnlyList<SettingWeeklyCost> resolved)
    {
        SettingWeeklyCost Cost(double? weekly, string source, int services, string description) =>
            new(setting, weekly, source, services, description) { ClientGroup = group };
        var asOf = Iso(b.AsOf);
        var all = group == ClientGroups.All;
        if (!all && levers is not null && levers.TryGetValue($"{setting}.{group}", out var groupLever))
            return Cost(groupLever, CostSources.Lever, 0, $"lever weekly_costs.{setting}.{group}");
        if (levers is not null && levers.TryGetValue(setting, out var lever))
            return Cost(lever, CostSources.Lever, 0, $"lever weekly_costs.{setting}");
        if (!all && b.Costs.Assumption(setting, group, b.AsOf) is { } ga)
            return Cost(ga.WeeklyCost, CostSources.Assumption, 0, $"cost assumption for {group} from {Iso(ga.ValidFrom)} ({ga.Source})");
        if (b.Costs.Assumption(setting, ClientGroups.All, b.AsOf) is { } aa)
            return Cost(aa.WeeklyCost, CostSources.Assumption, 0, $"cost assumption from {Iso(aa.ValidFrom)} ({aa.Source})");
        var groupCell = all ? null : b.Costs.Cell(setting, group);
        if (groupCell is { Services: >= MinServices })
            return Cost(groupCell.MedianWeeklyCost, CostSources.Data, groupCell.Services,
                $"median of {groupCell.Services} open {setting} services of {group} on {asOf}");
        var allCell = b.Costs.Cell(setting, ClientGroups.All)
                      ?? (b.WeeklyCosts.TryGetValue(setting, out var o) && o.Services > 0 ? new WeeklyCostCell(setting, ClientGroups.All, null, o.MedianWeeklyCost, o.Services) : null);
        if (allCell is { Services: > 0 })
            return all
                ? Cost(allCell.MedianWeeklyCost, CostSources.Data, allCell.Services, $"median of {allCell.Services} open {setting} services on {asOf}")
                : Cost(allCell.MedianWeeklyCost, CostSources.DataAllGroups, allCell.Services,
                    $"median of {allCell.Services} open {setting} services of all groups on {asOf} ({group} has {groupCell?.Services ?? 0}, fewer than {MinServices})");
        // Stated rules for settings a council's data may not price: an out-of-area placement as an in-area one, displaced
        // need (still in need, at home) as home care.
        var rule = setting switch { CostSettings.OutOfArea => CostSettings.SupportedLiving, CostSettings.Displaced => CostSettings.HomeCare, _ => null };
        if (rule is not null && resolved.LastOrDefault(r => r.Setting == rule && r.ClientGroup == group && r.AgeBand is null) is { WeeklyCost: { } ruled } basis)
            return Cost(ruled, CostSources.Rule, 0, $"no data or assumption: priced as {rule} ({basis.Description})");
        return Cost(null, CostSources.Missing, 0,
            $"no open {setting} services{(all ? "" : $" of {group}")} on {asOf}, no cost assumption and no lever");
    }

    /// <summary>The weekly cost of a setting for a client group from a resolved list (null when missing or absent).</summary>
    public static double? Weekly(IReadOnlyList<SettingWeeklyCost> costs, string setting, string clientGroup) =>
        costs.FirstOrDefault(c => c.Setting == setting && c.ClientGroup == clientGroup && c.AgeBand is null)?.WeeklyCost;

    /// <summary>(1 + pct/100)^years: the price factor of a year <paramref name="years"/> after the price year.</summary>
    public static double UpliftFactor(double upliftPct, int years) => Math.Pow(1 + upliftPct / 100.0, years);

    /// <summary>1 / (1 + pct/100)^years: the present value of a pound <paramref name="years"/> after the price year.</summary>
    public static double DiscountFactor(double discountPct, int years) => Math.Pow(1 + discountPct / 100.0, -years);

    /// <summary>
    /// One year's costs of one group: person-weeks x weekly cost (<paramref name="weekly"/>: setting -> GBP a week) x
    /// uplift factor, per setting; waiting cohorts at the cost of where they wait; the residential counterfactual of the
    /// people from or diverted from residential care (housed, placed or waiting) subtracted.
    /// </summary>
    public static CostRow Row(PersonWeeks w, Func<string, double> weekly, double factor, double discount, double previousCumulative, double previousPresentValue)
    {
        var bySetting = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string setting, double cost) => bySetting[setting] = bySetting.GetValueOrDefault(setting) + cost;
        var sl = w.SupportedLiving * weekly(CostSettings.SupportedLiving) * factor;
        var ec = w.ExtraCare * weekly(CostSettings.ExtraCare) * factor;
        var shared = w.SharedLives * weekly(CostSettings.SharedLives) * factor;
        var outOfArea = w.HousedOutOfArea * weekly(CostSettings.OutOfArea) * factor;
        Add(CostSettings.SupportedLiving, sl);
        Add(CostSettings.ExtraCare, ec);
        Add(CostSettings.SharedLives, shared);
        Add(CostSettings.OutOfArea, outOfArea);
        var waiting = new List<WaitingCost>();
        var fromResidentialWeeks = w.AvoidedResidential;
        foreach (var (cohort, weeks) in w.Waiting.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var setting = CostSettings.WaitingPlace(cohort);
            var cost = weeks * weekly(setting) * factor;
            waiting.Add(new WaitingCost(cohort, setting, weeks, weekly(setting), cost));
            Add(setting, cost);
            if (CostSettings.FromResidential(cohort)) fromResidentialWeeks += weeks;
        }
        var placements = sl + ec + shared + outOfArea;
        var waitingCost = waiting.Sum(x => x.Cost);
        var avoided = fromResidentialWeeks * weekly(CostSettings.Residential) * factor;
        Add(CostSettings.Residential, -avoided);
        var net = placements + waitingCost - avoided;
        return new CostRow(w.Fy, w.ClientGroup, w, factor, sl, ec, shared, placements, avoided, net, previousCumulative + net)
        {
            OutOfAreaCost = outOfArea,
            WaitingCost = waitingCost,
            Waiting = waiting,
            DiscountFactor = discount,
            PresentValue = net * discount,
            PresentValueCumulative = previousPresentValue + net * discount,
            BySetting = bySetting,
        };
    }

    /// <summary>The settings a group's person-weeks need a weekly cost for.</summary>
    private static IEnumerable<string> Needed(PersonWeeks w)
    {
        if (w.SupportedLiving > 0) yield return CostSettings.SupportedLiving;
        if (w.ExtraCare > 0) yield return CostSettings.ExtraCare;
        if (w.SharedLives > 0) yield return CostSettings.SharedLives;
        if (w.HousedOutOfArea > 0) yield return CostSettings.OutOfArea;
        if (w.AvoidedResidential > 0) yield return CostSettings.Residential;
        foreach (var (cohort, weeks) in w.Waiting)
            if (weeks > 0)
            {
                yield return CostSettings.WaitingPlace(cohort);
                if (CostSettings.FromResidential(cohort)) yield return CostSettings.Residential;
            }
    }

    /// <summary>
    /// Costs of every year and group, and of "all" (the sum of the groups given), with present values and the budget lines.
    /// Null, with a warning, when a setting with person-weeks has no weekly cost: costs are not computed rather than invented.
    /// </summary>
    public static ScenarioCosts? Compute(IReadOnlyList<PersonWeeks> weeks, IReadOnlyList<SettingWeeklyCost> weeklyCosts, double upliftPct, double discountPct,
        DateOnly asOf, IReadOnlyList<BudgetLine> budgets, List<string> warnings)
    {
        var missing = weeks.SelectMany(w => Needed(w).Where(s => Weekly(weeklyCosts, s, w.ClientGroup) is null).Select(s => (Setting: s, w.ClientGroup)))
            .Distinct().OrderBy(m => m.Setting, StringComparer.Ordinal).ThenBy(m => m.ClientGroup, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            warnings.Add($"costs not computed: no weekly cost for {string.Join(", ", missing.Select(m => $"{m.Setting} ({m.ClientGroup})"))} " +
                         $"(no open services of that type on {Iso(asOf)} in the services data and no cost assumption); " +
                         $"set levers.weekly_costs or add cost_assumptions.csv to provide {(missing.Count == 1 ? "it" : "them")}");
            return null;
        }
        var priceFy = FinancialYear.Of(asOf);
        var rows = new List<CostRow>();
        foreach (var group in weeks.GroupBy(w => w.ClientGroup))
        {
            double cumulative = 0, presentValue = 0;
            foreach (var w in group.OrderBy(w => w.Fy))
            {
                var row = Row(w, s => Weekly(weeklyCosts, s, w.ClientGroup) ?? 0, UpliftFactor(upliftPct, w.Fy - priceFy),
                    DiscountFactor(discountPct, w.Fy - priceFy), cumulative, presentValue);
                cumulative = row.NetCostCumulative;
                presentValue = row.PresentValueCumulative;
                rows.Add(row);
            }
        }
        rows.AddRange(rows.GroupBy(r => r.Fy).OrderBy(g => g.Key).Select(Sum).ToList());

        var comparisons = new List<BudgetComparison>();
        foreach (var line in budgets.OrderBy(l => l.Fy).ThenBy(l => l.ServiceLine, StringComparer.Ordinal))
        {
            if (rows.FirstOrDefault(r => r.Fy == line.Fy && r.ClientGroup == ClientGroups.All) is not { } year) continue;
            var settings = CostSettings.All.Where(s => CostSettings.BudgetLine(s) == line.ServiceLine && year.BySetting.ContainsKey(s)).ToList();
            if (settings.Count == 0) continue;
            var modelled = settings.Sum(s => year.BySetting[s]);
            comparisons.Add(new BudgetComparison(line.Fy, line.ServiceLine, settings, line.Budget, line.Outturn, modelled,
                line.Budget > 0 ? modelled / line.Budget : 0));
        }

        var used = weeklyCosts.Where(c => c.ClientGroup == ClientGroups.All && c.AgeBand is null && c.WeeklyCost is not null)
            .Select(c => $"{c.Setting} {Money(c.WeeklyCost)} a week ({c.Description})");
        var description =
            $"Cost = person-weeks x weekly cost x (1 + {Num(upliftPct)}%)^(years after {FinancialYear.Label(priceFy)}), at each year's prices; " +
            $"present value = cost / (1 + {Num(discountPct)}%)^(years after {FinancialYear.Label(priceFy)}). " +
            "Placements = supported living (supported_living and shared_house units) + extra care + Shared Lives placed by the scenario + out-of-area placements; " +
            "waiting = person-weeks of each waiting cohort at the weekly cost of where it waits (waiting list, transitions and older people awaiting extra care " +
            "at home with home care; step-down and diverted admissions in residential care; inpatients; temporary accommodation; displaced need); " +
            "avoided = the residential care the council would pay anyway for people who moved from it or were diverted from it (housed, placed or waiting); " +
            "net = placements + waiting - avoided, so people waiting are never free. Weekly costs per client group from the group's open services " +
            $"(at least {MinServices}, else the all-groups median), the council's cost assumptions or levers; all groups: " + string.Join("; ", used) + ".";
        return new ScenarioCosts(priceFy, upliftPct, weeklyCosts, rows, description) { DiscountRatePct = discountPct, Budgets = comparisons };
    }

    /// <summary>The "all" row of a year: every field the sum of the groups'.</summary>
    private static CostRow Sum(IGrouping<int, CostRow> year)
    {
        var g = year.ToList();
        var waiting = g.SelectMany(r => r.Waiting).GroupBy(x => (x.Cohort, x.Setting))
            .Select(x => new WaitingCost(x.Key.Cohort, x.Key.Setting, x.Sum(y => y.Weeks), x.Sum(y => y.Weeks) > 0 ? x.Sum(y => y.Cost) / x.Sum(y => y.Weeks) / g[0].UpliftFactor : 0,
                x.Sum(y => y.Cost)))
            .ToList();
        var weeks = new PersonWeeks(year.Key, ClientGroups.All, g.Sum(r => r.Weeks.SupportedLiving), g.Sum(r => r.Weeks.ExtraCare), g.Sum(r => r.Weeks.SharedLives),
            g.Sum(r => r.Weeks.AvoidedResidential))
        {
            HousedOutOfArea = g.Sum(r => r.Weeks.HousedOutOfArea),
            Waiting = waiting.GroupBy(x => x.Cohort).ToDictionary(x => x.Key, x => x.Sum(y => y.Weeks)),
        };
        return new CostRow(year.Key, ClientGroups.All, weeks, g[0].UpliftFactor, g.Sum(r => r.SupportedLivingCost), g.Sum(r => r.ExtraCareCost),
            g.Sum(r => r.SharedLivesCost), g.Sum(r => r.PlacementsCost), g.Sum(r => r.AvoidedResidentialCost), g.Sum(r => r.NetCost), g.Sum(r => r.NetCostCumulative))
        {
            OutOfAreaCost = g.Sum(r => r.OutOfAreaCost),
            WaitingCost = g.Sum(r => r.WaitingCost),
            Waiting = waiting,
            DiscountFactor = g[0].DiscountFactor,
            PresentValue = g.Sum(r => r.PresentValue),
            PresentValueCumulative = g.Sum(r => r.PresentValueCumulative),
            BySetting = g.SelectMany(r => r.BySetting).GroupBy(p => p.Key).ToDictionary(p => p.Key, p => p.Sum(x => x.Value)),
        };
    }

    /// <summary>
    /// GBP per unit of each quantity of the stock-flow model, [(group * K + year) * Q.Count + q], at each year's prices
    /// (uplifted, not discounted): a path's net cost of a group and year is the sum of its quantities x these weights, the
    /// same arithmetic as <see cref="Row"/> on the mean quantities, so the headline is the mean of the per-draw costs. Out
    /// of area is weighted as the difference from in-area supported living (the model's supported-living weeks include
    /// people housed out of area); step-down and diverted people waiting cost residential care and save it, so weigh 0.
    /// A missing weekly cost weighs 0: costs are computed only when every setting with person-weeks has a cost, and a
    /// quantity whose mean is 0 is 0 in every draw.
    /// </summary>
    internal static double[] Weights(PreparedScenario s)
    {
        const int G = PreparedScenario.G;
        const int C = WaitingCohorts.Count;
        var q = StockFlowModel.Q.Count;
        var weights = new double[G * s.K * q];
        var priceFy = FinancialYear.Of(s.Baseline.AsOf);
        for (var g = 0; g < G; g++)
        {
            var group = ClientGroups.Known[g];
            double? W(string setting) => Weekly(s.WeeklyCosts, setting, group);
            double sl = W(CostSettings.SupportedLiving) ?? 0, ec = W(CostSettings.ExtraCare) ?? 0, shared = W(CostSettings.SharedLives) ?? 0,
                residential = W(CostSettings.Residential) ?? 0, outOfArea = W(CostSettings.OutOfArea) ?? 0;
            var waiting = new double[C];
            for (var c = 0; c < C; c++)
            {
                var component = WaitingCohorts.Components[c];
                var place = W(CostSettings.WaitingPlace(component)) ?? 0;
                waiting[c] = CostSettings.FromResidential(component) ? place - residential : place;
            }
            for (var k = 0; k < s.K; k++)
            {
                var factor = UpliftFactor(s.Levers.CostUpliftPct, s.Period.FirstFy + k - priceFy);
                var row = (g * s.K + k) * q;
                weights[row + StockFlowModel.Q.WeeksSupportedLiving] = sl * factor;
                weights[row + StockFlowModel.Q.WeeksExtraCare] = ec * factor;
                weights[row + StockFlowModel.Q.WeeksSharedLives] = shared * factor;
                weights[row + StockFlowModel.Q.WeeksHousedOut] = (outOfArea - sl) * factor;
                weights[row + StockFlowModel.Q.WeeksAvoided] = -residential * factor;
                for (var c = 0; c < C; c++) weights[row + StockFlowModel.Q.WeeksWaiting + c] = waiting[c] * factor;
            }
        }
        return weights;
    }

    /// <summary>Puts the P10/P50/P90 of each year's and group's net cost across the draws (the simulation's net_cost measure) on its cost row.</summary>
    public static ScenarioCosts? WithRanges(ScenarioCosts? costs, IEnumerable<MeasureDistribution> measures)
    {
        if (costs is null) return null;
        var ranges = measures.Where(m => m.Measure == Measures.NetCost).ToDictionary(m => (m.Fy, m.ClientGroup), m => new CostRange(m.P10, m.P50, m.P90));
        return ranges.Count == 0 ? costs
            : costs with { Rows = costs.Rows.Select(r => ranges.TryGetValue((r.Fy, r.ClientGroup), out var x) ? r with { NetCostRange = x } : r).ToList() };
    }

    public static string Money(double? gbp) => gbp is { } v ? "GBP " + v.ToString("#,0.00", CultureInfo.InvariantCulture) : "none";
    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
