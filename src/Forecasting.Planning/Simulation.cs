namespace Forecasting.Planning;

/// <param name="ZeroVariance">Every draw is the zero-variance path: expected flows, expected pipeline at its expected date.</param>
/// <param name="Cancellation">Stops the draws between blocks when the caller has gone.</param>
public sealed record SimulationOptions(int Draws = 10_000, long Seed = 1, int BlockSize = 250, bool RandomSlippage = true, int? MaxDegreeOfParallelism = null,
    CancellationToken Cancellation = default, bool ZeroVariance = false);

/// <summary>Measures whose distribution across draws is reported per year and client group.</summary>
public static class Measures
{
    public const string Shortfall = "shortfall";
    public const string Demand = "demand";
    public const string Supply = "supply";
    public const string Housed = "housed";
    /// <summary>Everyone waiting, in every cohort.</summary>
    public const string Waiting = "waiting";
    /// <summary>The waiting-list cohort only (what the council's list shows).</summary>
    public const string WaitingList = "waiting_list";
    /// <summary>New tenancies in the year.</summary>
    public const string Lettings = "lettings";
    /// <summary>Net cost of the year (GBP), from the scenario's cost weights; reported only when costs are computed.</summary>
    public const string NetCost = "net_cost";
    public static readonly IReadOnlyList<string> Ordered = [Shortfall, Demand, Supply, Housed, Waiting, WaitingList, Lettings, NetCost];
}

/// <summary>
/// The monthly stock-flow model of one client group's supported-living need, run for every group at once.
/// Each month: need arising joins the waiting list and each cohort's arrivals join that cohort; tenants leave at the
/// group's exit rate times the housed stock; people leave the waiting list (withdrawn, deceased, other) at its removal
/// rate; Shared Lives placements take people waiting; then people waiting are housed in the units that are free
/// (counted units less the void allowance, less the people housed), shared between cohorts in proportion to the
/// people waiting in each. Demand = housed + waiting; shortfall = demand - counted supply. Every person is in exactly
/// one stock, so each year opening + arrivals - exits - deaths while waiting - uncounted removals - Shared Lives = closing, in every draw.
/// </summary>
internal sealed class StockFlowModel
{
    /// <summary>Quantities accumulated per client group and year (stocks at the year end, flows over the year).</summary>
    internal static class Q
    {
        public const int Waiting = 0;                 // + cohort, closing
        public const int HousedIn = WaitingCohorts.Count, HousedOut = HousedIn + 1;
        public const int PipelineIn = HousedOut + 1, PipelineOut = PipelineIn + 1;   // gross units delivered by the year end
        public const int Arrivals = PipelineOut + 1;  // + cohort (cohort 0 = need arising onto the waiting list)
        public const int Lettings = Arrivals + WaitingCohorts.Count, Exits = Lettings + 1, Removals = Exits + 1, SharedLives = Removals + 1;
        public const int OpeningHoused = SharedLives + 1, OpeningWaiting = OpeningHoused + 1;
        // Person-weeks over the year (for costs): housed in supported-living (and shared house) units, in extra care units,
        // in Shared Lives placements made since the as-of date, and housed or placed after moving from residential care or
        // being diverted from a residential admission (residential placements avoided).
        public const int WeeksSupportedLiving = OpeningWaiting + 1, WeeksExtraCare = WeeksSupportedLiving + 1;
        public const int WeeksSharedLives = WeeksExtraCare + 1, WeeksAvoided = WeeksSharedLives + 1;
        // Deaths of people waiting (every cohort); tenants of closing schemes moved to re-housing; person-weeks waiting in
        // each cohort (+ cohort) and housed out of area (for the cost of waiting and of out-of-area placements).
        public const int Deaths = WeeksAvoided + 1, ClosureMoves = Deaths + 1;
        public const int WeeksWaiting = ClosureMoves + 1;
        public const int WeeksHousedOut = WeeksWaiting + WaitingCohorts.Count;
        public const int Count = WeeksHousedOut + 1;
    }

    private const int G = PreparedScenario.G;
    private readonly PreparedScenario _s;
    private readonly int _k, _m;
    private readonly double[] _countedFixedGross;  // [g * K + k]
    private readonly ulong[] _levelKeys, _arisingKeys, _exitKeys, _removalKeys, _deathKeys, _reletKeys, _rateKeys;
    private readonly ulong[] _transitionKeys, _pipelineKeys;
    private readonly PipelineItem[] _pipeline;
    private readonly TransitionItem[] _transitions;
    /// <summary>
    /// Per group, the waiting cohorts anyone can be in (ascending; the regular ones first) and how many of them are
    /// regular. A cohort no one starts in or arrives in stays empty, and skipping it leaves every sum unchanged.
    /// </summary>
    private readonly int[][] _cohorts;
    private readonly int[] _regularCohorts;

