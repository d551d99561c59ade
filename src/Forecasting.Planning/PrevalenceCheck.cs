using System.Globalization;

namespace Forecasting.Planning;

/// <summary>
/// Prevalence of a condition in one adult age band (prevalence_rates.csv), feeding one client group's need.
/// <paramref name="Unit"/> is <c>per_100</c> or <c>per_1000</c>.
/// </summary>
public sealed record PrevalenceRate(string ClientGroup, string Condition, string AgeBand, double Rate, string Unit, string Source)
{
    public const string Per100 = "per_100";
    public const string Per1000 = "per_1000";
    public static readonly IReadOnlyList<string> Units = [Per100, Per1000];

    /// <summary>The rate as a fraction of the band's population.</summary>
    public double Fraction => Unit == Per1000 ? Rate / 1000 : Rate / 100;
}

/// <summary>A planning ratio (accommodation_benchmarks.csv): a need share per client group, or the extra-care ratio.</summary>
public sealed record AccommodationBenchmark(string Measure, string? ClientGroup, double Value, string Source)
{
    /// <summary>Share (0-1) of a client group's prevalent population that needs a supported-living or extra-care unit.</summary>
    public const string UnitNeedShare = "unit_need_share";
    /// <summary>Extra-care units per 1,000 people aged 75 and over (the Housing LIN method).</summary>
    public const string ExtraCarePer1000Aged75Plus = "extra_care_units_per_1000_75plus";
    public static readonly IReadOnlyList<string> Measures = [UnitNeedShare, ExtraCarePer1000Aged75Plus];
}

/// <summary>Mid-year population of one age band of population.csv.</summary>
public sealed record BandPopulation(string Variant, string Source, int Year, string AgeBand, double Population);

/// <summary>What the prevalence cross-check reads from the store for one council.</summary>
public sealed record PrevalenceData(
    IReadOnlyList<PrevalenceRate> Rates,
    IReadOnlyList<AccommodationBenchmark> Benchmarks,
    IReadOnlyList<BandPopulation> Population);

/// <summary>One client group and year: the flow model's demand beside the prevalence view of need.</summary>
public sealed record PrevalenceGroupRow(
    int Fy,
    string FyLabel,
    string ClientGroup,
    string AgeBands,
    double Population,
    double PrevalentPeople,
    double NeedShare,
    double PrevalenceNeed,
    double? PrevalenceNeedLow,
    double? PrevalenceNeedHigh,
    double FlowDemand,
    double? FlowDemandP10,
    double? FlowDemandP90,
    double FlowNeedArising,
    double Difference,
    string Explanation);

/// <summary>One year of the extra-care check: units needed by the ratio against extra-care supply, beside the flow model's older people.</summary>
public sealed record ExtraCareRow(
    int Fy,
    string FyLabel,
    double PopulationAged75Plus,
    double UnitsPer1000,
    double UnitsNeeded,
    double ExistingUnits,
    double PipelineUnits,
    double Supply,
    double Gap,
    double FlowOlderDemand,
    double FlowOlderSupply,
    double FlowOlderShortfall,
    string Explanation);

/// <summary>The cross-check of one planning result: per group and year, and extra care per year.</summary>
public sealed record PrevalenceCheckResult(
    string CouncilCode,
    string ResultId,
    string? SnapshotId,
    DateOnly AsOf,
    string PopulationVariant,
    string PopulationSource,
    string Method,
    IReadOnlyList<PrevalenceGroupRow> Groups,
    IReadOnlyList<ExtraCareRow> ExtraCare,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Warnings,
    string Summary);

/// <summary>
/// An independent estimate of need beside the stock-flow model, as commissioners make it (pure arithmetic, no I/O):
/// prevalence x population per client group (the POPPI/PANSI method) x the share of that prevalent population who need
/// a unit, and extra-care units per 1,000 people aged 75+ (the Housing LIN method) against extra-care supply.
/// Populations are taken at 31 March, the day the flow model counts demand: the mid-year values either side
/// interpolated linearly (31 March is nine months after mid-year), from the result's population variant.
/// </summary>
public static class PrevalenceCheck
{
    /// <summary>The adult bands of population.csv a rate may be given for.</summary>
    public static readonly IReadOnlyList<string> AgeBands = ["18-24", "25-64", "65-74", "75-84", "85+"];

    public static readonly IReadOnlyList<string> Aged75PlusBands = ["75-84", "85+"];

