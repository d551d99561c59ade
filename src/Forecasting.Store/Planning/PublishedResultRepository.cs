using DuckDB.NET.Data;

namespace Forecasting.Store.Planning;

/// <summary>A stored planning result published as a council's figures: by whom, when and under what label.</summary>
public sealed record Publication(string PublicationId, string ResultId, string CouncilCode, string? ScenarioId, string Label, string PublishedBy,
    DateTimeOffset PublishedAt);

/// <summary>
/// Publications in DuckDB (table published_results). Rows are only inserted, so every publication stays readable and a
/// report can be produced for any past one; publishing the same result again adds a new row with its own label and time.
/// </summary>
public sealed class PublishedResultRepository(DuckDBConnection connection, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public Publication Publish(string resultId, string councilCode, string? scenarioId, string label, string publishedBy)
    {
        // To the microsecond, as the TIMESTAMP column keeps it: the answer equals what a later list reads back.
        var now = _clock.GetUtcNow();
        var p = new Publication("pub-" + Guid.NewGuid().ToString("N")[..16], resultId, councilCode, scenarioId, label, publishedBy,
            now.AddTicks(-(now.Ticks % 10)));
        Db.Execute(connection, "INSERT INTO published_results VALUES ($id, $r, $c, $s, $l, $by, $at)",
            ("id", p.PublicationId), ("r", p.ResultId), ("c", p.CouncilCode), ("s", p.ScenarioId), ("l", p.Label), ("by", p.PublishedBy),
            ("at", Db.Utc(p.PublishedAt)));
        return p;
    }

    /// <summary>The council's publications, newest first.</summary>
    public IReadOnlyList<Publication> List(string councilCode) =>
        Db.Query(connection, """
            SELECT publication_id, result_id, council_code, scenario_id, label, published_by, published_at FROM published_results
            WHERE council_code = $c ORDER BY published_at DESC, publication_id DESC
            """, Map, ("c", councilCode));

    /// <summary>The publications of one result, newest first.</summary>
    public IReadOnlyList<Publication> OfResult(string resultId) =>
        Db.Query(connection, """
            SELECT publication_id, result_id, council_code, scenario_id, label, published_by, published_at FROM published_results
            WHERE result_id = $r ORDER BY published_at DESC, publication_id DESC
            """, Map, ("r", resultId));

    private static Publication Map(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Db.NullableString(r, 3), r.GetString(4), r.GetString(5), Db.Timestamp(r, 6));
}