    public StockFlowModel(PreparedScenario s)
    {
        _s = s;
        _k = s.K;
        _m = s.M;
        _countedFixedGross = new double[G * _k];
        foreach (var name in s.CountedSupply)
            for (var i = 0; i < G * _k; i++) _countedFixedGross[i] += s.FixedSupply[name][i];
        _pipeline = s.PipelineItems.Where(s.CountsPipeline).ToArray();
        _transitions = s.TransitionItems.ToArray();
        _levelKeys = Keys("level");
        _arisingKeys = Keys("arising");
        _exitKeys = Keys("exits");
        _removalKeys = Keys("removals");
        _deathKeys = Keys("deaths");
        _reletKeys = Keys("relets");
        _rateKeys = ClientGroups.Known.Select(g => Rng.Mix(Rng.Key("rates:" + g))).ToArray();
        _transitionKeys = _transitions.Select(t => Rng.Mix(Rng.Key("transition:" + t.Id))).ToArray();
        _pipelineKeys = _pipeline.Select(p => Rng.Mix(Rng.Key("pipeline:" + p.Scheme.PipelineId))).ToArray();
        _cohorts = new int[G][];
        _regularCohorts = new int[G];
        for (var g = 0; g < G; g++)
        {
            var group = g;
            _cohorts[g] = Enumerable.Range(0, WaitingCohorts.Count).Where(c => c is WaitingCohorts.WaitingList or WaitingCohorts.Displaced or WaitingCohorts.Rehousing
                || s.InitialWaiting[c * G + group] != 0
                || (c == WaitingCohorts.Transitions && _transitions.Any(t => t.Group == group))
                || (c < WaitingCohorts.Regular && Enumerable.Range(0, _m).Any(m => s.Arrivals[(c * G + group) * _m + m] != 0))).ToArray();
            _regularCohorts[g] = _cohorts[g].Count(c => c < WaitingCohorts.Regular);
        }
    }

    private ulong[] Keys(string kind)
    {
        var keys = new ulong[G * _m];
        for (var g = 0; g < G; g++)
            for (var m = 0; m < _m; m++)
                keys[g * _m + m] = Rng.Mix(Rng.Key($"{kind}:{ClientGroups.Known[g]}:{m}"));
        return keys;
    }

    /// <summary>Working arrays of one thread.</summary>
    internal sealed class Work(int g, int m, int k, int pipelineItems)
    {
        /// <summary>The pipeline cells the last draw wrote (at most one per scheme).</summary>
        public readonly int[] PipeCells = new int[pipelineItems];
        public int PipeCellsUsed;
        public readonly double[] Waiting = new double[WaitingCohorts.Count * g];
        public readonly double[] HousedIn = new double[g], HousedOut = new double[g];
        /// <summary>Units being re-let (void turnover), in and out of area.</summary>
        public readonly double[] TurningIn = new double[g], TurningOut = new double[g];
        public readonly double[] PipeIn = new double[g * m], PipeOut = new double[g * m], PipeExtraCare = new double[g * m];
        /// <summary>People in Shared Lives placed since the as-of date; people housed / placed who came from residential care.</summary>
        public readonly double[] SharedLivesStock = new double[g], AvoidedHoused = new double[g], AvoidedShared = new double[g];
        public readonly double[] TransitionsIn = new double[g * m];
        /// <summary>One group's waiting cohorts at the start of the month (for person-weeks).</summary>
        public readonly double[] CohortStart = new double[WaitingCohorts.Count];
        public readonly double[] Level = new double[m];
        /// <summary>One group's multipliers of the exit, removal and housing rates, [year of the projection * 3 + rate].</summary>
        public readonly double[] RateShock = new double[(m + 11) / 12 * 3];
        /// <summary>One group's share of the people waiting matched to free units in a month, per year of the projection.</summary>
        public readonly double[] MatchShare = new double[(m + 11) / 12];
        public readonly double[] Arising = new double[g * m];
        /// <summary>This draw's quantities, [(group * K + year) * Q.Count + q].</summary>
        public readonly double[] Values = new double[g * k * Q.Count];
        /// <summary>One group's measures, and their sum over the reported groups, in the order of <see cref="Measures.Ordered"/>.</summary>
        public readonly double[] Row = new double[Measures.Ordered.Count], All = new double[Measures.Ordered.Count];
    }

    internal Work NewWork() => new(G, _m, _k, _pipeline.Length);