    public const string MethodText =
        "prevalence x population (POPPI/PANSI method): people with each condition = rate x the population of each age band at 31 March " +
        "(mid-year values interpolated), need = prevalent people x the share that needs a unit; extra care (Housing LIN method): " +
        "units per 1,000 people aged 75+ x that population, against in-area extra-care units not offline on the as-of date in schemes " +
        "open at 31 March plus extra-care pipeline expected by then x its delivery weight in the run's counting basis";

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>The scheme and pipeline category of extra-care housing.</summary>
    public const string ExtraCareCategory = "extra_care";

    public static PrevalenceCheckResult Compute(PrevalenceData data, PlanningResult result, IReadOnlyList<SchemeStock> schemes,
        IReadOnlyList<PipelineScheme> pipeline)
    {
        var warnings = new List<string>();
        var variant = result.Levers.EffectiveVariant;
        var population = new Populations(data.Population);
        var source = population.Source(variant);
        if (source is null)
            throw new NoPrevalenceDataException($"population.csv has no '{variant}' projection for {result.CouncilCode}");
        if (data.Rates.Count == 0)
            throw new NoPrevalenceDataException($"no prevalence rates for {result.CouncilCode}: import prevalence_rates.csv");

        if (result.Levers.ExtraPopulationGrowthPct != 0)
            warnings.Add($"the prevalence view follows the '{variant}' projection as published; the run's extra_population_growth_pct " +
                         $"({result.Levers.ExtraPopulationGrowthPct.ToString(Ci)}% a year) moves the flow model only");
        var years = result.Years();
        var period = result.Projection.Period;
        var groups = new List<PrevalenceGroupRow>();
        foreach (var group in ClientGroups.Known)
        {
            if (!years.Any(y => y.ClientGroup == group)) continue;
            var rates = data.Rates.Where(r => r.ClientGroup == group).ToList();
            if (rates.Count == 0)
            {
                warnings.Add($"{group}: no prevalence rate in prevalence_rates.csv, so no prevalence view of this group");
                continue;
            }
            var share = data.Benchmarks.FirstOrDefault(b => b.Measure == AccommodationBenchmark.UnitNeedShare && b.ClientGroup == group);
            if (share is null)
            {
                warnings.Add($"{group}: no {AccommodationBenchmark.UnitNeedShare} in accommodation_benchmarks.csv, so prevalent people cannot be turned into units");
                continue;
            }
            var bands = rates.Select(r => r.AgeBand).Distinct().OrderBy(b => AgeBands.ToList().IndexOf(b)).ToList();
            PrevalenceGroupRow? first = null;
            foreach (var fy in period.FinancialYears)
            {
                var y = years.SingleOrDefault(s => s.ClientGroup == group && s.Fy == fy);
                if (y is null) continue;
                var people = Prevalent(rates, population, variant, fy);
                if (people is null)
                {
                    warnings.Add($"{group} {FinancialYear.Label(fy)}: population.csv has no '{variant}' population of every band at 31 March {fy + 1}");
                    continue;
                }
                var need = people.Value * share.Value;
                var low = Prevalent(rates, population, PopulationVariants.Low, fy) * share.Value;
                var high = Prevalent(rates, population, PopulationVariants.High, fy) * share.Value;
                var measure = result.Simulation?.Measures.FirstOrDefault(m => m.Fy == fy && m.ClientGroup == group && m.Measure == Measures.Demand);
                var arising = result.Projection.Flow(fy, group, FlowNames.NeedArising);
                var pop = bands.Sum(b => population.At(variant, b, fy) ?? 0);
                var row = new PrevalenceGroupRow(fy, FinancialYear.Label(fy), group, string.Join(", ", bands), pop, people.Value, share.Value, need,
                    low, high, y.Demand, measure?.P10, measure?.P90, arising, y.Demand - need, "");
                first ??= row;
                var firstYear = years.Single(s => s.ClientGroup == group && s.Fy == first.Fy);
                groups.Add(row with { Explanation = Explain(row, first, y, firstYear, rates, bands) });
            }
        }

        var extraCare = ExtraCareRows(data, result, population, variant, schemes, pipeline, years, warnings);
        var sources = data.Rates.Select(r => $"prevalence_rates {r.ClientGroup}/{r.Condition}/{r.AgeBand}: {r.Source}")
            .Concat(data.Benchmarks.Select(b => $"accommodation_benchmarks {b.Measure}{(b.ClientGroup is null ? "" : "/" + b.ClientGroup)}: {b.Source}"))
            .Append($"population.csv variant {variant}: {source}")
            .Distinct().ToList();
        return new PrevalenceCheckResult(result.CouncilCode, result.ResultId, result.SnapshotId, result.AsOf, variant, source, MethodText,
            groups, extraCare, sources, warnings, Summarise(groups, extraCare));
    }

