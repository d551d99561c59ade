using Forecasting.Store.Import.Cld;
using Forecasting.Store.Import;

namespace Forecasting.Web.Dashboard;

/// <summary>The bounds the API's Upload applies, given by the host from its own limits so the pages apply the same ones.</summary>
/// <param name="MaxUploadBytes">Most bytes one upload may hold, over all its files.</param>
/// <param name="UploadDirectory">Root of the upload staging directories (null = the default under the system temp directory).</param>
public sealed record WebUploadLimits(long MaxUploadBytes, string? UploadDirectory);

/// <summary>
/// One uploaded file as the page received it: its name (which names the table), its contents and, when the form reader
/// staged it already (under the same upload root), where it waits, so it is moved instead of copied.
/// </summary>
public sealed record UploadedFile(string FileName, long Length, Func<Stream> Open, string? StagedPath = null);

/// <summary>
/// Imports files uploaded from the pages exactly as the API's <c>Upload</c> does: the table is the file's name, the
/// format its extension, the files are staged under the same root, and <see cref="DataImporter"/> validates and loads
/// them all or nothing, limited to the councils of the user's key.
/// </summary>
public sealed class WebImports(DataImporter importer, WebUploadLimits limits)
{
    public long MaxUploadBytes => limits.MaxUploadBytes;

    /// <exception cref="Forecasting.Domain.InvalidArgumentException">No file, an unknown table, an unknown format or too many bytes, with the API's reason.</exception>
    /// <param name="asOfDate">The date the data run to, yyyy-mm-dd (at most today); null or empty = the current snapshot's (today for an empty store).</param>
    public async Task<ImportReport> Upload(IReadOnlyList<UploadedFile> uploaded, bool dryRun, bool allowShrink, IReadOnlyCollection<string>? councils,
        CancellationToken ct, string? asOfDate = null)
    {
        var asOf = importer.CheckStated(DataImporter.ParseAsOf(asOfDate));
        if (uploaded.Count == 0) throw new Forecasting.Domain.InvalidArgumentException("files", "the upload held no files: choose at least one file");
        if (uploaded.Sum(f => f.Length) > limits.MaxUploadBytes)
            throw new Forecasting.Domain.InvalidArgumentException("files", $"upload exceeds {limits.MaxUploadBytes} bytes");
        using var staging = UploadStaging.Create(limits.UploadDirectory ?? UploadStaging.DefaultRoot);
        var files = new List<ImportFileSpec>();
        foreach (var file in uploaded)
        {
            var name = Path.GetFileName(file.FileName);
            var table = Path.GetFileNameWithoutExtension(name);
            // A CLD submission (cld_*.csv, any number of them) is staged as table "cld" and cleaned on import.
            if (CldTables.IsSubmissionFile(table)) table = CldTables.Submission;
            else if (TableSchemas.Find(table) is null)
                throw new Forecasting.Domain.InvalidArgumentException("header.table",
                    $"unknown table '{Shorten(table)}'; tables are: {string.Join(", ", TableSchemas.Names)}");
            var format = ImportFileSpec.FormatOf(name, FileFormat.Infer);
            if (format == FileFormat.Infer)
                throw new Forecasting.Domain.InvalidArgumentException("header.format",
                    $"cannot tell the format of '{Shorten(name)}': name the file .csv or .parquet or set the format");
            var extension = format == FileFormat.Parquet ? "parquet" : "csv";
            var path = Path.Combine(staging.Directory, $"{files.Count:D3}-{table}.{extension}");
            if (file.StagedPath is { } staged && File.Exists(staged))
                File.Move(staged, path);
            else
            {
                await using var target = File.Create(path);
                await using var source = file.Open();
                await source.CopyToAsync(target, ct);
            }
            files.Add(new ImportFileSpec(table, path, format, name));
        }
        return await Task.Run(() => importer.Import(files, dryRun, "upload: " + string.Join(", ", files.Select(f => f.Name)), allowShrink, councils, asOf), ct);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