    /// <summary>
    /// Runs one path into <paramref name="w"/>.Values. <paramref name="drawKey"/> null = the zero-variance path.
    /// </summary>
    public void Run(Work w, ulong? drawKey, bool randomSlippage)
    {
        var s = _s;
        var K = _k;
        var M = _m;
        const int C = WaitingCohorts.Count;
        Array.Clear(w.Values);
        // The pipeline arrays hold a few schemes' units: clear the cells the last draw wrote, not the whole arrays.
        for (var i = 0; i < w.PipeCellsUsed; i++)
        {
            var cell = w.PipeCells[i];
            w.PipeIn[cell] = w.PipeOut[cell] = w.PipeExtraCare[cell] = 0;
        }
        w.PipeCellsUsed = 0;
        Array.Clear(w.SharedLivesStock);
        Array.Clear(w.AvoidedHoused);
        Array.Clear(w.AvoidedShared);
        foreach (var t in _transitions) w.TransitionsIn[t.Group * M + t.Month] = 0;
        Array.Copy(s.InitialWaiting, w.Waiting, w.Waiting.Length);
        Array.Copy(s.HousedIn, w.HousedIn, G);
        Array.Copy(s.HousedOut, w.HousedOut, G);

        for (var j = 0; j < _pipeline.Length; j++)
        {
            var p = _pipeline[j];
            double units;
            var month = p.Month;
            if (drawKey is not { } dk) units = p.Units * p.BasisWeight;
            else
            {
                // Delivery risk is shared: a common factor (the market, funding, one procurement) and the scheme's own
                // (Gaussian copula, correlation PipelineCorrelation). Each scheme is still delivered with its probability,
                // and for a given draw a higher probability never turns a delivery into a failure.
                var z = Math.Sqrt(PipelineCorrelation) * Rng.Normal(dk, CommonDeliveryKey)
                        + Math.Sqrt(1 - PipelineCorrelation) * Rng.Normal(dk, _pipelineKeys[j]);
                if (!(Phi(z) < p.BasisWeight)) continue;
                units = p.Units;
                if (randomSlippage && p.MaxSlipMonths > 0)
                {
                    var zs = Math.Sqrt(PipelineCorrelation) * Rng.Normal(dk, CommonDelayKey)
                             + Math.Sqrt(1 - PipelineCorrelation) * Rng.Normal(dk, _pipelineKeys[j] ^ 0x5851F42D4C957F2DUL);
                    month += Math.Min(p.MaxSlipMonths, (int)(Phi(zs) * (p.MaxSlipMonths + 1)));
                }
            }
            if (month >= M) continue;
            var pipeCell = p.Group * M + Math.Max(0, month);
            w.PipeCells[w.PipeCellsUsed++] = pipeCell;
            (p.InArea ? w.PipeIn : w.PipeOut)[pipeCell] += units;
            if (p.Scheme.Category == "extra_care") w.PipeExtraCare[pipeCell] += units;
        }
        for (var j = 0; j < _transitions.Length; j++)
        {
            var t = _transitions[j];
            var people = drawKey is { } dk ? (Rng.Uniform(dk, _transitionKeys[j]) < t.Probability ? t.Weight : 0) : t.Probability * t.Weight;
            w.TransitionsIn[t.Group * M + t.Month] += people;
        }
        for (var g = 0; g < G; g++)
        {
            var paths = s.Arising[g];
            if (drawKey is { } dk)
            {
                paths.DrawPositiveLevel(m => Rng.Normal(dk, _levelKeys[g * M + m]), w.Level);
                for (var m = 0; m < M; m++)
                    w.Arising[g * M + m] = Rng.Poisson(dk, _arisingKeys[g * M + m], w.Level[m] * s.ArisingScale[g * M + m]);
            }
            else
                for (var m = 0; m < M; m++)
                    w.Arising[g * M + m] = Math.Max(0, paths.Mean[m]) * s.ArisingScale[g * M + m];
        }

        var letOut = s.Levers.EffectiveLetOutOfAreaUnits;
        var displaced = s.Levers.EffectiveCountDisplacedNeed;
        Array.Copy(s.TurningIn, w.TurningIn, G);
        Array.Copy(s.TurningOut, w.TurningOut, G);
        for (var g = 0; g < G; g++)
        {
            double pipeIn = 0, pipeOut = 0, pipeExtraCare = 0;
            var cohorts = _cohorts[g];
            var regularCohorts = _regularCohorts[g];
            double exitScale = 1;
            var r = s.RemovalRate[g];
            var mu = s.Mortality[g];
            if (drawKey is { } rk)
            {
                // Parameter uncertainty: the exit and removal rates are drawn from their posteriors given the events and
                // exposure they were estimated from (gamma, Jeffreys prior), once per draw and group.
                // The exit rate's draw (relative to its posterior mean) scales every month's rate: the accommodation mix changes
                // the rate, not its uncertainty.
                if (s.ExitEvents[g] > 0 && s.ExitMonths[g] > 0)
                    exitScale = Rng.GammaRate(rk, _rateKeys[g], s.ExitEvents[g], s.ExitMonths[g], 0) / ((s.ExitEvents[g] + 0.5) / s.ExitMonths[g]);
                r = Rng.GammaRate(rk, _rateKeys[g] ^ 0x3C6EF372FE94F82BUL, s.RemovalEvents[g], s.RemovalMonths[g], r);
            }
            // A vacated unit is held for re-letting with probability 1 - p each month, p = 1 / (1 + T): on average T months.
            var relet = s.ReletMonths[g];
            if (drawKey is { } tk && s.ReletSpells[g] > 0 && relet > 0)
                // The mean re-let time is uncertain too: void months over spells, the spells' rate drawn from its posterior.
                relet = 1 / Rng.GammaRate(tk, _rateKeys[g] ^ 0x9E6C63D0676A9A99UL, s.ReletSpells[g], s.ReletSpells[g] * relet, 1 / relet);
            var hold = relet / (1 + relet);
            var h = s.HousingRate[g];
            if (drawKey is { } hk && double.IsFinite(h))
                h = Rng.GammaRate(hk, _rateKeys[g] ^ 0x6A09E667F3BCC909UL, s.HousingEvents[g], s.HousingMonths[g], h);
            // Rates also differ from year to year beyond their estimate: each 12 months of the projection draws its own
            // mean-one lognormal multiplier with the between-year variance the history shows.
            for (var y = 0; y < w.RateShock.Length / 3; y++)
                for (var q = 0; q < 3; q++)
                {
                    var v = s.RateVariance[g * 3 + q];
                    w.RateShock[y * 3 + q] = drawKey is { } yk && v > 0
                        ? Math.Exp(Math.Sqrt(v) * Rng.Normal(yk, _rateKeys[g] ^ RateShockKeys[y * 3 + q]) - v / 2)
                        : 1;
                }
            // Computed once a year, not each month: the housing rate changes only with the year's factor.
            for (var y = 0; y < w.MatchShare.Length; y++)
                w.MatchShare[y] = double.IsPositiveInfinity(h) ? 1 : 1 - Math.Exp(-h * w.RateShock[y * 3 + 2]);
            double unitsPrevIn = s.UnitsAtStartIn[g], unitsPrevOut = s.UnitsAtStartOut[g];
            for (var m = 0; m < M; m++)
            {
                var k = s.YearOfMonth[m];
                var row = k < 0 ? -1 : (g * K + k) * Q.Count;
                if (row >= 0 && (m == 0 || s.YearOfMonth[m - 1] != k))
                {
                    w.Values[row + Q.OpeningHoused] = w.HousedIn[g] + w.HousedOut[g];
                    w.Values[row + Q.OpeningWaiting] = Total(w.Waiting, g, cohorts, cohorts.Length);
                }
                pipeIn += w.PipeIn[g * M + m];
                pipeOut += w.PipeOut[g * M + m];
                pipeExtraCare += w.PipeExtraCare[g * M + m];
                var housedStart = w.HousedIn[g] + w.HousedOut[g];
                double avoidedStart = w.AvoidedHoused[g] + w.AvoidedShared[g], sharedStart = w.SharedLivesStock[g];
                var housedOutStart = w.HousedOut[g];
                foreach (var c in cohorts) w.CohortStart[c] = w.Waiting[c * G + g];

                // Units that open (or come back) are let after the re-let time; when units close, their tenants move to the
                // re-housing cohort and their voids go with them.
                var unitsIn = GrossIn(g, m) + pipeIn;
                var unitsOut = s.GrossOut[g * M + m] + pipeOut;
                var closureMoves = Change(unitsIn, hold, ref unitsPrevIn, ref w.HousedIn[g], ref w.TurningIn[g])
                                   + Change(unitsOut, hold, ref unitsPrevOut, ref w.HousedOut[g], ref w.TurningOut[g]);
                w.Waiting[WaitingCohorts.Rehousing * G + g] += closureMoves;

                // Arrivals.
                var arising = w.Arising[g * M + m];
                w.Waiting[WaitingCohorts.WaitingList * G + g] += arising;
                if (row >= 0) w.Values[row + Q.Arrivals + WaitingCohorts.WaitingList] += arising;
                for (var i = 1; i < regularCohorts; i++)
                {
                    var c = cohorts[i];
                    var a = c == WaitingCohorts.Transitions ? w.TransitionsIn[g * M + m] : s.Arrivals[(c * G + g) * M + m];
                    if (a == 0) continue;
                    w.Waiting[c * G + g] += a;
                    if (row >= 0) w.Values[row + Q.Arrivals + c] += a;
                }

                // Exits from tenancies; deaths of people waiting (every cohort); removals from the list other than by death,
                // which become displaced need when it is counted and otherwise leave demand.
                double exitsIn, exitsOut, removals;
                var listed = w.Waiting[WaitingCohorts.WaitingList * G + g];
                var shock = m / 12 * 3;
                var eM = s.ExitRateByMonth[g * M + m] * exitScale * w.RateShock[shock];
                var rM = r * w.RateShock[shock + 1];
                var matched = w.MatchShare[m / 12];
                if (drawKey is { } dk)
                {
                    // Separate counts for in-area and out-of-area tenants: with common random numbers, more people in one
                    // stock never changes the other's count, which keeps "more supply never raises the shortfall" per draw.
                    exitsIn = Math.Min(w.HousedIn[g], Rng.Poisson(dk, _exitKeys[g * M + m], eM * w.HousedIn[g]));
                    exitsOut = Math.Min(w.HousedOut[g], Rng.Poisson(dk, _exitKeys[g * M + m] ^ 0x2545F4914F6CDD1DUL, eM * w.HousedOut[g]));
                    removals = Math.Min(listed, Rng.Poisson(dk, _removalKeys[g * M + m], rM * listed));
                }
                else
                {
                    exitsIn = eM * w.HousedIn[g];
                    exitsOut = eM * w.HousedOut[g];
                    removals = rM * listed;
                }
                // Deaths among the people still waiting once the removals that leave demand have gone.
                var atRisk = Total(w.Waiting, g, cohorts, cohorts.Length) - (displaced ? 0 : removals);
                // Mortality is capped at the exit rate of the year (tenancies also end by death).
                var muM = Math.Min(mu, eM);
                var deaths = drawKey is { } dd ? Math.Min(atRisk, Rng.Poisson(dd, _deathKeys[g * M + m], muM * atRisk)) : muM * atRisk;
                if (housedStart > 0) w.AvoidedHoused[g] *= 1 - (exitsIn + exitsOut) / housedStart;
                w.HousedIn[g] -= exitsIn;
                w.HousedOut[g] -= exitsOut;
                // A unit that comes free is re-let after the re-let time (T = 0: let in the month it comes free). Units come
                // back for letting one by one: in a draw, the units re-let this month are a Poisson count (at most those void).
                if (drawKey is { } vk)
                {
                    w.TurningIn[g] = Release(w.TurningIn[g] + exitsIn, hold, vk, _reletKeys[g * M + m]);
                    w.TurningOut[g] = Release(w.TurningOut[g] + exitsOut, hold, vk, _reletKeys[g * M + m] ^ 0x2545F4914F6CDD1DUL);
                }
                else
                {
                    w.TurningIn[g] = (w.TurningIn[g] + exitsIn) * hold;
                    w.TurningOut[g] = (w.TurningOut[g] + exitsOut) * hold;
                }
                // People placed in Shared Lives leave at the tenancy exit rate (expected, not drawn: they are priced, not counted in demand).
                w.SharedLivesStock[g] *= 1 - eM;
                w.AvoidedShared[g] *= 1 - eM;
                w.Waiting[WaitingCohorts.WaitingList * G + g] -= removals;
                if (displaced) w.Waiting[WaitingCohorts.Displaced * G + g] += removals;
                Take(w.Waiting, g, deaths, Total(w.Waiting, g, cohorts, cohorts.Length), cohorts, cohorts.Length);

                // Shared Lives placements from the cohorts in proportion (not re-housing or displaced need).
                var regular = Total(w.Waiting, g, cohorts, regularCohorts);
                var shared = Math.Min(s.SharedLivesPerMonth[g], regular);
                if (shared > 0)
                {
                    w.SharedLivesStock[g] += shared;
                    w.AvoidedShared[g] += shared * FromResidential(w.Waiting, g, regular);
                    Take(w.Waiting, g, shared, regular, cohorts, regularCohorts);
                }

                // Lettings: units not occupied and not being re-let. Out-of-area units keep being let unless the scenario stops it.
                var freeIn = Math.Max(0, unitsIn - w.HousedIn[g] - w.TurningIn[g]);
                var freeOut = letOut ? Math.Max(0, unitsOut - w.HousedOut[g] - w.TurningOut[g]) : 0;
                // Tenants of closing schemes first, then the cohorts in proportion, then displaced need. People are matched
                // to free units at most at the housing rate h: a free unit waits for someone it suits.
                var free = freeIn + freeOut;
                var rehouse = Math.Min(free, w.Waiting[WaitingCohorts.Rehousing * G + g]);
                regular = Total(w.Waiting, g, cohorts, regularCohorts);
                var fromRegular = Math.Min(free - rehouse, regular * matched);
                var fromDisplaced = Math.Min(free - rehouse - fromRegular, w.Waiting[WaitingCohorts.Displaced * G + g] * matched);
                var lettings = rehouse + fromRegular + fromDisplaced;
                if (lettings > 0)
                {
                    w.Waiting[WaitingCohorts.Rehousing * G + g] -= rehouse;
                    w.AvoidedHoused[g] += fromRegular * FromResidential(w.Waiting, g, regular);
                    Take(w.Waiting, g, fromRegular, regular, cohorts, regularCohorts);
                    w.Waiting[WaitingCohorts.Displaced * G + g] = Math.Max(0, w.Waiting[WaitingCohorts.Displaced * G + g] - fromDisplaced);
                    var toIn = lettings * freeIn / (freeIn + freeOut);
                    w.HousedIn[g] += toIn;
                    w.HousedOut[g] += lettings - toIn;
                }

                if (row < 0) continue;
                // Person-weeks: the mean of the month's opening and closing stocks x the weeks in the month.
                var weeks = s.WeeksInMonth[m];
                var housedWeeks = (housedStart + w.HousedIn[g] + w.HousedOut[g]) / 2 * weeks;
                var units = unitsIn + unitsOut;
                var extraCareShare = units > 0 ? Math.Min(1, (s.GrossExtraCare[g * M + m] + pipeExtraCare) / units) : 0;
                w.Values[row + Q.WeeksExtraCare] += housedWeeks * extraCareShare;
                w.Values[row + Q.WeeksSupportedLiving] += housedWeeks * (1 - extraCareShare);
                w.Values[row + Q.WeeksHousedOut] += (housedOutStart + w.HousedOut[g]) / 2 * weeks;
                w.Values[row + Q.WeeksSharedLives] += (sharedStart + w.SharedLivesStock[g]) / 2 * weeks;
                w.Values[row + Q.WeeksAvoided] += (avoidedStart + w.AvoidedHoused[g] + w.AvoidedShared[g]) / 2 * weeks;
                foreach (var c in cohorts) w.Values[row + Q.WeeksWaiting + c] += (w.CohortStart[c] + w.Waiting[c * G + g]) / 2 * weeks;
                w.Values[row + Q.Lettings] += lettings;
                w.Values[row + Q.Exits] += exitsIn + exitsOut;
                w.Values[row + Q.Removals] += removals;
                w.Values[row + Q.Deaths] += deaths;
                w.Values[row + Q.ClosureMoves] += closureMoves;
                w.Values[row + Q.SharedLives] += shared;
                if (m != s.YearEndMonth[k]) continue;
                for (var c = 0; c < C; c++) w.Values[row + Q.Waiting + c] = w.Waiting[c * G + g];
                w.Values[row + Q.HousedIn] = w.HousedIn[g];
                w.Values[row + Q.HousedOut] = w.HousedOut[g];
                w.Values[row + Q.PipelineIn] = pipeIn;
                w.Values[row + Q.PipelineOut] = pipeOut;
            }
        }
    }

