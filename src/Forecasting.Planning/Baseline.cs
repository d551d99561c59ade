namespace Forecasting.Planning;

/// <summary>A young person in the transitions cohort.</summary>
public sealed record TransitionPerson(
    string YoungPersonId, DateOnly DateOfBirth, string PrimaryNeed, string PredictedSetting, bool OutOfArea, double Likelihood)
{
    public DateOnly EighteenthBirthday => DateOfBirth.AddYears(18);
}

/// <summary>Open accommodation needs of one cohort and client group, needed by a month (its first day).</summary>
public sealed record AccommodationNeed(string Cohort, string ClientGroup, DateOnly NeededBy, int People)
{
    public int NeededByFy => FinancialYear.Of(NeededBy);
}

/// <summary>A scheme with its units by status at the as-of date (units without a status row are NoStatus).</summary>
public sealed record SchemeStock(
    string SchemeId, string Name, string Category, string ClientGroup, bool InArea,
    DateOnly OpenedDate, DateOnly? DecommissionDate, int Occupied, int Void, int Offline, int NoStatus)
{
    /// <summary>Units that can be let: every unit that is not offline.</summary>
    public int Available => Occupied + Void + NoStatus;
    public bool OpenAt(DateOnly date) => OpenedDate <= date && (DecommissionDate is null || DecommissionDate > date);
}

/// <param name="StatusDate">The date the status was recorded (null = not known).</param>
public sealed record PipelineScheme(
    string PipelineId, string Name, int Units, string Category, string ClientGroup, bool InArea,
    DateOnly ExpectedDate, string? StrategyPhase, string Status, DateOnly? StatusDate = null);

/// <summary>
/// What became of a pipeline scheme as the data records it today: its status and status date, and when it was
/// delivered, the scheme it became and its opening date.
/// </summary>
public sealed record PipelineOutcome(PipelineScheme Scheme, string? SchemeId, DateOnly? OpenedDate);

/// <summary>Population of one driver age group in one mid-year, for one projection variant and source.</summary>
public sealed record PopulationPoint(string Variant, string Source, int Year, PopulationAgeGroup AgeGroup, double Population);

/// <summary>Monthly counts starting at the month of <see cref="FirstMonth"/>.</summary>
public sealed record MonthlySeries(DateOnly FirstMonth, double[] Values)
{
    public int FirstMonthIndex => MonthIndex.Of(FirstMonth);
    public int LastMonthIndex => FirstMonthIndex + Values.Length - 1;
}

/// <summary>Everything the planning model reads from the store, at one as-of date.</summary>
public sealed record PlanningBaseline
{
    public required string CouncilCode { get; init; }
    /// <summary>Stock measures are taken at this date; flows are projected from the month after <see cref="HistoryEndMonth"/>.</summary>
    public required DateOnly AsOf { get; init; }
    public string? SnapshotId { get; init; }
    /// <summary>Last complete month of history (first day of that month).</summary>
    public DateOnly HistoryEndMonth => LastCompleteMonth(AsOf);

