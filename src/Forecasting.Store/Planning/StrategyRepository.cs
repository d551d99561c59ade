using DuckDB.NET.Data;
using Forecasting.Planning;

namespace Forecasting.Store.Planning;

/// <summary>Reads strategies (every version) and stores new versions as rows of strategies / strategy_phases / strategy_targets.</summary>
public sealed class StrategyRepository(DuckDBConnection connection, TimeProvider? clock = null) : IStrategyStore
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Every version of every strategy of the council, ordered by strategy id and version.</summary>
    public IReadOnlyList<StrategyVersion> List(string councilCode)
    {
        var phases = Db.Query(connection,
                "SELECT strategy_id, version, phase, start_fy, end_fy, unit_target FROM strategy_phases WHERE council_code = $c ORDER BY strategy_id, version, start_fy, phase",
                r => (Id: r.GetString(0), Version: Convert.ToInt32(r.GetValue(1)),
                    Phase: new StrategyPhase(r.GetString(2), Convert.ToInt32(r.GetValue(3)), Convert.ToInt32(r.GetValue(4)), Convert.ToInt32(r.GetValue(5)))),
                ("c", councilCode))
            .ToLookup(p => (p.Id, p.Version), p => p.Phase);
        var targets = Db.Query(connection,
                "SELECT strategy_id, version, client_group, fy, unit_target FROM strategy_targets WHERE council_code = $c ORDER BY strategy_id, version, client_group, fy NULLS FIRST",
                r => (Id: r.GetString(0), Version: Convert.ToInt32(r.GetValue(1)),
                    Target: new StrategyTarget(r.GetString(2), r.IsDBNull(3) ? null : Convert.ToInt32(r.GetValue(3)), Convert.ToInt32(r.GetValue(4)))),
                ("c", councilCode))
            .ToLookup(t => (t.Id, t.Version), t => t.Target);
        return Db.Query(connection,
            "SELECT strategy_id, version, name, start_fy, end_fy, client_group, created_at, author, reason FROM strategies WHERE council_code = $c ORDER BY strategy_id, version",
            r =>
            {
                var id = r.GetString(0);
                var version = Convert.ToInt32(r.GetValue(1));
                return new StrategyVersion(id, version, r.GetString(2), Convert.ToInt32(r.GetValue(3)), Convert.ToInt32(r.GetValue(4)),
                    Db.NullableString(r, 5), Db.Timestamp(r, 6), r.GetString(7), r.GetString(8), phases[(id, version)].ToList())
                {
                    Targets = targets[(id, version)].ToList(),
                };
            }, ("c", councilCode));
    }

    public Strategy? Get(string councilCode, string strategyId)
    {
        var versions = List(councilCode).Where(v => v.StrategyId == strategyId).ToList();
        return versions.Count == 0 ? null : new Strategy(versions);
    }

    /// <summary>Stores version 1 of a new strategy.</summary>
    public StrategyVersion Create(string councilCode, string strategyId, string name, int startFy, int endFy, string? clientGroup,
        IReadOnlyList<StrategyPhase> phases, string author, string reason, IReadOnlyList<StrategyTarget>? targets = null)
    {
        targets ??= [];
        var errors = StrategyVersion.Check(name, startFy, endFy, clientGroup, phases, targets).ToList();
        if (string.IsNullOrWhiteSpace(strategyId)) errors.Add(new("strategy_id", "must not be empty"));
        if (string.IsNullOrWhiteSpace(author)) errors.Add(new("author", "must not be empty"));
        if (string.IsNullOrWhiteSpace(reason)) errors.Add(new("reason", "must not be empty"));
        if (Get(councilCode, strategyId) is not null) errors.Add(new("strategy_id", $"strategy '{strategyId}' already exists"));
        if (errors.Count > 0) throw new ScenarioValidationException(errors, prefix: "");
        var v = new StrategyVersion(strategyId, 1, name, startFy, endFy, clientGroup, _clock.GetUtcNow(), author, reason, phases.ToList())
        {
            Targets = targets.ToList(),
        };
        Insert(councilCode, v);
        return v;
    }

    /// <summary>Re-bases a strategy: stores the next version with its phases and targets; earlier versions are untouched.</summary>
    public StrategyVersion CreateVersion(string councilCode, string strategyId, string author, string reason, IReadOnlyList<StrategyPhase> phases,
        string? name = null, int? startFy = null, int? endFy = null, IReadOnlyList<StrategyTarget>? targets = null)
    {
        var strategy = Get(councilCode, strategyId) ?? throw new KeyNotFoundException($"strategy '{strategyId}' not found for {councilCode}");
        var next = strategy.NextVersion(author, reason, phases, _clock.GetUtcNow(),
            string.IsNullOrEmpty(name) ? null : name, startFy is 0 ? null : startFy, endFy is 0 ? null : endFy, targets);
        Insert(councilCode, next);
        return next;
    }

    private void Insert(string councilCode, StrategyVersion v)
    {
        using var tx = connection.BeginTransaction();
        Db.Execute(connection,
            "INSERT INTO strategies VALUES ($c, $id, $v, $name, $s, $e, $g, $at, $author, $reason)",
            ("c", councilCode), ("id", v.StrategyId), ("v", v.Version), ("name", v.Name), ("s", v.StartFy), ("e", v.EndFy),
            ("g", v.ClientGroup), ("at", Db.Utc(v.CreatedAt)), ("author", v.Author), ("reason", v.Reason));
        foreach (var p in v.Phases)
            Db.Execute(connection, "INSERT INTO strategy_phases VALUES ($c, $id, $v, $p, $s, $e, $t)",
                ("c", councilCode), ("id", v.StrategyId), ("v", v.Version), ("p", p.Phase), ("s", p.StartFy), ("e", p.EndFy), ("t", p.UnitTarget));
        foreach (var t in v.Targets)
            Db.Execute(connection, "INSERT INTO strategy_targets VALUES ($c, $id, $v, $g, $fy, $t)",
                ("c", councilCode), ("id", v.StrategyId), ("v", v.Version), ("g", t.ClientGroup), ("fy", t.Fy), ("t", t.UnitTarget));
        tx.Commit();
    }
}