    /// <summary>
    /// Applies this month's change in units: new units join the re-let stock (they must be let); when units close, their
    /// share of the tenants and of the units being re-let go with them. Returns the tenants who must move.
    /// </summary>
    private static double Change(double units, double hold, ref double previous, ref double housed, ref double turning)
    {
        var change = units - previous;
        double moves = 0;
        if (change > 1e-9) turning += change * hold;
        else if (change < -1e-9 && previous > 0)
        {
            var closing = Math.Min(1, -change / previous);
            moves = housed * closing;
            housed -= moves;
            turning -= turning * closing;
        }
        previous = units;
        return moves;
    }

    /// <summary>Units still void after a month: of <paramref name="void"/> units, a Poisson count with mean (1 - hold) x void is re-let.</summary>
    private static double Release(double @void, double hold, ulong drawKey, ulong streamKey) =>
        @void <= 0 ? 0 : @void - Math.Min(@void, Rng.Poisson(drawKey, streamKey, @void * (1 - hold)));

    private double GrossIn(int g, int m) => _s.GrossIn[g * _m + m];

    /// <summary>
    /// Correlation of the delivery (and delay) of any two pipeline schemes: a stated assumption (a procurement that fails
    /// takes several schemes with it, as the sample's two-site procurement did), not estimated from a pipeline this small.
    /// </summary>
    public const double PipelineCorrelation = 0.3;
    /// <summary>Stream keys of the year-to-year rate multipliers, [year * 3 + rate] (the longest period is 30 years).</summary>
    private static readonly ulong[] RateShockKeys = Enumerable.Range(0, 31 * 3).Select(i => Rng.Mix(Rng.Key("rate-shock:" + i))).ToArray();
    private static readonly ulong CommonDeliveryKey = Rng.Mix(Rng.Key("pipeline-common-delivery"));
    private static readonly ulong CommonDelayKey = Rng.Mix(Rng.Key("pipeline-common-delay"));
    private static double Phi(double z) => MathNet.Numerics.Distributions.Normal.CDF(0, 1, z);

