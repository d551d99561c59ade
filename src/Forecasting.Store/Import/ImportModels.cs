namespace Forecasting.Store.Import;

public enum FileFormat { Infer, Csv, Parquet }

/// <summary>A file to import into one table. DisplayName is what reports call the file.</summary>
public sealed record ImportFileSpec(string Table, string Path, FileFormat Format = FileFormat.Infer, string? DisplayName = null)
{
    public string Name => DisplayName ?? System.IO.Path.GetFileName(Path);

    /// <summary>The format from an explicit choice or the extension; Infer when neither says (callers must then refuse the file).</summary>
    public static FileFormat FormatOf(string fileName, FileFormat given) =>
        given != FileFormat.Infer ? given
        : fileName.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? FileFormat.Parquet
        : fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? FileFormat.Csv
        : FileFormat.Infer;
}

public enum IssueSeverity { Error, Warning }

/// <summary>A problem found in an import. Row is the line number in the file (header = 1); 0 for the whole file.</summary>
public sealed record ValidationIssue(IssueSeverity Severity, string File, long Row, string Column, string Reason, string? Value);

/// <summary>
/// How many rows one rule flagged in one file. Count is exact; only the first <see cref="Listed"/>
/// of them are in the report's issue list.
/// </summary>
public sealed record IssueSummary(IssueSeverity Severity, string File, string Column, string Rule, long Count, int Listed);

public sealed record TableImportCount(string Table, long RowsInFile, long RowsAfter);

/// <summary>
/// What an import does to one council's rows of one table, compared by the table's key:
/// RowsBefore are the rows it replaces, RowsChanged those whose key stays but a value differs.
/// </summary>
public sealed record TableChange(string Table, string CouncilCode, long RowsBefore, long RowsAdded, long RowsRemoved, long RowsChanged, long RowsUnchanged);

public sealed record ImportReport(
    string ImportId,
    bool Succeeded,
    bool DryRun,
    string? SnapshotId,
    DateTime CreatedAt,
    IReadOnlyList<TableImportCount> Tables,
    IReadOnlyList<ValidationIssue> Issues,
    long ErrorCount,
    long WarningCount,
    IReadOnlyList<IssueSummary>? Summaries = null,
    IReadOnlyList<TableChange>? Changes = null,
    DateOnly? AsOfDate = null);
