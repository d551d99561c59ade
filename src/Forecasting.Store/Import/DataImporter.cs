using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Forecasting.Store.Import;

/// <summary>
/// Imports council extracts: each file is loaded as text into a temporary staging table, validated
/// with set-based SQL (types, allowed values, ranges, keys, references, cross-row rules), and only
/// when no error was found swapped into the store in one transaction. A file holds the complete
/// table for the councils it contains: their previous rows are replaced, other councils are kept
/// (strategies are replaced version by version instead, see <see cref="TableSpec.ReplaceScope"/>).
/// </summary>
public sealed class DataImporter(ForecastingStore store)
{
    /// <summary>Issues listed in a report; the counts always cover all of them.</summary>
    public const int MaxListedIssues = 1000;

    /// <summary>Called between tables while swapping; failure tests throw here to prove the swap is atomic.</summary>
    public Action<string>? BeforeTableSwap { get; set; }

    public ImportReport ImportDirectory(string directory, bool dryRun = false, string? source = null)
    {
        if (!Directory.Exists(directory))
            return Failed(new ValidationIssue(IssueSeverity.Error, directory, 0, "", "directory does not exist", null), dryRun);
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            .Where(f => TableSchemas.Find(Path.GetFileNameWithoutExtension(f)) is not null)
            .Order(StringComparer.Ordinal)
            .Select(f => new ImportFileSpec(Path.GetFileNameWithoutExtension(f), f))
            .ToList();
        if (files.Count == 0)
            return Failed(new ValidationIssue(IssueSeverity.Error, directory, 0, "", $"no <table>.csv or <table>.parquet files; tables are: {string.Join(", ", TableSchemas.Names)}", null), dryRun);
        return Import(files, dryRun, source ?? directory);
    }