    /// <summary>Share of the people waiting who came from residential care (step-down) or instead of a residential admission (diversion).</summary>
    private static double FromResidential(double[] waiting, int g, double total) =>
        total > 0 ? (waiting[WaitingCohorts.StepDown * G + g] + waiting[WaitingCohorts.Diversion * G + g]) / total : 0;

    /// <summary>People waiting in the first <paramref name="count"/> of a group's <paramref name="cohorts"/>.</summary>
    private static double Total(double[] waiting, int g, int[] cohorts, int count)
    {
        double total = 0;
        for (var i = 0; i < count; i++) total += waiting[cohorts[i] * G + g];
        return total;
    }

    /// <summary>Takes <paramref name="amount"/> people from the first <paramref name="count"/> of <paramref name="cohorts"/>, in proportion to each.</summary>
    private static void Take(double[] waiting, int g, double amount, double total, int[] cohorts, int count)
    {
        if (amount <= 0 || total <= 0) return;
        var keep = 1 - amount / total;
        for (var i = 0; i < count; i++) waiting[cohorts[i] * G + g] *= keep;
    }

    /// <summary>Counted supply (after the void allowance) of a group at a year end, from a path's values.</summary>
    public double CountedSupply(double[] values, int g, int k)
    {
        var row = (g * _k + k) * Q.Count;
        var gross = _countedFixedGross[g * _k + k] + values[row + Q.PipelineIn] + (_s.Levers.IncludeOutOfArea ? values[row + Q.PipelineOut] : 0);
        return (1 - _s.VoidRate[g]) * gross;
    }

