using Forecasting.Domain;
using Forecasting.Store.Analytics;

namespace Forecasting.Store.Performance;

/// <summary>
/// One version of the target of a measure for a council and financial year (starting year: 2024 = 2024/25), in the
/// measure's unit. Within <see cref="AmberMargin"/> on the wrong side of the target is amber.
/// </summary>
public sealed record TargetVersion(
    string CouncilCode,
    string Measure,
    int FinancialYear,
    int Version,
    double Target,
    double AmberMargin,
    DateTimeOffset CreatedAt,
    string Author,
    string Reason);

/// <summary>
/// Versioned measure targets (table measure_targets). Versions come from imports and from the API alike; the
/// highest version of a (council, measure, financial year) is the current target, earlier ones record what the
/// target was and why it changed. A new version is numbered one above the highest stored, whoever made it.
/// </summary>
public sealed class TargetRepository(ForecastingStore store, TimeProvider? clock = null)
{
    /// <summary>The longest reason kept.</summary>
    public const int MaxReasonLength = 2_000;

    /// <summary>The longest author name kept.</summary>
    public const int MaxAuthorLength = 200;

    /// <summary>The default amber margin as a share of |target|.</summary>
    public const double DefaultAmberShare = 0.05;

    /// <summary>The largest |target| or margin accepted: the bounds an import of measure_targets accepts.</summary>
    public const double MaxMagnitude = 1e12;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private const string Columns = "council_code, measure, fy, version, target, amber_margin, created_at, author, reason";

    /// <summary>
    /// Every version of the council's targets (of one measure when <paramref name="measure"/> is given), ordered by
    /// measure and financial year, newest version first within each.
    /// </summary>
    public IReadOnlyList<TargetVersion> List(string councilCode, string? measure = null, CancellationToken ct = default)
    {
        var council = PerformanceArguments.RequireCouncil(councilCode);
        if (!string.IsNullOrEmpty(measure)) PerformanceArguments.RequireMeasure(measure);
        using var connection = store.Open();
        var rows = PerformanceArguments.Read(connection, $"""
            SELECT k.council_code IS NOT NULL, t.*
            FROM (SELECT 1) one
            LEFT JOIN (SELECT council_code FROM councils WHERE council_code = $council) k ON TRUE
            LEFT JOIN (SELECT {Columns} FROM measure_targets WHERE council_code = $council AND ($measure IS NULL OR measure = $measure)) t ON TRUE
            ORDER BY t.measure, t.fy, t.version DESC
            """, ct, r => (Known: r.GetBoolean(0), Target: r.IsDBNull(1) ? null : Map(r, 1)),
            ("council", council), ("measure", string.IsNullOrEmpty(measure) ? null : measure));
        if (!rows[0].Known) throw new KeyNotFoundException($"no council '{council}' in the store");
        return rows.Where(r => r.Target is not null).Select(r => r.Target!).ToList();
    }

    /// <summary>The current (highest) version of the target, or null when the year has no target.</summary>
    public TargetVersion? Current(string councilCode, string measure, int financialYear, CancellationToken ct = default)
    {
        var council = PerformanceArguments.RequireCouncil(councilCode);
        PerformanceArguments.RequireMeasure(measure);
        PerformanceArguments.RequireFinancialYear(financialYear);
        using var connection = store.Open();
        var rows = PerformanceArguments.Read(connection, $"""
            SELECT k.council_code IS NOT NULL, t.*
            FROM (SELECT 1) one
            LEFT JOIN (SELECT council_code FROM councils WHERE council_code = $council) k ON TRUE
            LEFT JOIN (SELECT {Columns} FROM measure_targets WHERE council_code = $council AND measure = $measure AND fy = $fy
                       ORDER BY version DESC LIMIT 1) t ON TRUE
            """, ct, r => (Known: r.GetBoolean(0), Target: r.IsDBNull(1) ? null : Map(r, 1)),
            ("council", council), ("measure", measure), ("fy", financialYear));
        if (!rows[0].Known) throw new KeyNotFoundException($"no council '{council}' in the store");
        return rows[0].Target;
    }

