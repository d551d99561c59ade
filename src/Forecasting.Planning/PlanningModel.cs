namespace Forecasting.Planning;

internal sealed record PipelineItem(
    PipelineScheme Scheme, int Group, bool InArea, double Units, double Probability, double BasisWeight,
    int YearIndex, int[] YearIndexBySlip);

internal sealed record TransitionItem(string Id, int Group, int YearIndex, double Probability, double Weight);

/// <summary>
/// A baseline with a scenario's levers applied, in arrays indexed by client group and year. Used both by the
/// deterministic projection and by the simulation. Arrays are [group * Years + yearIndex]; demand and supply
/// entries are stocks at the end of each financial year.
/// </summary>
public sealed class PreparedScenario
{
    public PlanningBaseline Baseline { get; }
    public ScenarioLevers Levers { get; }
    public ProjectionPeriod Period { get; }
    public BaselineFlows Flows { get; }
    public CountingBasis Basis { get; }
    public StrategyVersion? Strategy { get; }
    public IReadOnlyList<string> Warnings => _warnings;

    internal const int G = 5;
    internal int K => Period.Years;
    internal double[] TimeFraction { get; }
    internal Dictionary<string, double[]> FixedDemand { get; } = new();
    internal Dictionary<string, double[]> FixedSupply { get; } = new();
    internal HashSet<string> CountedSupply { get; } = new();
    internal double[] StartMean { get; }
    internal double[] StartSd { get; }
    internal double[] EndMean { get; }
    internal double[] EndSd { get; }
    internal List<TransitionItem> TransitionItems { get; } = new();
    internal List<PipelineItem> PipelineItems { get; } = new();
    internal double[] VoidRate { get; } = new double[G];
    /// <summary>Client groups reported and summed into "all".</summary>
    internal bool[] Selected { get; } = new bool[G];
    internal double DirectPaymentShare { get; }
    /// <summary>Sum of the fixed new-need components (before direct payments).</summary>
    internal double[] FixedNewNeed { get; }
    /// <summary>Sum of the fixed components not subject to direct payments (housed, Shared Lives).</summary>
    internal double[] FixedOther { get; }
    /// <summary>Sum of the counted fixed gross supply components (before voids).</summary>
    internal double[] FixedGrossSupply { get; }

    private readonly List<string> _warnings = new();

    internal static readonly string[] NewNeedComponents =
    [
        DemandComponents.WaitingList, DemandComponents.StepDown, DemandComponents.AdmissionDiversion,
        DemandComponents.Inpatient, DemandComponents.TemporaryAccommodation, DemandComponents.OlderAwaitingExtraCare,
    ];

    private PreparedScenario(PlanningBaseline baseline, ScenarioLevers levers, ProjectionPeriod period, BaselineFlows flows, StrategyVersion? strategy)
    {
        Baseline = baseline;
        Levers = levers;
        Period = period;
        Flows = flows;
        Strategy = strategy;
        DirectPaymentShare = levers.DirectPaymentShare;
        foreach (var code in levers.EffectiveClientGroups) Selected[ClientGroups.IndexOf(code)] = true;
        var n = G * K;
        TimeFraction = new double[K];
        var horizonStart = MonthIndex.Of(flows.HorizonStart);
        for (var k = 0; k < K; k++)
            TimeFraction[k] = Math.Max(0, MonthIndex.Of(FinancialYear.End(period.FirstFy + k)) - horizonStart + 1) / 12.0;

        BuildDemand();
        StartMean = new double[n]; StartSd = new double[n]; EndMean = new double[n]; EndSd = new double[n];
        BuildFlows();
        BuildTransitions();
        var voidRates = BuildSupply();
        Basis = CountingBasis.Create(baseline.AsOf, levers, voidRates);
        BuildPipeline();

        FixedNewNeed = new double[n];
        FixedOther = new double[n];
        FixedGrossSupply = new double[n];
        foreach (var (name, values) in FixedDemand)
        {
            var target = NewNeedComponents.Contains(name) ? FixedNewNeed : FixedOther;
            for (var i = 0; i < n; i++) target[i] += values[i];
        }
        foreach (var name in CountedSupply)
            for (var i = 0; i < n; i++) FixedGrossSupply[i] += FixedSupply[name][i];
    }

