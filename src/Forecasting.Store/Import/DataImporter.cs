using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Forecasting.Domain;
using Forecasting.Store.Import.Cld;

namespace Forecasting.Store.Import;

/// <summary>
/// Imports council extracts: each file is loaded as text into a temporary staging table, validated
/// with set-based SQL (types, allowed values, ranges, keys, references, cross-row rules), and only
/// when no error was found swapped into the store in one transaction. A file holds the complete
/// table for the councils it contains: their previous rows are replaced, other councils are kept
/// (strategies are replaced version by version instead, see <see cref="TableSpec.ReplaceScope"/>).
/// </summary>
/// <remarks>
/// Reports are bounded: per file and rule the first <see cref="MaxIssuesPerRule"/> offending rows
/// are read in full and the rest only counted in SQL, so memory does not grow with the file.
/// </remarks>
public sealed class DataImporter(ForecastingStore store, Action<string>? log = null)
{
    /// <summary>Issues listed per file and rule; <see cref="IssueSummary.Count"/> and the report totals cover all of them.</summary>
    public const int MaxIssuesPerRule = 100;

    /// <summary>Issues listed in a whole report.</summary>
    public const int MaxListedIssues = 1000;

    /// <summary>An import may remove at most this share of a council's rows in a table unless the caller allows it.</summary>
    public const double MaxShrinkShare = 0.5;

    /// <summary>Unknown header names are echoed only when short and plain; anything else could be file contents.</summary>
    private const int MaxEchoedNameLength = 40;

    /// <summary>Called between tables while swapping; failure tests throw here to prove the swap is atomic.</summary>
    public Action<string>? BeforeTableSwap { get; set; }

    /// <summary>
    /// Today's date for imports (UTC): the as-of date of an import that states none, and the latest as-of date
    /// an import may state. Tests pin it.
    /// </summary>
    public Func<DateOnly> AsOf { get; set; } = () => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The longest text a field may hold: the CSV reader's line limit, applied to every Parquet text cell too.</summary>
    public const int MaxFieldBytes = 2_000_000;

    /// <summary>
    /// The as-of date of an import: the date the data run to. A stated date may not be after today (<see cref="AsOf"/>).
    /// Without one, the current snapshot's stated date carries over (a correction or a second council's files do not
    /// move the date the data run to; data that run later must say so), and an empty store's first import is as of
    /// today. It is never inferred from the rows. Rows dated after it are errors, except planned dates
    /// (<see cref="DateWindow.Planned"/>), and the snapshot records it for every answer to start from.
    /// </summary>
    /// <exception cref="InvalidArgumentException">when the stated date is after today.</exception>
    public DateOnly ResolveAsOf(DateOnly? stated)
    {
        if (CheckStated(stated) is { } date) return date;
        var today = AsOf();
        using var connection = store.Open();
        return ForecastingStore.CurrentAsOf(connection) is { } current && current.AsOf <= today ? current.AsOf : today;
    }

    /// <summary>
    /// A stated as-of date checked without resolving an absent one (a front end refuses a bad date before the files
    /// arrive; the import itself resolves an absent one against the store as it then is).
    /// </summary>
    /// <exception cref="InvalidArgumentException">when the stated date is after today.</exception>
    public DateOnly? CheckStated(DateOnly? stated)
    {
        var today = AsOf();
        if (stated > today)
            throw new InvalidArgumentException("as_of_date",
                $"{stated:yyyy-MM-dd} is after today ({today:yyyy-MM-dd}); the as-of date is the date the data run to");
        return stated;
    }

