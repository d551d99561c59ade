using Forecasting.Engine;

namespace Forecasting.Planning;

/// <summary>A pipeline scheme as the model counts it (after the scenario's overrides, slippage and cancellations).</summary>
/// <param name="BasisWeight">
/// Share of its units the counting basis counts, and the probability a draw delivers it: the delivery probability of
/// its status (or the scenario's override), or 1/0 at or above/below the minimum status.
/// </param>
/// <param name="YearIndex">Reporting year of its expected date (K when after the period).</param>
/// <param name="Month">Month of its expected date, from the start of the projection (may be negative).</param>
/// <param name="MaxSlipMonths">Upper bound of the random delay a draw adds, by status.</param>
internal sealed record PipelineItem(
    PipelineScheme Scheme, int Group, bool InArea, double Units, double BasisWeight, int YearIndex, int Month, int MaxSlipMonths);

/// <summary>A young person who may arrive in the transitions cohort in the month of their 18th birthday.</summary>
internal sealed record TransitionItem(string Id, int Group, int Month, int YearIndex, double Probability, double Weight);

/// <summary>People waiting for a unit, by the cohort they come from; every person waiting is in exactly one.</summary>
public static class WaitingCohorts
{
    public const int WaitingList = 0, StepDown = 1, Diversion = 2, Transitions = 3, Inpatient = 4, TemporaryAccommodation = 5, OlderAwaitingExtraCare = 6;
    /// <summary>Removed from the waiting list other than by death: still in need, housed only when nobody else waits.</summary>
    public const int Displaced = 7;
    /// <summary>Tenants of a closing scheme: housed before anyone else.</summary>
    public const int Rehousing = 8;
    public const int Count = 9;
    /// <summary>Cohorts housed in proportion to the people waiting in each (after re-housing, before displaced need).</summary>
    public const int Regular = 7;

    /// <summary>The demand component each cohort is reported as.</summary>
    public static readonly IReadOnlyList<string> Components =
    [
        DemandComponents.WaitingList, DemandComponents.StepDown, DemandComponents.AdmissionDiversion, DemandComponents.Transitions,
        DemandComponents.Inpatient, DemandComponents.TemporaryAccommodation, DemandComponents.OlderAwaitingExtraCare,
        DemandComponents.DisplacedNeed, DemandComponents.ClosureRehousing,
    ];

    public static int? FromNeedCohort(string cohort) => cohort switch
    {
        "inpatient" => Inpatient,
        "temporary_accommodation" => TemporaryAccommodation,
        "older_awaiting_extra_care" => OlderAwaitingExtraCare,
        _ => null,
    };
}

/// <summary>
/// A baseline with a scenario's levers applied, as monthly arrays per client group: the stocks on the as-of date,
/// the expected arrivals of each cohort, the engine's need-arising paths, exit and removal rates, and supply.
/// The stock-flow model (<see cref="StockFlowModel"/>) runs on it, both for the zero-variance path and for every draw.
/// </summary>
public sealed class PreparedScenario
{
    /// <summary>Need arising moves with the driver population by this elasticity (1 = in proportion).</summary>
    public const double PopulationElasticity = 1.0;

    public PlanningBaseline Baseline { get; }
    public ScenarioLevers Levers { get; }
    public ProjectionPeriod Period { get; }
    public BaselineFlows Flows { get; }
    public CountingBasis Basis { get; }
    public StrategyVersion? Strategy { get; }
    public IReadOnlyList<string> Warnings => _warnings;

    internal const int G = 5;
    internal int K => Period.Years;
    /// <summary>Months simulated, from the month after the last complete month of history to the end of the period.</summary>
    internal int M { get; }
    /// <summary>Reporting year of each month; -1 for months before the first reported year.</summary>
    internal int[] YearOfMonth { get; }
    /// <summary>Last month of each reporting year.</summary>
    internal int[] YearEndMonth { get; }

    internal double[] HousedIn { get; } = new double[G];
    internal double[] HousedOut { get; } = new double[G];
    /// <summary>People waiting on the as-of date, [cohort * G + group].</summary>
    internal double[] InitialWaiting { get; } = new double[WaitingCohorts.Count * G];
    /// <summary>Expected arrivals into each cohort other than transitions, [(cohort * G + group) * M + month] (after direct payments).</summary>
    internal double[] Arrivals { get; }
    internal ForecastPaths[] Arising { get; } = new ForecastPaths[G];