    public IReadOnlyDictionary<string, int> WaitingList { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> StepDownCandidates { get; init; } = new Dictionary<string, int>();
    /// <summary>Observed moves from residential care to supported living per year (last three years).</summary>
    public IReadOnlyDictionary<string, double> ResidentialMovesPerYear { get; init; } = new Dictionary<string, double>();
    /// <summary>Permanent residential (not nursing) admissions in the last twelve months.</summary>
    public IReadOnlyDictionary<string, double> ResidentialAdmissionsPerYear { get; init; } = new Dictionary<string, double>();
    public IReadOnlyList<TransitionPerson> Transitions { get; init; } = [];
    public IReadOnlyList<AccommodationNeed> AccommodationNeeds { get; init; } = [];
    public IReadOnlyList<SchemeStock> Schemes { get; init; } = [];
    public IReadOnlyList<PipelineScheme> Pipeline { get; init; } = [];
    public IReadOnlyList<PopulationPoint> Population { get; init; } = [];
    /// <summary>
    /// Monthly need arising per client group, ending at <see cref="HistoryEndMonth"/>: people added to the waiting
    /// list plus direct placements (tenancies of people never on the waiting list and not moving from residential care).
    /// </summary>
    public IReadOnlyDictionary<string, MonthlySeries> NeedArising { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>Monthly removals from the waiting list other than being housed (withdrawn, deceased, other).</summary>
    public IReadOnlyDictionary<string, MonthlySeries> WaitingRemovals { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>People in a supported-living tenancy at the start of each month (tenancies open on its first day).</summary>
    public IReadOnlyDictionary<string, MonthlySeries> HousedAtMonthStart { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>People on the waiting list at the start of each month.</summary>
    public IReadOnlyDictionary<string, MonthlySeries> WaitingAtMonthStart { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>Monthly new tenancies per client group, ending at <see cref="HistoryEndMonth"/>.</summary>
    public IReadOnlyDictionary<string, MonthlySeries> NewTenancies { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>Monthly tenancy ends per client group, ending at <see cref="HistoryEndMonth"/>.</summary>
    public IReadOnlyDictionary<string, MonthlySeries> TenancyEnds { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>Monthly tenancy ends per client group and scheme category, keyed by <see cref="CategoryKey"/>.</summary>
    public IReadOnlyDictionary<string, MonthlySeries> TenancyEndsByCategory { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>People in a tenancy at the start of each month per client group and scheme category, keyed by <see cref="CategoryKey"/>.</summary>
    public IReadOnlyDictionary<string, MonthlySeries> HousedByCategory { get; init; } = new Dictionary<string, MonthlySeries>();

    public static string CategoryKey(string group, string category) => group + "|" + category;

    /// <summary>Monthly tenancy ends by death per client group (end_reason deceased).</summary>
    public IReadOnlyDictionary<string, MonthlySeries> TenantDeaths { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>Monthly removals from the waiting list by death per client group (removal_reason deceased).</summary>
    public IReadOnlyDictionary<string, MonthlySeries> WaitingDeaths { get; init; } = new Dictionary<string, MonthlySeries>();
    /// <summary>
    /// Turnover of units per client group over the last <see cref="RateMonths"/> months: unit-months void or offline and the
    /// spells of each that ended (units in area and out of area), for the mean re-let and return times.
    /// </summary>
    public IReadOnlyDictionary<string, UnitTurnover> Turnover { get; init; } = new Dictionary<string, UnitTurnover>();
    public IReadOnlyList<StrategyVersion> Strategies { get; init; } = [];
    /// <summary>
    /// Median weekly cost (GBP) of the long-term services open on the as-of date, per setting planning prices
    /// (<see cref="CostSettings"/>); a setting with no open services is absent.
    /// </summary>
    public IReadOnlyDictionary<string, WeeklyCostObservation> WeeklyCosts { get; init; } = new Dictionary<string, WeeklyCostObservation>();
    /// <summary>Rows of the council's services table (0 = no services data: weekly costs come from levers only).</summary>
    public int ServiceEpisodes { get; init; }
    /// <summary>Weekly costs per setting and client group or age band, the council's cost assumptions and budget lines (see Costs).</summary>
    public CostData Costs { get; init; } = CostData.Empty;

    /// <summary>
    /// Rules that stand in for what the data does not record as it was on the as-of date (a pipeline status before
    /// its status date, a population vintage not yet published), each stated in words; empty when none applied.
    /// </summary>
    public IReadOnlyList<string> Substitutions { get; init; } = [];
    /// <summary>First month from which both tenancies and the waiting list are recorded (null = unknown).</summary>
    public DateOnly? RecordsStartMonth { get; init; }
    /// <summary>
    /// The pipeline as recorded today with the outcome of each scheme (delivered schemes matched to the schemes
    /// table with their opening date), for the pipeline backtest; empty unless the loader provides it.
    /// </summary>
    public IReadOnlyList<PipelineOutcome> PipelineOutcomes { get; init; } = [];
    /// <summary>
    /// Today's share of need met by direct payments per client group: people of the group with a direct-payment service
    /// open on the as-of date over those people plus the people in supported living, extra care or Shared Lives services
    /// open that day (services mapped to client groups by primary support reason and age). Absent = 0.
    /// </summary>
    public IReadOnlyDictionary<string, double> DirectPaymentShare { get; init; } = new Dictionary<string, double>();

    public double DirectPaymentShareOf(string group) => DirectPaymentShare.GetValueOrDefault(group);

    /// <summary>Months of history the exit and waiting-list removal rates are estimated from.</summary>
    public const int RateMonths = 36;

    /// <summary>Monthly rate at which tenancies end: ends over tenant-months in the last <see cref="RateMonths"/> months.</summary>
    public double ExitRate(string group) => Rate(TenancyEnds, HousedAtMonthStart, group);

    /// <summary>
    /// Monthly exit rates of a group's tenancies by scheme category (supported living, shared house, extra care...), last
    /// <see cref="RateMonths"/> months. Tenancies last longer in some kinds of accommodation than others (an extra-care flat
    /// is let to older people), so when a group's mix of accommodation changes, so does its exit rate. Each group's log
    /// rate in a category is shrunk towards the category's rate over all groups (random effects across groups,
    /// <see cref="RandomEffects"/>), so a category the group has little or no history of takes the others' rate. Empty when
    /// the data give tenancies no category.
    /// </summary>
    public IReadOnlyDictionary<string, double> CategoryExitRates(string group)
    {
        var rates = new Dictionary<string, double>();
        foreach (var category in HousedByCategory.Keys.Where(k => k.Contains('|')).Select(k => k[(k.IndexOf('|') + 1)..]).Distinct(StringComparer.Ordinal))
        {
            var evidence = HousedByCategory.Keys.Where(k => k.EndsWith("|" + category, StringComparison.Ordinal))
                .Select(k => (Key: k, Evidence: Evidence(TenancyEndsByCategory, HousedByCategory, k)))
                .Where(x => x.Evidence.Months > 0).ToList();
            if (evidence.Count == 0) continue;
            // log of the posterior mean (events + 1/2) / exposure (Jeffreys prior, as the simulation draws rates), with Poisson
            // variance about 1 / (events + 1/2): finite for a category without exits.
            var y = evidence.Select(x => Math.Log((x.Evidence.Events + 0.5) / x.Evidence.Months)).ToList();
            var v = evidence.Select(x => 1 / (x.Evidence.Events + 0.5)).ToList();
            var own = evidence.FindIndex(x => x.Key == CategoryKey(group, category));
            var pooled = RandomEffects.Fit(y, v);
            double log;
            if (pooled is null) log = y[0];                    // one group has this category: its own rate
            else if (own < 0) log = pooled.Mean + pooled.Tau2 / 2; // none of it yet: the mean rate over groups
            else log = pooled.Shrink(y[own], v[own]).Estimate;
            rates[category] = Math.Min(1, Math.Exp(log));
        }
        return rates;
    }

    /// <summary>
    /// Months of history the waiting list's removal rates are estimated from: the last 12, not 36. Removals other than
    /// housing follow how the list is managed (reviews, clearing), which changes from year to year, where tenancy ends
    /// follow tenants' lives; on the sample's backtest the 12-month rate projects the list better (waiting list MAE per
    /// group 6.5 against 6.8 with 36 months), and its larger uncertainty is drawn with it.
    /// </summary>
    public const int RemovalRateMonths = 12;

    /// <summary>Monthly rate at which people leave the waiting list other than by being housed (last <see cref="RemovalRateMonths"/> months).</summary>
    public double WaitingRemovalRate(string group) => Rate(WaitingRemovals, WaitingAtMonthStart, group, RemovalRateMonths);

    /// <summary>Waiting-list months of the removal rates' window (their exposure).</summary>
    public double RemovalExposure(string group) => Evidence(WaitingRemovals, WaitingAtMonthStart, group, RemovalRateMonths).Months;

    /// <summary>
    /// Monthly death rate of the group's people, housed or waiting: tenant deaths and waiting-list deaths over tenant-months
    /// and waiting-months (one mortality for the same people wherever they are). Never above the exit rate, since a
    /// tenancy also ends by death.
    /// </summary>
    public double Mortality(string group)
    {
        var (tenantDeaths, tenantMonths) = Evidence(TenantDeaths, HousedAtMonthStart, group);
        var (waitingDeaths, waitingMonths) = Evidence(WaitingDeaths, WaitingAtMonthStart, group);
        var months = tenantMonths + waitingMonths;
        return months > 0 ? Math.Min(ExitRate(group), (tenantDeaths + waitingDeaths) / months) : 0;
    }

    /// <summary>Monthly rate at which people leave the waiting list other than by being housed or dying (withdrawn, other).</summary>
    public double OtherRemovalRate(string group)
    {
        var (removals, months) = Evidence(WaitingRemovals, WaitingAtMonthStart, group, RemovalRateMonths);
        var (deaths, _) = Evidence(WaitingDeaths, WaitingAtMonthStart, group, RemovalRateMonths);
        return months > 0 ? Math.Min(1, Math.Max(0, removals - deaths) / months) : 0;
    }

    /// <summary>
    /// New tenancies over waiting-list months in the last <see cref="RateMonths"/> months: how fast people who wait are
    /// matched to a unit when units are free. Units and people have to suit each other (shared or self-contained, place),
    /// so a list does not empty the month units come free.
    /// </summary>
    public (double Events, double Months) HousingEvidence(string group) => Evidence(NewTenancies, WaitingAtMonthStart, group);

    /// <summary>Complete 12-month blocks the year-to-year variation of a rate is estimated from.</summary>
    public const int VariationYears = 5;

    /// <summary>
    /// Year-to-year variation of a group's exit, other-removal and housing rates beyond their Poisson noise: the
    /// DerSimonian-Laird between-year variance of the log yearly rates over the last <see cref="VariationYears"/>
    /// complete 12-month blocks (0 with fewer than three years or no variation beyond count noise). A rate a model
    /// estimates from three years still differs from year to year: this is how much.
    /// </summary>
    public (double Exit, double Removal, double Housing) RateVariation(string group) => (
        BetweenYearVariance(TenancyEnds, HousedAtMonthStart, group),
        BetweenYearVariance(WaitingRemovals, WaitingAtMonthStart, group),
        BetweenYearVariance(NewTenancies, WaitingAtMonthStart, group));

    private static double BetweenYearVariance(IReadOnlyDictionary<string, MonthlySeries> events, IReadOnlyDictionary<string, MonthlySeries> exposure, string group)
    {
        if (!events.TryGetValue(group, out var e) || !exposure.TryGetValue(group, out var x)) return 0;
        var y = new List<double>();
        var v = new List<double>();
        for (var block = 0; block < VariationYears; block++)
        {
            double count = 0, months = 0;
            for (var m = e.LastMonthIndex - 12 * (block + 1) + 1; m <= e.LastMonthIndex - 12 * block; m++)
            {
                var i = m - x.FirstMonthIndex;
                if (m < e.FirstMonthIndex || i < 0 || i >= x.Values.Length) { months = 0; break; }
                count += e.Values[m - e.FirstMonthIndex];
                months += x.Values[i];
            }
            if (months <= 0) break;
            // log((events + 1/2) / exposure): finite for an empty year; its Poisson variance is about 1 / (events + 1/2).
            y.Add(Math.Log((count + 0.5) / months));
            v.Add(1 / (count + 0.5));
        }
        return y.Count < 3 ? 0 : RandomEffects.Fit(y, v)!.Tau2;
    }

    /// <summary>Events and exposure (person-months) of a rate over the last <see cref="RateMonths"/> months.</summary>
    public (double Events, double Months) ExitEvidence(string group) => Evidence(TenancyEnds, HousedAtMonthStart, group);

    private static double Rate(IReadOnlyDictionary<string, MonthlySeries> events, IReadOnlyDictionary<string, MonthlySeries> exposure, string group,
        int window = RateMonths)
    {
        var (count, months) = Evidence(events, exposure, group, window);
        return months > 0 ? Math.Min(1, count / months) : 0;
    }

    private static (double Events, double Months) Evidence(IReadOnlyDictionary<string, MonthlySeries> events, IReadOnlyDictionary<string, MonthlySeries> exposure, string group, int months = RateMonths)
    {
        if (!events.TryGetValue(group, out var e) || !exposure.TryGetValue(group, out var x)) return (0, 0);
        double count = 0, exposed = 0;
        for (var m = Math.Max(e.FirstMonthIndex, e.LastMonthIndex - months + 1); m <= e.LastMonthIndex; m++)
        {
            var i = m - x.FirstMonthIndex;
            if (i < 0 || i >= x.Values.Length) continue;
            count += e.Values[m - e.FirstMonthIndex];
            exposed += x.Values[i];
        }
        return (count, exposed);
    }

    public static DateOnly LastCompleteMonth(DateOnly asOf)
    {
        var first = new DateOnly(asOf.Year, asOf.Month, 1);
        return asOf == first.AddMonths(1).AddDays(-1) ? first : first.AddMonths(-1);
    }
}

/// <summary>
/// Unit-months void and offline, and the void and offline spells that ended, over a window (Little's law: mean time
/// = unit-months / spells ended).
/// </summary>
public sealed record UnitTurnover(double VoidUnitMonths, int VoidSpellsEnded, double OfflineUnitMonths, int OfflineSpellsEnded)
{
    /// <summary>Mean months a unit stays void before it is let (null without an ended spell).</summary>
    public double? MeanRelet => VoidSpellsEnded > 0 ? VoidUnitMonths / VoidSpellsEnded : null;
    /// <summary>Mean months an offline unit takes to come back.</summary>
    public double? MeanOffline => OfflineSpellsEnded > 0 ? OfflineUnitMonths / OfflineSpellsEnded : null;
}

/// <summary>Financial years FirstFy..LastFy (inclusive) covered by a projection.</summary>
public sealed record ProjectionPeriod(int FirstFy, int LastFy)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public int Years => LastFy - FirstFy + 1;
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<int> FinancialYears => Enumerable.Range(FirstFy, Years);

    /// <summary>
    /// From the financial year after the as-of date to the end of the strategy (when given and later), else
    /// <paramref name="defaultYears"/> years; <paramref name="years"/> overrides both.
    /// </summary>
    public static ProjectionPeriod For(DateOnly asOf, StrategyVersion? strategy, int? years = null, int defaultYears = 10)
    {
        var first = FinancialYear.Of(asOf.AddDays(1));
        if (years is { } y) return new(first, first + Math.Max(1, y) - 1);
        if (strategy is not null && strategy.EndFy >= first) return new(first, strategy.EndFy);
        return new(first, first + defaultYears - 1);
    }

    /// <summary>
    /// The period for a scenario: start_fy (clamped to the year after the as-of date; flows before it accumulate
    /// into the first reported year) to end_fy, else as <see cref="For(DateOnly, StrategyVersion?, int?, int)"/>.
    /// </summary>
    public static ProjectionPeriod For(DateOnly asOf, StrategyVersion? strategy, ScenarioLevers levers, int? years = null)
    {
        var p = For(asOf, strategy, years);
        var first = levers.StartFy is { } s and not 0 ? Math.Max(p.FirstFy, s) : p.FirstFy;
        var last = levers.EndFy is { } e and not 0 ? e : Math.Max(p.LastFy, first);
        return new(first, Math.Max(first, last));
    }
}