    /// <summary>People with any of a group's conditions at 31 March of <paramref name="fy"/>'s end; null when a band's population is missing.</summary>
    private static double? Prevalent(IReadOnlyList<PrevalenceRate> rates, Populations population, string variant, int fy)
    {
        double total = 0;
        foreach (var rate in rates)
        {
            if (population.At(variant, rate.AgeBand, fy) is not { } people) return null;
            total += rate.Fraction * people;
        }
        return total;
    }

    private static List<ExtraCareRow> ExtraCareRows(PrevalenceData data, PlanningResult result, Populations population, string variant,
        IReadOnlyList<SchemeStock> schemes, IReadOnlyList<PipelineScheme> pipeline, IReadOnlyList<YearSummary> years, List<string> warnings)
    {
        var rows = new List<ExtraCareRow>();
        var ratio = data.Benchmarks.FirstOrDefault(b => b.Measure == AccommodationBenchmark.ExtraCarePer1000Aged75Plus);
        if (ratio is null)
        {
            warnings.Add($"no {AccommodationBenchmark.ExtraCarePer1000Aged75Plus} in accommodation_benchmarks.csv, so no extra-care check");
            return rows;
        }
        var basis = result.Projection.Basis;
        ExtraCareRow? first = null;
        foreach (var fy in result.Projection.Period.FinancialYears)
        {
            var yearEnd = new DateOnly(fy + 1, 3, 31);
            var bands = Aged75PlusBands.Select(band => population.At(variant, band, fy)).ToList();
            if (bands.Any(v => v is null))
            {
                warnings.Add($"extra care {FinancialYear.Label(fy)}: population.csv has no '{variant}' population aged 75+ at 31 March {fy + 1}");
                continue;
            }
            var aged75 = bands.Sum(v => v!.Value);
            var needed = aged75 * ratio.Value / 1000;
            var existing = schemes.Where(s => s.Category == ExtraCareCategory && s.InArea && s.OpenAt(yearEnd)).Sum(s => (double)s.Available);
            // A delivered pipeline scheme is already a scheme (from its opening date), so it is not counted again.
            var planned = pipeline.Where(p => p.Category == ExtraCareCategory && p.InArea && p.Status != PipelineStatuses.Delivered
                                             && p.ExpectedDate <= yearEnd)
                .Sum(p => p.Units * basis.PipelineWeight(p.Status));
            var older = years.SingleOrDefault(y => y.Fy == fy && y.ClientGroup == ClientGroups.OlderDementia);
            var row = new ExtraCareRow(fy, FinancialYear.Label(fy), aged75, ratio.Value, needed, existing, planned, existing + planned,
                needed - existing - planned, older?.Demand ?? 0, older?.Supply ?? 0, older?.ShortfallCumulative ?? 0, "");
            first ??= row;
            var older85 = Change(population.At(variant, "85+", first.Fy) ?? 0, population.At(variant, "85+", fy) ?? 0);
            rows.Add(row with { Explanation = ExplainExtraCare(row, first, older85, result.Projection, older) });
        }
        return rows;
    }