    /// <summary>The engine's need-arising projection of a client group as sample-path uncertainty (before the scenario's scaling).</summary>
    public ForecastPaths ArisingPaths(string clientGroup) => Arising[ClientGroups.IndexOf(clientGroup)];
    /// <summary>Monthly exit rate of a client group's tenancies in month <paramref name="month"/> of the projection (0 = the first).</summary>
    public double ExitRateAt(string clientGroup, int month) => ExitRateByMonth[ClientGroups.IndexOf(clientGroup) * M + month];
    /// <summary>Multiplier on need arising: population driver, extra growth and direct payments, [group * M + month].</summary>
    internal double[] ArisingScale { get; }
    /// <summary>Monthly exit rate of a group's tenancies at the as-of date (its accommodation mix then).</summary>
    internal double[] ExitRate { get; } = new double[G];
    /// <summary>
    /// Monthly exit rate of a group's tenancies in each month of the projection, [group * M + month]: the category rates
    /// weighted by the units of each category open that month (schemes, and the pipeline at its counted weight).
    /// </summary>
    internal double[] ExitRateByMonth { get; private set; } = [];
    /// <summary>Tenancy ends and tenant-months behind <see cref="ExitRate"/> (its parameter uncertainty).</summary>
    internal double[] ExitEvents { get; } = new double[G];
    internal double[] ExitMonths { get; } = new double[G];
    /// <summary>Monthly rate of removals from the waiting list other than housing or death (withdrawn, other).</summary>
    internal double[] RemovalRate { get; } = new double[G];
    internal double[] RemovalEvents { get; } = new double[G];
    internal double[] RemovalMonths { get; } = new double[G];
    /// <summary>Monthly death rate of people waiting (every cohort).</summary>
    internal double[] Mortality { get; } = new double[G];
    /// <summary>Monthly rate at which a person waiting is matched to a unit that is free (new tenancies over waiting-list months); infinite without evidence.</summary>
    internal double[] HousingRate { get; } = new double[G];
    internal double[] HousingEvents { get; } = new double[G];
    internal double[] HousingMonths { get; } = new double[G];
    /// <summary>Between-year variance of the log exit, other-removal and housing rates, [group * 3 + rate] (see <see cref="PlanningBaseline.RateVariation"/>).</summary>
    internal double[] RateVariance { get; } = new double[G * 3];
    /// <summary>Mean months a unit that comes free (or opens) takes to be let: void turnover.</summary>
    internal double[] ReletMonths { get; } = new double[G];
    /// <summary>Void spells ended behind <see cref="ReletMonths"/> (its parameter uncertainty).</summary>
    internal double[] ReletSpells { get; } = new double[G];
    /// <summary>Void units on the as-of date (in area, out of area): being re-let at the start.</summary>
    internal double[] TurningIn { get; } = new double[G];
    internal double[] TurningOut { get; } = new double[G];
    /// <summary>Units (in area, out of area) on the as-of date, for the change in units in the first month.</summary>
    internal double[] UnitsAtStartIn { get; } = new double[G];
    internal double[] UnitsAtStartOut { get; } = new double[G];
    /// <summary>GBP per unit of each quantity of the stock-flow model, [(group * K + year) * Q.Count + q]; null = costs not computed.</summary>
    internal double[]? CostWeights { get; set; }
    internal double[] SharedLivesPerMonth { get; } = new double[G];
    /// <summary>Gross units (not offline) at each month end without the pipeline, [group * M + month].</summary>
    internal double[] GrossIn { get; }
    internal double[] GrossOut { get; }
    /// <summary>Gross extra care units (in and out of area, not offline) at each month end without the pipeline, [group * M + month].</summary>
    internal double[] GrossExtraCare { get; }
    /// <summary>Weeks in each month (days / 7), for person-weeks.</summary>
    internal double[] WeeksInMonth { get; }
    /// <summary>Weekly cost per setting and client group the run prices with (see <see cref="CostCalculator.Resolve"/>).</summary>
    public IReadOnlyList<SettingWeeklyCost> WeeklyCosts { get; }
    /// <summary>Year-end supply components other than the pipeline and voids, [group * K + year].</summary>
    internal Dictionary<string, double[]> FixedSupply { get; } = new();
    internal HashSet<string> CountedSupply { get; } = new();
    internal List<TransitionItem> TransitionItems { get; } = new();
    internal List<PipelineItem> PipelineItems { get; } = new();
    /// <summary>Share of units void when full at the group's turnover (the void allowance of counted supply).</summary>
    internal double[] VoidRate { get; } = new double[G];
    /// <summary>Mean months an offline unit takes to come back (infinite when no offline spell has ended).</summary>
    internal double OfflineReturnMonths { get; private set; }
    /// <summary>Client groups reported and summed into "all".</summary>
    internal bool[] Selected { get; } = new bool[G];
    /// <summary>
    /// Per client group, the share of need that still needs a unit after the direct-payment lever:
    /// (1 - (s0 + change)) / (1 - s0), with s0 today's share met by direct payments.
    /// </summary>
    internal double[] DirectPaymentFactor { get; } = new double[G];