    public double Gross(int g, int k) => _countedFixedGross[g * _k + k];

    public static double Demand(double[] values, int row)
    {
        var d = values[row + Q.HousedIn] + values[row + Q.HousedOut];
        for (var c = 0; c < WaitingCohorts.Count; c++) d += values[row + Q.Waiting + c];
        return d;
    }
}

/// <summary>
/// Runs the stock-flow model over many draws. Each draw samples need arising as a path (the engine's persistent
/// uncertainty accumulating month to month as a positive, mean-preserving level, with Poisson count noise around it), exits and removals as Poisson counts,
/// each young person in transition arriving by their probability, and each pipeline scheme delivered by the weight the
/// counting basis gives it (its delivery probability, or 1/0 at or above/below the minimum status) after a uniform
/// delay of 0..max months by status. The headline of every table is the mean of the draws, so components, stocks and
/// flows add up and reconcile exactly; P10/P50/P90 come from the same draws. Every random number is a hash
/// (SplitMix64) of the seed, the draw and a stable key of what it decides, so results depend only on the seed and
/// scenarios share the draws of what they have in common.
/// </summary>
public static class ShortfallSimulator
{
    private const double FixedPoint = 1L << 40;
    private const double PartialLimit = 1L << 56;
    private const int PartialDraws = 64;