    /// <summary>
    /// Stores the next version of the target: one above the highest stored version of the (council, measure, year),
    /// created now (UTC). <paramref name="amberMargin"/> defaults to 5% of |target|. The version number is read and
    /// the row written in one statement inside one transaction, with the store's writers serialised.
    /// </summary>
    public TargetVersion Add(string councilCode, string measure, int financialYear, double target, double? amberMargin,
        string author, string reason, CancellationToken ct = default)
    {
        var council = PerformanceArguments.RequireCouncil(councilCode);
        PerformanceArguments.RequireMeasure(measure);
        PerformanceArguments.RequireFinancialYear(financialYear);
        var effective = MeasureCatalog.Find(measure).EffectiveFromDate;
        if (Domain.FinancialYear.End(financialYear) < effective)
            throw new InvalidArgumentException("financial_year",
                $"{measure} is defined from {effective:yyyy-MM-dd} ({Domain.FinancialYear.Label(Domain.FinancialYear.Of(effective))}); set targets from that year");
        if (!double.IsFinite(target))
            throw new InvalidArgumentException("target", "must be a finite number");
        if (Math.Abs(target) > MaxMagnitude)
            throw new InvalidArgumentException("target", $"must be between -{MaxMagnitude:G} and {MaxMagnitude:G}");
        var margin = amberMargin ?? DefaultAmberShare * Math.Abs(target);
        if (amberMargin is { } given && !(double.IsFinite(given) && given >= 0))
            throw new InvalidArgumentException("amber_margin", "must be a finite number, 0 or more");
        if (margin > MaxMagnitude)
            throw new InvalidArgumentException("amber_margin", $"must be at most {MaxMagnitude:G}");
        if (string.IsNullOrWhiteSpace(reason))
            throw new InvalidArgumentException("reason", "say why the target is set or changed");
        if (reason.Length > MaxReasonLength)
            throw new InvalidArgumentException("reason", $"at most {MaxReasonLength} characters ({reason.Length} given)");
        if (string.IsNullOrWhiteSpace(author))
            throw new InvalidArgumentException("author", "the author of a target is required");
        if (author.Length > MaxAuthorLength)
            throw new InvalidArgumentException("author", $"at most {MaxAuthorLength} characters");

        // TIMESTAMP keeps microseconds: the version returned is the version stored.
        var now = _clock.GetUtcNow();
        var createdAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);

        store.WriteLock.Wait(ct);
        try
        {
            using var connection = store.Open();
            using var tx = connection.BeginTransaction();
            // The council check, the next version and the insert are one statement: no row is written for an unknown council.
            var rows = PerformanceArguments.Read(connection, """
                INSERT INTO measure_targets
                SELECT k.council_code, $measure, $fy,
                       coalesce((SELECT max(version) FROM measure_targets WHERE council_code = $council AND measure = $measure AND fy = $fy), 0) + 1,
                       $target, $margin, $at, $author, $reason
                FROM councils k WHERE k.council_code = $council
                RETURNING version
                """, ct, r => Convert.ToInt32(r.GetValue(0)),
                ("council", council), ("measure", measure), ("fy", financialYear), ("target", target), ("margin", margin),
                ("at", Db.Utc(createdAt)), ("author", author), ("reason", reason));
            if (rows.Count == 0) throw new KeyNotFoundException($"no council '{council}' in the store");
            tx.Commit();
            return new TargetVersion(council, measure, financialYear, rows[0], target, margin, createdAt, author, reason);
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    private static TargetVersion Map(System.Data.Common.DbDataReader r, int i) => new(
        r.GetString(i), r.GetString(i + 1), Convert.ToInt32(r.GetValue(i + 2)), Convert.ToInt32(r.GetValue(i + 3)),
        Db.Double(r, i + 4), Db.Double(r, i + 5), Db.Timestamp(r, i + 6), r.GetString(i + 7), r.GetString(i + 8));
}
