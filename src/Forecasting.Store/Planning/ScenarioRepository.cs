using DuckDB.NET.Data;
using Forecasting.Planning;

namespace Forecasting.Store.Planning;

/// <summary>
/// Scenarios and results in DuckDB. Rows are only inserted: an update adds a revision, a delete adds a revision
/// marked deleted, and every earlier revision stays readable.
/// </summary>
public sealed class ScenarioRepository(DuckDBConnection connection, TimeProvider? clock = null) : IScenarioStore
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public Scenario Create(string councilCode, string name, ScenarioLevers levers, string author, string? description = null)
    {
        Check(name, author);
        var s = new Scenario("sc-" + Guid.NewGuid().ToString("N")[..16], councilCode, name, description, 1, levers, author, _clock.GetUtcNow(), false);
        Insert(s);
        return s;
    }

    /// <summary>Stores a new revision; name and description keep their values when null.</summary>
    public Scenario Update(string scenarioId, ScenarioLevers levers, string author, string? name = null, string? description = null)
    {
        var latest = Get(scenarioId) ?? throw new KeyNotFoundException($"scenario '{scenarioId}' not found");
        var next = latest with
        {
            Name = string.IsNullOrEmpty(name) ? latest.Name : name,
            Description = description ?? latest.Description,
            Levers = levers,
            Author = author,
            Revision = latest.Revision + 1,
            CreatedAt = _clock.GetUtcNow(),
        };
        Check(next.Name, author);
        Insert(next);
        return next;
    }

    /// <summary>Marks a scenario deleted by adding a revision; returns false when it does not exist or is already deleted.</summary>
    public bool Delete(string scenarioId, string author)
    {
        var latest = Get(scenarioId);
        if (latest is null) return false;
        Insert(latest with { Revision = latest.Revision + 1, Author = author, CreatedAt = _clock.GetUtcNow(), Deleted = true });
        return true;
    }

    /// <summary>A revision (null or 0 = latest). The latest of a deleted scenario is returned only with includeDeleted; a numbered revision always is.</summary>
    public Scenario? Get(string scenarioId, int? revision = null, bool includeDeleted = false)
    {
        if (revision is { } r and not 0)
            return Db.Query(connection, Select + " WHERE scenario_id = $id AND revision = $r", Map, ("id", scenarioId), ("r", r)).SingleOrDefault();
        var latest = Db.Query(connection, Select + " WHERE scenario_id = $id ORDER BY revision DESC LIMIT 1", Map, ("id", scenarioId)).SingleOrDefault();
        return latest is { Deleted: true } && !includeDeleted ? null : latest;
    }

    /// <summary>Every revision of a scenario, oldest first.</summary>
    public IReadOnlyList<Scenario> Revisions(string scenarioId) =>
        Db.Query(connection, Select + " WHERE scenario_id = $id ORDER BY revision", Map, ("id", scenarioId));

    /// <summary>The latest revision of each scenario of the council, in order of creation.</summary>
    public IReadOnlyList<Scenario> List(string councilCode, bool includeDeleted = false) =>
        Db.Query(connection, """
            SELECT scenario_id, council_code, name, description, revision, levers_json, author, created_at, deleted
            FROM (SELECT *, min(created_at) OVER (PARTITION BY scenario_id) AS first_created,
                         row_number() OVER (PARTITION BY scenario_id ORDER BY revision DESC) AS rn
                  FROM planning_scenarios WHERE council_code = $c)
            WHERE rn = 1
            ORDER BY first_created, scenario_id
            """, Map, ("c", councilCode))
            .Where(s => includeDeleted || !s.Deleted).ToList();

    public void SaveResult(PlanningResult result) =>
        Db.Execute(connection, "INSERT INTO planning_scenario_results VALUES ($id, $c, $s, $r, $snap, $run, $seed, $draws, $at, $json)",
            ("id", result.ResultId), ("c", result.CouncilCode), ("s", result.ScenarioId), ("r", result.ScenarioRevision),
            ("snap", result.SnapshotId), ("run", result.ForecastRunId), ("seed", result.Seed), ("draws", result.Draws),
            ("at", Db.Utc(result.CreatedAt)), ("json", ScenarioJson.Serialize(result)));

    public PlanningResult? GetResult(string resultId) =>
        Db.Query(connection, "SELECT result_json FROM planning_scenario_results WHERE result_id = $id",
            r => ScenarioJson.ReadStoredResult(r.GetString(0)), ("id", resultId)).SingleOrDefault();

    /// <summary>Results of a scenario (null = baseline results of the council), newest first.</summary>
    public IReadOnlyList<PlanningResult> ListResults(string? scenarioId, string? councilCode = null) =>
        Db.Query(connection, """
            SELECT result_json FROM planning_scenario_results
            WHERE (($s IS NULL AND scenario_id IS NULL) OR scenario_id = $s) AND ($c IS NULL OR council_code = $c)
            ORDER BY created_at DESC, result_id
            """, r => ScenarioJson.ReadStoredResult(r.GetString(0)), ("s", scenarioId), ("c", councilCode));

    /// <summary>
    /// Removes a council's oldest stored results beyond <paramref name="keep"/> (baseline and scenario results together),
    /// so repeated runs cannot grow the store without bound; every result belongs to one council, and one council's
    /// runs never remove another's results. A published result is never removed (pages and reports show it) and does
    /// not count towards <paramref name="keep"/>.
    /// </summary>
    public void TrimResults(int keep, string councilCode) =>
        Db.Execute(connection, """
            DELETE FROM planning_scenario_results WHERE result_id IN (
                SELECT result_id FROM planning_scenario_results WHERE council_code = $c
                    AND result_id NOT IN (SELECT result_id FROM published_results)
                ORDER BY created_at DESC, result_id DESC OFFSET $keep)
            """, ("keep", keep), ("c", councilCode));

    private const string Select =
        "SELECT scenario_id, council_code, name, description, revision, levers_json, author, created_at, deleted FROM planning_scenarios";

    private static Scenario Map(System.Data.Common.DbDataReader r)
    {
        var levers = ScenarioJson.ReadStoredLevers(r.GetString(5), out var dropped);
        return new(r.GetString(0), r.GetString(1), r.GetString(2), Db.NullableString(r, 3), Convert.ToInt32(r.GetValue(4)),
            levers, r.GetString(6), Db.Timestamp(r, 7), r.GetBoolean(8))
        { DroppedLevers = dropped };
    }

    private void Insert(Scenario s) =>
        Db.Execute(connection, "INSERT INTO planning_scenarios VALUES ($c, $id, $r, $name, $desc, $levers, $author, $at, $deleted)",
            ("c", s.CouncilCode), ("id", s.ScenarioId), ("r", s.Revision), ("name", s.Name), ("desc", s.Description),
            ("levers", ScenarioJson.Serialize(s.Levers)), ("author", s.Author), ("at", Db.Utc(s.CreatedAt)), ("deleted", s.Deleted));

    private static void Check(string name, string author)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(name)) errors.Add(new("name", "must not be empty"));
        if (string.IsNullOrWhiteSpace(author)) errors.Add(new("author", "must not be empty"));
        if (errors.Count > 0) throw new ScenarioValidationException(errors);
    }
}
