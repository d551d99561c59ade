using Forecasting.Store.Import.Cld;
using Forecasting.Store.Analytics;
using Forecasting.Contracts.V1;
using Forecasting.Domain;
using Forecasting.Server.Infrastructure;
using Forecasting.Server.Security;
using Forecasting.Store;
using Forecasting.Store.Import;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using DomainFormat = Forecasting.Store.Import.FileFormat;
using DomainIssue = Forecasting.Store.Import.ValidationIssue;
using DomainReport = Forecasting.Store.Import.ImportReport;
using FileFormat = Forecasting.Contracts.V1.FileFormat;
using ImportReport = Forecasting.Contracts.V1.ImportReport;
using ValidationIssue = Forecasting.Contracts.V1.ValidationIssue;

namespace Forecasting.Server.Services;

public sealed class DataGrpcService(DataImporter importer, IStoreStatus status, IOptions<LimitsOptions> limits,
    ImportPathPolicy paths)
    : DataService.DataServiceBase
{
    private readonly string uploadRoot = limits.Value.UploadDirectory ?? UploadStaging.DefaultRoot;

    public override async Task<ImportReport> Import(ImportRequest request, ServerCallContext context)
    {
        if (request.Files.Count == 0 && string.IsNullOrWhiteSpace(request.Directory))
            throw new InvalidArgumentException("files", "give files or a directory to import");
        if (request.Files.Count > 0 && !string.IsNullOrWhiteSpace(request.Directory))
            throw new InvalidArgumentException("directory", "give either files or a directory, not both");
        for (var i = 0; i < request.Files.Count; i++)
            if (string.IsNullOrWhiteSpace(request.Files[i].Path))
                throw new InvalidArgumentException($"files[{i}].path", "a server-side path is required");

        var councils = Caller.Of(context).Councils;
        // Only files under the configured import directories, named to callers relative to them.
        var files = request.Files.Select((f, i) => paths.Resolve(f.Path, $"files[{i}].path")).ToList();
        var directory = string.IsNullOrWhiteSpace(request.Directory) ? null : paths.Resolve(request.Directory, "directory");
        var asOf = importer.CheckStated(DataImporter.ParseAsOf(request.AsOfDate));
        var report = await Task.Run(() => directory is null
            ? importer.Import(request.Files.Select((f, i) => new ImportFileSpec(f.Table, files[i], ToDomain(f.Format), Path.GetFileName(files[i]))).ToList(),
                request.DryRun, "import: " + string.Join(", ", files.Select(paths.Display)), allowShrink: request.AllowShrink, councils: councils, asOf: asOf)
            : importer.ImportDirectory(directory, request.DryRun, "import: " + paths.Display(directory), allowShrink: request.AllowShrink, councils: councils,
                asOf: asOf),
            context.CancellationToken);
        return ToProto(report);
    }

    public override async Task<ImportReport> Upload(IAsyncStreamReader<UploadChunk> requestStream, ServerCallContext context)
    {
        // Under one known root so a start-up clean-up can remove what a killed server left (UploadStaging).
        using var staging = UploadStaging.Create(uploadRoot);
        {
            var files = new List<ImportFileSpec>();
            FileStream? current = null;
            var dryRun = false;
            var allowShrink = false;
            DateOnly? asOf = null;
            long total = 0;
            try
            {
                await foreach (var chunk in requestStream.ReadAllAsync(context.CancellationToken))
                {
                    if (chunk.PartCase == UploadChunk.PartOneofCase.Header)
                    {
                        var header = chunk.Header;
                        if (files.Count == 0)
                        {
                            dryRun = header.DryRun;
                            allowShrink = header.AllowShrink;
                            // Refused before the file arrives: a date after today or not a date is the caller's mistake.
                            asOf = importer.CheckStated(DataImporter.ParseAsOf(header.AsOfDate, "header.as_of_date"));
                        }
                        var table = string.IsNullOrWhiteSpace(header.Table) ? Path.GetFileNameWithoutExtension(header.FileName) : header.Table;
                        // A CLD submission (cld_*.csv, any number of them) is staged as table "cld" and cleaned on import.
                        if (CldTables.IsSubmissionFile(table)) table = CldTables.Submission;
                        else if (TableSchemas.Find(table) is null)
                            throw new InvalidArgumentException("header.table", $"unknown table '{Shorten(table)}'; tables are: {string.Join(", ", TableSchemas.Names)}");
                        // As Import does: the format is the one given or the file name's extension, never a guess.
                        var format = ImportFileSpec.FormatOf(header.FileName, ToDomain(header.Format));
                        if (format == DomainFormat.Infer)
                            throw new InvalidArgumentException("header.format",
                                $"cannot tell the format of '{Shorten(header.FileName)}': name the file .csv or .parquet or set the format");
                        current?.Dispose();
                        var extension = format == DomainFormat.Parquet ? "parquet" : "csv";
                        var path = Path.Combine(staging.Directory, $"{files.Count:D3}-{table}.{extension}");
                        current = File.Create(path);
                        files.Add(new ImportFileSpec(table, path, format,
                            string.IsNullOrWhiteSpace(header.FileName) ? $"{table}.{extension}" : Path.GetFileName(header.FileName)));
                    }
                    else
                    {
                        if (current is null) throw new InvalidArgumentException("header", "the first message of an upload must be a header naming the table");
                        total += chunk.Data.Length;
                        if (total > limits.Value.MaxUploadBytes)
                            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"upload exceeds {limits.Value.MaxUploadBytes} bytes"));
                        chunk.Data.WriteTo(current);
                    }
                }
            }
            finally
            {
                current?.Dispose();
            }
            if (files.Count == 0) throw new InvalidArgumentException("header", "the upload held no files");
            var report = await Task.Run(() => importer.Import(files, dryRun, "upload: " + string.Join(", ", files.Select(f => f.Name)), allowShrink,
                    Caller.Of(context).Councils, asOf),
                context.CancellationToken);
            return ToProto(report);
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";

    public override Task<StoreStatus> GetStatus(StatusRequest request, ServerCallContext context) =>
        Task.FromResult(ToProto(status.Read(Caller.Of(context).Councils)));

    private static StoreStatus ToProto(StoreStatusReport report)
    {
        var proto = new StoreStatus { SchemaVersion = report.SchemaVersion, DatabasePath = report.DatabaseFileName };
        if (report.Snapshot is { } snapshot)
        {
            proto.SnapshotId = snapshot.SnapshotId;
            proto.AsOfDate = FinancialCalendar.Iso(snapshot.AsOfDate);
            proto.SnapshotTime = Timestamp.FromDateTime(snapshot.CreatedAt);
        }
        proto.Tables.AddRange(report.Tables.Select(t => new TableStatus
        {
            Table = t.Table, Rows = t.Rows, DateColumn = t.DateColumn ?? "", MinDate = t.MinDate ?? "", MaxDate = t.MaxDate ?? "",
        }));
        proto.Councils.AddRange(report.Councils.Select(c => new CouncilInfo { CouncilCode = c.CouncilCode, Name = c.Name, Region = c.Region }));
        return proto;
    }

    public override Task<ImportReport> GetValidationReport(ValidationReportRequest request, ServerCallContext context)
    {
        // A report quotes file contents: a key limited to some councils reads only reports of imports within them (by
        // its council scope as recorded with the report, never by what the audit trail holds); no id means the latest of those.
        var report = importer.GetReport(ProtoMapping.NullIfEmpty(request.ImportId), Caller.Of(context).Councils)
            ?? throw new KeyNotFoundException(string.IsNullOrEmpty(request.ImportId) ? "no import has run yet" : $"no import with id '{request.ImportId}'");
        return Task.FromResult(ToProto(report));
    }

    public override Task<ListSnapshotsResponse> ListSnapshots(ListSnapshotsRequest request, ServerCallContext context)
    {
        var response = new ListSnapshotsResponse();
        var allCouncils = Caller.Of(context).AllCouncils;
        foreach (var snapshot in status.Snapshots())
        {
            var s = new Snapshot
            {
                SnapshotId = snapshot.SnapshotId, CreatedAt = Timestamp.FromDateTime(snapshot.CreatedAt), Source = snapshot.Source,
                AsOfDate = FinancialCalendar.Iso(snapshot.AsOfDate),
            };
            // Row counts cover every council: only a key that may see them all gets them.
            if (allCouncils) s.TableRows.Add(new Dictionary<string, long>(snapshot.TableRows));
            response.Snapshots.Add(s);
        }
        return Task.FromResult(response);
    }

    private static DomainFormat ToDomain(FileFormat format) => format switch
    {
        FileFormat.Csv => DomainFormat.Csv,
        FileFormat.Parquet => DomainFormat.Parquet,
        _ => DomainFormat.Infer,
    };

    public static ImportReport ToProto(DomainReport report)
    {
        var proto = new ImportReport
        {
            ImportId = report.ImportId,
            Succeeded = report.Succeeded,
            DryRun = report.DryRun,
            SnapshotId = report.SnapshotId ?? "",
            CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(report.CreatedAt, DateTimeKind.Utc)),
            ErrorCount = report.ErrorCount,
            WarningCount = report.WarningCount,
            AsOfDate = report.AsOfDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
        proto.Tables.AddRange(report.Tables.Select(t => new TableCount { Table = t.Table, RowsInFile = t.RowsInFile, RowsAfter = t.RowsAfter }));
        proto.Issues.AddRange(report.Issues.Select(ToProto));
        // Reports stored before summaries and changes existed have neither.
        proto.Summaries.AddRange((report.Summaries ?? []).Select(s => new Forecasting.Contracts.V1.IssueSummary
        {
            Severity = s.Severity == IssueSeverity.Error ? Severity.Error : Severity.Warning,
            File = s.File, Column = s.Column, Rule = s.Rule, Count = s.Count, Listed = s.Listed,
        }));
        proto.Changes.AddRange((report.Changes ?? []).Select(c => new Forecasting.Contracts.V1.TableChange
        {
            Table = c.Table, CouncilCode = c.CouncilCode, RowsBefore = c.RowsBefore, RowsAdded = c.RowsAdded,
            RowsRemoved = c.RowsRemoved, RowsChanged = c.RowsChanged, RowsUnchanged = c.RowsUnchanged,
        }));
        return proto;
    }

    private static ValidationIssue ToProto(DomainIssue issue) => new()
    {
        Severity = issue.Severity == IssueSeverity.Error ? Severity.Error : Severity.Warning,
        File = issue.File,
        Row = issue.Row,
        Column = issue.Column,
        Reason = issue.Reason,
        Value = issue.Value ?? "",
    };
}
