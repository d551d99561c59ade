using System.CommandLine;
using Forecasting.Client;
using Forecasting.Contracts.V1;

namespace Forecasting.Cli.Commands;

/// <summary>status, import and upload: what the store holds and how extracts get into it.</summary>
internal static class DataCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        yield return app.Command("status", "What the store holds: tables with row counts and date ranges, councils, the current data snapshot.", StatusAsync);
        yield return Import(app);
        yield return Upload(app);
    }

    private static Option<bool> DryRun() => Opt.Flag("--dry-run", "validate only; the report still shows rows added, removed and changed");

    private static Option<bool> AllowShrink() => Opt.Flag("--allow-shrink",
        "allow a file to remove more than half of a council's rows in a table (refused otherwise, as a sign of a truncated extract)");

    private static Option<string?> AsOfDate() => Opt.Text("--as-of",
        "the date the data run to (yyyy-mm-dd, at most today; default: the current data's as-of date, or today for an empty store): rows dated after it are refused, planned dates excepted, " +
        "and every answer's default period ends at it", "DATE");

    private static async Task<int> StatusAsync(CliContext ctx, ParseResult p, CancellationToken ct)
    {
        var s = await ctx.Client.GetStatusAsync(ct);
        var table = new OutputTable(new[] { "table", "rows", "date_column", "min_date", "max_date" });
        foreach (var t in s.Tables) table.Add(t.Table, t.Rows, t.DateColumn, t.MinDate, t.MaxDate);
        var heading = new List<string>
        {
            $"server     {ctx.Server}",
            $"snapshot   {(string.IsNullOrEmpty(s.SnapshotId) ? "(none: the store is empty)" : s.SnapshotId)}{(s.SnapshotTime is { } time ? "  " + Render.Pretty(time) + " UTC" : "")}",
            $"as of      {(string.IsNullOrEmpty(s.AsOfDate) ? "-" : s.AsOfDate)}",
            $"schema     v{s.SchemaVersion}",
            $"database   {s.DatabasePath}",
        };
        heading.AddRange(s.Councils.Select(c => $"council    {c.CouncilCode}  {c.Name}{(string.IsNullOrEmpty(c.Region) ? "" : $" ({c.Region})")}"));
        ctx.Emit(s, table, heading);
        return ExitCodes.Ok;
    }

    private static Command Import(CliApp app)
    {
        var dir = Opt.Optional("DIR", "a directory on the server: every <table>.csv / <table>.parquet in it is imported");
        var file = Opt.Many("--file", "one file on the server (repeatable); TABLE defaults to the file name", "[TABLE=]PATH");
        var dryRun = DryRun();
        var allowShrink = AllowShrink();
        var asOf = AsOfDate();
        return app.Command("import",
            "Imports extract files that already sit on the server (paths as the server sees them). All files are validated together; " +
            "any error leaves the store unchanged and exits with code 1, listing the rows to fix. Needs an analyst key.",
            async (ctx, p, ct) =>
            {
                var request = new ImportRequest
                {
                    Directory = p.GetValue(dir) ?? "", DryRun = p.GetValue(dryRun), AllowShrink = p.GetValue(allowShrink), AsOfDate = p.GetValue(asOf) ?? "",
                };
                request.Files.AddRange((p.GetValue(file) ?? []).Select(f =>
                {
                    var eq = f.IndexOf('=');
                    return eq > 0 ? Proto.ImportFile(f[(eq + 1)..], f[..eq]) : Proto.ImportFile(f);
                }));
                if (request.Directory.Length == 0 && request.Files.Count == 0)
                    throw new UsageException("Name a server directory or at least one --file. For files on this machine use 'forecasting upload'.", ctx.Command);
                return Report(ctx, await ctx.Client.ImportAsync(request, ct));
            },
            dir, file, dryRun, allowShrink, asOf);
    }

    private static Command Upload(CliApp app)
    {
        var paths = new Argument<string[]>("FILE|DIR")
        {
            Description = "local extract files, or directories whose .csv and .parquet files are all uploaded",
            Arity = ArgumentArity.OneOrMore,
        };
        var tableOption = Opt.Text("--table", "the table of the one file given (default: taken from each file name)", "TABLE");
        var dryRun = DryRun();
        var allowShrink = AllowShrink();
        var asOf = AsOfDate();
        return app.Command("upload",
            "Streams local extract files to the server in chunks and imports them together. Needs an analyst key.",
            async (ctx, p, ct) =>
            {
                var files = new List<LocalFile>();
                foreach (var path in p.GetValue(paths) ?? [])
                {
                    if (Directory.Exists(path))
                    {
                        var found = Directory.EnumerateFiles(path)
                            .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
                            .OrderBy(f => f, StringComparer.Ordinal)
                            .ToList();
                        if (found.Count == 0) throw new UsageException($"No .csv or .parquet files in directory '{path}'.", ctx.Command);
                        files.AddRange(found.Select(f => new LocalFile(f)));
                    }
                    else if (File.Exists(path))
                    {
                        files.Add(new LocalFile(path));
                    }
                    else
                    {
                        throw new UsageException($"No such file or directory: '{path}'.", ctx.Command);
                    }
                }

                if (p.GetValue(tableOption) is { } table)
                {
                    if (files.Count != 1) throw new UsageException("--table applies to a single file; name the files after their tables instead.", ctx.Command);
                    files[0] = files[0] with { Table = table };
                }

                return Report(ctx, await ctx.Client.UploadAsync(files, p.GetValue(dryRun), p.GetValue(allowShrink), p.GetValue(asOf), ct));
            },
            paths, tableOption, dryRun, allowShrink, asOf);
    }

    private static int Report(CliContext ctx, ImportReport r)
    {
        var counts = new OutputTable(new[] { "table", "rows_in_file", "rows_after" });
        foreach (var t in r.Tables) counts.Add(t.Table, t.RowsInFile, t.RowsAfter);
        var issues = new OutputTable(new[] { "severity", "file", "row", "column", "reason", "value" });
        foreach (var i in r.Issues) issues.Add(Severity(i.Severity), i.File, i.Row, i.Column, i.Reason, i.Value);
        var outcome = r.Succeeded
            ? r.DryRun ? "dry run: the files are valid; nothing was changed" : $"imported: snapshot {r.SnapshotId}"
            : "failed validation: the store is unchanged";
        var heading = new[]
        {
            $"import     {r.ImportId}",
            $"result     {outcome}",
            $"as of      {r.AsOfDate}",
            $"issues     {r.ErrorCount} errors, {r.WarningCount} warnings{(r.Issues.Count < r.ErrorCount + r.WarningCount ? $" (first {r.Issues.Count} listed)" : "")}",
        };
        var changes = new OutputTable(new[] { "table", "council_code", "rows_before", "added", "removed", "changed", "unchanged" });
        foreach (var c in r.Changes) changes.Add(c.Table, c.CouncilCode, c.RowsBefore, c.RowsAdded, c.RowsRemoved, c.RowsChanged, c.RowsUnchanged);
        var sections = new List<(string, OutputTable)>();
        if (r.Changes.Count > 0) sections.Add(("Changes", changes));
        if (r.Issues.Count > 0) sections.Add(("Issues", issues));
        ctx.Emit(r, counts, heading, sections);
        if (r.Succeeded) return ExitCodes.Ok;
        ctx.Err.WriteLine($"error: the import failed validation with {r.ErrorCount} errors; the store is unchanged. Fix the rows listed and import again.");
        if (r.Issues.Any(i => i.Reason.Contains("allow_shrink", StringComparison.Ordinal)))
            ctx.Err.WriteLine("hint: if the smaller file is intended, import again with --allow-shrink.");
        return ExitCodes.ServerError;
    }

    private static string Severity(Severity severity) => severity switch
    {
        Contracts.V1.Severity.Error => "error",
        Contracts.V1.Severity.Warning => "warning",
        _ => "unspecified",
    };
}