    public static SimulationOutcome Run(PreparedScenario s, SimulationOptions options)
    {
        if (options.Draws <= 0) throw new ArgumentOutOfRangeException(nameof(options), "draws must be positive");
        const int G = PreparedScenario.G;
        var K = s.K;
        var model = new StockFlowModel(s);
        var draws = options.ZeroVariance ? 1 : options.Draws;
        var cells = (G + 1) * K;
        // Every draw writes every cell, so the arrays need no zeroing.
        var measures = Measures.Ordered.Select(_ => Enumerable.Range(0, cells).Select(_ => GC.AllocateUninitializedArray<float>(draws)).ToArray()).ToArray();
        // Sums in fixed point (2^-40 of a person, 128-bit): integer addition does not depend on the order of the draws, so the
        // headline is the same whatever the blocks and threads.
        var sums = new Int128[G * K * StockFlowModel.Q.Count];
        var sumsLock = new Lock();
        var blockSize = Math.Max(1, options.BlockSize);
        var blocks = (draws + blockSize - 1) / blockSize;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount, CancellationToken = options.Cancellation,
        };
        var seedMix = Rng.Mix(unchecked((ulong)options.Seed));
        var weights = s.CostWeights;

        Parallel.For(0, blocks, parallel, () => (Work: model.NewWork(), Sums: new Int128[sums.Length], Partial: new long[sums.Length]),
            (block, _, local) =>
        {
            var w = local.Work;
            var end = Math.Min(draws, (block + 1) * blockSize);
            for (var d = block * blockSize; d < end; d++)
            {
                ulong? drawKey = options.ZeroVariance ? null : Rng.Mix(seedMix ^ unchecked((ulong)d * 0xD1B54A32D192ED03UL));
                model.Run(w, drawKey, options.RandomSlippage);
                var v = w.Values;
                var partial = local.Partial;
                for (var i = 0; i < v.Length; i++)
                {
                    // Int128 arithmetic is done in software: values under 2^56 are added in a long (at most PartialDraws of
                    // them, so the partial sum stays under 2^62) and carried into the Int128 sums every PartialDraws draws.
                    var x = Math.Round(v[i] * FixedPoint);
                    if (Math.Abs(x) < PartialLimit) partial[i] += (long)x;
                    else local.Sums[i] += (Int128)x;
                }
                if ((d - block * blockSize) % PartialDraws == PartialDraws - 1 || d == end - 1)
                    for (var i = 0; i < partial.Length; i++)
                    {
                        local.Sums[i] += partial[i];
                        partial[i] = 0;
                    }
                for (var k = 0; k < K; k++)
                {
                    var all = w.All;
                    Array.Clear(all);
                    for (var g = 0; g < G; g++)
                    {
                        var row = (g * K + k) * StockFlowModel.Q.Count;
                        var housed = v[row + StockFlowModel.Q.HousedIn] + v[row + StockFlowModel.Q.HousedOut];
                        var demand = StockFlowModel.Demand(v, row);
                        var supply = model.CountedSupply(v, g, k);
                        var values = w.Row;
                        values[0] = demand - supply;
                        values[1] = demand;
                        values[2] = supply;
                        values[3] = housed;
                        values[4] = demand - housed;
                        values[5] = v[row + StockFlowModel.Q.Waiting + WaitingCohorts.WaitingList];
                        values[6] = v[row + StockFlowModel.Q.Lettings];
                        values[7] = weights is null ? 0 : Cost(v, weights, row);
                        for (var q = 0; q < values.Length; q++)
                        {
                            measures[q][g * K + k][d] = (float)values[q];
                            if (s.Selected[g]) all[q] += values[q];
                        }
                    }
                    for (var q = 0; q < all.Length; q++) measures[q][G * K + k][d] = (float)all[q];
                }
            }
            return local;
        }, local =>
        {
            lock (sumsLock)
                for (var i = 0; i < sums.Length; i++) sums[i] += local.Sums[i];
        });
        var means = sums.Select(x => (double)x / FixedPoint / draws).ToArray();

