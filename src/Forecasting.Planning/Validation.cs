using Forecasting.Domain;

namespace Forecasting.Planning;

/// <summary>One invalid input: the lever (or field) and why.</summary>
public sealed record ValidationError(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}

/// <summary>
/// Raised for invalid levers or strategy input; the caller is told every error, each field under
/// <paramref name="prefix"/> ("levers." for a scenario's levers, "" for a strategy version's own fields).
/// </summary>
public sealed class ScenarioValidationException(IReadOnlyList<ValidationError> errors, string prefix = "levers.")
    : InvalidArgumentException("invalid scenario: " + string.Join("; ", errors), errors.Count == 0 ? "levers" : errors[0].Field,
        errors.Count == 0 ? "" : errors[0].Reason, string.Join("; ", errors.Select(e => $"{prefix}{e.Field}: {e.Reason}")))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}

/// <summary>Checks levers against the baseline they will be applied to.</summary>
public static class ScenarioValidator
{
    public static IReadOnlyList<ValidationError> Validate(ScenarioLevers levers, PlanningBaseline baseline, ProjectionPeriod period)
    {
        var e = new List<ValidationError>();
        if (levers.StartFy is { } firstFy and not 0 && !FinancialYear.InWindow(firstFy))
            e.Add(new("start_fy", $"{firstFy} is not a financial year from {FinancialYear.First} to {FinancialYear.Last} ({FinancialYear.WindowText})"));
        if (levers.EndFy is { } lastFy and not 0 && !FinancialYear.InWindow(lastFy))
            e.Add(new("end_fy", $"{lastFy} is not a financial year from {FinancialYear.First} to {FinancialYear.Last} ({FinancialYear.WindowText})"));
        // The planning period is made from these years; beyond the window the checks below have no dates to compare.
        if (e.Count > 0) return e;

        if (!string.IsNullOrEmpty(levers.PopulationVariant))
        {
            var variant = levers.PopulationVariant;
            var held = baseline.Population.Select(p => p.Variant).Where(v => v != PopulationVariants.Estimate).Distinct().Order(StringComparer.Ordinal).ToList();
            if (variant == PopulationVariants.Estimate)
                e.Add(new("population_variant", "'estimate' holds past years only; choose a projection variant"));
            else if (held.Count > 0 && !held.Contains(variant))
                e.Add(new("population_variant", $"no '{variant}' population projection in the data (it holds {string.Join(", ", held)})"));
            else if (held.Count == 0 && !PopulationVariants.Projections.Contains(variant))
                e.Add(new("population_variant", $"unknown variant '{variant}' (expected low, principal or high)"));
        }
        Range(e, "extra_population_growth_pct", levers.ExtraPopulationGrowthPct, -50, 100);
        Range(e, "admission_diversion_pct", levers.AdmissionDiversionPct, 0, 100);
        if (levers.ResidentialToSlMovesPerYear is { } moves) Range(e, "residential_to_sl_moves_per_year", moves, 0, MaxPeoplePerYear);
        if (levers.TransitionsCohortMultiplier is { } multiplier) Range(e, "transitions_cohort_multiplier", multiplier, 0, MaxCohortMultiplier);
        if (levers.TransitionsSlShare is { } ts) Probability(e, "transitions_sl_share", ts);

        if (levers.DeliveryProbability is { } dp)
            foreach (var (status, p) in dp)
            {
                if (!PipelineStatuses.IsKnown(status))
                    e.Add(new($"delivery_probability.{status}", $"unknown pipeline status '{status}'"));
                Probability(e, $"delivery_probability.{status}", p);
            }

        if (levers.Slippage is { } slips)
            for (var i = 0; i < slips.Count; i++)
            {
                var s = slips[i];
                var f = $"slippage[{i}]";
                if (FindPipeline(baseline, s.PipelineId) is null) e.Add(new($"{f}.pipeline_id", $"unknown scheme '{s.PipelineId}'"));
                if (s.Months < 0) e.Add(new($"{f}.months", $"must be zero or more (got {s.Months})"));
                else if (s.Months > 240) e.Add(new($"{f}.months", $"more than 240 months ({s.Months})"));
            }

        if (levers.NewSchemes is { } added)
            for (var i = 0; i < added.Count; i++)
            {
                var n = added[i];
                var f = $"new_schemes[{i}]";
                if (string.IsNullOrWhiteSpace(n.Name)) e.Add(new($"{f}.name", "must not be empty"));
                Units(e, $"{f}.units", n.Units);
                if (!SchemeCategories.Known.Contains(n.Category)) e.Add(new($"{f}.category", $"unknown category '{n.Category}'"));
                if (!ClientGroups.IsKnown(n.ClientGroup)) e.Add(new($"{f}.client_group", $"unknown client group '{n.ClientGroup}'"));
                if (!PipelineStatuses.IsKnown(n.EffectiveStatus)) e.Add(new($"{f}.status", $"unknown pipeline status '{n.Status}'"));
                if (n.ExpectedDate == default)
                    e.Add(new($"{f}.expected_date", "an expected date is required"));
                else if (n.ExpectedDate <= baseline.AsOf || n.ExpectedDate > FinancialYear.End(period.LastFy))
                    e.Add(new($"{f}.expected_date", $"{n.ExpectedDate:yyyy-MM-dd} is outside the planning period {baseline.AsOf.AddDays(1):yyyy-MM-dd} to {FinancialYear.End(period.LastFy):yyyy-MM-dd}"));
            }

        if (levers.CancelledSchemes is { } cancelled)
            for (var i = 0; i < cancelled.Count; i++)
                if (FindPipeline(baseline, cancelled[i]) is null)
                    e.Add(new($"cancelled_schemes[{i}]", $"unknown scheme '{cancelled[i]}'"));

        if (levers.VoidRate is { } v)
        {
            if (!double.IsFinite(v) || v < 0 || v >= 1) e.Add(new("void_rate", $"must be from 0 to below 1 (got {v})"));
        }
        Range(e, "shared_lives_placements_per_year", levers.SharedLivesPlacementsPerYear, 0, MaxPeoplePerYear);
        Range(e, "direct_payment_share_change", levers.DirectPaymentShareChange, -1, 1);
        if (levers.DirectPaymentShareChange is var change and not 0 && double.IsFinite(change))
            foreach (var code in levers.EffectiveClientGroups)
            {
                var s0 = baseline.DirectPaymentShareOf(code);
                if (s0 + change < 0 || s0 + change > 1)
                    e.Add(new("direct_payment_share_change",
                        $"{code}: today's share met by direct payments is {s0:0.###}, so a change of {change:0.###} gives {s0 + change:0.###}, outside 0 to 1"));
            }

        if (levers.SchemeOverrides is { } changes)
            for (var i = 0; i < changes.Count; i++)
            {
                var o = changes[i];
                var f = $"scheme_overrides[{i}]";
                if (FindPipeline(baseline, o.PipelineId) is null) e.Add(new($"{f}.pipeline_id", $"unknown scheme '{o.PipelineId}'"));
                if (!string.IsNullOrEmpty(o.Status) && !PipelineStatuses.IsKnown(o.Status)) e.Add(new($"{f}.status", $"unknown pipeline status '{o.Status}'"));
                if (o.Probability is { } p) Probability(e, $"{f}.probability", p);
                if (o.Units is { } units) Units(e, $"{f}.units", units);
                if (o.ExpectedDate is { } d && (d <= baseline.AsOf || d > FinancialYear.End(period.LastFy)))
                    e.Add(new($"{f}.expected_date", $"{d:yyyy-MM-dd} is outside the planning period {baseline.AsOf.AddDays(1):yyyy-MM-dd} to {FinancialYear.End(period.LastFy):yyyy-MM-dd}"));
            }

        if (levers.EffectiveStrategyVersion is not null && levers.EffectiveStrategyId is null)
            e.Add(new("strategy_version", "strategy_version needs strategy_id"));
        if (levers.EffectiveStrategyId is { } sid)
        {
            var versions = baseline.Strategies.Where(s => s.StrategyId == sid).ToList();
            if (versions.Count == 0) e.Add(new("strategy_id", $"unknown strategy '{sid}'"));
            else if (levers.EffectiveStrategyVersion is { } ver && versions.All(s => s.Version != ver))
                e.Add(new("strategy_version", $"strategy '{sid}' has no version {ver}"));
            else if (levers.EffectiveStrategyVersion is { } named && versions.Single(s => s.Version == named) is { WithinBounds: false } unusable)
                e.Add(new("strategy_version", $"strategy '{sid}' version {named} cannot be used ({string.Join("; ", unusable.BoundsErrors())}); name another version or add a corrected one"));
            else if (levers.EffectiveStrategyVersion is null && versions.All(s => !s.WithinBounds))
                e.Add(new("strategy_id", $"no version of strategy '{sid}' keeps the strategy bounds; add a corrected version"));
        }
        if (levers.EndFy is { } endFy and not 0 && endFy < FinancialYear.Of(baseline.AsOf.AddDays(1)))
            e.Add(new("end_fy", $"{FinancialYear.Label(endFy)} ends before the as-of date {baseline.AsOf:yyyy-MM-dd}"));
        if (levers.StartFy is { } startFy and not 0 && levers.EndFy is { } end2 and not 0 && end2 < startFy)
            e.Add(new("end_fy", $"{end2} is before start_fy {startFy}"));
        if (levers.EndFy is { } end3 and not 0 && end3 - FinancialYear.Of(baseline.AsOf.AddDays(1)) >= 50)
            e.Add(new("end_fy", "more than 50 years ahead"));
        if (levers.ClientGroups is { } groups)
            for (var i = 0; i < groups.Count; i++)
                if (!ClientGroups.IsKnown(groups[i]))
                    e.Add(new($"client_groups[{i}]", $"unknown client group '{groups[i]}'"));
        if (levers.WeeklyCosts is { } costs)
            foreach (var (setting, cost) in costs)
            {
                var (name, group) = CostSettings.ParseKey(setting);
                if (!CostSettings.IsKnown(name))
                    e.Add(new($"weekly_costs.{setting}", $"unknown setting '{name}' (expected {string.Join(", ", CostSettings.All)}, optionally .client_group)"));
                else if (group != ClientGroups.All && !ClientGroups.IsKnown(group))
                    e.Add(new($"weekly_costs.{setting}", $"unknown client group '{group}'"));
                Range(e, $"weekly_costs.{setting}", cost, 0, 50_000);
            }
        Range(e, "cost_uplift_pct", levers.CostUpliftPct, -20, 50);
        if (levers.DiscountRatePct is { } discount) Range(e, "discount_rate_pct", discount, 0, 20);
        if (levers.PipelineMinStatus is { } ms && (!PipelineStatuses.IsKnown(ms) || ms == PipelineStatuses.Failed))
            e.Add(new("pipeline_min_status", $"'{ms}' is not a pipeline status that delivers"));
        if (levers.TargetPipelineMinStatus is { } tms && (!PipelineStatuses.IsKnown(tms) || tms == PipelineStatuses.Failed))
            e.Add(new("target_pipeline_min_status", $"'{tms}' is not a pipeline status that delivers"));
        return e;
    }