    private static string Explain(PrevalenceGroupRow row, PrevalenceGroupRow first, YearSummary year, YearSummary firstYear,
        IReadOnlyList<PrevalenceRate> rates, IReadOnlyList<string> bands)
    {
        var conditions = string.Join(" and ", rates.Select(r => r.Condition.Replace('_', ' ')).Distinct());
        var text = $"{row.FyLabel}: the flow model needs {N(row.FlowDemand)} units";
        if (row.FlowDemandP10 is { } p10 && row.FlowDemandP90 is { } p90) text += $" (P10-P90 {N(p10)}-{N(p90)})";
        text += $"; the prevalence view {N(row.PrevalenceNeed)} ({N(row.PrevalentPeople)} people with {conditions} aged {string.Join(", ", bands)} x {Share(row.NeedShare)})";
        var gap = row.Difference;
        text += Math.Abs(gap) < 0.5
            ? ", the same"
            : $", so the flow model is {N(Math.Abs(gap))} {(gap > 0 ? "above" : "below")} it ({(gap / row.PrevalenceNeed).ToString("+0%;-0%", Ci)})";
        if (row.FlowDemandP10 is { } lo && row.FlowDemandP90 is { } hi)
            text += row.PrevalenceNeed >= lo && row.PrevalenceNeed <= hi ? ", within the flow model's P10-P90" : ", outside the flow model's P10-P90";
        text += ".";
        // The level rests on the need share, an assumption: the share at which the two would agree shows how far apart they are.
        if (row.PrevalentPeople > 0 && Math.Abs(gap) >= 0.5)
            text += $" The two agree at a need share of {Share(row.FlowDemand / row.PrevalentPeople)} instead of {Share(row.NeedShare)}.";
        if (row.Fy == first.Fy) return text;

        var flowChange = Change(first.FlowDemand, row.FlowDemand);
        var prevChange = Change(first.PrevalenceNeed, row.PrevalenceNeed);
        var popChange = Change(first.Population, row.Population);
        text += $" Since {first.FyLabel} the flow model's demand changes by {Pct(flowChange)} and the prevalence view by {Pct(prevChange)} " +
                $"(population aged {string.Join(", ", bands)} {Pct(popChange)}).";
        var demand = year.Reconciliation.FirstOrDefault(r => r.Stock == "demand");
        var waiting = year.Reconciliation.FirstOrDefault(r => r.Stock == "waiting");
        var waitingBefore = firstYear.Reconciliation.FirstOrDefault(r => r.Stock == "waiting");
        var exits = year.Flows.GetValueOrDefault(FlowNames.Exits);
        var removals = year.Flows.GetValueOrDefault(FlowNames.WaitingRemovals);
        if (demand is not null)
            text += $" In {row.FyLabel} {D(demand.Inflows)} people arrive in the flow model (need arising {D(row.FlowNeedArising)}), " +
                    $"{D(exits)} tenants leave and {D(removals)} leave the waiting list unhoused.";
        var arising = Change(first.FlowNeedArising, row.FlowNeedArising);
        var why = $"its need arising changes by {Pct(arising)} since {first.FyLabel} against {Pct(popChange)} for the population";
        if (flowChange > prevChange + 0.02)
        {
            text += $" It grows faster than the prevalence view: {why}";
            if (waiting is not null && waitingBefore is not null && waiting.Closing > waitingBefore.Opening)
                text += $", and the people waiting go from {D(waitingBefore.Opening)} to {D(waiting.Closing)} because fewer units come free than people arrive";
            text += ".";
        }
        else if (flowChange < prevChange - 0.02)
        {
            text += $" It grows more slowly than the prevalence view: {why}";
            if (demand is not null && demand.Outflows > demand.Inflows)
                text += $", and more people leave its demand ({D(demand.Outflows)}) than arrive ({D(demand.Inflows)})";
            text += ".";
        }
        else
            text += $" Both grow alike: {why}.";
        return text;
    }

    private static string ExplainExtraCare(ExtraCareRow row, ExtraCareRow first, double change85, ProjectionResult projection, YearSummary? older)
    {
        var text = $"{row.FyLabel}: {D(row.UnitsPer1000)} units per 1,000 of {N(row.PopulationAged75Plus)} people aged 75+ = {N(row.UnitsNeeded)} extra-care units; " +
                   $"supply {N(row.Supply)} ({N(row.ExistingUnits)} open + {D(row.PipelineUnits)} pipeline, weighted): " +
                   $"{(row.Gap >= 0 ? $"{N(row.Gap)} short" : $"{N(-row.Gap)} over")} by the ratio.";
        if (older is null) return text;
        var flow = row.FlowOlderShortfall;
        text += $" The flow model counts {N(row.FlowOlderDemand)} older people and people with dementia needing a unit against {N(row.FlowOlderSupply)} units: " +
                $"{(flow >= 0 ? $"a shortfall of {N(flow)}" : $"a surplus of {N(-flow)}")}.";
        if (row.Fy == first.Fy) return text;
        var arisingFirst = projection.Flow(first.Fy, ClientGroups.OlderDementia, FlowNames.NeedArising);
        var arising = projection.Flow(row.Fy, ClientGroups.OlderDementia, FlowNames.NeedArising);
        var need75 = Change(first.PopulationAged75Plus, row.PopulationAged75Plus);
        var flowChange = Change(first.FlowOlderDemand, row.FlowOlderDemand);
        text += $" Since {first.FyLabel} people aged 75+ grow {Pct(need75)} (85+ {Pct(change85)}), so the ratio's need grows with them, " +
                $"while the flow model's older-people demand changes by {Pct(flowChange)}: its need arising goes from {D(arisingFirst)} to {D(arising)} a year";
        text += arising < arisingFirst ? ", a falling trend against a growing population" : "";
        if (older.Reconciliation.FirstOrDefault(r => r.Stock == "demand") is { } demand)
        {
            text += $"; in {row.FyLabel} {D(demand.Inflows)} people arrive and {D(demand.Outflows)} leave " +
                    $"({D(older.Flows.GetValueOrDefault(FlowNames.Exits))} tenants leaving, {D(older.Flows.GetValueOrDefault(FlowNames.WaitingRemovals))} leaving the waiting list unhoused)";
            if (demand.Outflows > demand.Inflows) text += ", so its demand falls while the population grows";
        }
        text += ".";
        if (row.Gap > 0 && flow < 0)
            text += " The two views disagree: the ratio sees a gap where the flow model sees a surplus.";
        return text;
    }