        var shortfallRows = new SimulationRow?[cells];
        var measureRows = new MeasureDistribution?[cells * Measures.Ordered.Count];
        Parallel.For(0, cells, parallel, c =>
        {
            var g = c / K;
            var k = c % K;
            if (g < G && !s.Selected[g]) return;
            var group = g < G ? ClientGroups.Known[g] : ClientGroups.All;
            // Means are set from the headline tables below; here only the order statistics.
            float[]? sortedShortfall = null;
            for (var q = 0; q < Measures.Ordered.Count; q++)
            {
                if (weights is null && Measures.Ordered[q] == Measures.NetCost) continue;
                // The shortfall's draws are read again in draw order below (and by the next year's cell); the others are sorted in place.
                var sorted = q == 0 ? (float[])measures[q][c].Clone() : measures[q][c];
                DrawSort.Sort(sorted);
                if (q == 0) sortedShortfall = sorted;
                var percentiles = new double[99];
                for (var p = 0; p < 99; p++) percentiles[p] = Quantile(sorted, (p + 1) / 100.0);
                measureRows[c * Measures.Ordered.Count + q] = new MeasureDistribution(s.Period.FirstFy + k, group, Measures.Ordered[q],
                    0, Quantile(sorted, 0.1), Quantile(sorted, 0.5), Quantile(sorted, 0.9))
                {
                    P2_5 = Quantile(sorted, 0.025), P25 = Quantile(sorted, 0.25), P75 = Quantile(sorted, 0.75), P97_5 = Quantile(sorted, 0.975),
                    Percentiles = percentiles,
                };
            }
            var values = measures[0][c];
            var above = 0;
            var inYear = GC.AllocateUninitializedArray<float>(draws);
            for (var d = 0; d < draws; d++)
            {
                if (values[d] > 0) above++;
                inYear[d] = k == 0 ? values[d] : values[d] - measures[0][c - 1][d];
            }
            DrawSort.Sort(inYear);
            shortfallRows[c] = new SimulationRow(s.Period.FirstFy + k, group, 0, Quantile(sortedShortfall!, 0.1), Quantile(sortedShortfall!, 0.5),
                Quantile(sortedShortfall!, 0.9), (double)above / draws, Quantile(inYear, 0.1), Quantile(inYear, 0.5), Quantile(inYear, 0.9));
        });

        var method = options.ZeroVariance
            ? "stock_flow: zero-variance path (expected flows, pipeline at its expected date and counted weight)"
            : "stock_flow monte_carlo: need arising as a rate per head (persistent level and trend uncertainty, Poisson counts), " +
              "exit, removal and re-let rates drawn from their posteriors, Poisson exits, removals and deaths while waiting, displaced need " +
              "kept as the basis says, Bernoulli transitions, pipeline delivery at the counting basis with shared risk (correlation 0.3)" +
              (options.RandomSlippage ? ", slippage by status" : "");
        var summary = new SimulationSummary(options.Seed, draws, method, shortfallRows.Where(r => r is not null).Select(r => r!).ToList())
        {
            Measures = measureRows.Where(r => r is not null).Select(r => r!).ToList(),
        };
        var projection = PlanningProjector.FromMeans(s, model, means,
            options.ZeroVariance ? "zero-variance path" : $"mean of {draws} draws");
        // The headline tables and the distribution rows share one mean (the sums are kept in double precision).
        summary = summary with
        {
            Rows = summary.Rows.Select(r => r with { Mean = projection.ShortfallAt(r.Fy, r.ClientGroup).Shortfall }).ToList(),
            Measures = summary.Measures.Select(m => m with { Mean = HeadlineOf(projection, m) }).ToList(),
        };
        return new SimulationOutcome(projection, summary);
    }

    /// <summary>One path's cost of a group and year: its quantities x the GBP weight of each.</summary>
    private static double Cost(double[] values, double[] weights, int row)
    {
        double cost = 0;
        for (var q = 0; q < StockFlowModel.Q.Count; q++) cost += values[row + q] * weights[row + q];
        return cost;
    }

    private static double HeadlineOf(ProjectionResult p, MeasureDistribution m)
    {
        double Stock(string stock) => p.Reconciliation.Single(r => r.Fy == m.Fy && r.ClientGroup == m.ClientGroup && r.Stock == stock).Closing;
        return m.Measure switch
        {
            Measures.Shortfall => p.ShortfallAt(m.Fy, m.ClientGroup).Shortfall,
            Measures.Demand => p.ShortfallAt(m.Fy, m.ClientGroup).Demand,
            Measures.Supply => p.ShortfallAt(m.Fy, m.ClientGroup).Supply,
            Measures.Housed => Stock(Stocks.Housed),
            Measures.Waiting => Stock(Stocks.Waiting),
            Measures.WaitingList => p.Demand.Where(d => d.Fy == m.Fy && (m.ClientGroup == ClientGroups.All || d.ClientGroup == m.ClientGroup)
                                                        && d.Component == DemandComponents.WaitingList).Sum(d => d.Units),
            Measures.Lettings => p.Flow(m.Fy, m.ClientGroup, FlowNames.Lettings),
            Measures.NetCost => p.Costs?.At(m.Fy, m.ClientGroup)?.NetCost ?? m.Mean,
            _ => m.Mean,
        };
    }

    /// <summary>Type-7 quantile (R's default) of an already sorted sample: linear between order statistics at (n - 1) q.</summary>
    public static double Quantile(float[] sorted, double q) =>
        MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom(sorted, q, MathNet.Numerics.Statistics.QuantileDefinition.R7);
}

/// <summary>The headline tables (means of the draws) and the distributions, from one simulation.</summary>
public sealed record SimulationOutcome(ProjectionResult Projection, SimulationSummary Summary);
