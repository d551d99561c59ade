using System.CommandLine;
using Forecasting.Client;
using Forecasting.Contracts.V1;
using static Forecasting.Cli.Commands.Cells;

namespace Forecasting.Cli.Commands;

/// <summary>series, rates, stock, transitions and pipeline: reads of the store.</summary>
internal static class AnalyticsCommands
{
    public const string FlowMetrics = "contacts, admissions, leavers, new_tenancies, ended_tenancies, waiting_list_additions, reaching_18, reaching_18_expected_clients";

    public static IEnumerable<Command> Create(CliApp app)
    {
        yield return Series(app);
        yield return Rates(app);
        yield return Stock(app);
        yield return Transitions(app);
        yield return Pipeline(app);
    }

    private static Command Series(CliApp app)
    {
        var metric = Opt.One("METRIC", FlowMetrics);
        var selector = new Selector();
        return app.Command("series", "A flow series per month, quarter or financial year, with year-to-date values.", async (ctx, p, ct) =>
        {
            var q = selector.Query(ctx, p, p.GetValue(metric)!);
            var r = await ctx.Client.GetFlowSeriesAsync(new FlowSeriesRequest { Selector = q }, ct);
            var keyCols = KeyColumns(r.Groups.Select(g => g.Key), q.Breakdown);
            var table = new OutputTable(keyCols.Concat(new[] { "period", "start", "value", "year_to_date" }));
            foreach (var g in r.Groups)
                foreach (var pt in g.Points)
                    table.Add(keyCols.Select(c => (object?)Cell(g.Key, c)).Concat(new object?[] { pt.PeriodLabel, pt.PeriodStart, pt.Value, pt.YearToDate }).ToArray());
            var grain = r.Period switch { Period.Quarter => "quarter", Period.FinancialYear => "financial year", _ => "month" };
            ctx.Emit(r, table, new[] { $"{r.Metric} per {grain}  (snapshot {r.SnapshotId})" });
            return ExitCodes.Ok;
        }, [metric, .. selector.Options]);
    }

    private static Command Rates(CliApp app)
    {
        var metric = Opt.One("METRIC", "admissions or contacts");
        var age = new Option<string>("--age") { Description = "age group: 18-64 or 65+", HelpName = "18-64|65+", Required = true };
        var variant = Opt.Text("--variant", "population variant: estimate, low, principal or high", "VARIANT");
        var selector = new Selector();
        return app.Command("rates",
            "Rates per 100,000 population of the age group (ASCOF 2A(1) for 18-64, 2A(2) for 65+), per financial year unless --period says otherwise.",
            async (ctx, p, ct) =>
            {
                var q = new RateRequest { Selector = selector.Query(ctx, p, p.GetValue(metric)!), AgeGroup = p.GetValue(age)!, PopulationVariant = p.GetValue(variant) ?? "" };
                var r = await ctx.Client.GetRatesAsync(q, ct);
                var keyCols = KeyColumns(r.Groups.Select(g => g.Key), q.Selector.Breakdown);
                var table = new OutputTable(keyCols.Concat(new[] { "period", "count", "population", "population_year", "rate_per_100k" }));
                foreach (var g in r.Groups)
                    foreach (var pt in g.Points)
                        table.Add(keyCols.Select(c => (object?)Cell(g.Key, c))
                            .Concat(new object?[] { pt.PeriodLabel, pt.Count, pt.Population, Year(pt.PopulationYear), pt.RatePer100K }).ToArray());
                ctx.Emit(r, table, new[] { $"{r.Metric} per 100,000 aged {r.AgeGroup}", $"denominator: {r.Denominator}" });
                return ExitCodes.Ok;
            }, [metric, age, variant, .. selector.Options]);
    }

    private static Command Stock(CliApp app)
    {
        var measure = Opt.One("MEASURE", "units, supported_living_tenants, waiting_list or residential_care");
        var asOf = Opt.Date("--as-of", "the date (default: the latest in the data)");
        return TableCommand(app, "stock", "A stock measure at a date (default: the latest in the data).",
            (ctx, p, filters, by, ct) => ctx.Client.GetStockSnapshotAsync(new StockRequest
            {
                Measure = p.GetValue(measure)!,
                CouncilCode = ctx.Council ?? "",
                AsOf = Proto.Iso(p.GetValue(asOf)),
                Filters = { filters },
                Breakdown = { by },
            }, ct), measure, asOf);
    }

    private static Command Transitions(CliApp app)
    {
        var fromFy = Opt.Int("--from-fy", "first financial year by its starting year (2025 = 2025/26)", "YEAR");
        var toFy = Opt.Int("--to-fy", "last financial year by its starting year", "YEAR");
        return TableCommand(app, "transitions",
            "Young people by the financial year of their 18th birthday. Breakdowns: primary_need, predicted_setting, out_of_area, locality.",
            (ctx, p, filters, by, ct) => ctx.Client.GetTransitionsCohortAsync(new TransitionsRequest
            {
                CouncilCode = ctx.Council ?? "",
                FromFy = p.GetValue(fromFy) ?? 0,
                ToFy = p.GetValue(toFy) ?? 0,
                Filters = { filters },
                Breakdown = { by },
            }, ct), fromFy, toFy);
    }

    private static Command Pipeline(CliApp app) => TableCommand(app, "pipeline",
        "Pipeline schemes by delivery status and year. Breakdowns: status, category, client_group, design, in_area.",
        (ctx, _, filters, by, ct) => ctx.Client.GetPipelineAsync(new PipelineRequest
        {
            CouncilCode = ctx.Council ?? "",
            Filters = { filters },
            Breakdown = { by },
        }, ct));

    /// <summary>A command that reads one table with --filter and --by (after <paramref name="symbols"/>) and writes it.</summary>
    private static Command TableCommand(CliApp app, string name, string description,
        Func<CliContext, ParseResult, IEnumerable<Filter>, string[], CancellationToken, Task<TableResponse>> read, params Symbol[] symbols)
    {
        var filter = Opt.Filters();
        var by = Selector.Breakdown();
        return app.Command(name, description, async (ctx, p, ct) =>
        {
            EmitTable(ctx, await read(ctx, p, Proto.Filters(p.GetValue(filter)), p.GetValue(by) ?? [], ct));
            return ExitCodes.Ok;
        }, [.. symbols, filter, by]);
    }

    /// <summary>A table answer (stock, transitions, pipeline, budget) as rows of its dimensions and measures.</summary>
    internal static void EmitTable(CliContext ctx, TableResponse r)
    {
        var dimCols = KeyColumns(r.Rows.Select(x => x.Dimensions), r.DimensionNames);
        var measureCols = KeyColumns(r.Rows.Select(x => x.Measures), r.MeasureNames);
        var table = new OutputTable(dimCols.Concat(measureCols));
        foreach (var row in r.Rows)
            table.Add(dimCols.Select(c => (object?)Cell(row.Dimensions, c))
                .Concat(measureCols.Select(m => (object?)(row.Measures.TryGetValue(m, out var v) ? v : null))).ToArray());
        var heading = new List<string> { r.Title };
        if (!string.IsNullOrEmpty(r.AsOf)) heading.Add($"as of {r.AsOf}");
        ctx.Emit(r, table, heading.Where(h => !string.IsNullOrEmpty(h)));
    }
}
