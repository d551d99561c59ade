namespace Forecasting.Planning;

/// <summary>A phase of a strategy: units to deliver within financial years StartFy..EndFy (inclusive).</summary>
public sealed record StrategyPhase(string Phase, int StartFy, int EndFy, int UnitTarget);

/// <summary>
/// A target of a strategy version for one client group (or "all"): units to deliver in financial year Fy, or over
/// the whole strategy period when Fy is null (accrued in a straight line per year).
/// </summary>
public sealed record StrategyTarget(string ClientGroup, int? Fy, int UnitTarget);

/// <summary>One version of a strategy. Versions are immutable; a change of targets is a new version.</summary>
public sealed record StrategyVersion(
    string StrategyId,
    int Version,
    string Name,
    int StartFy,
    int EndFy,
    string? ClientGroup,
    DateTimeOffset CreatedAt,
    string Author,
    string Reason,
    IReadOnlyList<StrategyPhase> Phases)
{
    /// <summary>Targets per client group (or "all"), annual or for the whole period; empty when the phases are the only targets.</summary>
    public IReadOnlyList<StrategyTarget> Targets { get; init; } = [];

    /// <summary>Units to deliver over the whole version: the sum of its targets when it has any, else of its phases.</summary>
    public int TotalTarget => Targets.Count > 0 ? Targets.Sum(t => t.UnitTarget) : Phases.Sum(p => p.UnitTarget);

    /// <summary>True when the version has targets for individual client groups (not only "all").</summary>
    public bool HasGroupTargets => Targets.Any(t => t.ClientGroup != ClientGroups.All);

    /// <summary>
    /// Client groups with their own target rows, in the order of <see cref="ClientGroups.Known"/>: the groups of the
    /// version's targets, else the strategy's own client group, else none (the phases are an all-groups target).
    /// </summary>
    public IReadOnlyList<string> TargetGroups =>
        HasGroupTargets ? ClientGroups.Known.Where(g => Targets.Any(t => t.ClientGroup == g)).ToList()
        : ClientGroup is not null ? [ClientGroup]
        : [];

    /// <summary>
    /// Units due by the end of <paramref name="fy"/> for all the groups of the version (the trajectory): explicit
    /// targets summed up to that year, targets for the whole period and phase targets accrued in a straight line per
    /// financial year (a 2022-2026 phase of 66 units is due 13.2, 26.4, ... 66 by the end of each year).
    /// </summary>
    public double CumulativeTargetDue(int fy) => CumulativeTargetDue(ClientGroups.All, fy);

    /// <summary>Units due by the end of <paramref name="fy"/> for one client group, or "all" (see <see cref="CumulativeTargetDue(int)"/>).</summary>
    public double CumulativeTargetDue(string clientGroup, int fy)
    {
        if (HasGroupTargets)
            return clientGroup == ClientGroups.All
                ? TargetGroups.Sum(g => Accrued(Targets.Where(t => t.ClientGroup == g), fy))
                : Accrued(Targets.Where(t => t.ClientGroup == clientGroup), fy);
        if (clientGroup != ClientGroups.All && clientGroup != ClientGroup) return 0;
        return Targets.Count > 0 ? Accrued(Targets, fy) : Phases.Sum(p => p.UnitTarget * Share(p.StartFy, p.EndFy, fy));
    }

    /// <summary>Units due in <paramref name="fy"/> alone: the trajectory's step from the year before.</summary>
    public double TargetInYear(string clientGroup, int fy) => CumulativeTargetDue(clientGroup, fy) - CumulativeTargetDue(clientGroup, fy - 1);

    /// <summary>The sum of the targets of phases that have ended by the end of <paramref name="fy"/>.</summary>
    public int PhaseTargetsEnded(int fy) => Phases.Where(p => p.EndFy <= fy).Sum(p => p.UnitTarget);

    private double Accrued(IEnumerable<StrategyTarget> targets, int fy) =>
        targets.Sum(t => t.Fy is { } year ? (year <= fy ? t.UnitTarget : 0) : t.UnitTarget * Share(StartFy, EndFy, fy));

    /// <summary>Share of a target over financial years from..to due by the end of <paramref name="fy"/>.</summary>
    private static double Share(int from, int to, int fy) =>
        fy < from ? 0 : fy >= to ? 1 : (fy - from + 1) / (double)(to - from + 1);

    /// <summary>The phase that contains <paramref name="fy"/>, if any.</summary>
    public StrategyPhase? PhaseOf(int fy) => Phases.FirstOrDefault(p => p.StartFy <= fy && fy <= p.EndFy);

    public bool Covers(int fy) => StartFy <= fy && fy <= EndFy;

    /// <summary>The longest strategy period, in financial years (start_fy to end_fy inclusive).</summary>
    public const int MaxPeriodYears = 30;

    /// <summary>
    /// The most units one phase or target may ask for. A council's whole supported-living estate is a few thousand
    /// units; a target beyond this is a typing error, not a plan.
    /// </summary>
    public const int MaxUnitTarget = 100_000;

    /// <summary>
    /// The bounds every version must keep (years within <see cref="FinancialYear.First"/>..<see cref="FinancialYear.Last"/>,
    /// start_fy &lt;= end_fy, a period of at most <see cref="MaxPeriodYears"/> years, units from 0 to <see cref="MaxUnitTarget"/>):
    /// empty when it keeps them. New versions are refused beyond them; a stored version beyond them (stored before they
    /// were checked) is never chosen for a run.
    /// </summary>
    public IReadOnlyList<ValidationError> BoundsErrors() => Bounds(StartFy, EndFy, Phases, Targets).ToList();

    /// <summary>True when the version keeps every bound of <see cref="BoundsErrors"/>.</summary>
    public bool WithinBounds => BoundsErrors().Count == 0;

    private static IEnumerable<ValidationError> Bounds(int startFy, int endFy, IReadOnlyList<StrategyPhase> phases, IReadOnlyList<StrategyTarget> targets)
    {
        foreach (var error in Year("start_fy", startFy).Concat(Year("end_fy", endFy))) yield return error;
        if (endFy < startFy) yield return new("end_fy", $"{endFy} is before start_fy {startFy}");
        else if (FinancialYear.InWindow(startFy) && FinancialYear.InWindow(endFy) && endFy - startFy + 1 > MaxPeriodYears)
            yield return new("end_fy", $"a strategy period is at most {MaxPeriodYears} financial years ({FinancialYear.Label(startFy)}-{FinancialYear.Label(endFy)} is {endFy - startFy + 1})");
        for (var i = 0; i < phases.Count; i++)
        {
            var p = phases[i];
            foreach (var error in Year($"phases[{i}].start_fy", p.StartFy).Concat(Year($"phases[{i}].end_fy", p.EndFy))) yield return error;
            if (Units($"phases[{i}].unit_target", p.UnitTarget) is { } units) yield return units;
        }
        for (var i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            if (t.Fy is { } fy) foreach (var error in Year($"targets[{i}].fy", fy)) yield return error;
            if (Units($"targets[{i}].unit_target", t.UnitTarget) is { } units) yield return units;
        }
    }

    private static IEnumerable<ValidationError> Year(string field, int fy)
    {
        if (!FinancialYear.InWindow(fy))
            yield return new(field, $"{fy} is not a financial year from {FinancialYear.First} to {FinancialYear.Last} ({FinancialYear.WindowText}; 2025 = 2025/26)");
    }

    private static ValidationError? Units(string field, int units) =>
        units < 0 ? new(field, $"negative units ({units})")
        : units > MaxUnitTarget ? new(field, $"at most {MaxUnitTarget:N0} units (got {units:N0})")
        : null;

    /// <summary>Checks the period and phases; returns (field, reason) pairs, empty when valid.</summary>
    public static IReadOnlyList<ValidationError> Check(string name, int startFy, int endFy, string? clientGroup, IReadOnlyList<StrategyPhase> phases) =>
        Check(name, startFy, endFy, clientGroup, phases, []);

    /// <summary>Checks the period, phases and targets; returns (field, reason) pairs, empty when valid.</summary>
    public static IReadOnlyList<ValidationError> Check(string name, int startFy, int endFy, string? clientGroup,
        IReadOnlyList<StrategyPhase> phases, IReadOnlyList<StrategyTarget> targets)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(name)) errors.Add(new("name", "must not be empty"));
        errors.AddRange(Bounds(startFy, endFy, phases, targets));
        // With a year outside the window the checks below would only repeat it, with labels of years that do not exist.
        if (!FinancialYear.InWindow(startFy) || !FinancialYear.InWindow(endFy) || endFy - startFy + 1 > MaxPeriodYears
            || phases.Any(p => !FinancialYear.InWindow(p.StartFy) || !FinancialYear.InWindow(p.EndFy))
            || targets.Any(t => t.Fy is { } fy && !FinancialYear.InWindow(fy)))
            return errors;
        if (clientGroup is not null && !ClientGroups.IsKnown(clientGroup))
            errors.Add(new("client_group", $"unknown client group '{clientGroup}'"));
        if (phases.Count == 0 && targets.Count == 0) errors.Add(new("phases", "a strategy needs at least one phase or target"));
        var seen = new HashSet<string>();
        for (var i = 0; i < phases.Count; i++)
        {
            var p = phases[i];
            var f = $"phases[{i}]";
            if (string.IsNullOrWhiteSpace(p.Phase)) errors.Add(new($"{f}.phase", "must not be empty"));
            else if (!seen.Add(p.Phase)) errors.Add(new($"{f}.phase", $"duplicate phase '{p.Phase}'"));
            if (p.EndFy < p.StartFy) errors.Add(new($"{f}.end_fy", $"{p.EndFy} is before start_fy {p.StartFy}"));
            if (p.StartFy < startFy || p.EndFy > endFy)
                errors.Add(new($"{f}", $"{FinancialYear.Label(p.StartFy)}-{FinancialYear.Label(p.EndFy)} is outside the strategy period {FinancialYear.Label(startFy)}-{FinancialYear.Label(endFy)}"));
        }
        var ordered = phases.OrderBy(p => p.StartFy).ToList();
        for (var i = 1; i < ordered.Count; i++)
            if (ordered[i].StartFy <= ordered[i - 1].EndFy)
                errors.Add(new("phases", $"phases '{ordered[i - 1].Phase}' and '{ordered[i].Phase}' overlap"));
        errors.AddRange(CheckTargets(startFy, endFy, clientGroup, phases, targets));
        return errors;
    }

    private static IEnumerable<ValidationError> CheckTargets(int startFy, int endFy, string? clientGroup,
        IReadOnlyList<StrategyPhase> phases, IReadOnlyList<StrategyTarget> targets)
    {
        var seen = new HashSet<(string, int?)>();
        for (var i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            var f = $"targets[{i}]";
            if (t.ClientGroup != ClientGroups.All && !ClientGroups.IsKnown(t.ClientGroup))
                yield return new($"{f}.client_group", $"unknown client group '{t.ClientGroup}'");
            else if (clientGroup is not null && t.ClientGroup != clientGroup)
                yield return new($"{f}.client_group", $"the strategy covers {clientGroup} only, not '{t.ClientGroup}'");
            if (t.Fy is { } fy && (fy < startFy || fy > endFy))
                yield return new($"{f}.fy", $"{FinancialYear.Label(fy)} is outside the strategy period {FinancialYear.Label(startFy)}-{FinancialYear.Label(endFy)}");
            if (!seen.Add((t.ClientGroup, t.Fy)))
                yield return new($"{f}", t.Fy is null
                    ? $"duplicate target for {t.ClientGroup} over the whole period"
                    : $"duplicate target for {t.ClientGroup} in {FinancialYear.Label(t.Fy.Value)}");
            else if (targets.Take(i).Any(o => o.ClientGroup == t.ClientGroup && (o.Fy is null) != (t.Fy is null)))
                yield return new($"{f}.fy", $"{t.ClientGroup} has both annual targets and a target for the whole period");
        }
        if (targets.Any(t => t.ClientGroup == ClientGroups.All) && targets.Any(t => t.ClientGroup != ClientGroups.All))
            yield return new("targets", "give targets either for all client groups or per client group, not both");
        if (targets.Count > 0 && phases.Count > 0 && targets.Sum(t => t.UnitTarget) != phases.Sum(p => p.UnitTarget))
            yield return new("targets", $"targets total {targets.Sum(t => t.UnitTarget)} units but the phases total {phases.Sum(p => p.UnitTarget)}");
    }
}

