using System.CommandLine;
using System.Globalization;
using Forecasting.Client;
using Forecasting.Contracts.V1;
using static Forecasting.Cli.Commands.Cells;

namespace Forecasting.Cli.Commands;

/// <summary>measures, measure, performance, target and budget: the measures councils report to their committees.</summary>
internal static class PerformanceCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        yield return Measures(app);
        yield return Measure(app);
        yield return Performance(app);
        yield return CliApp.Group("target", "targets", "Versioned year-end targets of the measures (setting one needs a strategy_lead key).",
            SetTarget(app), ListTargets(app));
        yield return Budget(app);
        yield return National(app);
        yield return CldQuality(app);
    }

    private static Command Measures(CliApp app) => app.Command("measures",
        "The measure catalogue: name, published code, unit, shape, polarity, numerator, denominator, effective date and dimensions.",
        async (ctx, _, ct) =>
        {
            var r = await ctx.Client.ListMeasuresAsync(ct);
            var table = new OutputTable(new[]
            {
                "name", "code", "title", "shape", "unit", "polarity", "numerator", "denominator", "effective_from", "dimensions",
            });
            foreach (var m in r.Measures)
                table.Add(m.Name, m.Code, m.Title, Shape(m.Shape), m.Unit, PolarityText(m.Polarity), m.Numerator, m.Denominator, m.EffectiveFrom,
                    string.Join(" ", m.Dimensions));
            ctx.Emit(r, table);
            return ExitCodes.Ok;
        });

    private static Command Measure(CliApp app)
    {
        var measure = Opt.One("MEASURE", "a measure of 'forecasting measures', e.g. ascof_2a2");
        var selector = new Selector();
        return app.Command("measure",
            "A measure per month, quarter or financial year with its numerator, denominator, value and year-to-date values.",
            async (ctx, p, ct) =>
            {
                var q = new MeasureSeriesRequest
                {
                    Measure = p.GetValue(measure)!,
                    CouncilCode = ctx.Council ?? "",
                    Period = p.GetValue(selector.Period) ?? Period.Unspecified,
                    FromDate = Proto.Iso(p.GetValue(selector.From)),
                    ToDate = Proto.Iso(p.GetValue(selector.To)),
                    Filters = { Proto.Filters(p.GetValue(selector.Filter)) },
                    Breakdown = { p.GetValue(selector.By) ?? [] },
                };
                var r = await ctx.Client.GetMeasureSeriesAsync(q, ct);
                var keyCols = KeyColumns(r.Groups.Select(g => g.Key), q.Breakdown);
                var table = new OutputTable(keyCols.Concat(new[]
                {
                    "period", "start", "end", "numerator", "denominator", "value", "ytd_numerator", "ytd_denominator", "ytd_value",
                }));
                foreach (var g in r.Groups)
                    foreach (var pt in g.Points)
                        table.Add(keyCols.Select(c => (object?)Cell(g.Key, c)).Concat(new object?[]
                        {
                            pt.PeriodLabel, pt.PeriodStart, pt.PeriodEnd, pt.Numerator, pt.Denominator, pt.Value, pt.YtdNumerator, pt.YtdDenominator, pt.YtdValue,
                        }).ToArray());
                var m = r.Measure;
                var grain = r.Period switch { Period.Quarter => "quarter", Period.FinancialYear => "financial year", _ => "month" };
                var heading = new List<string>
                {
                    $"{q.Measure}{Described(m)} per {grain}  (snapshot {r.SnapshotId})",
                };
                if (m is not null)
                {
                    heading.Add($"numerator: {m.Numerator}");
                    if (!string.IsNullOrEmpty(m.Denominator)) heading.Add($"denominator: {m.Denominator}");
                }

                heading.AddRange(r.Notes.Select(n => $"note: {n}"));
                ctx.Emit(r, table, heading);
                return ExitCodes.Ok;
            }, [measure, .. selector.Options]);
    }

    private static Command Performance(CliApp app)
    {
        var fy = Opt.FinancialYear("--fy", "financial year, e.g. 2024/25 (default: the latest in the council's data)");
        var months = Opt.Int("--months", "use only the first N months of the year, 1-12 (default: every month available)");
        var measures = Opt.List("--measure", "only these measures (repeatable or comma-separated; default: every measure with data)", "NAME[,NAME]");
        var levels = Opt.Doubles("--levels", "interval levels in percent (default 80,95); the table shows the first");
        return app.Command("performance",
            "The scorecard of a council (--council, or the only one) for a financial year: year to date, estimated end of year with its range, " +
            "target, RAG status, probability of meeting the target and benchmark quartile. With one --measure, also the RAG status month by month.",
            async (ctx, p, ct) =>
            {
                var monthCount = p.GetValue(months);
                if (monthCount is < 1 or > 12) throw new UsageException("--months must be 1 to 12.", ctx.Command);
                var request = new PerformanceRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    FinancialYear = FinancialYear(p.GetValue(fy) ?? 0),
                    MonthsElapsed = monthCount ?? 0,
                    Measures = { p.GetValue(measures) ?? [] },
                    Levels = { p.GetValue(levels) ?? [] },
                };
                var r = await ctx.Client.GetPerformanceAsync(request, ct);
                var level = request.Levels.Count > 0 ? request.Levels[0] : 80;
                var low = $"low_{Level(level)}";
                var high = $"high_{Level(level)}";
                var table = new OutputTable(new[]
                {
                    "measure", "unit", "months", "ytd", "year_end", low, high, "target", "rag", "probability", "quartile", "to_next_quartile",
                });
                foreach (var m in r.Measures)
                {
                    var range = Range(m.YearEnd, level);
                    table.Add(m.Measure?.Name, m.Measure?.Unit, m.MonthsElapsed, m.YtdValue, m.YearEnd?.Estimate, range?.Lower, range?.Upper,
                        m.Target?.Target, Rag(m.Rag), m.Target is null ? null : m.ProbabilityOfMeetingTarget,
                        m.Benchmark is null || m.Benchmark.Quartile == 0 ? null : m.Benchmark.Quartile, m.Benchmark?.ChangeToNextQuartile);
                }

                var heading = new List<string> { $"{r.CouncilCode} {r.FinancialYear}: data to {r.AsOf}  (snapshot {r.SnapshotId})" };
                var extra = new List<(string, OutputTable)>();
                if (r.Measures.Count == 1) extra.Add(($"{r.Measures[0].Measure?.Name}: month by month", MonthTable(r.Measures[0])));
                // The notes (definitions, denominators, effective dates) after the figures, one row each.
                var notes = new OutputTable(new[] { "measure", "note" });
                foreach (var m in r.Measures)
                    foreach (var n in m.Notes) notes.Add(m.Measure?.Name, n);
                if (notes.Rows.Count > 0) extra.Add(("Notes", notes));
                ctx.Emit(r, table, heading, extra);
                return ExitCodes.Ok;
            }, fy, months, measures, levels);
    }

    private static Command SetTarget(CliApp app)
    {
        var measure = Opt.One("MEASURE", "a measure of 'forecasting measures', e.g. ascof_2a2");
        var fy = Opt.FinancialYear("--fy", "financial year of the target, e.g. 2025/26 (required)");
        var target = new Option<string>("--target") { Description = "the year-end value in the measure's unit (required)", HelpName = "VALUE" };
        var amber = new Option<string>("--amber-margin")
        {
            Description = "how far on the wrong side of the target is still amber (default 5% of the target)",
            HelpName = "VALUE",
        };
        var reason = new Option<string>("--reason") { Description = "why the target is set or changed (required)", HelpName = "TEXT" };
        return app.Command("set",
            "Adds a version of a measure's year-end target for a financial year (strategy_lead); earlier versions stay readable and the author " +
            "recorded is this key's name.",
            async (ctx, p, ct) =>
            {
                var year = p.GetValue(fy) ?? throw new UsageException("Give the financial year with --fy, e.g. --fy 2025/26.", ctx.Command);
                var value = Number(p.GetValue(target), "--target", ctx.Command)
                    ?? throw new UsageException("Give the year-end target with --target VALUE.", ctx.Command);
                var why = p.GetValue(reason);
                if (string.IsNullOrWhiteSpace(why)) throw new UsageException("Say why the target is set or changed with --reason.", ctx.Command);
                var request = new SetTargetRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    Measure = p.GetValue(measure)!,
                    FinancialYear = FinancialYear(year),
                    Target = value,
                    Reason = why,
                };
                if (Number(p.GetValue(amber), "--amber-margin", ctx.Command) is { } margin) request.AmberMargin = margin;
                var t = await ctx.Client.SetTargetAsync(request, ct);
                var table = TargetTable();
                AddTarget(table, t);
                ctx.Emit(t, table, new[] { $"{t.Measure} {t.FinancialYear}: target {Render.Pretty(t.Target)} (amber margin {Render.Pretty(t.AmberMargin)}), version {t.Version}" });
                return ExitCodes.Ok;
            }, measure, fy, target, amber, reason);
    }

    private static Command ListTargets(CliApp app)
    {
        var measure = Opt.Text("--measure", "only this measure's targets", "NAME");
        return app.Command("list", "Every version of the council's measure targets, newest first per measure and year.",
            async (ctx, p, ct) =>
            {
                var r = await ctx.Client.ListTargetsAsync(new ListTargetsRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    Measure = p.GetValue(measure) ?? "",
                }, ct);
                var table = TargetTable();
                foreach (var t in r.Targets) AddTarget(table, t);
                ctx.Emit(r, table);
                return ExitCodes.Ok;
            }, measure);
    }

    private static Command Budget(CliApp app)
    {
        var fy = Opt.FinancialYear("--fy", "financial year, e.g. 2024/25 (default: every year)");
        return app.Command("budget",
            "Budget, outturn (or forecast outturn) and variance by service line and financial year, beside the spend the services data accounts for.",
            async (ctx, p, ct) =>
            {
                var r = await ctx.Client.GetBudgetOutturnAsync(new BudgetOutturnRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    FinancialYear = FinancialYear(p.GetValue(fy) ?? 0),
                }, ct);
                AnalyticsCommands.EmitTable(ctx, r);
                return ExitCodes.Ok;
            }, fy);
    }

    private static Command National(CliApp app)
    {
        var fy = Opt.FinancialYear("--fy", "financial year, e.g. 2024/25 (default: the latest the CLD reaches)");
        return app.Command("national",
            "ASCOF 2A-2E and 3D (with the codes they replaced), the SALT tables LTS001a, LTS001b, STS001 and LTS003 and the waiting times, computed from the council's imported CLD as DHSC's and NHS England's code computes them.",
            async (ctx, p, ct) =>
            {
                var r = await ctx.Client.GetNationalMeasuresAsync(new NationalMeasuresRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    FinancialYear = FinancialYear(p.GetValue(fy) ?? 0),
                }, ct);
                var table = new OutputTable(new[] { "code", "value", "numerator", "denominator", "unit", "period", "old_codes", "title" });
                foreach (var m in r.Measures)
                    table.Add(m.Code, m.Value, m.Numerator, m.Denominator, m.Unit, $"{m.PeriodStart} to {m.PeriodEnd}",
                        string.Join(", ", m.Aliases.Select(a => a.Code)), m.Title);
                var extra = r.Tables.Select(t =>
                {
                    var cells = new OutputTable(t.Columns.Append("count").ToArray());
                    foreach (var row in t.Rows) cells.Add(row.Keys.Cast<object>().Append(row.Count).ToArray());
                    return ($"{t.Code}: {t.Title} (total {t.Total})", cells);
                }).ToList();
                ctx.Emit(r, table, [$"{r.CouncilCode} {r.FinancialYear}, CLD {r.DataStart} to {r.DataEnd}", .. r.Warnings], extra);
                return ExitCodes.Ok;
            }, fy);
    }

    private static Command CldQuality(CliApp app) =>
        app.Command("cld-quality",
            "The data-quality report of the council's imported CLD: per field, rows valid, mapped from Release 1, invalid and missing, rows dropped and duplicates removed, with the first examples.",
            async (ctx, p, ct) =>
            {
                AnalyticsCommands.EmitTable(ctx, await ctx.Client.GetCldQualityAsync(new CldQualityRequest { CouncilCode = await ctx.RequireCouncilAsync(ct) }, ct));
                return ExitCodes.Ok;
            });

    private static OutputTable MonthTable(MeasurePerformance m)
    {
        var table = new OutputTable(new[] { "month", "ytd", "year_end", "rag" });
        foreach (var month in m.Months) table.Add(month.PeriodLabel, month.YtdValue, month.YearEndEstimate, Rag(month.Rag));
        return table;
    }

    private static OutputTable TargetTable() =>
        new(new[] { "council", "measure", "fy", "version", "target", "amber_margin", "created_at", "author", "reason" });

    private static void AddTarget(OutputTable table, MeasureTarget t) =>
        table.Add(t.CouncilCode, t.Measure, t.FinancialYear, t.Version, t.Target, t.AmberMargin, t.CreatedAt, t.Author, t.Reason);

    /// <summary>The interval of <paramref name="level"/> percent, else the narrowest one given.</summary>
    private static IntervalBound? Range(YearEndProjection? projection, double level) =>
        projection?.Intervals.FirstOrDefault(i => i.Level == level) ?? projection?.Intervals.OrderBy(i => i.Level).FirstOrDefault();

    public static string Rag(RagStatus rag) => rag switch
    {
        RagStatus.Green => "green",
        RagStatus.Amber => "amber",
        RagStatus.Red => "red",
        _ => "",
    };

    private static string Shape(MeasureShape shape) => shape switch
    {
        MeasureShape.Flow => "flow",
        MeasureShape.Stock => "stock",
        _ => "",
    };

    private static string PolarityText(Polarity polarity) => polarity switch
    {
        Polarity.HigherIsBetter => "higher is better",
        Polarity.LowerIsBetter => "lower is better",
        Polarity.Neutral => "neutral",
        _ => "",
    };

    /// <summary>": ASCOF 2A(2) Permanent admissions 65+ per 100,000 (per 100,000)", or nothing without a definition.</summary>
    private static string Described(MeasureDefinition? m) =>
        m is null ? "" : $": {(string.IsNullOrEmpty(m.Code) ? "" : m.Code + " ")}{m.Title} ({m.Unit})";

    private static double? Number(string? text, string option, string command)
    {
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        throw new UsageException($"{option} must be a number, got '{text}'.", command);
    }
}