    private static string Summarise(IReadOnlyList<PrevalenceGroupRow> groups, IReadOnlyList<ExtraCareRow> extraCare)
    {
        var parts = new List<string>();
        if (groups.Count > 0)
        {
            var last = groups.Max(g => g.Fy);
            var rows = groups.Where(g => g.Fy == last).ToList();
            var above = rows.Where(r => r.Difference >= 0.5).Select(r => $"{r.ClientGroup} ({N(r.FlowDemand)} vs {N(r.PrevalenceNeed)})").ToList();
            var below = rows.Where(r => r.Difference <= -0.5).Select(r => $"{r.ClientGroup} ({N(r.FlowDemand)} vs {N(r.PrevalenceNeed)})").ToList();
            var text = $"In {FinancialYear.Label(last)} the flow model needs";
            if (above.Count > 0) text += $" more units than the prevalence view for {string.Join(", ", above)}";
            if (above.Count > 0 && below.Count > 0) text += " and";
            if (below.Count > 0) text += $" fewer for {string.Join(", ", below)}";
            if (above.Count == 0 && below.Count == 0) text += " as many units as the prevalence view for every group checked";
            parts.Add(text + ".");
        }
        if (extraCare.Count > 0)
        {
            var e = extraCare[^1];
            parts.Add($"By the Housing LIN ratio {e.FyLabel} needs {N(e.UnitsNeeded)} extra-care units against {N(e.Supply)} " +
                      $"({(e.Gap >= 0 ? $"{N(e.Gap)} short" : $"{N(-e.Gap)} over")}); the flow model's older people and people with dementia show " +
                      $"{(e.FlowOlderShortfall >= 0 ? $"a shortfall of {N(e.FlowOlderShortfall)}" : $"a surplus of {N(-e.FlowOlderShortfall)}")}.");
        }
        return string.Join(" ", parts);
    }

    private static double Change(double from, double to) => from == 0 ? 0 : to / from - 1;
    private static string Pct(double change) => change.ToString("+0.0%;-0.0%;0.0%", Ci);
    private static string N(double value) => Math.Round(value).ToString("#,0", Ci);
    private static string D(double value) => value.ToString("#,0.0", Ci);
    private static string Share(double value) => value.ToString("0.0%", Ci);

    /// <summary>Mid-year populations per variant and band; one source per variant (the lexically last, as the flow model's drivers).</summary>
    private sealed class Populations(IReadOnlyList<BandPopulation> rows)
    {
        private readonly Dictionary<(string Variant, string Band, int Year), double> _values = rows
            .GroupBy(r => r.Variant)
            .SelectMany(g =>
            {
                var source = g.LastOrdinal(r => r.Source);
                return g.Where(r => r.Source == source);
            })
            .ToDictionary(r => (r.Variant, r.AgeBand, r.Year), r => r.Population);

        private readonly Dictionary<string, string> _sources = rows.GroupBy(r => r.Variant)
            .ToDictionary(g => g.Key, g => g.LastOrdinal(r => r.Source)!);

        public string? Source(string variant) => _sources.GetValueOrDefault(variant);

        /// <summary>The band's population at 31 March ending <paramref name="fy"/>: a quarter of mid-year fy plus three quarters of mid-year fy + 1.</summary>
        public double? At(string variant, string band, int fy) =>
            _values.TryGetValue((variant, band, fy), out var a) && _values.TryGetValue((variant, band, fy + 1), out var b)
                ? 0.25 * a + 0.75 * b
                : null;
    }
}

/// <summary>The council has no prevalence rates or population projection to check against (a missing import, not a bad argument).</summary>
public sealed class NoPrevalenceDataException(string message) : Exception(message);

file static class OrdinalExtensions
{
    public static string? LastOrdinal<T>(this IEnumerable<T> items, Func<T, string> key) =>
        items.Select(key).OrderBy(s => s, StringComparer.Ordinal).LastOrDefault();
}