    private readonly List<string> _warnings = new();

    private PreparedScenario(PlanningBaseline baseline, ScenarioLevers levers, ProjectionPeriod period, BaselineFlows flows, StrategyVersion? strategy,
        IReadOnlyList<string> droppedLevers)
    {
        Baseline = baseline;
        Levers = levers;
        Period = period;
        Flows = flows;
        Strategy = strategy;
        foreach (var d in droppedLevers) _warnings.Add($"stored lever {d} is retired and was ignored");
        for (var g = 0; g < G; g++)
        {
            var s0 = baseline.DirectPaymentShareOf(ClientGroups.Known[g]);
            DirectPaymentFactor[g] = s0 < 1 ? (1 - (s0 + levers.DirectPaymentShareChange)) / (1 - s0) : 1;
        }
        if (levers.DirectPaymentShareChange != 0 && baseline.DirectPaymentShare.Count == 0)
            _warnings.Add("direct_payment_share_change: no direct-payment services in the data, so today's share is taken as 0 and need is scaled by (1 - change)");
        if (levers.TransitionsCohortMultiplier == 0)
            _warnings.Add("transitions_cohort_multiplier is 0: no young people in transition arrive (set it to 1, or leave it unset, for the expected number)");
        foreach (var conflict in ScenarioValidator.StatusConflicts(levers, baseline))
            _warnings.Add($"levers.{conflict.Field}: {conflict.Reason}");
        foreach (var code in levers.EffectiveClientGroups) Selected[ClientGroups.IndexOf(code)] = true;

        var start = MonthIndex.Of(flows.HorizonStart);
        M = MonthIndex.Of(FinancialYear.End(period.LastFy)) - start + 1;
        YearOfMonth = new int[M];
        YearEndMonth = new int[K];
        for (var m = 0; m < M; m++)
        {
            var fy = MonthIndex.FinancialYearOf(start + m);
            YearOfMonth[m] = fy < period.FirstFy ? -1 : fy - period.FirstFy;
        }
        for (var k = 0; k < K; k++) YearEndMonth[k] = MonthIndex.Of(FinancialYear.End(period.FirstFy + k)) - start;

        Arrivals = new double[WaitingCohorts.Count * G * M];
        ArisingScale = new double[G * M];
        GrossIn = new double[G * M];
        GrossOut = new double[G * M];
        GrossExtraCare = new double[G * M];
        WeeksInMonth = new double[M];
        for (var m = 0; m < M; m++) WeeksInMonth[m] = DateTime.DaysInMonth(MonthIndex.Year(start + m), MonthIndex.Month(start + m)) / 7.0;
        WeeklyCosts = CostCalculator.Resolve(baseline, levers);
        if (baseline.ServiceEpisodes == 0 && levers.WeeklyCosts is not { Count: > 0 })
            _warnings.Add("no services data for this council: weekly costs come from levers.weekly_costs only");

        BuildStocksAndRates();
        BuildArrivals();
        BuildArising();
        BuildTransitions();
        var voidRates = BuildSupply();
        Basis = CountingBasis.Create(baseline.AsOf, levers, voidRates, HousedOut.Sum());
        BuildPipeline();
        BuildExitRates();
        CostWeights = CostCalculator.Weights(this);
    }