    /// <summary>
    /// Levers naming a scheme whose status in the data leaves them nothing to change: a delivered scheme (it is in the
    /// units data from its opening date) cannot be slipped, overridden or cancelled; a failed one counts nothing, so
    /// slipping or cancelling it, or overriding it without a new status or probability, changes nothing. Refused when a
    /// scenario is created or changed; a stored scenario whose schemes changed status since is run with these as warnings.
    /// </summary>
    public static IReadOnlyList<ValidationError> StatusConflicts(ScenarioLevers levers, PlanningBaseline baseline)
    {
        var e = new List<ValidationError>();
        var revived = new HashSet<string>();
        foreach (var o in levers.SchemeOverrides ?? [])
            if (FindPipeline(baseline, o.PipelineId) is { } p && (o.Status is { Length: > 0 } st && st != PipelineStatuses.Failed || o.Probability is > 0))
                revived.Add(p.PipelineId);
        string? Conflict(string key, string lever, bool overriding)
        {
            if (FindPipeline(baseline, key) is not { } p) return null;
            if (p.Status == PipelineStatuses.Delivered)
                return $"scheme '{key}' is delivered (its units are in the units data from its opening date); {lever} has no effect on it";
            if (p.Status == PipelineStatuses.Failed && !revived.Contains(p.PipelineId))
                return overriding
                    ? $"scheme '{key}' has failed and counts nothing; an override without a status or probability above 0 has no effect on it"
                    : $"scheme '{key}' has failed and counts nothing; {lever} has no effect on it (override its status to count it again)";
            return null;
        }
        var slips = levers.Slippage ?? [];
        for (var i = 0; i < slips.Count; i++)
            if (Conflict(slips[i].PipelineId, "slipping it", false) is { } r) e.Add(new($"slippage[{i}].pipeline_id", r));
        var changes = levers.SchemeOverrides ?? [];
        for (var i = 0; i < changes.Count; i++)
            if (Conflict(changes[i].PipelineId, "overriding it", true) is { } r) e.Add(new($"scheme_overrides[{i}].pipeline_id", r));
        var cancelled = levers.CancelledSchemes ?? [];
        for (var i = 0; i < cancelled.Count; i++)
            if (Conflict(cancelled[i], "cancelling it", false) is { } r) e.Add(new($"cancelled_schemes[{i}]", r));
        return e;
    }