    public ImportReport Import(IReadOnlyList<ImportFileSpec> files, bool dryRun = false, string? source = null)
    {
        var issues = new List<ValidationIssue>();
        var resolved = ResolveFiles(files, issues);
        if (issues.Count > 0) return Finish(null, issues, [], dryRun, null);

        store.WriteLock.Wait();
        try
        {
            using var connection = store.Open();
            try
            {
                return ImportResolved(connection, resolved, dryRun, source ?? string.Join(", ", files.Select(f => f.Name)));
            }
            finally
            {
                foreach (var (spec, _) in resolved) DropStaging(connection, spec.Name);
            }
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    private static List<(TableSpec Spec, ImportFileSpec File)> ResolveFiles(IReadOnlyList<ImportFileSpec> files, List<ValidationIssue> issues)
    {
        var resolved = new List<(TableSpec, ImportFileSpec)>();
        if (files.Count == 0)
            issues.Add(new(IssueSeverity.Error, "", 0, "", "no files to import", null));
        foreach (var file in files)
        {
            var tableName = string.IsNullOrWhiteSpace(file.Table) ? Path.GetFileNameWithoutExtension(file.Path) : file.Table;
            var spec = TableSchemas.Find(tableName);
            if (spec is null)
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "table", $"unknown table '{tableName}'; tables are: {string.Join(", ", TableSchemas.Names)}", tableName));
                continue;
            }
            if (!File.Exists(file.Path))
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "path", "file does not exist", file.Path));
                continue;
            }
            var format = file.Format != FileFormat.Infer ? file.Format
                : file.Path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? FileFormat.Parquet
                : file.Path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? FileFormat.Csv
                : FileFormat.Infer;
            if (format == FileFormat.Infer)
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "format", "cannot tell the format: use a .csv or .parquet extension or give the format", null));
                continue;
            }
            if (resolved.Any(r => r.Item1.Name == spec.Name))
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "table", $"table '{spec.Name}' is given more than once in one import", spec.Name));
                continue;
            }
            resolved.Add((spec, file with { Table = spec.Name, Format = format }));
        }
        // Parents first, so reporting follows the order a reader expects.
        return resolved.OrderBy(r => TableSchemas.All.ToList().IndexOf(r.Item1)).ToList();
    }

    private ImportReport ImportResolved(DuckDBConnection connection, List<(TableSpec Spec, ImportFileSpec File)> files, bool dryRun, string source)
    {
        var issues = new List<ValidationIssue>();
        var counts = new Dictionary<string, long>();
        var staged = new List<(TableSpec Spec, ImportFileSpec File)>();

        foreach (var (spec, file) in files)
        {
            if (!LoadRaw(connection, spec, file, issues)) continue;
            counts[spec.Name] = Scalar<long>(connection, $"SELECT count(*) FROM raw_{spec.Name}");
            if (counts[spec.Name] == 0)
                issues.Add(new(IssueSeverity.Warning, file.Name, 0, "", "file has no rows: it replaces nothing, since rows are replaced per council found in the file", null));
            CheckColumns(connection, spec, file, issues);
            CreateTyped(connection, spec);
            staged.Add((spec, file));
        }

        var stagedNames = staged.Select(s => s.Spec.Name).ToHashSet();
        CreateEffectiveViews(connection, stagedNames);
        foreach (var (spec, file) in staged)
        {
            CheckKeys(connection, spec, file, issues);
            CheckReferences(connection, spec, file, issues);
            CheckRules(connection, spec, file, issues);
        }
        foreach (var (spec, file) in staged) WarnOnUnspecified(connection, spec, file, issues);

        var hasErrors = issues.Any(i => i.Severity == IssueSeverity.Error);
        if (hasErrors || staged.Count != files.Count || dryRun)
            return Finish(connection, issues, files.Select(f => new TableImportCount(f.Spec.Name, counts.GetValueOrDefault(f.Spec.Name), -1)).ToList(), dryRun, null);

        using var tx = connection.BeginTransaction();
        foreach (var (spec, _) in staged)
        {
            BeforeTableSwap?.Invoke(spec.Name);
            var columns = string.Join(", ", spec.Columns.Select(c => c.Name));
            ForecastingStore.Execute(connection,
                $"DELETE FROM main.{spec.Name} WHERE EXISTS (SELECT 1 FROM stg_{spec.Name} s WHERE {SameScope(spec, "s", spec.Name)})");
            ForecastingStore.Execute(connection, $"INSERT INTO {spec.Name} ({columns}) SELECT {columns} FROM stg_{spec.Name}");
        }
        var tableHashes = StoreIntegrity.Hash(connection);
        var tableRows = tableHashes.ToDictionary(h => h.Table, h => h.Rows);
        var snapshotId = StoreIntegrity.SnapshotId(tableHashes);
        var createdAt = DateTime.UtcNow;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO snapshots VALUES ($id, $at, $source, $counts)";
            cmd.Parameters.Add(new DuckDBParameter("id", snapshotId));
            cmd.Parameters.Add(new DuckDBParameter("at", createdAt));
            cmd.Parameters.Add(new DuckDBParameter("source", source));
            cmd.Parameters.Add(new DuckDBParameter("counts", JsonSerializer.Serialize(tableRows)));
            cmd.ExecuteNonQuery();
        }
        StoreIntegrity.Record(connection, snapshotId, createdAt, tableHashes);
        var report = Finish(connection, issues,
            files.Select(f => new TableImportCount(f.Spec.Name, counts[f.Spec.Name], tableRows[f.Spec.Name])).ToList(),
            dryRun: false, snapshotId, createdAt);
        tx.Commit();
        // Before the caller hears of the snapshot: checkpoint and keep a good copy to restore it from (StoreIntegrity).
        StoreIntegrity.AfterCommit(store, connection);
        return report;
    }

    private static bool LoadRaw(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, List<ValidationIssue> issues)
    {
        var path = file.Path.Replace("'", "''");
        try
        {
            var reader = file.Format == FileFormat.Parquet
                ? $"read_parquet('{path}')"
                : $"read_csv('{path}', header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true, auto_detect = false, null_padding = false, strict_mode = true, columns = {CsvColumns(connection, path)})";
            // rowid follows insertion order, which DuckDB preserves from the file, so row + 2 is the line number.
            ForecastingStore.Execute(connection, $"CREATE OR REPLACE TEMP TABLE raw0_{spec.Name} AS SELECT * FROM {reader}");
            var castColumns = ColumnNames(connection, $"raw0_{spec.Name}")
                .Select(c => $"CAST(\"{c.Replace("\"", "\"\"")}\" AS VARCHAR) AS \"{c.Replace("\"", "\"\"")}\"");
            ForecastingStore.Execute(connection,
                $"CREATE OR REPLACE TEMP TABLE raw_{spec.Name} AS SELECT rowid + 2 AS __row, {string.Join(", ", castColumns)} FROM raw0_{spec.Name}");
            return true;
        }
        catch (Exception ex) when (ex is DuckDBException or InvalidDataException)
        {
            issues.Add(new(IssueSeverity.Error, file.Name, 0, "", $"cannot read the file as {file.Format.ToString().ToUpperInvariant()}: {FirstLine(ex.Message)}", null));
            return false;
        }
    }

    /// <summary>The header row, read as data, so every column can then be loaded as text under its own name.</summary>
    private static string CsvColumns(DuckDBConnection connection, string escapedPath)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT * FROM read_csv('{escapedPath}', header = false, all_varchar = true, delim = ',', quote = '\"', escape = '\"') LIMIT 1";
        using var reader = cmd.ExecuteReader();
        if (!reader.Read()) throw new InvalidDataException("the file is empty: a header row is required");
        var names = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetString(i).Trim()).ToList();
        if (names.Count != names.Distinct(StringComparer.Ordinal).Count())
            throw new InvalidDataException("the header names a column twice");
        return "{" + string.Join(", ", names.Select(n => $"'{n.Replace("'", "''")}': 'VARCHAR'")) + "}";
    }

    private static void CheckColumns(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, List<ValidationIssue> issues)
    {
        var present = ColumnNames(connection, $"raw_{spec.Name}").Where(c => c != "__row").ToHashSet(StringComparer.Ordinal);
        foreach (var extra in present.Where(c => spec.Column(c) is null))
            issues.Add(new(IssueSeverity.Warning, file.Name, 1, extra, "column is not part of the table and is ignored", null));

        var checks = new List<string>();
        foreach (var column in spec.Columns)
        {
            if (!present.Contains(column.Name))
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 1, column.Name, $"missing column; {spec.Name} needs: {string.Join(", ", spec.Columns.Select(c => c.Name))}", null));
                // Add it as empty so typed staging still works; the error already blocks the import.
                ForecastingStore.Execute(connection, $"ALTER TABLE raw_{spec.Name} ADD COLUMN {column.Name} VARCHAR");
                continue;
            }
            checks.AddRange(ColumnChecks(column));
        }
        if (checks.Count == 0) return;
        var sql = string.Join("\nUNION ALL\n", checks.Select(c => c.Replace("{t}", $"raw_{spec.Name}")));
        ReadIssues(connection, sql, file.Name, issues);
    }

    /// <summary>One SELECT per rule returning (__row, column, reason, value) of violating rows.</summary>
    private static IEnumerable<string> ColumnChecks(ColumnSpec c)
    {
        var v = $"nullif(trim({c.Name}), '')";
        string Rule(string condition, string reason) =>
            $"SELECT __row, '{c.Name}' AS col, '{reason.Replace("'", "''")}' AS reason, {c.Name} AS value FROM {{t}} WHERE {condition}";

        if (c.Required) yield return Rule($"{v} IS NULL", "required value is empty");
        switch (c.Type)
        {
            case ColumnType.Date:
                yield return Rule($"{v} IS NOT NULL AND try_strptime({v}, '%Y-%m-%d') IS NULL", "not a date in the form yyyy-mm-dd");
                break;
            case ColumnType.Timestamp:
                yield return Rule($"{v} IS NOT NULL AND TRY_CAST({v} AS TIMESTAMP) IS NULL", "not a date and time in the form yyyy-mm-dd hh:mm:ss");
                break;
            case ColumnType.Integer:
                yield return Rule($"{v} IS NOT NULL AND TRY_CAST({v} AS BIGINT) IS NULL", "not a whole number");
                break;
            case ColumnType.Double:
                yield return Rule($"{v} IS NOT NULL AND TRY_CAST({v} AS DOUBLE) IS NULL", "not a number");
                break;
            case ColumnType.Boolean:
                yield return Rule($"{v} IS NOT NULL AND lower({v}) NOT IN ('true', 'false')", "not true or false");
                break;
            case ColumnType.FinancialYear:
                yield return Rule(
                    $"{v} IS NOT NULL AND NOT (regexp_full_match({v}, '[0-9]{{4}}/[0-9]{{2}}') AND (CAST(substr({v}, 1, 4) AS INTEGER) + 1) % 100 = CAST(substr({v}, 6, 2) AS INTEGER))",
                    "not a financial year label like 2024/25 (two consecutive years)");
                break;
        }
        if (c.Allowed is { } allowed)
            yield return Rule($"{v} IS NOT NULL AND {v} NOT IN ({string.Join(", ", allowed.Select(a => $"'{a}'"))})",
                $"not an allowed value; allowed: {string.Join(", ", allowed)}");
        var numeric = c.Type == ColumnType.Integer ? "BIGINT" : "DOUBLE";
        if (c.Min is { } min)
            yield return Rule($"TRY_CAST({v} AS {numeric}) < {min.ToString(CultureInfo.InvariantCulture)}", $"below the minimum of {min.ToString(CultureInfo.InvariantCulture)}");
        if (c.Max is { } max)
            yield return Rule($"TRY_CAST({v} AS {numeric}) > {max.ToString(CultureInfo.InvariantCulture)}", $"above the maximum of {max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Typed staging: invalid values become NULL here; they have already been reported as errors.</summary>
    private static void CreateTyped(DuckDBConnection connection, TableSpec spec)
    {
        var columns = spec.Columns.Select(c =>
        {
            var v = $"nullif(trim({c.Name}), '')";
            var expr = c.Type switch
            {
                ColumnType.Date => $"CAST(try_strptime({v}, '%Y-%m-%d') AS DATE)",
                ColumnType.Timestamp => $"TRY_CAST({v} AS TIMESTAMP)",
                ColumnType.Integer => $"TRY_CAST({v} AS BIGINT)",
                ColumnType.Double => $"TRY_CAST({v} AS DOUBLE)",
                ColumnType.Boolean => $"TRY_CAST(lower({v}) AS BOOLEAN)",
                ColumnType.FinancialYear => $"TRY_CAST(substr({v}, 1, 4) AS INTEGER)",
                _ => v,
            };
            return $"{expr} AS {c.Name}";
        });
        ForecastingStore.Execute(connection,
            $"CREATE OR REPLACE TEMP TABLE stg_{spec.Name} AS SELECT __row, {string.Join(", ", columns)} FROM raw_{spec.Name}");
    }

    /// <summary>eff_T: what table T will hold after the import, so references can be checked across files.</summary>
    private static void CreateEffectiveViews(DuckDBConnection connection, HashSet<string> staged)
    {
        foreach (var spec in TableSchemas.All)
        {
            var columns = string.Join(", ", spec.Columns.Select(c => c.Name));
            var sql = staged.Contains(spec.Name)
                ? $"SELECT {columns} FROM stg_{spec.Name} UNION ALL SELECT {columns} FROM main.{spec.Name} m " +
                  $"WHERE NOT EXISTS (SELECT 1 FROM stg_{spec.Name} s WHERE {SameScope(spec, "s", "m")})"
                : $"SELECT {columns} FROM main.{spec.Name}";
            ForecastingStore.Execute(connection, $"CREATE OR REPLACE TEMP VIEW eff_{spec.Name} AS {sql}");
        }
    }

    private static string SameScope(TableSpec spec, string staged, string stored) =>
        string.Join(" AND ", spec.ReplaceScope.Select(c => $"{staged}.{c} = {stored}.{c}"));

    private static void CheckKeys(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, List<ValidationIssue> issues)
    {
        var key = string.Join(", ", spec.Key);
        var shown = string.Join(" || '/' || ", spec.Key.Select(k => $"coalesce(CAST({k} AS VARCHAR), '')"));
        var sql = $"""
            SELECT __row, '{string.Join("+", spec.Key)}', 'duplicate key; first seen at row ' || CAST(first_row AS VARCHAR), value FROM (
                SELECT __row, {shown} AS value,
                       min(__row) OVER (PARTITION BY {key}) AS first_row
                FROM stg_{spec.Name})
            WHERE __row <> first_row
            """;
        ReadIssues(connection, sql, file.Name, issues);
    }

    private static void CheckReferences(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, List<ValidationIssue> issues)
    {
        foreach (var reference in spec.References)
        {
            var join = string.Join(" AND ", reference.Columns.Zip(reference.TargetColumns, (c, t) => $"r.{t} = s.{c}"));
            var notNull = string.Join(" AND ", reference.Columns.Select(c => $"s.{c} IS NOT NULL"));
            var council = reference.Target == "councils" ? "" : "r.council_code = s.council_code AND ";
            var shown = string.Join(" || '/' || ", reference.Columns.Select(c => $"CAST(s.{c} AS VARCHAR)"));
            var sql = $"""
                SELECT s.__row, '{string.Join("+", reference.Columns)}', 'no matching row in {reference.Target}', {shown}
                FROM stg_{spec.Name} s
                WHERE {notNull} AND NOT EXISTS (SELECT 1 FROM eff_{reference.Target} r WHERE {council}{join})
                """;
            ReadIssues(connection, sql, file.Name, issues);
        }
    }

    private static void CheckRules(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, List<ValidationIssue> issues)
    {
        foreach (var check in spec.Checks)
        {
            var sql = $"""
                WITH stg AS (SELECT * FROM stg_{spec.Name})
                SELECT __row, '{check.Column}', '{check.Reason.Replace("'", "''")}', CAST(value AS VARCHAR) FROM ({check.Sql}) AS q(__row, value)
                """;
            ReadIssues(connection, sql, file.Name, issues, check.IsWarning ? IssueSeverity.Warning : IssueSeverity.Error);
        }
    }

    /// <summary>Unspecified demographic fields are common (13-22% in real returns): one summary warning per column.</summary>
    private static void WarnOnUnspecified(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, List<ValidationIssue> issues)
    {
        foreach (var column in spec.Columns.Where(c => !c.Required && c.Allowed is not null && c.Name is "psr" or "age_band"))
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FILTER (WHERE {column.Name} IS NULL), count(*) FROM stg_{spec.Name}";
            using var reader = cmd.ExecuteReader();
            reader.Read();
            long missing = reader.GetInt64(0), total = reader.GetInt64(1);
            if (missing > 0)
                issues.Add(new(IssueSeverity.Warning, file.Name, 0, column.Name,
                    $"not specified on {missing} of {total} rows ({100.0 * missing / total:F1}%); reported as not_specified", null));
        }
    }

    private static void ReadIssues(DuckDBConnection connection, string sql, string fileName, List<ValidationIssue> issues,
        IssueSeverity severity = IssueSeverity.Error)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql + "\nORDER BY 1";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            issues.Add(new ValidationIssue(severity, fileName, reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetValue(3)?.ToString()));
        }
    }

    /// <summary>
    /// A content hash over every data table: the same data gives the same snapshot id,
    /// whatever order or file it arrived in.
    /// </summary>
    public static string ComputeSnapshotId(DuckDBConnection connection) => StoreIntegrity.SnapshotId(StoreIntegrity.Hash(connection));

    private ImportReport Finish(DuckDBConnection? connection, List<ValidationIssue> issues, IReadOnlyList<TableImportCount> tables,
        bool dryRun, string? snapshotId, DateTime? createdAt = null)
    {
        var ordered = issues.OrderBy(i => i.Severity).ThenBy(i => i.File, StringComparer.Ordinal).ThenBy(i => i.Row).ToList();
        var report = new ImportReport(
            ImportId: Guid.NewGuid().ToString("N")[..12],
            Succeeded: snapshotId is not null || (dryRun && !issues.Any(i => i.Severity == IssueSeverity.Error)),
            DryRun: dryRun,
            SnapshotId: snapshotId,
            CreatedAt: createdAt ?? DateTime.UtcNow,
            Tables: tables,
            Issues: ordered.Take(MaxListedIssues).ToList(),
            ErrorCount: issues.Count(i => i.Severity == IssueSeverity.Error),
            WarningCount: issues.Count(i => i.Severity == IssueSeverity.Warning));
        if (connection is null)
        {
            using var own = store.Open();
            SaveReport(own, report);
        }
        else
        {
            SaveReport(connection, report);
        }
        return report;
    }

    private ImportReport Failed(ValidationIssue issue, bool dryRun) => Finish(null, [issue], [], dryRun, null);

    private static void SaveReport(DuckDBConnection connection, ImportReport report)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO import_reports VALUES ($id, $at, $ok, $snap, $json)";
        cmd.Parameters.Add(new DuckDBParameter("id", report.ImportId));
        cmd.Parameters.Add(new DuckDBParameter("at", report.CreatedAt));
        cmd.Parameters.Add(new DuckDBParameter("ok", report.Succeeded));
        cmd.Parameters.Add(new DuckDBParameter("snap", (object?)report.SnapshotId ?? DBNull.Value));
        cmd.Parameters.Add(new DuckDBParameter("json", JsonSerializer.Serialize(report, ReportJson)));
        cmd.ExecuteNonQuery();
    }

    private static readonly JsonSerializerOptions ReportJson = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>A stored report by id, or the latest when id is null.</summary>
    public ImportReport? GetReport(string? importId)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        if (string.IsNullOrEmpty(importId))
        {
            cmd.CommandText = "SELECT report_json FROM import_reports ORDER BY created_at DESC LIMIT 1";
        }
        else
        {
            cmd.CommandText = "SELECT report_json FROM import_reports WHERE import_id = $id";
            cmd.Parameters.Add(new DuckDBParameter("id", importId));
        }
        var json = cmd.ExecuteScalar() as string;
        return json is null ? null : JsonSerializer.Deserialize<ImportReport>(json, ReportJson);
    }

    private static void DropStaging(DuckDBConnection connection, string table)
    {
        foreach (var prefix in new[] { "raw0_", "raw_", "stg_" })
            ForecastingStore.Execute(connection, $"DROP TABLE IF EXISTS temp.{prefix}{table}");
    }

    private static List<string> ColumnNames(DuckDBConnection connection, string table)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT column_name FROM (DESCRIBE {table})";
        using var reader = cmd.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    private static T Scalar<T>(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
