using System.Text.Json;
using Forecasting.Client;
using Google.Protobuf;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Cli;

public static partial class Commands
{
    /// <summary>A financial year by its starting calendar year as 2024/25; a plain year stays as it is.</summary>
    private static string Year(int startYear) => startYear <= 0 ? "" : startYear.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string FinancialYear(int startYear) => startYear <= 0 ? "" : $"{startYear}/{(startYear + 1) % 100:00}";

    // ---------- data ----------

    private static async Task<int> StatusAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        var s = await ctx.Client.GetStatusAsync(ct);
        var table = new OutputTable(new[] { "table", "rows", "date_column", "min_date", "max_date" });
        foreach (var t in s.Tables) table.Add(t.Table, t.Rows, t.DateColumn, t.MinDate, t.MaxDate);
        var heading = new List<string>
        {
            $"server     {ctx.Server}",
            $"snapshot   {(string.IsNullOrEmpty(s.SnapshotId) ? "(none: the store is empty)" : s.SnapshotId)}{(s.SnapshotTime is { } time ? "  " + Render.Pretty(time) + " UTC" : "")}",
            $"schema     v{s.SchemaVersion}",
            $"database   {s.DatabasePath}",
        };
        heading.AddRange(s.Councils.Select(c => $"council    {c.CouncilCode}  {c.Name}{(string.IsNullOrEmpty(c.Region) ? "" : $" ({c.Region})")}"));
        ctx.Emit(s, table, heading);
        return ExitCodes.Ok;
    }

    private static int ReportImport(CliContext ctx, ImportOutcome r)
    {
        var counts = new OutputTable(new[] { "table", "rows_in_file", "rows_after" });
        foreach (var t in r.Tables) counts.Add(t.Table, t.RowsInFile, t.RowsAfter);
        var issues = new OutputTable(new[] { "severity", "file", "row", "column", "reason", "value" });
        foreach (var i in r.Issues) issues.Add(i.Severity, i.File, i.Row, i.Column, i.Reason, i.Value);
        var outcome = r.Succeeded
            ? r.DryRun ? "dry run: the files are valid; nothing was changed" : $"imported: snapshot {r.SnapshotId}"
            : "failed validation: the store is unchanged";
        var heading = new[]
        {
            $"import     {r.ImportId}",
            $"result     {outcome}",
            $"issues     {r.ErrorCount} errors, {r.WarningCount} warnings{(r.Issues.Count < r.ErrorCount + r.WarningCount ? $" (first {r.Issues.Count} listed)" : "")}",
        };
        var changes = new OutputTable(new[] { "table", "council_code", "rows_before", "added", "removed", "changed", "unchanged" });
        foreach (var c in r.Changes) changes.Add(c.Table, c.CouncilCode, c.RowsBefore, c.RowsAdded, c.RowsRemoved, c.RowsChanged, c.RowsUnchanged);
        var sections = new List<(string, OutputTable)>();
        if (r.Changes.Count > 0) sections.Add(("Changes", changes));
        if (r.Issues.Count > 0) sections.Add(("Issues", issues));
        ctx.Emit(r, counts, heading, sections.Count > 0 ? sections.ToArray() : null);
        if (r.Succeeded) return ExitCodes.Ok;
        ctx.Err.WriteLine($"error: the import failed validation with {r.ErrorCount} errors; the store is unchanged. Fix the rows listed and import again.");
        if (r.Issues.Any(i => i.Reason.Contains("allow_shrink", StringComparison.Ordinal)))
            ctx.Err.WriteLine("hint: if the smaller file is intended, import again with --allow-shrink.");
        return ExitCodes.ServerError;
    }

    private static async Task<int> ImportAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        if (a.Positionals.Count > 1) throw new UsageException($"Give at most one server directory; got '{a.Positionals[1]}' too. Use --file for single files.", ctx.Command);
        var dir = a.Positionals.FirstOrDefault();
        var files = a.All("file").Select(f =>
        {
            var eq = f.IndexOf('=');
            return eq > 0 ? new ServerFile(f[(eq + 1)..], f[..eq]) : new ServerFile(f);
        }).ToList();
        if (dir is null && files.Count == 0)
            throw new UsageException("Name a server directory or at least one --file. For files on this machine use 'forecasting upload'.", ctx.Command);
        var r = await ctx.Client.ImportAsync(dir, files, a.Has("dry-run"), ct, allowShrink: a.Has("allow-shrink"));
        return ReportImport(ctx, r);
    }

    private static async Task<int> UploadAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        if (a.Positionals.Count == 0) throw new UsageException("Name the files or directory to upload.", ctx.Command);
        var files = new List<LocalFile>();
        foreach (var p in a.Positionals)
        {
            if (Directory.Exists(p))
            {
                var found = Directory.EnumerateFiles(p)
                    .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0) throw new UsageException($"No .csv or .parquet files in directory '{p}'.", ctx.Command);
                files.AddRange(found.Select(f => new LocalFile(f)));
            }
            else if (File.Exists(p))
            {
                files.Add(new LocalFile(p));
            }
            else
            {
                throw new UsageException($"No such file or directory: '{p}'.", ctx.Command);
            }
        }

        var table = a.Get("table");
        if (table is not null)
        {
            if (files.Count != 1) throw new UsageException("--table applies to a single file; name the files after their tables instead.", ctx.Command);
            files[0] = files[0] with { Table = table };
        }

        var r = await ctx.Client.UploadAsync(files, a.Has("dry-run"), ct, allowShrink: a.Has("allow-shrink"));
        return ReportImport(ctx, r);
    }

    // ---------- analytics ----------

    private static async Task<int> SeriesAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var metric = One(a, "METRIC (contacts, admissions, leavers, new_tenancies, reaching_18)", ctx.Command);
        var q = Selector(ctx, a, metric);
        var r = await ctx.Client.GetFlowSeriesAsync(q, ct);
        var keyCols = KeyColumns(r.Groups.Select(g => g.Key), q.Breakdown);
        var table = new OutputTable(keyCols.Concat(new[] { "period", "start", "value", "year_to_date" }));
        foreach (var g in r.Groups)
            foreach (var p in g.Points)
                table.Add(keyCols.Select(c => (object?)Cell(g.Key, c)).Concat(new object?[] { p.Label, p.Start, p.Value, p.YearToDate }).ToArray());
        var grain = r.Grain switch { TimeGrain.Quarter => "quarter", TimeGrain.FinancialYear => "financial year", _ => "month" };
        ctx.Emit(r, table, new[] { $"{r.Metric} per {grain}  (snapshot {r.SnapshotId})" });
        return ExitCodes.Ok;
    }

    private static async Task<int> RatesAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var metric = One(a, "METRIC (admissions or contacts)", ctx.Command);
        var age = a.Get("age") ?? throw new UsageException("--age is required: 18-64 or 65+.", ctx.Command);
        var q = new RateQuery(Selector(ctx, a, metric), age) { PopulationVariant = a.Get("variant") };
        var r = await ctx.Client.GetRatesAsync(q, ct);
        var keyCols = KeyColumns(r.Groups.Select(g => g.Key), q.Series.Breakdown);
        var table = new OutputTable(keyCols.Concat(new[] { "period", "count", "population", "population_year", "rate_per_100k" }));
        foreach (var g in r.Groups)
            foreach (var p in g.Points)
                table.Add(keyCols.Select(c => (object?)Cell(g.Key, c)).Concat(new object?[] { p.Label, p.Count, p.Population, Year(p.PopulationYear), p.RatePer100k }).ToArray());
        ctx.Emit(r, table, new[] { $"{r.Metric} per 100,000 aged {r.AgeGroup}", $"denominator: {r.Denominator}" });
        return ExitCodes.Ok;
    }

    private static void EmitTable(CliContext ctx, TableResult r)
    {
        var dimCols = KeyColumns(r.Rows.Select(x => x.Dimensions), r.DimensionNames);
        var measureCols = r.MeasureNames.ToList();
        foreach (var row in r.Rows)
            foreach (var m in row.Measures.Keys)
                if (!measureCols.Contains(m)) measureCols.Add(m);
        var table = new OutputTable(dimCols.Concat(measureCols));
        foreach (var row in r.Rows)
            table.Add(dimCols.Select(c => (object?)Cell(row.Dimensions, c))
                .Concat(measureCols.Select(m => (object?)(row.Measures.TryGetValue(m, out var v) ? v : null))).ToArray());
        var heading = new List<string> { r.Title };
        if (!string.IsNullOrEmpty(r.AsOf)) heading.Add($"as of {r.AsOf}");
        ctx.Emit(r, table, heading.Where(h => !string.IsNullOrEmpty(h)));
    }

    private static async Task<int> StockAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var measure = One(a, "MEASURE (units, waiting_list, residential_care)", ctx.Command);
        var r = await ctx.Client.GetStockSnapshotAsync(new StockQuery(measure)
        {
            CouncilCode = ctx.Council,
            AsOf = a.GetDate("as-of", ctx.Command),
            Filters = a.GetFilters(ctx.Command),
            Breakdown = a.AllSplit("by"),
        }, ct);
        EmitTable(ctx, r);
        return ExitCodes.Ok;
    }

    private static async Task<int> TransitionsAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        var r = await ctx.Client.GetTransitionsCohortAsync(new TransitionsQuery
        {
            CouncilCode = ctx.Council,
            FromFy = a.GetInt("from-fy", ctx.Command) ?? 0,
            ToFy = a.GetInt("to-fy", ctx.Command) ?? 0,
            Filters = a.GetFilters(ctx.Command),
            Breakdown = a.AllSplit("by"),
        }, ct);
        EmitTable(ctx, r);
        return ExitCodes.Ok;
    }

    private static async Task<int> PipelineAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        var r = await ctx.Client.GetPipelineAsync(new PipelineQuery
        {
            CouncilCode = ctx.Council,
            Filters = a.GetFilters(ctx.Command),
            Breakdown = a.AllSplit("by"),
        }, ct);
        EmitTable(ctx, r);
        return ExitCodes.Ok;
    }

    // ---------- forecasts ----------

    private static async Task<int> ForecastAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var metric = One(a, "METRIC (contacts, admissions, leavers, new_tenancies, reaching_18)", ctx.Command);
        var horizon = a.GetInt("horizon", ctx.Command) ?? 0;
        if (horizon < 0) throw new UsageException("--horizon must be 1 or more periods.", ctx.Command);
        var q = new ForecastQuery(Selector(ctx, a, metric))
        {
            Horizon = horizon,
            UntilFy = a.Get("until"),
            Model = a.Get("model"),
            Levels = a.GetDoubles("levels", ctx.Command),
            BreakDate = a.GetDate("break-date", ctx.Command),
        };
        var r = await ctx.Client.ForecastAsync(q, ct);
        var history = a.Has("history");
        var keyCols = KeyColumns(r.Series.Select(s => s.Key), q.Series.Breakdown);
        var levels = r.Series.SelectMany(s => s.Points).SelectMany(p => p.Intervals).Select(i => i.Level).Distinct().OrderBy(x => x).ToList();
        var cols = keyCols.Concat(new[] { "model", "period", "start" }).ToList();
        if (history) cols.Add("kind");
        cols.Add("mean");
        foreach (var l in levels) { cols.Add($"lower_{Level(l)}"); cols.Add($"upper_{Level(l)}"); }
        var table = new OutputTable(cols);
        foreach (var s in r.Series)
        {
            var key = keyCols.Select(c => (object?)Cell(s.Key, c)).ToList();
            if (history)
                foreach (var h in s.History)
                    table.Add(key.Concat(new object?[] { s.Model, h.Label, h.Start, "actual", h.Value }).Concat(levels.SelectMany(_ => new object?[] { null, null })).ToArray());
            foreach (var p in s.Points)
            {
                var row = key.Concat(new object?[] { s.Model, p.Label, p.Start }).ToList();
                if (history) row.Add("forecast");
                row.Add(p.Mean);
                foreach (var l in levels)
                {
                    var iv = p.Intervals.FirstOrDefault(i => i.Level == l);
                    row.Add(iv?.Lower);
                    row.Add(iv?.Upper);
                }

                table.Add(row.ToArray());
            }
        }

        var heading = new List<string> { $"run {r.RunId}  snapshot {r.SnapshotId}  {r.Seconds:0.0}s" };
        foreach (var s in r.Series)
        {
            var score = s.Backtest?.Chosen;
            var label = s.Key.Count == 0 ? s.Metric : $"{s.Metric} {TextHelpers.Key(s.Key)}";
            heading.Add($"{label}: model {s.Model}" + (score is null ? "" : $", backtest MAE {Render.Pretty(score.Mae)}, sMAPE {Render.Pretty(score.Smape)}"));
            heading.AddRange(s.Notes.Select(n => $"  note: {n}"));
        }

        ctx.Emit(r, table, heading);
        return ExitCodes.Ok;
    }

    private static async Task<int> RefreshAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        var bar = ctx.Progress("refresh");
        RefreshUpdate? last = null;
        try
        {
            await foreach (var u in ctx.Client.RefreshAsync(ctx.Council, a.Get("until"), a.GetDoubles("levels", ctx.Command), ct))
            {
                last = u;
                bar.Update(u.Done, u.Total, u.Current);
            }
        }
        finally
        {
            bar.Finish();
        }

        if (last is null || string.IsNullOrEmpty(last.RunId))
        {
            ctx.Err.WriteLine("error: the refresh ended without a run id; see the server log. Nothing was stored.");
            return ExitCodes.ServerError;
        }

        var table = new OutputTable(new[] { "run_id", "series_done", "series_total" }).Add(last.RunId, last.Done, last.Total);
        ctx.Emit(last, table);
        return ExitCodes.Ok;
    }

    private static async Task<int> RunsAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        var runs = await ctx.Client.ListRunsAsync(a.GetInt("limit", ctx.Command) ?? 0, ct);
        var table = new OutputTable(new[] { "run_id", "kind", "created_at", "snapshot_id", "series" });
        foreach (var r in runs) table.Add(r.RunId, r.Kind, r.CreatedAt, r.SnapshotId, r.SeriesCount);
        ctx.Emit(runs, table);
        return ExitCodes.Ok;
    }

    private static async Task<int> AuditAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        DateTimeOffset? since = null;
        if (a.Get("since") is { } text)
            since = DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed : throw new UsageException($"--since '{text}' is not a date like 2025-04-01 or 2025-04-01T09:00:00Z.", ctx.Command);
        var events = await ctx.Client.ListAuditEventsAsync(new AuditQuery(since, a.Get("key"), a.Get("method"), a.GetInt("limit", ctx.Command) ?? 0), ct);
        var table = new OutputTable(new[] { "at", "key", "role", "method", "council", "target", "outcome", "seconds", "correlation_id" });
        foreach (var e in events)
            table.Add(e.At, e.KeyName, e.Role, e.Method[(e.Method.LastIndexOf('/') + 1)..], e.CouncilCode, e.Target, e.Outcome,
                Math.Round(e.Seconds, 2), e.CorrelationId);
        ctx.Emit(events, table);
        return ExitCodes.Ok;
    }

    private static async Task<int> AccuracyAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        if (a.Positionals.Count > 1) throw new UsageException($"Unexpected argument '{a.Positionals[1]}'.", ctx.Command);
        var runId = a.Positionals.FirstOrDefault();
        if (runId is null)
        {
            var runs = await ctx.Client.ListRunsAsync(0, ct);
            var chosen = runs.Where(r => r.Kind == "refresh").OrderByDescending(r => r.CreatedAt).FirstOrDefault()
                         ?? runs.OrderByDescending(r => r.CreatedAt).FirstOrDefault();
            runId = chosen?.RunId ?? throw new UsageException("No forecast run is stored yet: run 'forecasting refresh' first.", ctx.Command);
        }

        var run = await ctx.Client.GetRunAsync(runId, ct);
        var levels = run.Series.Select(s => s.Backtest?.Chosen).Where(c => c is not null)
            .SelectMany(c => c!.Coverage.Keys).Distinct().OrderBy(k => double.TryParse(k, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0).ToList();
        var cols = new List<string> { "series", "model", "origins", "horizon", "mae", "rmse", "smape", "mase" };
        cols.AddRange(levels.Select(l => $"coverage_{l}"));
        var table = new OutputTable(cols);
        foreach (var s in run.Series)
        {
            var b = s.Backtest;
            var c = b?.Chosen;
            var label = s.Key.Count == 0 ? s.Metric : $"{s.Metric} {TextHelpers.Key(s.Key)}";
            var row = new List<object?> { label, s.Model, b?.Origins, b?.Horizon, c?.Mae, c?.Rmse, c?.Smape, c?.Mase };
            row.AddRange(levels.Select(l => (object?)(c is not null && c.Coverage.TryGetValue(l, out var v) ? v : null)));
            table.Add(row.ToArray());
        }

        ctx.Emit(run, table, new[] { $"run {run.RunId} ({run.Kind})  snapshot {run.SnapshotId}" });
        return ExitCodes.Ok;
    }

    private static async Task<int> YearEndAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var metric = One(a, "METRIC (contacts, admissions, ...)", ctx.Command);
        var q = new YearEndQuery(Selector(ctx, a, metric) with { Grain = TimeGrain.Month })
        {
            FinancialYear = a.Get("fy"),
            MonthsElapsed = a.GetInt("months", ctx.Command) ?? 0,
            Levels = a.GetDoubles("levels", ctx.Command),
        };
        var r = await ctx.Client.EstimateYearEndAsync(q, ct);
        var cols = new List<string> { "financial_year", "months_elapsed", "year_to_date", "estimate" };
        var row = new List<object?> { r.FinancialYear, r.MonthsElapsed, r.YearToDate, r.Estimate };
        foreach (var i in r.Intervals.OrderBy(i => i.Level))
        {
            cols.Add($"lower_{Level(i.Level)}"); row.Add(i.Lower);
            cols.Add($"upper_{Level(i.Level)}"); row.Add(i.Upper);
        }

        cols.Add("actual"); row.Add(r.Actual);
        var table = new OutputTable(cols).Add(row.ToArray());
        ctx.Emit(r, table, new[] { $"{metric}: estimated end of {r.FinancialYear}  ({r.Method})" });
        return ExitCodes.Ok;
    }

    // ---------- strategies ----------

    private static async Task<int> StrategyListAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        var list = await ctx.Client.ListStrategiesAsync(await ctx.RequireCouncilAsync(ct), ct);
        var table = new OutputTable(new[] { "council", "strategy_id", "version", "name", "start_fy", "end_fy", "client_group", "total_target", "author", "reason" });
        foreach (var s in list)
            table.Add(s.CouncilCode, s.StrategyId, s.Version, s.Name, FinancialYear(s.StartFy), FinancialYear(s.EndFy),
                string.IsNullOrEmpty(s.ClientGroup) ? "all" : s.ClientGroup, s.TotalTarget, s.Author, s.Reason);
        ctx.Emit(list, table);
        return ExitCodes.Ok;
    }

    private static async Task<int> StrategyVersionAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var id = One(a, "STRATEGY_ID (see 'forecasting strategy list')", ctx.Command);
        var reason = a.Get("reason") ?? throw new UsageException("Say why the targets change with --reason.", ctx.Command);
        var phases = a.All("phase").Select(spec =>
        {
            var parts = spec.Split(',').Select(p => p.Trim()).ToArray();
            if (parts.Length != 4 || !int.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var units))
                throw new UsageException($"--phase '{spec}' is not NAME,FROM_FY,TO_FY,UNITS (e.g. \"Phase 1,2025/26,2027/28,120\").", ctx.Command);
            return new StrategyPhaseDraft(parts[0], ParseFinancialYear(parts[1], "--phase", ctx.Command), ParseFinancialYear(parts[2], "--phase", ctx.Command), units);
        }).ToList();
        var targets = a.All("target").Select(spec =>
        {
            var parts = spec.Split(',').Select(p => p.Trim()).ToArray();
            if (parts.Length != 3 || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var units))
                throw new UsageException($"--target '{spec}' is not GROUP,FY,UNITS (e.g. \"ld_autism,2025/26,40\" or \"mental_health,period,100\").", ctx.Command);
            var fy = parts[1] == "period" ? 0 : ParseFinancialYear(parts[1], "--target", ctx.Command);
            return new StrategyTargetDraft(parts[0], fy, units);
        }).ToList();
        if (phases.Count == 0 && targets.Count == 0)
            throw new UsageException("Give the new targets with one --phase per phase and/or one --target per client group and year.", ctx.Command);
        var draft = new StrategyVersionDraft(id, reason, phases)
        {
            Targets = targets,
            CouncilCode = await ctx.RequireCouncilAsync(ct),
            Name = a.Get("name"),
            StartFy = a.Get("from") is { } from ? ParseFinancialYear(from, "--from", ctx.Command) : 0,
            EndFy = a.Get("to") is { } to ? ParseFinancialYear(to, "--to", ctx.Command) : 0,
        };
        var s = await ctx.Client.CreateStrategyVersionAsync(draft, ct);
        var table = new OutputTable(new[] { "phase", "start_fy", "end_fy", "unit_target", "cumulative_target" });
        foreach (var p in s.Phases) table.Add(p.Name, FinancialYear(p.StartFy), FinancialYear(p.EndFy), p.UnitTarget, p.CumulativeTarget);
        ctx.Emit(s, table, new[]
        {
            $"created {s.StrategyId} v{s.Version} ({s.CouncilCode}): total target {s.TotalTarget} units, {FinancialYear(s.StartFy)} to {FinancialYear(s.EndFy)}",
            $"by {s.Author}: {s.Reason}",
        }, TargetsSection(s));
        return ExitCodes.Ok;
    }

    /// <summary>The version's targets per client group and year, when it has any.</summary>
    private static (string, OutputTable)[]? TargetsSection(StrategyInfo s)
    {
        if (s.Targets.Count == 0) return null;
        var table = new OutputTable(new[] { "client_group", "fy", "unit_target" });
        foreach (var t in s.Targets) table.Add(t.ClientGroup, t.Fy == 0 ? "period" : FinancialYear(t.Fy), t.UnitTarget);
        return new[] { ("Targets per client group and year (period = over the whole strategy, accrued per year)", table) };
    }

    /// <summary>"2025/26" to 2025: two consecutive years, as everywhere else in the service.</summary>
    private static int ParseFinancialYear(string label, string option, string command)
    {
        var parts = label.Split('/');
        if (parts.Length == 2 && parts[0].Length == 4 && parts[1].Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var next)
            && (year + 1) % 100 == next)
            return year;
        throw new UsageException($"{option}: '{label}' is not a financial year like 2025/26.", command);
    }

    private static async Task<int> StrategyShowAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var id = One(a, "STRATEGY_ID (see 'forecasting strategy list')", ctx.Command);
        var council = await ctx.RequireCouncilAsync(ct);
        var s = await ctx.Client.GetStrategyAsync(council, id, a.GetInt("version", ctx.Command) ?? 0, ct);
        var table = new OutputTable(new[] { "phase", "start_fy", "end_fy", "unit_target", "cumulative_target" });
        foreach (var p in s.Phases) table.Add(p.Name, FinancialYear(p.StartFy), FinancialYear(p.EndFy), p.UnitTarget, p.CumulativeTarget);
        ctx.Emit(s, table, new[]
        {
            $"{s.Name}  ({s.StrategyId} v{s.Version}, {s.CouncilCode})",
            $"period {FinancialYear(s.StartFy)} to {FinancialYear(s.EndFy)}; client group {(string.IsNullOrEmpty(s.ClientGroup) ? "all" : s.ClientGroup)}; total target {s.TotalTarget} units",
            $"by {s.Author}: {s.Reason}",
        }, TargetsSection(s));
        return ExitCodes.Ok;
    }

    // ---------- scenarios ----------

    /// <summary>Reads a CreateScenarioRequest, or a bare ScenarioLevers, in protobuf JSON form.</summary>
    public static V1.CreateScenarioRequest ReadScenarioFile(string path, string? command = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"Scenario file not found: '{path}'.", command);
        }

        bool isRequest;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new UsageException($"{path}: the file must hold one JSON object.", command);
            var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
            isRequest = names.Overlaps(new[] { "name", "description", "levers", "councilCode", "council_code" });
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not valid JSON: {e.Message}", command);
        }

        try
        {
            return isRequest
                ? JsonParser.Default.Parse<V1.CreateScenarioRequest>(text)
                : new V1.CreateScenarioRequest { Levers = JsonParser.Default.Parse<V1.ScenarioLevers>(text) };
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new UsageException(
                $"{path}: {e.Message} The file must be a forecasting.v1.CreateScenarioRequest ({{\"name\", \"description\", \"levers\"}}) or a forecasting.v1.ScenarioLevers object in protobuf JSON form (lowerCamelCase field names such as \"contactsGrowthPct\").",
                command);
        }
    }

    private static OutputTable ScenarioTable(IEnumerable<ScenarioInfo> list)
    {
        var table = new OutputTable(new[] { "scenario_id", "name", "revision", "council", "author", "created_at", "deleted", "description" });
        foreach (var s in list) table.Add(s.ScenarioId, s.Name, s.Revision, s.CouncilCode, s.Author, s.CreatedAt, s.Deleted, s.Description);
        return table;
    }

    private static async Task<int> ScenarioCreateAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        var file = a.Get("file") ?? throw new UsageException("--file scenario.json is required.", ctx.Command);
        var request = ReadScenarioFile(file, ctx.Command);
        if (a.Get("name") is { } name) request.Name = name;
        if (a.Get("description") is { } description) request.Description = description;
        if (string.IsNullOrWhiteSpace(request.Name))
            throw new UsageException("The scenario needs a name: put \"name\" in the file or pass --name.", ctx.Command);
        if (string.IsNullOrEmpty(request.CouncilCode)) request.CouncilCode = await ctx.RequireCouncilAsync(ct);
        var s = await ctx.Client.CreateScenarioAsync(ProtoMapping.FromProto(request), ct);
        ctx.Emit(s, ScenarioTable(new[] { s }));
        return ExitCodes.Ok;
    }

    private static async Task<int> ScenarioUpdateAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var id = One(a, "SCENARIO_ID", ctx.Command);
        var file = a.Get("file") ?? throw new UsageException("--file scenario.json is required.", ctx.Command);
        var request = ReadScenarioFile(file, ctx.Command);
        if (a.Get("name") is { } name) request.Name = name;
        if (a.Get("description") is { } description) request.Description = description;
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrEmpty(request.Description))
        {
            var current = await ctx.Client.GetScenarioAsync(id, 0, ct);
            if (string.IsNullOrWhiteSpace(request.Name)) request.Name = current.Name;
            if (string.IsNullOrEmpty(request.Description)) request.Description = current.Description;
        }

        var s = await ctx.Client.UpdateScenarioAsync(id, ProtoMapping.FromProto(request), ct);
        ctx.Emit(s, ScenarioTable(new[] { s }));
        return ExitCodes.Ok;
    }

    private static async Task<int> ScenarioListAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        NoPositionals(a, ctx.Command);
        var list = await ctx.Client.ListScenariosAsync(await ctx.RequireCouncilAsync(ct), a.Has("deleted"), ct);
        ctx.Emit(list, ScenarioTable(list));
        return ExitCodes.Ok;
    }

    private static async Task<int> ScenarioShowAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var id = One(a, "SCENARIO_ID (see 'forecasting scenario list')", ctx.Command);
        var s = await ctx.Client.GetScenarioAsync(id, a.GetInt("revision", ctx.Command) ?? 0, ct);
        if (ctx.Format == OutputFormat.Table)
        {
            Render.WriteTable(ctx.Out, ScenarioTable(new[] { s }));
            ctx.Out.WriteLine();
            ctx.Out.WriteLine("levers (protobuf JSON):");
            var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithIndentation());
            ctx.Out.WriteLine(formatter.Format(ProtoMapping.ToProto(s.Levers)));
        }
        else
        {
            ctx.Emit(s, ScenarioTable(new[] { s }));
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ScenarioDeleteAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        var id = One(a, "SCENARIO_ID", ctx.Command);
        await ctx.Client.DeleteScenarioAsync(id, ct);
        var table = new OutputTable(new[] { "scenario_id", "deleted" }).Add(id, true);
        ctx.Emit(new { scenarioId = id, deleted = true }, table);
        return ExitCodes.Ok;
    }

    private static OutputTable ShortfallTable(ScenarioOutcome r, string? group)
    {
        var table = new OutputTable(new[]
        {
            "fy", "client_group", "demand", "supply", "shortfall_in_year", "shortfall_cumulative",
            "p10", "p50", "p90", "prob_shortfall", "sum_of_group_gaps", "target_cumulative",
        });
        foreach (var y in r.Years.Where(y => group is null || y.ClientGroup == group))
        {
            var d = y.ShortfallDistribution;
            table.Add(y.FyLabel, y.ClientGroup, y.Demand, y.Supply, y.ShortfallInYear, y.ShortfallCumulative,
                d?.P10, d?.P50, d?.P90, d?.ProbabilityPositive, y.SumOfGroupGaps, y.TargetCumulative);
        }

        return table;
    }

    /// <summary>People per year: demand at the start, arrivals, exits, removals, Shared Lives and demand at the end (they reconcile).</summary>
    private static OutputTable StockFlowTable(ScenarioOutcome r, string group)
    {
        var table = new OutputTable(new[]
        {
            "fy", "client_group", "opening_demand", "need_arising", "cohort_arrivals", "exits", "waiting_list_removals", "shared_lives",
            "closing_demand", "lettings", "housed", "waiting",
        });
        foreach (var y in r.Years.Where(y => y.ClientGroup == group))
        {
            var demand = y.Reconciliation.FirstOrDefault(x => x.Stock == "demand");
            var housed = y.Reconciliation.FirstOrDefault(x => x.Stock == "housed");
            var waiting = y.Reconciliation.FirstOrDefault(x => x.Stock == "waiting");
            if (demand is null || housed is null || waiting is null) continue;
            var arising = y.Flows.GetValueOrDefault("need_arising");
            table.Add(y.FyLabel, y.ClientGroup, demand.Opening, arising, demand.Inflows - arising, y.Flows.GetValueOrDefault("exits"),
                y.Flows.GetValueOrDefault("waiting_list_removals"), y.Flows.GetValueOrDefault("shared_lives_placements"), demand.Closing,
                y.Flows.GetValueOrDefault("lettings"), housed.Closing, waiting.Closing);
        }
        return table;
    }

    private static async Task<int> ScenarioRunAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        if (a.Positionals.Count > 1) throw new UsageException($"Unexpected argument '{a.Positionals[1]}'.", ctx.Command);
        var id = a.Positionals.FirstOrDefault();
        if (id is "baseline") id = null;
        var request = new ScenarioRunRequest
        {
            ScenarioId = id,
            Revision = a.GetInt("revision", ctx.Command) ?? 0,
            CouncilCode = id is null ? await ctx.RequireCouncilAsync(ct) : ctx.Council,
            Draws = a.GetInt("draws", ctx.Command) ?? 0,
            Seed = a.GetLong("seed", ctx.Command) ?? 0,
            AsOf = a.GetDate("as-of", ctx.Command),
        };
        var bar = ctx.Progress(id is null ? "baseline" : "scenario");
        ScenarioOutcome? result = null;
        try
        {
            await foreach (var u in ctx.Client.RunScenarioAsync(request, ct))
            {
                bar.Update(u.Done, u.Total, u.Stage);
                if (u.Result is not null) result = u.Result;
            }
        }
        finally
        {
            bar.Finish();
        }

        if (result is null)
        {
            ctx.Err.WriteLine("error: the scenario run ended without a result; see the server log.");
            return ExitCodes.ServerError;
        }

        var heading = new List<string>
        {
            $"result {result.ResultId}  {(string.IsNullOrEmpty(result.ScenarioId) ? "baseline" : $"scenario {result.ScenarioId} rev {result.Revision}")}  council {result.CouncilCode}",
            $"strategy {result.StrategyId} v{result.StrategyVersion}  snapshot {result.SnapshotId}  forecast run {result.ForecastRunId}  {result.Draws} draws, seed {result.Seed}",
        };
        if (!string.IsNullOrEmpty(result.AsOf)) heading.Add($"data as of {result.AsOf}{(string.IsNullOrEmpty(result.SimulationMethod) ? "" : $"; simulation: {result.SimulationMethod}")}");
        if (!string.IsNullOrEmpty(result.HeadlineStatistic))
            heading.Add($"every figure is the {result.HeadlineStatistic}; P10-P90 come from the same draws; \"all\" shows the net shortfall, sum_of_group_gaps adds only the groups that are short");
        if (result.Basis is { } basis) heading.Add($"counting basis: {basis.Description}");
        heading.AddRange(result.Warnings.Select(w => $"warning: {w}"));
        var group = a.Get("group");
        var targetGroup = group ?? "all";
        var targets = new OutputTable(new[]
        {
            "fy", "client_group", "phase", "target_due", "target_in_year", "delivered", "pipeline_counted", "remaining", "surplus", "demand_shortfall", "statement",
        });
        var shown = result.Targets.Where(t => t.ClientGroup == targetGroup).ToList();
        foreach (var t in shown)
            targets.Add(t.FyLabel, t.ClientGroup, t.Phase, t.TargetDue, t.TargetInYear, t.DeliveredToDate, t.PipelineCounted, t.RemainingRequirement, t.Surplus,
                t.DemandShortfall, t.Statement);
        if (result.Targets.Count > 0 && shown.Count == 0)
            heading.Add($"strategy {result.StrategyId} v{result.StrategyVersion} has no target for {targetGroup}; groups with targets: {string.Join(", ", result.Targets.Select(t => t.ClientGroup).Distinct())}");
        var extra = new List<(string, OutputTable)> { ($"People: opening + arrivals - exits - removals - Shared Lives = closing ({targetGroup})", StockFlowTable(result, targetGroup)) };
        if (shown.Count > 0) extra.Add(($"Strategy targets against delivery ({targetGroup})", targets));
        ctx.Emit(result, ShortfallTable(result, group), heading, extra);
        return ExitCodes.Ok;
    }

    private static async Task<int> ScenarioCompareAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        if (a.Positionals.Count == 0) throw new UsageException("Name one or more SCENARIO_IDs to compare with the baseline.", ctx.Command);
        var council = await ctx.RequireCouncilAsync(ct);
        var bar = ctx.Progress("compare");
        bar.Update(0, 0, $"running {a.Positionals.Count} scenario(s) and the baseline...");
        ScenarioComparisonResult r;
        try
        {
            r = await ctx.Client.CompareScenariosAsync(council, a.Positionals, a.GetInt("draws", ctx.Command) ?? 0, a.GetLong("seed", ctx.Command) ?? 0, ct,
                a.GetDate("as-of", ctx.Command));
        }
        finally
        {
            bar.Finish();
        }

        var group = a.Get("group");
        var table = new OutputTable(new[]
        {
            "fy", "client_group", "scenario", "demand", "supply", "shortfall_cumulative", "shortfall_p50", "delta_vs_baseline", "prob_shortfall",
        });
        foreach (var row in r.Rows.Where(x => group is null || x.ClientGroup == group))
        {
            var name = string.IsNullOrEmpty(row.ScenarioId) ? "baseline" : string.IsNullOrEmpty(row.ScenarioName) ? row.ScenarioId : row.ScenarioName;
            table.Add(row.FyLabel, row.ClientGroup, name, row.Demand, row.Supply, row.ShortfallCumulative, row.ShortfallP50, row.DeltaVsBaseline, row.ProbabilityPositive);
        }

        var heading = new List<string>();
        if (r.Baseline?.Basis is { } basis) heading.Add($"counting basis: {basis.Description}");
        ctx.Emit(r, table, heading);
        return ExitCodes.Ok;
    }

    private static async Task<int> ScenarioBacktestAsync(CliContext ctx, ParsedArgs a, CancellationToken ct)
    {
        if (a.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{a.Positionals[0]}'.", ctx.Command);
        var council = await ctx.RequireCouncilAsync(ct);
        var origins = a.All("origin").Select(o => DateOnly.TryParseExact(o, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var d) ? d : throw new UsageException($"--origin: '{o}' is not a date (YYYY-MM-DD).", ctx.Command)).ToList();
        var bar = ctx.Progress("backtest");
        bar.Update(0, 0, "running the baseline as of each origin...");
        PlanningBacktestResult r;
        try
        {
            r = await ctx.Client.BacktestPlanningAsync(council, origins, a.GetDate("end", ctx.Command), a.GetInt("draws", ctx.Command) ?? 0,
                a.GetLong("seed", ctx.Command) ?? 0, ct);
        }
        finally
        {
            bar.Finish();
        }

        var group = a.Get("group") ?? "all";
        var table = new OutputTable(new[] { "origin", "fy", "client_group", "measure", "actual", "mean", "p10", "p50", "p90", "inside_p10_p90" });
        foreach (var row in r.Rows.Where(x => x.ClientGroup == group))
            table.Add(row.Origin, row.FyLabel, row.ClientGroup, row.Measure, row.Actual, row.Mean, row.P10, row.P50, row.P90, row.InsideP10P90 ? "yes" : "no");
        var summary = new OutputTable(new[] { "measure", "rows", "share_inside_p10_p90", "weighted_absolute_pct_error" });
        foreach (var s in r.Summary) summary.Add(s.Measure, s.Rows, s.CoverageP10P90, s.WeightedAbsolutePercentageError);
        var heading = new List<string>
        {
            $"backtest of the planning model for {r.CouncilCode} to {r.End}, {r.Draws} draws, seed {r.Seed}, snapshot {r.SnapshotId}",
            $"simulation: {r.Method}",
        };
        ctx.Emit(r, table, heading, new[] { ("Per client group and year, all origins", summary) });
        return ExitCodes.Ok;
    }
}