    /// <summary>Validates the levers (throws <see cref="ScenarioValidationException"/>) and prepares the arrays.</summary>
    public static PreparedScenario Create(PlanningBaseline baseline, ScenarioLevers levers, ProjectionPeriod period, BaselineFlows flows,
        IReadOnlyList<string>? droppedLevers = null)
    {
        ScenarioValidator.EnsureValid(levers, baseline, period);
        var strategy = SelectStrategy(baseline, levers, period);
        if (flows.HorizonStart != baseline.HistoryEndMonth.AddMonths(1))
            throw new ArgumentException("flows were projected for another as-of date", nameof(flows));
        if (period.FirstFy < FinancialYear.Of(baseline.AsOf.AddDays(1)))
            throw new ArgumentException("the period starts before the as-of date", nameof(period));
        if (MonthIndex.Of(flows.HorizonStart) + flows.Horizon - 1 < MonthIndex.Of(FinancialYear.End(period.LastFy)))
            throw new ArgumentException("flows do not reach the end of the period", nameof(flows));
        return new PreparedScenario(baseline, levers, period, flows, strategy, droppedLevers ?? []);
    }

    /// <summary>
    /// The strategy version named by the levers; otherwise the latest version of the most recently changed strategy, if any.
    /// Versions outside the bounds of <see cref="StrategyVersion.BoundsErrors"/> (stored before they were checked) are
    /// passed over: a strategy's latest version within them is taken, and naming one outside them is a lever error.
    /// </summary>
    public static StrategyVersion? SelectStrategy(PlanningBaseline baseline, ScenarioLevers levers, ProjectionPeriod? period = null)
    {
        if (levers.EffectiveStrategyId is { } id)
        {
            var versions = baseline.Strategies.Where(s => s.StrategyId == id).ToList();
            return levers.EffectiveStrategyVersion is { } v ? versions.Single(s => s.Version == v) : versions.Where(s => s.WithinBounds).MaxBy(s => s.Version);
        }
        return baseline.Strategies
            .Where(s => s.WithinBounds)
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

    /// <summary>Month of a date from the start of the projection (negative before it).</summary>
    internal int MonthOf(DateOnly date) => MonthIndex.Of(date) - MonthIndex.Of(Flows.HorizonStart);

    /// <summary>Year index of a date, 0 for dates up to the end of the first year, K (beyond the period) after the last.</summary>
    internal int YearIndexOfDate(DateOnly date)
    {
        var fy = FinancialYear.Of(date);
        return fy > Period.LastFy ? K : YearIndexOfFy(fy);
    }

    internal bool CountsPipeline(PipelineItem item) => item.InArea || Levers.IncludeOutOfArea;

    private void BuildStocksAndRates()
    {
        var b = Baseline;
        foreach (var s in b.Schemes)
        {
            var g = ClientGroups.IndexOf(s.ClientGroup);
            if (g < 0) { _warnings.Add($"scheme {s.SchemeId}: unknown client group '{s.ClientGroup}' ignored"); continue; }
            if (s.InArea) HousedIn[g] += s.Occupied;
            else HousedOut[g] += s.Occupied;
        }
        for (var g = 0; g < G; g++)
        {
            var code = ClientGroups.Known[g];
            InitialWaiting[WaitingCohorts.WaitingList * G + g] = b.WaitingList.GetValueOrDefault(code);
            ExitRate[g] = MixedExitRate(g, b.Schemes.Where(x => x.ClientGroup == code && x.OpenAt(b.AsOf)).Select(x => (x.Category, (double)x.Available)));
            (ExitEvents[g], ExitMonths[g]) = b.ExitEvidence(code);
            // Death is an exit from demand; other removals (withdrawn, other) leave the list but, when counted, not the need.
            Mortality[g] = b.Mortality(code);
            RemovalRate[g] = Levers.EffectiveCountDisplacedNeed ? b.OtherRemovalRate(code) : Math.Max(0, b.WaitingRemovalRate(code) - Mortality[g]);
            RemovalMonths[g] = b.RemovalExposure(code);
            RemovalEvents[g] = RemovalRate[g] * RemovalMonths[g];
            (HousingEvents[g], HousingMonths[g]) = b.HousingEvidence(code);
            HousingRate[g] = HousingMonths[g] > 0 && HousingEvents[g] > 0 ? HousingEvents[g] / HousingMonths[g] : double.PositiveInfinity;
            (RateVariance[g * 3], RateVariance[g * 3 + 1], RateVariance[g * 3 + 2]) = b.RateVariation(code);
            SharedLivesPerMonth[g] = Levers.SharedLivesPlacementsPerYear * SharedLivesShare(code) / 12.0;
        }
    }

    /// <summary>
    /// A group's exit rate for a mix of units by category: the category rates weighted by units (the group's own rate for a
    /// category without one, or when the data give no categories or units).
    /// </summary>
    private double MixedExitRate(int g, IEnumerable<(string Category, double Units)> units)
    {
        // Both rates walk the history: once per group, not once per month.
        var (categories, own) = _exitRates[g] ??= (Baseline.CategoryExitRates(ClientGroups.Known[g]), Baseline.ExitRate(ClientGroups.Known[g]));
        double weighted = 0, total = 0;
        foreach (var (category, n) in units)
        {
            weighted += n * categories.GetValueOrDefault(category, own);
            total += n;
        }
        return total > 0 && categories.Count > 0 ? weighted / total : own;
    }

    private readonly (IReadOnlyDictionary<string, double> Categories, double Own)?[] _exitRates = new (IReadOnlyDictionary<string, double>, double)?[G];

    private void BuildExitRates()
    {
        ExitRateByMonth = new double[G * M];
        var start = MonthIndex.Of(Flows.HorizonStart);
        for (var m = 0; m < M; m++)
        {
            var end = MonthIndex.FirstDay(start + m).AddMonths(1).AddDays(-1);
            for (var g = 0; g < G; g++)
            {
                var code = ClientGroups.Known[g];
                var open = Baseline.Schemes.Where(x => x.ClientGroup == code && x.OpenAt(end)).Select(x => (x.Category, (double)x.Available))
                    .Concat(PipelineItems.Where(p => p.Group == g && p.Month <= m).Select(p => (p.Scheme.Category, p.Units * p.BasisWeight)));
                ExitRateByMonth[g * M + m] = MixedExitRate(g, open);
            }
        }
    }

    /// <param name="explicitCount">A count the scenario sets (not need arising on its own): direct payments do not scale it.</param>
    private void AddArrival(int cohort, int g, int m, double people, bool explicitCount = false) =>
        Arrivals[(cohort * G + g) * M + m] += people * (explicitCount ? 1 : DirectPaymentFactor[g]);

    private void BuildArrivals()
    {
        var b = Baseline;
        var l = Levers;
        var pools = ClientGroups.Known.Select(c => (double)b.StepDownCandidates.GetValueOrDefault(c)).ToArray();
        var observed = ClientGroups.Known.Select(c => b.ResidentialMovesPerYear.GetValueOrDefault(c)).ToArray();
        var pace = new double[G];
        if (l.ResidentialToSlMovesPerYear is { } total)
        {
            // By the observed pace when there are observed moves (so the observed total reproduces the baseline), else by candidates.
            var weights = observed.Sum() > 0 ? observed : pools;
            var sum = weights.Sum();
            if (sum > 0) for (var g = 0; g < G; g++) pace[g] = total * weights[g] / sum;
            else if (total > 0) _warnings.Add("residential_to_sl_moves_per_year: no step-down candidates or observed moves to split the moves across; they add no demand");
        }
        else Array.Copy(observed, pace, G);

        for (var g = 0; g < G; g++)
        {
            var code = ClientGroups.Known[g];
            var divert = l.AdmissionDiversionPct / 100.0 * b.ResidentialAdmissionsPerYear.GetValueOrDefault(code) / 12.0;
            // Moves continue at the pace: the candidates identified today are replenished by later admissions.
            for (var m = 0; m < M; m++)
            {
                if (pace[g] > 0) AddArrival(WaitingCohorts.StepDown, g, m, pace[g] / 12.0, explicitCount: l.ResidentialToSlMovesPerYear is not null);
                if (divert > 0) AddArrival(WaitingCohorts.Diversion, g, m, divert);
            }
            if (pools[g] > 0 && pace[g] == 0)
                _warnings.Add($"{code}: {pools[g]} step-down candidates but no moves to supported living observed or set; they add no demand (lever residential_to_sl_moves_per_year)");
        }
        foreach (var need in b.AccommodationNeeds)
        {
            var g = ClientGroups.IndexOf(need.ClientGroup);
            var cohort = WaitingCohorts.FromNeedCohort(need.Cohort);
            if (g < 0 || cohort is null) { _warnings.Add($"accommodation need {need.Cohort}/{need.ClientGroup} not recognised, ignored"); continue; }
            var m = MonthOf(need.NeededBy);
            if (m >= M) continue;
            // Needed by the as-of date: waiting now, part of the opening stock (not scaled by direct payments).
            if (m < 0) InitialWaiting[cohort.Value * G + g] += need.People;
            else AddArrival(cohort.Value, g, m, need.People);
        }
    }

    private void BuildArising()
    {
        var l = Levers;
        var start = MonthIndex.Of(Flows.HorizonStart);
        var population = new PopulationDriver(Baseline, l.EffectiveVariant, _warnings);
        for (var g = 0; g < G; g++)
        {
            var code = ClientGroups.Known[g];
            var f = Flows.Arising[code];
            // Count noise (Poisson: variance = mean) is drawn around the path month by month; only what persists (the level's
            // estimation and drift) is a level. Without the projector's persistent part, the first month's variance is
            // taken as noise and only its growth persists, so one month's noise is never loaded as a permanent level.
            var transient = new double[f.Mean.Length];
            var upper = f.Upper;
            if (f.PersistentVariance is { } persistent)
            {
                var zLevel = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + f.Level / 200.0);
                upper = new double[f.Mean.Length];
                for (var m = 0; m < transient.Length; m++)
                {
                    transient[m] = Math.Max(0, f.Mean[m]);
                    // The persistent level steps once a quarter (its variance at the first month of each quarter): a smooth
                    // level needs no monthly steps, and a third of the steps is a third of the draw's cost of the level.
                    upper[m] = f.Mean[m] + zLevel * Math.Sqrt(transient[m] + persistent[m - m % 3]);
                }
            }
            else
            {
                var first = f.Mean.Length > 0 ? Math.Pow(f.StandardDeviation(0), 2) : 0;
                for (var m = 0; m < transient.Length; m++) transient[m] = Math.Max(Math.Max(0, f.Mean[m]), first);
            }
            Arising[g] = ForecastPaths.FromInterval(f.Mean, upper, f.Level, transient);
            var age = ClientGroups.DriverAgeGroup(code);
            for (var m = 0; m < M; m++)
            {
                var years = (m + 1) / 12.0;
                var driver = population.Index(age, start + m) * Math.Pow(1 + l.ExtraPopulationGrowthPct / 100.0, years);
                ArisingScale[g * M + m] = Math.Pow(driver, PopulationElasticity) * DirectPaymentFactor[g];
            }
        }
    }

