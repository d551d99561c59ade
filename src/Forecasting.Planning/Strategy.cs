namespace Forecasting.Planning;

/// <summary>A phase of a strategy: units to deliver within financial years StartFy..EndFy (inclusive).</summary>
public sealed record StrategyPhase(string Phase, int StartFy, int EndFy, int UnitTarget);

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
    public int TotalTarget => Phases.Sum(p => p.UnitTarget);

    /// <summary>Units due by the end of <paramref name="fy"/>: the sum of the targets of phases that have ended by then.</summary>
    public int CumulativeTargetDue(int fy) => Phases.Where(p => p.EndFy <= fy).Sum(p => p.UnitTarget);

    /// <summary>The phase that contains <paramref name="fy"/>, if any.</summary>
    public StrategyPhase? PhaseOf(int fy) => Phases.FirstOrDefault(p => p.StartFy <= fy && fy <= p.EndFy);

    public bool Covers(int fy) => StartFy <= fy && fy <= EndFy;

    /// <summary>Checks the period and phases; returns (field, reason) pairs, empty when valid.</summary>
    public static IReadOnlyList<ValidationError> Check(string name, int startFy, int endFy, string? clientGroup, IReadOnlyList<StrategyPhase> phases)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(name)) errors.Add(new("name", "must not be empty"));
        if (endFy < startFy) errors.Add(new("end_fy", $"{endFy} is before start_fy {startFy}"));
        if (clientGroup is not null && !ClientGroups.IsKnown(clientGroup))
            errors.Add(new("client_group", $"unknown client group '{clientGroup}'"));
        if (phases.Count == 0) errors.Add(new("phases", "a strategy needs at least one phase"));
        var seen = new HashSet<string>();
        for (var i = 0; i < phases.Count; i++)
        {
            var p = phases[i];
            var f = $"phases[{i}]";
            if (string.IsNullOrWhiteSpace(p.Phase)) errors.Add(new($"{f}.phase", "must not be empty"));
            else if (!seen.Add(p.Phase)) errors.Add(new($"{f}.phase", $"duplicate phase '{p.Phase}'"));
            if (p.UnitTarget < 0) errors.Add(new($"{f}.unit_target", $"negative units ({p.UnitTarget})"));
            if (p.EndFy < p.StartFy) errors.Add(new($"{f}.end_fy", $"{p.EndFy} is before start_fy {p.StartFy}"));
            if (p.StartFy < startFy || p.EndFy > endFy)
                errors.Add(new($"{f}", $"{FinancialYear.Label(p.StartFy)}-{FinancialYear.Label(p.EndFy)} is outside the strategy period {FinancialYear.Label(startFy)}-{FinancialYear.Label(endFy)}"));
        }
        var ordered = phases.OrderBy(p => p.StartFy).ToList();
        for (var i = 1; i < ordered.Count; i++)
            if (ordered[i].StartFy <= ordered[i - 1].EndFy)
                errors.Add(new("phases", $"phases '{ordered[i - 1].Phase}' and '{ordered[i].Phase}' overlap"));
        return errors;
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
    /// Makes the next version with new phases (and optionally a new name or period). Author and reason are
    /// required; the earlier versions are kept unchanged. The returned version is not yet stored.
    /// </summary>
    public StrategyVersion NextVersion(string author, string reason, IReadOnlyList<StrategyPhase> phases, DateTimeOffset createdAt,
        string? name = null, int? startFy = null, int? endFy = null)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(author)) errors.Add(new("author", "a new strategy version needs an author"));
        if (string.IsNullOrWhiteSpace(reason)) errors.Add(new("reason", "a new strategy version needs a reason"));
        var latest = Latest;
        var n = name ?? latest.Name;
        var s = startFy ?? latest.StartFy;
        var e = endFy ?? latest.EndFy;
        errors.AddRange(StrategyVersion.Check(n, s, e, latest.ClientGroup, phases));
        if (errors.Count > 0) throw new ScenarioValidationException(errors);
        var next = new StrategyVersion(StrategyId, latest.Version + 1, n, s, e, latest.ClientGroup, createdAt, author, reason, phases.ToList());
        _versions.Add(next);
        return next;
    }
}
