using System.CommandLine;
using System.Globalization;
using Forecasting.Client;
using Forecasting.Contracts.V1;
using static Forecasting.Cli.Commands.Cells;

namespace Forecasting.Cli.Commands;

/// <summary>forecast, refresh, runs, accuracy and year-end: forecasts and their runs.</summary>
internal static class ForecastCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        yield return Forecast(app);
        yield return Refresh(app);
        yield return Runs(app);
        yield return Accuracy(app);
        yield return YearEnd(app);
    }

    private static Option<double[]> Levels() => Opt.Doubles("--levels", "interval levels in percent (default 80,95)");

    private static Command Forecast(CliApp app)
    {
        var metric = Opt.One("METRIC", AnalyticsCommands.FlowMetrics);
        var horizon = Opt.Int("--horizon", "periods ahead");
        var until = Opt.Text("--until", "forecast to the end of this financial year, e.g. 2030/31", "FY");
        var model = Opt.Text("--model", "auto (default) or a model the server lists", "NAME");
        var levels = Levels();
        var history = Opt.Flag("--history", "include the actual history before the forecast");
        var breakDate = Opt.Date("--break-date", "first day under a changed definition (e.g. 2023-04-01): fit from there");
        var reconcile = Opt.Text("--reconcile", "with --by: make the breakdown add up to its total: bottom_up, ols, wls or mint", "METHOD");
        var keepTop = Opt.Flag("--keep-top", "with --reconcile (ols, wls, mint): keep the total's own forecast, adjust the parts");
        var selector = new Selector();
        return app.Command("forecast",
            "Forecasts a flow series (one per breakdown group) with prediction intervals. The run is stored on the server and its id printed.",
            async (ctx, p, ct) =>
            {
                var ahead = p.GetValue(horizon) ?? 0;
                if (ahead < 0) throw new UsageException("--horizon must be 1 or more periods.", ctx.Command);
                var q = new ForecastRequest
                {
                    Selector = selector.Query(ctx, p, p.GetValue(metric)!),
                    Horizon = ahead,
                    UntilFy = p.GetValue(until) ?? "",
                    Model = p.GetValue(model) ?? "",
                    Levels = { p.GetValue(levels) ?? [] },
                    BreakDate = Proto.Iso(p.GetValue(breakDate)),
                    Reconciliation = p.GetValue(reconcile) ?? "",
                    KeepTop = p.GetValue(keepTop),
                };
                var r = await ctx.Client.ForecastAsync(q, ct);
                var withHistory = p.GetValue(history);
                var keyCols = KeyColumns(r.Series.Select(s => s.Key), q.Selector.Breakdown);
                var shownLevels = r.Series.SelectMany(s => s.Points).SelectMany(pt => pt.Intervals).Select(i => i.Level).Distinct().OrderBy(x => x).ToList();
                var cols = keyCols.Concat(new[] { "model", "period", "start" }).ToList();
                if (withHistory) cols.Add("kind");
                cols.Add("mean");
                foreach (var l in shownLevels) { cols.Add($"lower_{Level(l)}"); cols.Add($"upper_{Level(l)}"); }
                var table = new OutputTable(cols);
                foreach (var s in r.Series)
                {
                    var key = keyCols.Select(c => (object?)Cell(s.Key, c)).ToList();
                    if (withHistory)
                        foreach (var h in s.History)
                            table.Add(key.Concat(new object?[] { s.Model, h.PeriodLabel, h.PeriodStart, "actual", h.Value })
                                .Concat(shownLevels.SelectMany(_ => new object?[] { null, null })).ToArray());
                    foreach (var pt in s.Points)
                    {
                        var row = key.Concat(new object?[] { s.Model, pt.PeriodLabel, pt.PeriodStart }).ToList();
                        if (withHistory) row.Add("forecast");
                        row.Add(pt.Mean);
                        foreach (var l in shownLevels)
                        {
                            var iv = pt.Intervals.FirstOrDefault(i => i.Level == l);
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
            }, [metric, horizon, until, model, levels, history, breakDate, reconcile, keepTop, .. selector.Options]);
    }

    private static Command Refresh(CliApp app)
    {
        var until = Opt.Text("--until", "forecast to the end of this financial year, e.g. 2030/31", "FY");
        var levels = Levels();
        return app.Command("refresh",
            "Recomputes every standard forecast and shows progress on stderr; prints the run id. Needs an analyst key.",
            async (ctx, p, ct) =>
            {
                var last = await ctx.WithProgressAsync("refresh", async bar =>
                {
                    RefreshProgress? update = null;
                    var request = new RefreshRequest { CouncilCode = ctx.Council ?? "", UntilFy = p.GetValue(until) ?? "", Levels = { p.GetValue(levels) ?? [] } };
                    await foreach (var u in ctx.Client.RefreshAsync(request, ct))
                    {
                        update = u;
                        bar.Update(u.Done, u.Total, u.Current);
                    }

                    return update;
                });
                if (last is null || string.IsNullOrEmpty(last.RunId))
                {
                    ctx.Err.WriteLine("error: the refresh ended without a run id; see the server log. Nothing was stored.");
                    return ExitCodes.ServerError;
                }

                var table = new OutputTable(new[] { "run_id", "series_done", "series_total" }).Add(last.RunId, last.Done, last.Total);
                ctx.Emit(last, table);
                return ExitCodes.Ok;
            }, until, levels);
    }

    private static Command Runs(CliApp app)
    {
        var limit = Opt.Int("--limit", "at most N runs");
        return app.Command("runs", "Stored forecast runs, newest first.", async (ctx, p, ct) =>
        {
            var runs = await ctx.Client.ListRunsAsync(new ListRunsRequest { Limit = p.GetValue(limit) ?? 0 }, ct);
            var table = new OutputTable(new[] { "run_id", "kind", "created_at", "snapshot_id", "series" });
            foreach (var r in runs.Runs) table.Add(r.RunId, r.Kind, r.CreatedAt, r.SnapshotId, r.SeriesCount);
            ctx.Emit(runs, table);
            return ExitCodes.Ok;
        }, limit);
    }

    private static Command Accuracy(CliApp app)
    {
        var runIdArgument = Opt.Optional("RUN_ID", "a forecast run (default: the latest refresh, else the latest run)");
        return app.Command("accuracy",
            "Backtest accuracy of each series in a forecast run: the chosen model, MAE, RMSE, sMAPE, MASE and interval coverage.",
            async (ctx, p, ct) =>
            {
                var runId = p.GetValue(runIdArgument);
                if (runId is null)
                {
                    var runs = (await ctx.Client.ListRunsAsync(ct: ct)).Runs;
                    var chosen = runs.Where(r => r.Kind == "refresh").OrderByDescending(r => r.CreatedAt).FirstOrDefault()
                                 ?? runs.OrderByDescending(r => r.CreatedAt).FirstOrDefault();
                    runId = chosen?.RunId ?? throw new UsageException("No forecast run is stored yet: run 'forecasting refresh' first.", ctx.Command);
                }

                var run = await ctx.Client.GetRunAsync(new GetRunRequest { RunId = runId }, ct);
                var levels = run.Series.Select(s => s.Backtest?.Chosen).Where(c => c is not null)
                    .SelectMany(c => c!.Coverage.Keys).Distinct().OrderBy(k => double.TryParse(k, CultureInfo.InvariantCulture, out var d) ? d : 0).ToList();
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
            }, runIdArgument);
    }

    private static Command YearEnd(CliApp app)
    {
        var metric = Opt.One("METRIC", AnalyticsCommands.FlowMetrics);
        var fy = Opt.Text("--fy", "financial year, e.g. 2024/25 (default: the latest in the data)", "FY");
        var months = Opt.Int("--months", "use only the first N months of that year (1-11)");
        var levels = Levels();
        var selector = new Selector();
        return app.Command("year-end",
            "Estimated end-of-year total from the year-to-date months and the seasonal profile of earlier years.",
            async (ctx, p, ct) =>
            {
                var name = p.GetValue(metric)!;
                var q = new YearEndRequest
                {
                    Selector = Proto.Selector(name, ctx.Council, Period.Month, p.GetValue(selector.From), p.GetValue(selector.To), p.GetValue(selector.Filter)),
                    FinancialYear = p.GetValue(fy) ?? "",
                    MonthsElapsed = p.GetValue(months) ?? 0,
                    Levels = { p.GetValue(levels) ?? [] },
                };
                var r = await ctx.Client.EstimateYearEndAsync(q, ct);
                var cols = new List<string> { "financial_year", "months_elapsed", "year_to_date", "estimate" };
                var row = new List<object?> { r.FinancialYear, r.MonthsElapsed, r.YearToDate, r.Estimate };
                foreach (var i in r.Intervals.OrderBy(i => i.Level))
                {
                    cols.Add($"lower_{Level(i.Level)}"); row.Add(i.Lower);
                    cols.Add($"upper_{Level(i.Level)}"); row.Add(i.Upper);
                }

                cols.Add("actual"); row.Add(double.IsNaN(r.Actual) ? null : r.Actual);
                var table = new OutputTable(cols).Add(row.ToArray());
                ctx.Emit(r, table, new[] { $"{name}: estimated end of {r.FinancialYear}  ({r.Method})" });
                return ExitCodes.Ok;
            }, [metric, fy, months, levels, selector.From, selector.To, selector.Filter]);
    }
}