    private void BuildTransitions()
    {
        var share = Levers.TransitionsSlShare;
        var weight = Levers.EffectiveCohortMultiplier;
        foreach (var p in Baseline.Transitions)
        {
            if (p.EighteenthBirthday <= Baseline.AsOf) continue;
            var m = MonthOf(p.EighteenthBirthday);
            if (m >= M) continue;
            var code = ClientGroups.FromPrimaryNeed(p.PrimaryNeed);
            if (code is null) { _warnings.Add($"transitions {p.YoungPersonId}: unknown primary need '{p.PrimaryNeed}' ignored"); continue; }
            var probability = share is { } s ? p.Likelihood * s : p.PredictedSetting == "supported_living" ? p.Likelihood : 0;
            if (probability <= 0 || weight <= 0) continue;
            TransitionItems.Add(new TransitionItem(p.YoungPersonId, ClientGroups.IndexOf(code), Math.Max(0, m), YearIndexOfDate(p.EighteenthBirthday),
                Math.Clamp(probability, 0, 1), weight * DirectPaymentFactor[ClientGroups.IndexOf(code)]));
        }
    }

    private Dictionary<string, double> BuildSupply()
    {
        var asOf = Baseline.AsOf;
        var include = Levers.IncludeOutOfArea;
        foreach (var c in new[] { SupplyComponents.ExistingInArea, SupplyComponents.ExistingOutOfArea, SupplyComponents.OpeningSchemes, SupplyComponents.Decommissions })
            FixedSupply[c] = new double[G * K];
        CountedSupply.UnionWith([SupplyComponents.ExistingInArea, SupplyComponents.OpeningSchemes, SupplyComponents.Decommissions]);
        if (include) CountedSupply.Add(SupplyComponents.ExistingOutOfArea);

        // Offline units come back at the data's rate (mean months offline of the spells that ended, all groups pooled):
        // the expected share back by the end of month m is 1 - (1 - 1/T)^(m + 1).
        var turnover = Baseline.Turnover.Values;
        var offlineEnded = turnover.Sum(t => t.OfflineSpellsEnded);
        var offlineMonths = offlineEnded > 0 ? turnover.Sum(t => t.OfflineUnitMonths) / offlineEnded : double.PositiveInfinity;
        var offlineReturn = double.IsFinite(offlineMonths) ? Math.Min(1, 1 / Math.Max(1, offlineMonths)) : 0;
        OfflineReturnMonths = offlineMonths;
        foreach (var s in Baseline.Schemes)
        {
            var g = ClientGroups.IndexOf(s.ClientGroup);
            if (g < 0) continue;
            if (s.DecommissionDate is { } closed && closed <= asOf) continue;
            if (s.OpenAt(asOf))
            {
                (s.InArea ? UnitsAtStartIn : UnitsAtStartOut)[g] += s.Available;
                (s.InArea ? TurningIn : TurningOut)[g] += s.Void;
            }
            for (var m = 0; m < M; m++)
            {
                var end = MonthIndex.FirstDay(MonthIndex.Of(Flows.HorizonStart) + m).AddMonths(1).AddDays(-1);
                if (!s.OpenAt(end)) continue;
                var back = s.Offline * (1 - Math.Pow(1 - offlineReturn, m + 1));
                (s.InArea ? GrossIn : GrossOut)[g * M + m] += s.Available + back;
                if (s.Category == "extra_care") GrossExtraCare[g * M + m] += s.Available + back;
            }
            for (var k = 0; k < K; k++)
            {
                var end = FinancialYear.End(Period.FirstFy + k);
                var i = g * K + k;
                var back = s.Offline * (1 - Math.Pow(1 - offlineReturn, Math.Max(0, MonthOf(end)) + 1));
                if (!s.InArea)
                {
                    if (s.OpenAt(end)) FixedSupply[SupplyComponents.ExistingOutOfArea][i] += s.Available + back;
                    continue;
                }
                var openNow = s.OpenedDate <= asOf;
                if (openNow) FixedSupply[SupplyComponents.ExistingInArea][i] += s.Available + (s.OpenAt(end) ? back : 0);
                else if (s.OpenedDate <= end) FixedSupply[SupplyComponents.OpeningSchemes][i] += s.Available;
                if (s.DecommissionDate is { } d && d <= end && (openNow || s.OpenedDate <= end))
                    FixedSupply[SupplyComponents.Decommissions][i] -= s.Available;
            }
        }
        // Voids as turnover: a unit that comes free (a tenant leaves, a unit opens or comes back) is let after the group's mean
        // re-let time (void unit-months over void spells ended, last 36 months; all groups pooled when a group has fewer than
        // 10 ended spells). The void allowance in counted supply is the share of units this turnover keeps void when units
        // are full: e T / (1 + e T) for exit rate e a month. A void_rate lever is a target: groups above it re-let faster to
        // reach it; groups already below keep their own.
        var pooledEnded = turnover.Sum(t => t.VoidSpellsEnded);
        var pooledRelet = pooledEnded > 0 ? turnover.Sum(t => t.VoidUnitMonths) / pooledEnded : 0;
        var rates = new Dictionary<string, double>();
        var below = new List<string>();
        for (var g = 0; g < G; g++)
        {
            var code = ClientGroups.Known[g];
            var own = Baseline.Turnover.GetValueOrDefault(code);
            ReletMonths[g] = own is { VoidSpellsEnded: >= 10, MeanRelet: { } t } ? t : pooledRelet;
            ReletSpells[g] = own is { VoidSpellsEnded: >= 10 } ? own.VoidSpellsEnded : pooledEnded;
            var e = ExitRate[g];
            var steady = e * ReletMonths[g] / (1 + e * ReletMonths[g]);
            if (Levers.VoidRate is { } target && e > 0)
            {
                if (steady > target)
                {
                    ReletMonths[g] = target / ((1 - target) * e);
                    steady = target;
                }
                else if (Selected[g]) below.Add($"{code} {steady:P1}");
            }
            VoidRate[g] = steady;
            rates[code] = VoidRate[g];
        }
        if (below.Count > 0)
            _warnings.Add($"void_rate {Levers.VoidRate:P1} is a target: already below it and unchanged: {string.Join(", ", below)}");
        return rates;
    }

