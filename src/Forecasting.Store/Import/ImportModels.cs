namespace Forecasting.Store.Import;

public enum FileFormat { Infer, Csv, Parquet }

/// <summary>A file to import into one table. DisplayName is what reports call the file.</summary>
public sealed record ImportFileSpec(string Table, string Path, FileFormat Format = FileFormat.Infer, string? DisplayName = null)
{
    public string Name => DisplayName ?? System.IO.Path.GetFileName(Path);
}

public enum IssueSeverity { Error, Warning }

/// <summary>A problem found in an import. Row is the line number in the file (header = 1); 0 for the whole file.</summary>
public sealed record ValidationIssue(IssueSeverity Severity, string File, long Row, string Column, string Reason, string? Value);

public sealed record TableImportCount(string Table, long RowsInFile, long RowsAfter);

public sealed record ImportReport(
    string ImportId,
    bool Succeeded,
    bool DryRun,
    string? SnapshotId,
    DateTime CreatedAt,
    IReadOnlyList<TableImportCount> Tables,
    IReadOnlyList<ValidationIssue> Issues,
    long ErrorCount,
    long WarningCount);