    /// <summary>Validates the levers (throws <see cref="ScenarioValidationException"/>) and prepares the arrays.</summary>
    public static PreparedScenario Create(PlanningBaseline baseline, ScenarioLevers levers, ProjectionPeriod period, BaselineFlows flows)
    {
        ScenarioValidator.EnsureValid(levers, baseline, period);
        var strategy = SelectStrategy(baseline, levers, period);
        if (flows.HorizonStart != baseline.HistoryEndMonth.AddMonths(1))
            throw new ArgumentException("flows were projected for another as-of date", nameof(flows));
        if (period.FirstFy < FinancialYear.Of(baseline.AsOf.AddDays(1)))
            throw new ArgumentException("the period starts before the as-of date", nameof(period));
        if (MonthIndex.Of(flows.HorizonStart) + flows.Horizon - 1 < MonthIndex.Of(FinancialYear.End(period.LastFy)))
            throw new ArgumentException("flows do not reach the end of the period", nameof(flows));
        return new PreparedScenario(baseline, levers, period, flows, strategy);
    }

    /// <summary>The strategy version named by the levers; otherwise the latest version of the most recently changed strategy, if any.</summary>
    public static StrategyVersion? SelectStrategy(PlanningBaseline baseline, ScenarioLevers levers, ProjectionPeriod? period = null)
    {
        if (levers.EffectiveStrategyId is { } id)
        {
            var versions = baseline.Strategies.Where(s => s.StrategyId == id).ToList();
            return levers.EffectiveStrategyVersion is { } v ? versions.Single(s => s.Version == v) : versions.MaxBy(s => s.Version);
        }
        return baseline.Strategies
            .GroupBy(s => s.StrategyId)
            .Select(g => g.MaxBy(s => s.Version)!)
            .Where(s => period is null || s.EndFy >= period.FirstFy)
            .OrderByDescending(s => s.CreatedAt).ThenBy(s => s.StrategyId, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>Share of Shared Lives placements given to a client group: its share of the waiting list (all to ld_autism when the list is empty).</summary>
    internal double SharedLivesShare(string code)
    {
        var total = Baseline.WaitingList.Where(kv => ClientGroups.IsKnown(kv.Key)).Sum(kv => kv.Value);
        if (total == 0) return code == ClientGroups.LdAutism ? 1.0 : 0.0;
        return Baseline.WaitingList.GetValueOrDefault(code) / (double)total;
    }

    internal int YearIndexOfFy(int fy) => Math.Max(0, fy - Period.FirstFy);

    private double[] Component(Dictionary<string, double[]> set, string name)
    {
        if (!set.TryGetValue(name, out var a)) set[name] = a = new double[G * K];
        return a;
    }

    private void AddFrom(double[] a, int g, int k, double value)
    {
        for (var j = k; j < K; j++) a[g * K + j] += value;
    }

    private void BuildDemand()
    {
        var b = Baseline;
        var l = Levers;
        foreach (var c in DemandComponents.Ordered) Component(FixedDemand, c);
        FixedDemand.Remove(DemandComponents.NewStarts);
        FixedDemand.Remove(DemandComponents.Exits);
        FixedDemand.Remove(DemandComponents.Transitions);
        FixedDemand.Remove(DemandComponents.DirectPayments);

        foreach (var s in b.Schemes)
        {
            var g = ClientGroups.IndexOf(s.ClientGroup);
            if (g < 0) { _warnings.Add($"scheme {s.SchemeId}: unknown client group '{s.ClientGroup}' ignored"); continue; }
            AddFrom(FixedDemand[s.InArea ? DemandComponents.HousedInArea : DemandComponents.HousedOutOfArea], g, 0, s.Occupied);
        }
        for (var g = 0; g < G; g++)
        {
            var code = ClientGroups.Known[g];
            AddFrom(FixedDemand[DemandComponents.WaitingList], g, 0, b.WaitingList.GetValueOrDefault(code));
            var pool = b.StepDownCandidates.GetValueOrDefault(code);
            var pace = l.ResidentialToSlMovesPerYear ?? b.ResidentialMovesPerYear.GetValueOrDefault(code);
            var divert = l.AdmissionDiversionPct / 100.0 * b.ResidentialAdmissionsPerYear.GetValueOrDefault(code);
            var shared = l.SharedLivesPlacementsPerYear * SharedLivesShare(code);
            for (var k = 0; k < K; k++)
            {
                var t = TimeFraction[k];
                FixedDemand[DemandComponents.StepDown][g * K + k] = Math.Min(pool, pace * t);
                FixedDemand[DemandComponents.AdmissionDiversion][g * K + k] = divert * t;
                FixedDemand[DemandComponents.SharedLives][g * K + k] = -shared * t;
            }
            if (pool > 0 && pace == 0)
                _warnings.Add($"{code}: {pool} step-down candidates but no moves to supported living observed or set; they add no demand (lever residential_to_sl_moves_per_year)");
        }
        foreach (var need in b.AccommodationNeeds)
        {
            var g = ClientGroups.IndexOf(need.ClientGroup);
            var component = DemandComponents.FromCohort(need.Cohort);
            if (g < 0 || component is null) { _warnings.Add($"accommodation need {need.Cohort}/{need.ClientGroup} not recognised, ignored"); continue; }
            if (need.NeededByFy > Period.LastFy) continue;
            AddFrom(FixedDemand[component], g, YearIndexOfFy(need.NeededByFy), need.People);
        }
    }

    private void BuildTransitions()
    {
        var share = Levers.TransitionsSlShare;
        var weight = Levers.EffectiveCohortMultiplier;
        foreach (var p in Baseline.Transitions)
        {
            if (p.EighteenthBirthday <= Baseline.AsOf) continue;
            var fy = FinancialYear.Of(p.EighteenthBirthday);
            if (fy > Period.LastFy) continue;
            var code = ClientGroups.FromPrimaryNeed(p.PrimaryNeed);
            if (code is null) { _warnings.Add($"transitions {p.YoungPersonId}: unknown primary need '{p.PrimaryNeed}' ignored"); continue; }
            var probability = share is { } s ? p.Likelihood * s : p.PredictedSetting == "supported_living" ? p.Likelihood : 0;
            if (probability <= 0 || weight <= 0) continue;
            TransitionItems.Add(new TransitionItem(p.YoungPersonId, ClientGroups.IndexOf(code), YearIndexOfFy(fy), Math.Clamp(probability, 0, 1), weight));
        }
    }

    private void BuildFlows()
    {
        var l = Levers;
        var horizonStart = MonthIndex.Of(Flows.HorizonStart);
        var conversion = l.ConversionRate is { } cr && Baseline.ObservedConversionRate is > 0 ? cr / Baseline.ObservedConversionRate.Value : 1.0;
        var population = new PopulationDriver(Baseline, l.EffectiveVariant, _warnings);
        for (var g = 0; g < G; g++)
        {
            var code = ClientGroups.Known[g];
            var starts = Flows.Starts[code];
            var ends = Flows.Ends[code];
            var age = ClientGroups.DriverAgeGroup(code);
            for (var h = 0; h < Flows.Horizon; h++)
            {
                var month = horizonStart + h;
                var k = Math.Max(0, MonthIndex.FinancialYearOf(month) - Period.FirstFy);
                if (k >= K) continue;
                var tau = (h + 1) / 12.0;
                var scale = population.Index(age, month) * Math.Pow(1 + l.ExtraPopulationGrowthPct / 100.0, tau) * Math.Pow(1 + l.ContactsGrowthPct / 100.0, tau) * conversion;
                StartMean[g * K + k] += starts.Mean[h] * scale;
                StartSd[g * K + k] += starts.StandardDeviation(h) * scale;
                EndMean[g * K + k] += ends.Mean[h];
                EndSd[g * K + k] += ends.StandardDeviation(h);
            }
        }
    }

    private Dictionary<string, double> BuildSupply()
    {
        var asOf = Baseline.AsOf;
        var include = Levers.IncludeOutOfArea;
        foreach (var c in new[] { SupplyComponents.ExistingInArea, SupplyComponents.ExistingOutOfArea, SupplyComponents.OpeningSchemes, SupplyComponents.Decommissions })
            Component(FixedSupply, c);
        CountedSupply.UnionWith([SupplyComponents.ExistingInArea, SupplyComponents.OpeningSchemes, SupplyComponents.Decommissions]);
        if (include) CountedSupply.Add(SupplyComponents.ExistingOutOfArea);

        var occupied = new double[G];
        var voids = new double[G];
        foreach (var s in Baseline.Schemes)
        {
            var g = ClientGroups.IndexOf(s.ClientGroup);
            if (g < 0) continue;
            if (s.DecommissionDate is { } closed && closed <= asOf) continue;
            if (s.InArea || include)
            {
                if (s.OpenAt(asOf)) { occupied[g] += s.Occupied; voids[g] += s.Void; }
            }
            for (var k = 0; k < K; k++)
            {
                var end = FinancialYear.End(Period.FirstFy + k);
                var i = g * K + k;
                if (!s.InArea)
                {
                    if (s.OpenAt(end)) FixedSupply[SupplyComponents.ExistingOutOfArea][i] += s.Available;
                    continue;
                }
                var openNow = s.OpenedDate <= asOf;
                if (openNow) FixedSupply[SupplyComponents.ExistingInArea][i] += s.Available;
                else if (s.OpenedDate <= end) FixedSupply[SupplyComponents.OpeningSchemes][i] += s.Available;
                if (s.DecommissionDate is { } d && d <= end && (openNow || s.OpenedDate <= end))
                    FixedSupply[SupplyComponents.Decommissions][i] -= s.Available;
            }
        }
        var rates = new Dictionary<string, double>();
        for (var g = 0; g < G; g++)
        {
            VoidRate[g] = Levers.VoidRate ?? (occupied[g] + voids[g] > 0 ? voids[g] / (occupied[g] + voids[g]) : 0);
            rates[ClientGroups.Known[g]] = VoidRate[g];
        }
        return rates;
    }

    private void BuildPipeline()
    {
        var l = Levers;
        var asOf = Baseline.AsOf;
        var cancelled = new HashSet<string>();
        foreach (var key in l.CancelledSchemes ?? [])
            if (ScenarioValidator.FindPipeline(Baseline, key) is { } p) cancelled.Add(p.PipelineId);
        var slip = new Dictionary<string, int>();
        foreach (var s in l.Slippage ?? [])
            if (ScenarioValidator.FindPipeline(Baseline, s.PipelineId) is { } p) slip[p.PipelineId] = slip.GetValueOrDefault(p.PipelineId) + s.Months;

        var all = Baseline.Pipeline.Select(p => (p, added: false)).ToList();
        var n = 0;
        foreach (var s in l.NewSchemes ?? [])
            all.Add((new PipelineScheme($"new-{++n}", s.Name, s.Units, s.Category, s.ClientGroup, s.EffectiveInArea, s.ExpectedDate, null, s.EffectiveStatus), true));

        foreach (var (p, added) in all)
        {
            if (cancelled.Contains(p.PipelineId)) continue;
            if (p.Status == PipelineStatuses.Delivered && p.ExpectedDate <= asOf) continue;
            var g = ClientGroups.IndexOf(p.ClientGroup);
            if (g < 0) { _warnings.Add($"pipeline {p.PipelineId}: unknown client group '{p.ClientGroup}' ignored"); continue; }
            var date = p.ExpectedDate.AddMonths(slip.GetValueOrDefault(p.PipelineId));
            var maxSlip = PipelineStatuses.DefaultMaxSlipMonths.GetValueOrDefault(p.Status);
            var bySlip = new int[maxSlip + 1];
            for (var m = 0; m <= maxSlip; m++) bySlip[m] = YearIndexOfDate(date.AddMonths(m));
            PipelineItems.Add(new PipelineItem(p, g, p.InArea, p.Units, l.DeliveryProbabilityOf(p.Status), Basis.PipelineWeight(p.Status),
                bySlip[0], bySlip));
        }
    }

    /// <summary>Year index of a date, 0 for dates up to the end of the first year, K (beyond the period) after the last.</summary>
    internal int YearIndexOfDate(DateOnly date)
    {
        var fy = FinancialYear.Of(date);
        return fy > Period.LastFy ? K : YearIndexOfFy(fy);
    }

    internal bool CountsPipeline(PipelineItem item) => item.InArea || Levers.IncludeOutOfArea;
}

/// <summary>Population index of a driver age group relative to the last month of history, for one projection variant.</summary>
internal sealed class PopulationDriver
{
    private readonly Dictionary<PopulationAgeGroup, SortedDictionary<int, double>> _series = new();
    private readonly int _baseMonth;

    public PopulationDriver(PlanningBaseline baseline, string variant, List<string> warnings)
    {
        _baseMonth = MonthIndex.Of(baseline.HistoryEndMonth);
        var rows = baseline.Population.Where(p => p.Variant == variant).ToList();
        if (rows.Count == 0)
        {
            if (baseline.Population.Count == 0) warnings.Add("no population data: new starts are not scaled by population");
            else warnings.Add($"no '{variant}' population projection: new starts are not scaled by population");
            return;
        }
        foreach (var age in new[] { PopulationAgeGroup.WorkingAge, PopulationAgeGroup.Older })
        {
            var ofAge = rows.Where(r => r.AgeGroup == age).ToList();
            if (ofAge.Count == 0) continue;
            var source = ofAge.Select(r => r.Source).Max(StringComparer.Ordinal)!;
            _series[age] = new SortedDictionary<int, double>(ofAge.Where(r => r.Source == source).ToDictionary(r => r.Year, r => r.Population));
        }
    }

    public double Index(PopulationAgeGroup age, int month)
    {
        if (!_series.TryGetValue(age, out var s)) return 1.0;
        var baseValue = At(s, _baseMonth);
        return baseValue > 0 ? At(s, month) / baseValue : 1.0;
    }

    private static double At(SortedDictionary<int, double> s, int month)
    {
        var u = MonthIndex.Year(month) + (MonthIndex.Month(month) - 0.5) / 12.0 - 0.5;
        var first = s.Keys.First();
        var last = s.Keys.Last();
        if (u <= first) return s[first];
        if (u >= last) return s[last];
        var y0 = (int)Math.Floor(u);
        var lo = s.Keys.Where(y => y <= y0).Max();
        var hi = s.Keys.Where(y => y > y0).Min();
        var w = (u - lo) / (hi - lo);
        return s[lo] + w * (s[hi] - s[lo]);
    }
}