    private void BuildPipeline()
    {
        var l = Levers;
        var cancelled = new HashSet<string>();
        foreach (var key in l.CancelledSchemes ?? [])
            if (ScenarioValidator.FindPipeline(Baseline, key) is { } p) cancelled.Add(p.PipelineId);
        var slip = new Dictionary<string, int>();
        foreach (var s in l.Slippage ?? [])
            if (ScenarioValidator.FindPipeline(Baseline, s.PipelineId) is { } p) slip[p.PipelineId] = slip.GetValueOrDefault(p.PipelineId) + s.Months;
        var overrides = new Dictionary<string, SchemeOverride>();
        foreach (var o in l.SchemeOverrides ?? [])
            if (ScenarioValidator.FindPipeline(Baseline, o.PipelineId) is { } p) overrides[p.PipelineId] = o;

        var all = new List<PipelineScheme>();
        foreach (var p in Baseline.Pipeline)
        {
            if (cancelled.Contains(p.PipelineId)) continue;
            // A delivered scheme is in the schemes and units tables (from its opening date), so it is not counted again.
            if (p.Status == PipelineStatuses.Delivered) continue;
            all.Add(overrides.TryGetValue(p.PipelineId, out var o)
                ? p with
                {
                    Status = string.IsNullOrEmpty(o.Status) ? p.Status : o.Status,
                    Units = o.Units ?? p.Units,
                    ExpectedDate = o.ExpectedDate ?? p.ExpectedDate,
                }
                : p);
        }
        var n = 0;
        foreach (var s in l.NewSchemes ?? [])
            all.Add(new PipelineScheme($"new-{++n}", s.Name, s.Units, s.Category, s.ClientGroup, s.EffectiveInArea, s.ExpectedDate, null, s.EffectiveStatus));

        foreach (var p in all)
        {
            var g = ClientGroups.IndexOf(p.ClientGroup);
            if (g < 0) { _warnings.Add($"pipeline {p.PipelineId}: unknown client group '{p.ClientGroup}' ignored"); continue; }
            var date = p.ExpectedDate.AddMonths(slip.GetValueOrDefault(p.PipelineId));
            var maxSlip = PipelineStatuses.DefaultMaxSlipMonths.GetValueOrDefault(p.Status);
            var probability = overrides.TryGetValue(p.PipelineId, out var o) && o.Probability is { } op ? op : l.DeliveryProbabilityOf(p.Status);
            var weight = Basis.PipelineCounting == PipelineCounting.StatusThreshold ? Basis.PipelineWeight(p.Status) : probability;
            PipelineItems.Add(new PipelineItem(p, g, p.InArea, p.Units, weight, YearIndexOfDate(date), MonthOf(date), maxSlip));
        }
    }
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
            if (baseline.Population.Count == 0) warnings.Add("no population data: need arising is not scaled by population");
            else warnings.Add($"no '{variant}' population projection: need arising is not scaled by population");
            return;
        }
        foreach (var age in new[] { PopulationAgeGroup.WorkingAge, PopulationAgeGroup.Aged85Plus })
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