/// <summary>A strategy with all its versions (oldest first).</summary>
public sealed class Strategy
{
    private readonly List<StrategyVersion> _versions;

    public Strategy(IEnumerable<StrategyVersion> versions)
    {
        _versions = versions.OrderBy(v => v.Version).ToList();
        if (_versions.Count == 0) throw new ArgumentException("a strategy needs at least one version", nameof(versions));
        if (_versions.Select(v => v.StrategyId).Distinct().Count() != 1)
            throw new ArgumentException("all versions must share one strategy id", nameof(versions));
        if (_versions.Select(v => v.Version).Distinct().Count() != _versions.Count)
            throw new ArgumentException("version numbers must be unique", nameof(versions));
    }

    public string StrategyId => _versions[0].StrategyId;
    public IReadOnlyList<StrategyVersion> Versions => _versions;
    public StrategyVersion Latest => _versions[^1];

    public StrategyVersion? Get(int version) => _versions.FirstOrDefault(v => v.Version == version);

    /// <summary>
    /// Makes the next version with new phases and targets (and optionally a new name or period). Author and reason are
    /// required; the earlier versions are kept unchanged. The returned version is not yet stored.
    /// </summary>
    public StrategyVersion NextVersion(string author, string reason, IReadOnlyList<StrategyPhase> phases, DateTimeOffset createdAt,
        string? name = null, int? startFy = null, int? endFy = null, IReadOnlyList<StrategyTarget>? targets = null)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(author)) errors.Add(new("author", "a new strategy version needs an author"));
        if (string.IsNullOrWhiteSpace(reason)) errors.Add(new("reason", "a new strategy version needs a reason"));
        var latest = Latest;
        var n = name ?? latest.Name;
        var s = startFy ?? latest.StartFy;
        var e = endFy ?? latest.EndFy;
        targets ??= [];
        errors.AddRange(StrategyVersion.Check(n, s, e, latest.ClientGroup, phases, targets));
        if (errors.Count > 0) throw new ScenarioValidationException(errors, prefix: "");
        var next = new StrategyVersion(StrategyId, latest.Version + 1, n, s, e, latest.ClientGroup, createdAt, author, reason, phases.ToList())
        {
            Targets = targets.ToList(),
        };
        _versions.Add(next);
        return next;
    }
}