    public static void EnsureValid(ScenarioLevers levers, PlanningBaseline baseline, ProjectionPeriod period)
    {
        var errors = Validate(levers, baseline, period);
        if (errors.Count > 0) throw new ScenarioValidationException(errors);
    }

    internal static PipelineScheme? FindPipeline(PlanningBaseline baseline, string key) =>
        baseline.Pipeline.FirstOrDefault(p => p.PipelineId == key) ?? baseline.Pipeline.FirstOrDefault(p => p.Name == key);

    /// <summary>The most people a year a lever may move or place (a council's whole supported-living estate is a few thousand).</summary>
    public const double MaxPeoplePerYear = 100_000;

    /// <summary>The largest multiple of the transitions cohort a scenario may assume.</summary>
    public const double MaxCohortMultiplier = 100;

    private static void Units(List<ValidationError> e, string field, int units)
    {
        if (units < 0) e.Add(new(field, $"negative units ({units})"));
        else if (units > StrategyVersion.MaxUnitTarget) e.Add(new(field, $"at most {StrategyVersion.MaxUnitTarget:N0} units (got {units:N0})"));
    }

    private static void Probability(List<ValidationError> e, string field, double value)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1) e.Add(new(field, $"must be between 0 and 1 (got {value})"));
    }

    private static void Range(List<ValidationError> e, string field, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max) e.Add(new(field, $"must be between {min} and {max} (got {value})"));
    }
}