    /// <summary>Parses an as-of date given as yyyy-mm-dd; empty is none.</summary>
    /// <exception cref="InvalidArgumentException">when the text is not a real date of that form.</exception>
    public static DateOnly? ParseAsOf(string? text, string field = "as_of_date")
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidArgumentException(field, NotADate(text.Trim()));
    }

    /// <summary>Why a text is not a date: the wrong form, or the right form and no such day (2023-02-30).</summary>
    public static string NotADate(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, $"^{DatePattern}$")
            ? $"{text} is not a real date (no such day)"
            : $"'{text}' is not a date in the form yyyy-mm-dd";

    /// <summary>
    /// DuckDB's memory limit while an import runs (restored afterwards; null leaves it alone). Staging
    /// a large file otherwise fills DuckDB's cache up to its default of 80% of RAM (4.5 GB for a 1 GB
    /// file); with a limit DuckDB spills staging tables to its temp directory and the process stays flat.
    /// The limit is per database, so queries running during an import share it.
    /// </summary>
    public string? MemoryLimit { get; set; } = "512MB";

    /// <param name="councils">The councils the caller may import (null = any): rows of another council are errors.</param>
    /// <param name="asOf">The date the data run to (at most today); null = the current snapshot's, or today for an empty store. See <see cref="ResolveAsOf"/>.</param>
    public ImportReport ImportDirectory(string directory, bool dryRun = false, string? source = null, bool allowShrink = false,
        IReadOnlyCollection<string>? councils = null, DateOnly? asOf = null)
    {
        CheckStated(asOf);
        if (!Directory.Exists(directory))
            return Failed(new ValidationIssue(IssueSeverity.Error, directory, 0, "", "directory does not exist", null), dryRun, ResolveAsOf(asOf));
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            .Where(f => TableSchemas.Find(Path.GetFileNameWithoutExtension(f)) is not null || CldTables.IsSubmissionFile(Path.GetFileNameWithoutExtension(f)))
            .Order(StringComparer.Ordinal)
            .Select(f => new ImportFileSpec(CldTables.IsSubmissionFile(Path.GetFileNameWithoutExtension(f)) ? CldTables.Submission : Path.GetFileNameWithoutExtension(f), f))
            .ToList();
        files.AddRange(Published.PublishedFiles.InDirectory(directory));
        if (files.Count == 0)
            return Failed(new ValidationIssue(IssueSeverity.Error, directory, 0, "", $"no <table>.csv or <table>.parquet files; tables are: {string.Join(", ", TableSchemas.Names)}", null), dryRun, ResolveAsOf(asOf));
        return Import(files, dryRun, source ?? directory, allowShrink, councils, asOf);
    }

    /// <param name="councils">The councils the caller may import (null = any): rows of another council are errors.</param>
    /// <param name="asOf">The date the data run to (at most today); null = the current snapshot's, or today for an empty store. See <see cref="ResolveAsOf"/>.</param>
    public ImportReport Import(IReadOnlyList<ImportFileSpec> files, bool dryRun = false, string? source = null, bool allowShrink = false,
        IReadOnlyCollection<string>? councils = null, DateOnly? asOf = null)
    {
        var stated = ResolveAsOf(asOf);
        using var activity = Telemetry.Source.StartActivity("import")?.SetTag("forecasting.import.files", files.Count).SetTag("forecasting.import.dry_run", dryRun);
        var issues = new IssueLog();
        // Published files (ONS population, ASCOF) become store tables first; their warnings carry into the import's report.
        using var published = Published.PublishedFiles.Convert(files, () => Published.PublishedFiles.Councils(store, files, councils), councils is not null, issues);
        // Published files refused leave nothing to import; "no files" would only repeat that.
        List<(TableSpec Spec, ImportFileSpec File)> resolved = published.Files.Count == 0 && issues.HasErrors ? [] : ResolveFiles(published.Files, issues);
        if (issues.HasErrors) return Counted(RecordCouncils(Finish(null, issues, [], dryRun, null, asOf: stated), councils), activity);

        store.WriteLock.Wait();
        try
        {
            using var connection = store.Open();
            var previousLimit = MemoryLimit is null ? null : Scalar<string>(connection, "SELECT current_setting('memory_limit')");
            if (MemoryLimit is not null) ForecastingStore.Execute(connection, $"SET memory_limit = '{MemoryLimit.Replace("'", "")}'");
            try
            {
                _carried = issues;
                return Counted(RecordCouncils(ImportResolved(connection, resolved, dryRun, source ?? string.Join(", ", files.Select(f => f.Name)), allowShrink, stated, councils),
                    councils), activity);
            }
            finally
            {
                foreach (var name in resolved.Select(r => r.Spec.Name).Concat(CldTables.Names).Concat(CldDerivedTables.Names).Distinct()) DropStaging(connection, name);
                if (previousLimit is not null) ForecastingStore.Execute(connection, $"SET memory_limit = '{previousLimit}'");
            }
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    /// <summary>Issues found before staging (the published files' warnings), continued by the import that follows.</summary>
    private IssueLog? _carried;

    private static List<(TableSpec Spec, ImportFileSpec File)> ResolveFiles(IReadOnlyList<ImportFileSpec> files, IssueLog issues)
    {
        var resolved = new List<(TableSpec, ImportFileSpec)>();
        if (files.Count == 0)
            issues.Add(new(IssueSeverity.Error, "", 0, "", "no files to import", null));
        foreach (var file in files)
        {
            var tableName = string.IsNullOrWhiteSpace(file.Table) ? Path.GetFileNameWithoutExtension(file.Path) : file.Table;
            var spec = tableName == CldTables.Submission ? CldSubmissionSpec : TableSchemas.Find(tableName);
            if (spec is { IsDerived: true })
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "table", $"table '{spec.Name}' is derived from CLD submissions: import the submission files as table '{CldTables.Submission}'", spec.Name));
                continue;
            }
            if (spec is null)
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "table", $"unknown table '{Sanitise(tableName)}'; tables are: {string.Join(", ", TableSchemas.Names)}", null));
                continue;
            }
            if (!File.Exists(file.Path))
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "path", "file does not exist", null));
                continue;
            }
            var format = ImportFileSpec.FormatOf(file.DisplayName ?? file.Path, file.Format);
            if (format == FileFormat.Infer)
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "format", "cannot tell the format: use a .csv or .parquet extension or give the format", null));
                continue;
            }
            if (spec != CldSubmissionSpec && resolved.Any(r => r.Item1.Name == spec.Name))
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 0, "table", $"table '{spec.Name}' is given more than once in one import", spec.Name));
                continue;
            }
            resolved.Add((spec, file with { Table = spec.Name, Format = format }));
        }
        // Parents first, so reporting follows the order a reader expects.
        return resolved.OrderBy(r => TableSchemas.All.ToList().IndexOf(r.Item1)).ToList();
    }

    /// <summary>Stands for CLD submission files among the resolved files: any number of them, staged together by <see cref="CldStaging"/>.</summary>
    private static readonly TableSpec CldSubmissionSpec = new(CldTables.Submission, [], [], null, [], []);

    private ImportReport ImportResolved(DuckDBConnection connection, List<(TableSpec Spec, ImportFileSpec File)> allFiles, bool dryRun, string source,
        bool allowShrink, DateOnly asOf, IReadOnlyCollection<string>? councils)
    {
        var issues = _carried ?? new IssueLog();
        _carried = null;
        var counts = new Dictionary<string, long>();
        var staged = new List<(TableSpec Spec, ImportFileSpec File)>();
        var cldFiles = allFiles.Where(f => f.Spec == CldSubmissionSpec).Select(f => f.File).ToList();
        var files = allFiles.Where(f => f.Spec != CldSubmissionSpec).ToList();

        foreach (var (spec, file) in files)
        {
            if (!LoadRaw(connection, spec, file, issues, out var present)) continue;
            counts[spec.Name] = Scalar<long>(connection, $"SELECT count(*) FROM raw_{spec.Name}");
            if (counts[spec.Name] == 0)
                issues.Add(new(IssueSeverity.Warning, file.Name, 0, "", "file has no rows: it replaces nothing, since rows are replaced per council found in the file", null));
            CheckColumns(connection, spec, file, present, issues, asOf);
            CreateTyped(connection, spec);
            staged.Add((spec, file));
        }

        var stagedNames = staged.Select(s => s.Spec.Name).ToHashSet();
        CreateEffectiveViews(connection, stagedNames);
        foreach (var (spec, file) in staged)
        {
            if (councils is not null) CheckCouncils(connection, spec, file, councils, issues);
            CheckKeys(connection, spec, file, issues);
            CheckReferences(connection, spec, file, issues);
            CheckRules(connection, spec, file, issues, asOf);
        }
        foreach (var (spec, file) in staged) WarnOnUnspecified(connection, spec, file, issues);

        var complete = staged.Count == files.Count;
        List<(string Table, long Rows)> derived = [];
        if (cldFiles.Count > 0)
        {
            var cld = CldStaging.Stage(connection, cldFiles, issues, councils);
            if (cld is null) complete = false;
            else
            {
                derived = CldStaging.Counts(cld).ToList();
                staged.AddRange(CldTables.Specs.Select(s => (s, cldFiles[0])));
                // The product's own tables from the cleaned events, unless the council gives them (CldDerivedTables).
                var deriving = System.Diagnostics.Stopwatch.StartNew();
                var productTables = CldDerivedTables.Derive(connection, files.Select(f => f.Spec.Name).ToHashSet(), asOf, cldFiles[0].Name, issues);
                log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"CLD import: derived {productTables.Sum(t => t.Rows):N0} rows of the product's tables in {deriving.Elapsed.TotalSeconds:F1} s"));
                derived.AddRange(productTables);
                staged.AddRange(productTables.Select(t => (TableSchemas.Find(t.Table)!, cldFiles[0])));
            }
        }
        List<(string Table, long Rows)> Counted() => [.. files.Select(f => (f.Spec.Name, counts.GetValueOrDefault(f.Spec.Name))), .. derived];

        // The diff is only meaningful for files that passed every check. A quality report may shrink freely.
        if (!issues.HasErrors && complete)
        {
            issues.Changes = Diff(connection, staged.Where(s => s.Spec.Name is not (CldTables.Quality or CldTables.QualityExamples)).ToList());
            if (!allowShrink) CheckShrink(staged, issues);
        }

        var hasErrors = issues.HasErrors;
        if (hasErrors || !complete || dryRun)
            return Finish(connection, issues, Counted().Select(c => new TableImportCount(c.Table, c.Rows, -1)).ToList(), dryRun, null, asOf: asOf);

        using var tx = connection.BeginTransaction();
        foreach (var (spec, _) in staged)
        {
            BeforeTableSwap?.Invoke(spec.Name);
            var columns = string.Join(", ", spec.Columns.Select(c => c.Name));
            ForecastingStore.Execute(connection,
                $"DELETE FROM main.{spec.Name} WHERE EXISTS (SELECT 1 FROM stg_{spec.Name} s WHERE {SameScope(spec, "s", spec.Name)})");
            ForecastingStore.Execute(connection, $"INSERT INTO {spec.Name} ({columns}) SELECT {columns} FROM stg_{spec.Name}");
        }
        var snapshot = StoreIntegrity.RecordSnapshot(connection, source, asOf);
        var report = Finish(connection, issues,
            Counted().Select(c => new TableImportCount(c.Table, c.Rows, snapshot.TableRows[c.Table])).ToList(),
            dryRun: false, snapshot.SnapshotId, snapshot.CreatedAt, asOf);
        tx.Commit();
        // Before the caller hears of the snapshot: checkpoint and keep a good copy to restore it from (StoreIntegrity).
        StoreIntegrity.AfterCommit(store, connection);
        return report;
    }

    /// <summary>
    /// Loads the file as text into raw0_T under positional names c0, c1, ... (so any header name works,
    /// rowid included) and exposes it as the view raw_T with the line number (__row) and the table's
    /// columns under their own names. Structure errors (a missing or extra field, an unclosed quote,
    /// an over-long line, invalid UTF-8) are reported per line and stop the file's further checks.
    /// </summary>
    private bool LoadRaw(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, IssueLog issues, out HashSet<string> present)
    {
        present = [];
        var lineColumn = false;
        var path = file.Path.Replace("'", "''");
        var kind = file.Format.ToString().ToUpperInvariant();
        List<string> header;
        try
        {
            if (file.Format == FileFormat.Parquet)
            {
                if (!LoadParquet(connection, spec, file, path, issues, out header)) return false;
            }
            else
            {
                header = CsvHeader.Read(file.Path);
                if (!LoadCsv(connection, spec, file, path, header, issues)) return false;
                lineColumn = NumberLinesAcrossQuotedNewlines(connection, spec, header.Count);
            }
        }
        catch (InvalidDataException ex)
        {
            issues.Add(new(IssueSeverity.Error, file.Name, ex.Message.StartsWith("line 1", StringComparison.Ordinal) ? 1 : 0, "", $"cannot read the file as {kind}: {ex.Message}", null));
            return false;
        }
        catch (DuckDBException ex)
        {
            // DuckDB's text names server paths and internals: it goes to the log, the caller gets plain words.
            log?.Invoke($"import of {file.Name} as {kind} into {spec.Name} failed: {ex.Message}");
            issues.Add(new(IssueSeverity.Error, file.Name, 0, "", $"cannot read the file as {kind}: it is not a readable {kind} file", null));
            return false;
        }

        if (header.Count != header.Distinct(StringComparer.Ordinal).Count())
        {
            var twice = header.GroupBy(h => h, StringComparer.Ordinal).First(g => g.Count() > 1).Key;
            issues.Add(new(IssueSeverity.Error, file.Name, 1, EchoName(twice) ?? "", $"cannot read the file as {kind}: the header names a column twice", null));
            return false;
        }
        var known = spec.Columns.Where(c => header.Contains(c.Name, StringComparer.Ordinal)).ToList();
        present = known.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (known.Count == 0 && header.Count > 0)
        {
            // Nothing in common with the table: this is some other file, and its first line may be anything.
            issues.Add(new(IssueSeverity.Error, file.Name, 1, "",
                $"none of the columns of {spec.Name} were found: this is not a {spec.Name} file; {spec.Name} needs: {string.Join(", ", spec.Columns.Select(c => c.Name))}", null));
            return false;
        }
        for (var i = 0; i < header.Count; i++)
            if (spec.Column(header[i]) is null)
                issues.Add(new(IssueSeverity.Warning, file.Name, 1, EchoName(header[i]) ?? $"column {i + 1}", "column is not part of the table and is ignored", null));

        var select = spec.Columns.Select(c =>
        {
            var index = header.FindIndex(h => h == c.Name);
            return index < 0 ? $"CAST(NULL AS VARCHAR) AS {Q(c.Name)}" : $"c{index} AS {Q(c.Name)}";
        });
        ForecastingStore.Execute(connection,
            $"CREATE OR REPLACE TEMP VIEW raw_{spec.Name} AS SELECT {(lineColumn ? "__line" : "rowid + 2")} AS __row, {string.Join(", ", select)} FROM raw0_{spec.Name}");
        return true;
    }

    private bool LoadCsv(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, string path, List<string> header, IssueLog issues)
    {
        var columns = "{" + string.Join(", ", header.Select((_, i) => $"'c{i}': 'VARCHAR'")) + "}";
        string rejects = $"rejects_{spec.Name}", scans = $"reject_scans_{spec.Name}";
        DropRejects(connection, spec.Name);
        // rowid follows insertion order, which DuckDB preserves from the file, so rowid + 2 is the line number
        // as long as no line was rejected (a file with rejected lines goes no further).
        ForecastingStore.Execute(connection,
            $"CREATE OR REPLACE TEMP TABLE raw0_{spec.Name} AS SELECT * FROM read_csv('{path}', header = true, delim = ',', quote = '\"', escape = '\"', " +
            $"all_varchar = true, auto_detect = false, null_padding = false, strict_mode = true, columns = {columns}, " +
            $"store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{scans}', rejects_limit = 0)");

        var types = new List<(string Type, long Count)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT error_type, count(*) FROM {rejects} GROUP BY 1 ORDER BY 1";
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) types.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        if (types.Count == 0) return true;
        foreach (var (type, count) in types)
        {
            // Per error type the first lines in file order; the count above covers the rest.
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT line, column_name FROM {rejects} WHERE error_type = $type ORDER BY line LIMIT {MaxIssuesPerRule}";
            cmd.Parameters.Add(new DuckDBParameter("type", type));
            using var reader = cmd.ExecuteReader();
            var listed = new List<ValidationIssue>();
            while (reader.Read())
            {
                var line = reader.IsDBNull(0) ? 0 : Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                var column = reader.IsDBNull(1) ? "" : HeaderName(header, reader.GetString(1));
                listed.Add(new(IssueSeverity.Error, file.Name, line, column, StructureReason(type, header.Count), null));
            }
            issues.AddRule(IssueSeverity.Error, file.Name, "", StructureReason(type, header.Count), listed, count);
        }
        var lines = Scalar<long>(connection, $"SELECT count(DISTINCT line) FROM {rejects}");
        issues.Add(new(IssueSeverity.Error, file.Name, 0, "",
            $"{lines} line{(lines == 1 ? "" : "s")} could not be read as CSV rows; the rows' values were not checked", null));
        return false;
    }

    /// <summary>
    /// rowid + 2 is a row's line only while no quoted field spans lines. When one does, raw0_T gets a
    /// __line column: rowid + 2 plus the newlines inside every earlier row's fields. Files without such
    /// fields (the usual case) pay one scan.
    /// </summary>
    private static bool NumberLinesAcrossQuotedNewlines(DuckDBConnection connection, TableSpec spec, int columns)
    {
        if (columns == 0) return false;
        var any = string.Join(" OR ", Enumerable.Range(0, columns).Select(i => $"contains(c{i}, chr(10))"));
        if (Scalar<long>(connection, $"SELECT count(*) FROM raw0_{spec.Name} WHERE {any}") == 0) return false;
        var newlines = string.Join(" + ", Enumerable.Range(0, columns).Select(i => $"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)"));
        ForecastingStore.Execute(connection, $"""
            CREATE OR REPLACE TEMP TABLE raw1_{spec.Name} AS
            SELECT * EXCLUDE (__rid, __nl),
                   __rid + 2 + coalesce(sum(__nl) OVER (ORDER BY __rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS __line
            FROM (SELECT *, rowid AS __rid, {newlines} AS __nl FROM raw0_{spec.Name})
            ORDER BY __rid
            """);
        ForecastingStore.Execute(connection, $"DROP TABLE raw0_{spec.Name}");
        ForecastingStore.Execute(connection, $"ALTER TABLE raw1_{spec.Name} RENAME TO raw0_{spec.Name}");
        return true;
    }

    /// <summary>DuckDB's rejects table names columns c0, c1, ...; report the file's own header name.</summary>
    private static string HeaderName(List<string> header, string internalName) =>
        internalName.Length > 1 && internalName[0] == 'c' && int.TryParse(internalName.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < header.Count
            ? EchoName(header[i]) ?? $"column {i + 1}"
            : "";

    private static string StructureReason(string errorType, int expected) => errorType switch
    {
        "MISSING COLUMNS" => $"too few fields: the header has {expected}",
        "TOO MANY COLUMNS" => $"too many fields: the header has {expected}",
        "UNQUOTED VALUE" => "a quoted field is not closed, or text follows its closing quote",
        "LINE SIZE OVER MAXIMUM" => "line longer than the 2,000,000-byte limit",
        "INVALID ENCODING" or "INVALID UNICODE" => "not valid UTF-8 text",
        _ => "line cannot be read as a CSV row",
    };

    /// <summary>
    /// Parquet values are converted to text here so the CSV rules apply unchanged; DOUBLE values of an
    /// integer column keep their fraction (48.4 stays "48.4" and fails as not a whole number, never 48).
    /// </summary>
    private static bool LoadParquet(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, string path, IssueLog issues, out List<string> header)
    {
        header = [];
        var types = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{path}'))";
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) { header.Add(reader.GetString(0)); types.Add(reader.GetString(1)); }
        }
        var select = new List<string>();
        var ok = true;
        for (var i = 0; i < header.Count; i++)
        {
            var source = Q(header[i]);
            var type = types[i].ToUpperInvariant();
            var column = spec.Column(header[i]);
            if (type.Contains('[') || type.StartsWith("STRUCT", StringComparison.Ordinal) || type.StartsWith("MAP", StringComparison.Ordinal)
                || type.StartsWith("UNION", StringComparison.Ordinal) || type == "BLOB")
            {
                if (column is not null)
                {
                    issues.Add(new(IssueSeverity.Error, file.Name, 0, column.Name, $"holds {Regex.Replace(type, "[^A-Z]+.*", "")} values; expected {Expected(column.Type)}", null));
                    ok = false;
                }
                select.Add($"CAST(NULL AS VARCHAR) AS c{i}");
                continue;
            }
            var fractional = type is "FLOAT" or "DOUBLE" or "REAL" || type.StartsWith("DECIMAL", StringComparison.Ordinal);
            var timestamp = type.StartsWith("TIMESTAMP", StringComparison.Ordinal);
            var expr = column?.Type switch
            {
                ColumnType.Integer when fractional =>
                    $"CASE WHEN isfinite(CAST({source} AS DOUBLE)) AND {source} = trunc({source}) AND abs({source}) < 1e15 THEN CAST(CAST({source} AS BIGINT) AS VARCHAR) ELSE CAST({source} AS VARCHAR) END",
                ColumnType.Date when timestamp =>
                    $"CASE WHEN CAST({source} AS TIMESTAMP) = date_trunc('day', CAST({source} AS TIMESTAMP)) THEN strftime(CAST({source} AS TIMESTAMP), '%Y-%m-%d') ELSE CAST({source} AS VARCHAR) END",
                ColumnType.Boolean => $"lower(CAST({source} AS VARCHAR))",
                _ => $"CAST({source} AS VARCHAR)",
            };
            select.Add($"{expr} AS c{i}");
        }
        if (!ok) return false;
        if (!CheckParquetFieldLengths(connection, file, path, header, types, issues)) return false;
        ForecastingStore.Execute(connection,
            $"CREATE OR REPLACE TEMP TABLE raw0_{spec.Name} AS SELECT {(select.Count == 0 ? "1 AS c_" : string.Join(", ", select))} FROM read_parquet('{path}')");
        return true;
    }

    /// <summary>
    /// Text cells are held to the CSV reader's limit (<see cref="MaxFieldBytes"/>) before the file is staged: a few
    /// strings of 50 MB would otherwise fill the import's memory. Each text column is scanned alone for the length of
    /// its cells (one column's values at a time, never the whole row); offending rows are named, their values not.
    /// </summary>
    private static bool CheckParquetFieldLengths(DuckDBConnection connection, ImportFileSpec file, string path, List<string> header,
        List<string> types, IssueLog issues)
    {
        var ok = true;
        for (var i = 0; i < header.Count; i++)
        {
            if (!types[i].StartsWith("VARCHAR", StringComparison.OrdinalIgnoreCase)) continue;
            var column = EchoName(header[i]) ?? $"column {i + 1}";
            var reason = $"text longer than the {MaxFieldBytes:N0}-byte limit of a field";
            var sql = $"SELECT file_row_number + 2 AS __row, '{column.Replace("'", "''")}', '{reason}', NULL " +
                      $"FROM read_parquet('{path}', file_row_number = true) WHERE strlen({Q(header[i])}) > {MaxFieldBytes}";
            var before = issues.ErrorCount;
            RunRule(connection, sql, file.Name, column, reason, issues, IssueSeverity.Error);
            if (issues.ErrorCount > before) ok = false;
        }
        return ok;
    }

    private static string Expected(ColumnType type) => type switch
    {
        ColumnType.Integer => "whole numbers",
        ColumnType.Double => "decimal numbers",
        ColumnType.Date => "dates",
        ColumnType.Timestamp => "dates and times",
        ColumnType.Boolean => "true or false",
        _ => "text",
    };

    /// <summary>Reports missing columns (present in raw_T as NULL, so staging still works) and every value rule.</summary>
    private static void CheckColumns(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, HashSet<string> present, IssueLog issues, DateOnly asOf)
    {
        var rules = new List<ColumnRule>();
        foreach (var column in spec.Columns)
        {
            if (!present.Contains(column.Name))
            {
                issues.Add(new(IssueSeverity.Error, file.Name, 1, column.Name, $"missing column; {spec.Name} needs: {string.Join(", ", spec.Columns.Select(c => c.Name))}", null));
                continue;
            }
            rules.AddRange(ColumnRules(column, asOf));
        }
        if (rules.Count == 0) return;

        // One scan counts every rule exactly; only rules that matched are then read, and only their first rows.
        var counts = new long[rules.Count];
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT {string.Join(", ", rules.Select(r => $"count(*) FILTER (WHERE {r.Condition})"))} FROM raw_{spec.Name}";
            using var reader = cmd.ExecuteReader();
            reader.Read();
            for (var i = 0; i < rules.Count; i++) counts[i] = reader.GetInt64(i);
        }
        for (var i = 0; i < rules.Count; i++)
        {
            if (counts[i] == 0) continue;
            var rule = rules[i];
            var listed = ReadRows(connection,
                $"SELECT __row, '{rule.Column}', '{rule.Reason.Replace("'", "''")}', {Q(rule.Column)} FROM raw_{spec.Name} WHERE {rule.Condition}",
                file.Name, IssueSeverity.Error);
            issues.AddRule(IssueSeverity.Error, file.Name, rule.Column, rule.Reason, listed, counts[i]);
        }
    }

    private sealed record ColumnRule(string Column, string Condition, string Reason);

    private static string Literal(DateOnly date) => $"DATE '{date:yyyy-MM-dd}'";

    internal const string IntegerPattern = "-?[0-9]+";
    internal const string DecimalPattern = "-?[0-9]+(\\.[0-9]+)?";
    internal const string DatePattern = "[0-9]{4}-[0-9]{2}-[0-9]{2}";
    internal const string TimestampPattern = "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?";

    /// <summary>The SQL value of a column: trimmed text, NULL when empty.</summary>
    private static string Value(ColumnSpec c) => $"nullif(trim({Q(c.Name)}), '')";

    /// <summary>
    /// Strict typed value: NULL unless the text has exactly the documented form, so nothing is coerced
    /// (no rounding of 70.6, no exponents, hex or single-digit months).
    /// </summary>
    private static string Typed(ColumnSpec c)
    {
        var v = Value(c);
        return c.Type switch
        {
            ColumnType.Date => $"CASE WHEN regexp_full_match({v}, '{DatePattern}') THEN TRY_CAST({v} AS DATE) END",
            ColumnType.Timestamp => $"CASE WHEN regexp_full_match({v}, '{TimestampPattern}') THEN TRY_CAST({v} AS TIMESTAMP) END",
            ColumnType.Integer => $"CASE WHEN regexp_full_match({v}, '{IntegerPattern}') THEN TRY_CAST({v} AS BIGINT) END",
            ColumnType.Double => $"CASE WHEN regexp_full_match({v}, '{DecimalPattern}') THEN TRY_CAST({v} AS DOUBLE) END",
            ColumnType.Boolean => $"CASE WHEN lower({v}) IN ('true', 'false') THEN lower({v}) = 'true' END",
            ColumnType.FinancialYear => $"TRY_CAST(substr({v}, 1, 4) AS INTEGER)",
            _ => v,
        };
    }

    /// <summary>Each rule as a condition over raw_T that is true for an offending row.</summary>
    private static IEnumerable<ColumnRule> ColumnRules(ColumnSpec c, DateOnly asOf)
    {
        var v = Value(c);
        var typed = Typed(c);
        ColumnRule Rule(string condition, string reason) => new(c.Name, condition, reason);

        if (c.Required) yield return Rule($"{v} IS NULL", "required value is empty");
        switch (c.Type)
        {
            case ColumnType.Date:
                yield return Rule($"{v} IS NOT NULL AND NOT regexp_full_match({v}, '{DatePattern}')", "not a date in the form yyyy-mm-dd");
                // The right form but no such day (2023-02-30, 2023-13-01): say so, rather than blame the form.
                yield return Rule($"{v} IS NOT NULL AND regexp_full_match({v}, '{DatePattern}') AND {typed} IS NULL",
                    "not a real date: the form is yyyy-mm-dd but no such day exists");
                var (from, to) = ColumnSpec.Bounds(c.Window, asOf);
                yield return Rule($"{typed} < {Literal(from)}", $"implausible date: before {from:yyyy-MM-dd}");
                yield return Rule($"{typed} > {Literal(to)}", c.Window == DateWindow.Planned
                    ? $"implausible date: after {to:yyyy-MM-dd} (15 years after the import's as-of date {asOf:yyyy-MM-dd})"
                    : $"dated after the import's as-of date {asOf:yyyy-MM-dd}: the data must run to the as-of date and no further (state a later as-of date if the data run later; only planned dates may lie ahead)");
                break;
            case ColumnType.Timestamp:
                yield return Rule($"{v} IS NOT NULL AND {typed} IS NULL", "not a date and time in the form yyyy-mm-dd hh:mm:ss");
                yield return Rule($"{typed} < TIMESTAMP '1990-01-01' OR {typed} > {Literal(asOf.AddYears(1))}",
                    $"implausible date: before 1990-01-01 or after {asOf.AddYears(1):yyyy-MM-dd}");
                break;
            case ColumnType.Integer:
                yield return Rule($"{v} IS NOT NULL AND {typed} IS NULL", "not a whole number (digits only, no decimal point, exponent or hex)");
                break;
            case ColumnType.Double:
                var special = $"lower(ltrim({v}, '+-')) IN ('nan', 'inf', 'infinity')";
                yield return Rule($"{v} IS NOT NULL AND {special}", "not a number (NaN or infinity)");
                yield return Rule($"{v} IS NOT NULL AND NOT {special} AND {typed} IS NULL", "not a plain decimal number like 0.75 (no exponent, hex or thousands separator)");
                yield return Rule($"{typed} IS NOT NULL AND length(regexp_replace(split_part({v}, '.', 2), '0+$', '')) > {c.Scale}",
                    $"more than {c.Scale} decimal places");
                yield return Rule($"{typed} IS NOT NULL AND length(ltrim(regexp_replace(regexp_replace({v}, '\\.?0*$', ''), '[^0-9]', '', 'g'), '0')) > {c.Precision}",
                    $"more than {c.Precision} significant digits");
                break;
            case ColumnType.Boolean:
                yield return Rule($"{v} IS NOT NULL AND {typed} IS NULL", "not true or false");
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
        if (c.Min is { } min)
            yield return Rule($"{typed} < {min.ToString(CultureInfo.InvariantCulture)}", $"below the minimum of {min.ToString(CultureInfo.InvariantCulture)}");
        if (c.Max is { } max)
            yield return Rule($"{typed} > {max.ToString(CultureInfo.InvariantCulture)}", $"above the maximum of {max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Typed staging: invalid values become NULL here; they have already been reported as errors.</summary>
    private static void CreateTyped(DuckDBConnection connection, TableSpec spec)
    {
        var columns = spec.Columns.Select(c => $"{Typed(c)} AS {Q(c.Name)}");
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

    /// <summary>A key limited to some councils may only load their rows.</summary>
    private static void CheckCouncils(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, IReadOnlyCollection<string> councils,
        IssueLog issues)
    {
        var allowed = councils.Count == 0 ? "NULL" : string.Join(", ", councils.Select(c => $"'{c.Replace("'", "''")}'"));
        var sql = $"""
            SELECT __row, 'council_code', 'not a council this key may import; it may import: {string.Join(", ", councils).Replace("'", "''")}', council_code
            FROM stg_{spec.Name} WHERE council_code IS NOT NULL AND council_code NOT IN ({allowed})
            """;
        RunRule(connection, sql, file.Name, "council_code", "council outside the key", issues, IssueSeverity.Error);
    }

    private static void CheckKeys(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, IssueLog issues)
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
        RunRule(connection, sql, file.Name, string.Join("+", spec.Key), "duplicate key", issues, IssueSeverity.Error);
    }

    private static void CheckReferences(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, IssueLog issues)
    {
        foreach (var reference in spec.References)
        {
            var join = string.Join(" AND ", reference.Columns.Zip(reference.TargetColumns, (c, t) => $"r.{t} = s.{c}"));
            var notNull = string.Join(" AND ", reference.Columns.Select(c => $"s.{c} IS NOT NULL"));
            var council = reference.Target == "councils" ? "" : "r.council_code = s.council_code AND ";
            var shown = string.Join(" || '/' || ", reference.Columns.Select(c => $"CAST(s.{c} AS VARCHAR)"));
            var reason = $"no matching row in {reference.Target}";
            var sql = $"""
                SELECT s.__row, '{string.Join("+", reference.Columns)}', '{reason}', {shown}
                FROM stg_{spec.Name} s
                WHERE {notNull} AND NOT EXISTS (SELECT 1 FROM eff_{reference.Target} r WHERE {council}{join})
                """;
            RunRule(connection, sql, file.Name, string.Join("+", reference.Columns), reason, issues, IssueSeverity.Error);
        }
    }

    private static void CheckRules(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, IssueLog issues, DateOnly asOf)
    {
        foreach (var check in TableSchemas.ChecksOf(spec))
        {
            var sql = $"""
                WITH stg AS (SELECT * FROM stg_{spec.Name})
                SELECT __row, '{check.Column}', '{check.Reason.Replace("'", "''")}', CAST(value AS VARCHAR) FROM ({check.Sql.Replace(TableSchemas.AsOfToken, Literal(asOf))}) AS q(__row, value)
                """;
            RunRule(connection, sql, file.Name, check.Column, check.Reason, issues, check.IsWarning ? IssueSeverity.Warning : IssueSeverity.Error);
        }
    }

    /// <summary>Unspecified demographic fields are common (13-22% in real returns): one summary warning per column.</summary>
    private static void WarnOnUnspecified(DuckDBConnection connection, TableSpec spec, ImportFileSpec file, IssueLog issues)
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

    /// <summary>
    /// Rows added, removed and changed per table and council, matched on the table's key within the
    /// rows the import replaces (the same scope as the swap's DELETE).
    /// </summary>
    private static List<TableChange> Diff(DuckDBConnection connection, List<(TableSpec Spec, ImportFileSpec File)> staged)
    {
        var changes = new List<TableChange>();
        foreach (var (spec, _) in staged)
        {
            var columns = string.Join(", ", spec.Columns.Select(c => Q(c.Name)));
            var on = string.Join(" AND ", spec.Key.Select(k => $"n.{Q(k)} = o.{Q(k)}"));
            var differs = string.Join(" OR ", spec.Columns.Where(c => !spec.Key.Contains(c.Name)).Select(c => $"n.{Q(c.Name)} IS DISTINCT FROM o.{Q(c.Name)}"));
            if (differs.Length == 0) differs = "false";
            var sql = $"""
                WITH n AS (SELECT {columns}, true AS __new FROM stg_{spec.Name}),
                     o AS (SELECT {columns}, true AS __old FROM main.{spec.Name} m
                           WHERE EXISTS (SELECT 1 FROM stg_{spec.Name} s WHERE {SameScope(spec, "s", "m")}))
                SELECT coalesce(n.council_code, o.council_code) AS council,
                       count(o.__old) AS before,
                       count(*) FILTER (WHERE o.__old IS NULL) AS added,
                       count(*) FILTER (WHERE n.__new IS NULL) AS removed,
                       count(*) FILTER (WHERE n.__new AND o.__old AND ({differs})) AS changed,
                       count(*) FILTER (WHERE n.__new AND o.__old AND NOT ({differs})) AS unchanged
                FROM n FULL OUTER JOIN o ON {on}
                GROUP BY 1 ORDER BY 1
                """;
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
                changes.Add(new(spec.Name, reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }
        return changes;
    }

    /// <summary>A file that would remove more than <see cref="MaxShrinkShare"/> of a council's rows is refused unless allowed.</summary>
    private static void CheckShrink(List<(TableSpec Spec, ImportFileSpec File)> staged, IssueLog issues)
    {
        foreach (var change in issues.Changes)
        {
            if (change.RowsBefore == 0 || change.RowsRemoved <= change.RowsBefore * MaxShrinkShare) continue;
            var file = staged.First(s => s.Spec.Name == change.Table).File;
            issues.Add(new(IssueSeverity.Error, file.Name, 0, "", string.Create(CultureInfo.InvariantCulture,
                $"would remove {change.RowsRemoved:N0} of the {change.RowsBefore:N0} {change.Table} rows of council {change.CouncilCode} " +
                $"({100.0 * change.RowsRemoved / change.RowsBefore:F1}%, more than the {MaxShrinkShare * 100:F0}% limit) and add {change.RowsAdded:N0}; " +
                $"check the file is complete, or import again with allow_shrink to replace them"), change.CouncilCode));
        }
    }

    /// <summary>One rule's offending rows: the first <see cref="MaxIssuesPerRule"/> read, the rest counted in SQL.</summary>
    private static void RunRule(DuckDBConnection connection, string sql, string fileName, string column, string rule, IssueLog issues, IssueSeverity severity)
    {
        var listed = ReadRows(connection, sql, fileName, severity);
        var count = listed.Count < MaxIssuesPerRule ? listed.Count : Scalar<long>(connection, $"SELECT count(*) FROM ({sql})");
        if (count > 0) issues.AddRule(severity, fileName, column, rule, listed, count);
    }

    private static List<ValidationIssue> ReadRows(DuckDBConnection connection, string sql, string fileName, IssueSeverity severity)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT * FROM ({sql}) ORDER BY 1 LIMIT {MaxIssuesPerRule}";
        using var reader = cmd.ExecuteReader();
        var rows = new List<ValidationIssue>();
        while (reader.Read())
            rows.Add(new ValidationIssue(severity, fileName, reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : Truncate(reader.GetValue(3)?.ToString())));
        return rows;
    }

    /// <summary>A value is echoed to help find the row, not to copy the file: long ones are cut.</summary>
    private static string? Truncate(string? value) => value is { Length: > 200 } ? value[..200] + "..." : value;

    /// <summary>
    /// A content hash over every data table: the same data gives the same snapshot id,
    /// whatever order or file it arrived in.
    /// </summary>
    /// <remarks>The as-of date is the current snapshot's: it is part of the id, and not a table's content.</remarks>
    public static string ComputeSnapshotId(DuckDBConnection connection) =>
        StoreIntegrity.SnapshotId(StoreIntegrity.Hash(connection), ForecastingStore.CurrentAsOf(connection)?.AsOf);

    private ImportReport Finish(DuckDBConnection? connection, IssueLog issues, IReadOnlyList<TableImportCount> tables,
        bool dryRun, string? snapshotId, DateTime? createdAt = null, DateOnly? asOf = null)
    {
        var report = new ImportReport(
            ImportId: Guid.NewGuid().ToString("N")[..12],
            Succeeded: snapshotId is not null || (dryRun && !issues.HasErrors),
            DryRun: dryRun,
            SnapshotId: snapshotId,
            CreatedAt: createdAt ?? DateTime.UtcNow,
            Tables: tables,
            Issues: issues.Listed(MaxListedIssues),
            ErrorCount: issues.ErrorCount,
            WarningCount: issues.WarningCount,
            Summaries: issues.Summaries(MaxListedIssues),
            Changes: issues.Changes,
            AsOfDate: asOf ?? AsOf());
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

    private ImportReport Failed(ValidationIssue issue, bool dryRun, DateOnly asOf)
    {
        var issues = new IssueLog();
        issues.Add(issue);
        return Finish(null, issues, [], dryRun, null, asOf: asOf);
    }

    private static void SaveReport(DuckDBConnection connection, ImportReport report)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO import_reports (import_id, created_at, succeeded, snapshot_id, report_json) VALUES ($id, $at, $ok, $snap, $json)";
        cmd.Parameters.Add(new DuckDBParameter("id", report.ImportId));
        cmd.Parameters.Add(new DuckDBParameter("at", report.CreatedAt));
        cmd.Parameters.Add(new DuckDBParameter("ok", report.Succeeded));
        cmd.Parameters.Add(new DuckDBParameter("snap", (object?)report.SnapshotId ?? DBNull.Value));
        cmd.Parameters.Add(new DuckDBParameter("json", JsonSerializer.Serialize(report, ReportJson)));
        cmd.ExecuteNonQuery();
    }

    private static readonly JsonSerializerOptions ReportJson = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>
    /// Records whose report this is: the councils of the importing key (a scoped key), or for a key of every council
    /// the councils whose rows the import counted. A report with none recorded (a failed import by a key of every
    /// council, or one stored before councils were recorded) is shown only to keys of every council.
    /// </summary>
    /// <summary>Counts the rows read per table into the product's metrics, and tags the import's span with the outcome.</summary>
    private static ImportReport Counted(ImportReport report, System.Diagnostics.Activity? activity)
    {
        var outcome = !report.Succeeded ? "failed" : report.DryRun ? "dry_run" : "imported";
        foreach (var table in report.Tables)
            Telemetry.ImportRows.Add(table.RowsInFile, new("forecasting.table", table.Table), new("forecasting.import.outcome", outcome));
        activity?.SetTag("forecasting.import.outcome", outcome).SetTag("forecasting.import.rows", report.Tables.Sum(t => t.RowsInFile))
            .SetTag("forecasting.import.errors", report.ErrorCount).SetTag("forecasting.snapshot", report.SnapshotId);
        return report;
    }

    private ImportReport RecordCouncils(ImportReport report, IReadOnlyCollection<string>? scope)
    {
        var councils = scope ?? (report.Changes ?? []).Select(c => c.CouncilCode).Where(c => !string.IsNullOrEmpty(c)).Distinct().ToList();
        if (councils.Count == 0) return report;
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE import_reports SET council_codes = $councils WHERE import_id = $id";
        cmd.Parameters.Add(new DuckDBParameter("councils", councils.Order(StringComparer.Ordinal).ToList()));
        cmd.Parameters.Add(new DuckDBParameter("id", report.ImportId));
        cmd.ExecuteNonQuery();
        return report;
    }

    /// <summary>
    /// A stored report by id, or the latest when id is null, among those the caller may read: with
    /// <paramref name="scope"/> null every report; otherwise only reports whose recorded councils all lie in the scope.
    /// Never another council's report, whatever else the store holds.
    /// </summary>
    public ImportReport? GetReport(string? importId, IReadOnlyCollection<string>? scope = null)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT report_json FROM import_reports
            WHERE ($id IS NULL OR import_id = $id)
              AND ($scoped = FALSE OR (len(council_codes) > 0 AND list_has_all($scope, council_codes)))
            ORDER BY created_at DESC LIMIT 1
            """;
        cmd.Parameters.Add(new DuckDBParameter("id", string.IsNullOrEmpty(importId) ? DBNull.Value : importId));
        cmd.Parameters.Add(new DuckDBParameter("scoped", scope is not null));
        cmd.Parameters.Add(new DuckDBParameter("scope", (scope ?? []).ToList()));
        var json = cmd.ExecuteScalar() as string;
        return json is null ? null : JsonSerializer.Deserialize<ImportReport>(json, ReportJson);
    }

    private static void DropStaging(DuckDBConnection connection, string table)
    {
        ForecastingStore.Execute(connection, $"DROP VIEW IF EXISTS temp.raw_{table}");
        foreach (var prefix in new[] { "raw0_", "raw1_", "stg_" })
            ForecastingStore.Execute(connection, $"DROP TABLE IF EXISTS temp.{prefix}{table}");
        DropRejects(connection, table);
    }

    private static void DropRejects(DuckDBConnection connection, string table)
    {
        ForecastingStore.Execute(connection, $"DROP TABLE IF EXISTS temp.rejects_{table}");
        ForecastingStore.Execute(connection, $"DROP TABLE IF EXISTS temp.reject_scans_{table}");
    }

    private static T Scalar<T>(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>A quoted SQL identifier: any header name is safe as a column name.</summary>
    private static string Q(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private static readonly Regex PlainName = new("^[A-Za-z0-9_ .-]+$", RegexOptions.Compiled);

    /// <summary>An unknown header name is echoed only when short and plain; null otherwise.</summary>
    private static string? EchoName(string name) =>
        name.Length is > 0 and <= MaxEchoedNameLength && PlainName.IsMatch(name) ? name : null;

    private static string Sanitise(string name) => EchoName(name) ?? "(not shown)";
}
