using System.CommandLine;
using System.Text.Json;
using Forecasting.Client;
using Forecasting.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Forecasting.Cli.Commands;

/// <summary>scenario create, update, list, show, delete, run, compare, backtest and prevalence: what-if scenarios of the planning model.</summary>
internal static class ScenarioCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        yield return CliApp.Group("scenario", "scenarios",
            "What-if scenarios (create, update, delete: strategy_lead or analyst; list, show, run, compare, backtest: any role).",
            CreateCommand(app), Update(app), List(app), Show(app), Delete(app), Run(app), Compare(app), Backtest(app), Prevalence(app));
    }

    private static Argument<string> ScenarioId() => Opt.One("SCENARIO_ID", "see 'forecasting scenario list'");

    private static Option<string?> File() => Opt.Text("--file",
        "a forecasting.v1.CreateScenarioRequest ({\"name\", \"description\", \"levers\"}) or a forecasting.v1.ScenarioLevers object in protobuf JSON form",
        "scenario.json");

    private static Option<string?> Name() => Opt.Text("--name", "the scenario's name (default: from the file, or the current revision's)", "NAME");

    private static Option<string?> Description() => Opt.Text("--description", "its description (default: from the file, or the current revision's)");

    private static Option<int?> Draws() => Opt.Int("--draws", "Monte Carlo draws (server default 2,000)");

    private static Option<long?> Seed() => Opt.Long("--seed", "random seed (0 = the server's fixed default)");

    private static Option<DateOnly?> AsOf() => Opt.Date("--as-of", "project from this date (default: the end of the last complete month of data)");

    private static Option<string?> Group(string description) => Opt.Text("--group", description, "CLIENT_GROUP");

    private static Command CreateCommand(CliApp app)
    {
        var file = File();
        var name = Name();
        var description = Description();
        return app.Command("create",
            "Saves a named scenario from a file. The council comes from the file, else --council, else the only council in the store.",
            async (ctx, p, ct) =>
            {
                var request = ReadScenarioFile(p.GetValue(file) ?? throw new UsageException("--file scenario.json is required.", ctx.Command), ctx.Command);
                if (p.GetValue(name) is { } n) request.Name = n;
                if (p.GetValue(description) is { } d) request.Description = d;
                if (string.IsNullOrWhiteSpace(request.Name))
                    throw new UsageException("The scenario needs a name: put \"name\" in the file or pass --name.", ctx.Command);
                if (string.IsNullOrEmpty(request.CouncilCode)) request.CouncilCode = await ctx.RequireCouncilAsync(ct);
                var s = await ctx.Client.CreateScenarioAsync(request, ct);
                ctx.Emit(s, ScenarioTable(new[] { s }));
                return ExitCodes.Ok;
            }, file, name, description);
    }

    private static Command Update(CliApp app)
    {
        var id = ScenarioId();
        var file = File();
        var name = Name();
        var description = Description();
        return app.Command("update",
            "Stores a new revision of a scenario from a file in the same form as 'scenario create'. Name and description default to the current revision's.",
            async (ctx, p, ct) =>
            {
                var scenarioId = p.GetValue(id)!;
                var request = ReadScenarioFile(p.GetValue(file) ?? throw new UsageException("--file scenario.json is required.", ctx.Command), ctx.Command);
                if (p.GetValue(name) is { } n) request.Name = n;
                if (p.GetValue(description) is { } d) request.Description = d;
                if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrEmpty(request.Description))
                {
                    var current = await ctx.Client.GetScenarioAsync(new GetScenarioRequest { ScenarioId = scenarioId }, ct);
                    if (string.IsNullOrWhiteSpace(request.Name)) request.Name = current.Name;
                    if (string.IsNullOrEmpty(request.Description)) request.Description = current.Description;
                }

                var s = await ctx.Client.UpdateScenarioAsync(new UpdateScenarioRequest
                {
                    ScenarioId = scenarioId, Name = request.Name, Description = request.Description, Levers = request.Levers,
                }, ct);
                ctx.Emit(s, ScenarioTable(new[] { s }));
                return ExitCodes.Ok;
            }, id, file, name, description);
    }

    private static Command List(CliApp app)
    {
        var deleted = Opt.Flag("--deleted", "include deleted scenarios");
        return app.Command("list", "The latest revision of each scenario.", async (ctx, p, ct) =>
        {
            var list = await ctx.Client.ListScenariosAsync(
                new ListScenariosRequest { CouncilCode = await ctx.RequireCouncilAsync(ct), IncludeDeleted = p.GetValue(deleted) }, ct);
            ctx.Emit(list, ScenarioTable(list.Scenarios));
            return ExitCodes.Ok;
        }, deleted);
    }

    private static Command Show(CliApp app)
    {
        var id = ScenarioId();
        var revision = Opt.Int("--revision", "a revision (default: the latest)");
        return app.Command("show", "One scenario with its levers (as protobuf JSON, ready for 'scenario update --file').", async (ctx, p, ct) =>
        {
            var s = await ctx.Client.GetScenarioAsync(new GetScenarioRequest { ScenarioId = p.GetValue(id)!, Revision = p.GetValue(revision) ?? 0 }, ct);
            if (ctx.Format == OutputFormat.Table)
            {
                ctx.WriteTable(ScenarioTable(new[] { s }));
                ctx.Out.WriteLine();
                ctx.Out.WriteLine("levers (protobuf JSON):");
                ctx.Out.WriteLine(Render.SetFields(s.Levers ?? new ScenarioLevers()));
            }
            else
            {
                ctx.Emit(s, ScenarioTable(new[] { s }));
            }

            return ExitCodes.Ok;
        }, id, revision);
    }

    private static Command Delete(CliApp app)
    {
        var id = ScenarioId();
        return app.Command("delete", "Deletes a scenario (strategy_lead or analyst).", async (ctx, p, ct) =>
        {
            var scenarioId = p.GetValue(id)!;
            await ctx.Client.DeleteScenarioAsync(new DeleteScenarioRequest { ScenarioId = scenarioId }, ct);
            var table = new OutputTable(new[] { "scenario_id", "deleted" }).Add(scenarioId, true);
            ctx.Emit(new Struct { Fields = { ["scenario_id"] = Value.ForString(scenarioId), ["deleted"] = Value.ForBool(true) } }, table);
            return ExitCodes.Ok;
        }, id);
    }

    private static Command Run(CliApp app)
    {
        var id = Opt.Optional("SCENARIO_ID|baseline", "a scenario; without one (or with 'baseline') the baseline of the council");
        var revision = Opt.Int("--revision", "a revision (default: the latest)");
        var draws = Draws();
        var seed = Seed();
        var asOf = AsOf();
        var group = Group("show only this client group (\"all\" = the total) in the shortfall table, and its strategy targets (default \"all\")");
        return app.Command("run",
            "Projects demand, supply and shortfall per year and client group with a P10-P90 range, and the people behind them; shows progress " +
            "on stderr. Every figure is the mean of the draws; the range comes from the same draws.",
            async (ctx, p, ct) =>
            {
                var scenarioId = p.GetValue(id);
                if (scenarioId is "baseline") scenarioId = null;
                var request = new RunScenarioRequest
                {
                    ScenarioId = scenarioId ?? "",
                    Revision = p.GetValue(revision) ?? 0,
                    CouncilCode = (scenarioId is null ? await ctx.RequireCouncilAsync(ct) : ctx.Council) ?? "",
                    Draws = p.GetValue(draws) ?? 0,
                    Seed = p.GetValue(seed) ?? 0,
                    AsOf = Proto.Iso(p.GetValue(asOf)),
                };
                var result = await ctx.WithProgressAsync(scenarioId is null ? "baseline" : "scenario", async bar =>
                {
                    ScenarioResult? outcome = null;
                    await foreach (var u in ctx.Client.RunScenarioAsync(request, ct))
                    {
                        bar.Update(u.Done, u.Total, u.Stage);
                        if (u.Result is not null) outcome = u.Result;
                    }

                    return outcome;
                });
                if (result is null)
                {
                    ctx.Err.WriteLine("error: the scenario run ended without a result; see the server log.");
                    return ExitCodes.ServerError;
                }

                EmitRun(ctx, result, p.GetValue(group));
                return ExitCodes.Ok;
            }, id, revision, draws, seed, asOf, group);
    }

    private static void EmitRun(CliContext ctx, ScenarioResult result, string? group)
    {
        var heading = new List<string>
        {
            $"result {result.ResultId}  {(string.IsNullOrEmpty(result.ScenarioId) ? "baseline" : $"scenario {result.ScenarioId} rev {result.Revision}")}  council {result.CouncilCode}",
            $"strategy {result.StrategyId} v{result.StrategyVersion}  snapshot {result.SnapshotId}  forecast run {result.ForecastRunId}  {result.Draws} draws, seed {result.Seed}",
        };
        if (!string.IsNullOrEmpty(result.AsOf)) heading.Add($"data as of {result.AsOf}{(string.IsNullOrEmpty(result.SimulationMethod) ? "" : $"; simulation: {result.SimulationMethod}")}");
        if (!string.IsNullOrEmpty(result.HeadlineStatistic))
            heading.Add($"every figure is the {result.HeadlineStatistic}; P10-P90 come from the same draws; the demand-based shortfall on \"all\" is " +
                        "sum_of_group_gaps (the groups that are short), with sum_of_group_surpluses beside it; shortfall_cumulative on \"all\" is the net across groups");
        if (result.Basis is { } basis) heading.Add($"counting basis: {basis.Description}");
        if (result.Years.FirstOrDefault() is { MonthsCovered: > 0 and < 12 } partial)
            heading.Add($"first year {partial.FyLabel}: {partial.MonthsCovered} months");
        heading.AddRange(result.Warnings.Select(w => $"warning: {w}"));
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
        var extra = new List<(string, OutputTable)> { ($"People: opening + arrivals - exits - left while waiting - Shared Lives = closing ({targetGroup})", StockFlowTable(result, targetGroup)) };
        if (result.CostBasis is { Computed: true } costs)
            extra.Add(($"Costs per year, GBP at each year's prices ({targetGroup}): placements = supported living + extra care + Shared Lives + out of area; " +
                       "net = placements + waiting - residential avoided; P10/P90 of net from the same draws. " + costs.Description, CostTable(result, targetGroup)));
        if (shown.Count > 0)
        {
            heading.Add($"strategy targets: the strategy's \"still to find\" is delivery against its targets, not the demand-based shortfall; {result.Basis?.TargetDescription}");
            extra.Add(($"Strategy targets against delivery ({targetGroup})", targets));
        }
        ctx.Emit(result, ShortfallTable(result, group), heading, extra);
    }

    private static Command Compare(CliApp app)
    {
        var ids = new Argument<string[]>("SCENARIO_ID") { Description = "the scenarios to set beside the baseline", Arity = ArgumentArity.OneOrMore };
        var draws = Draws();
        var seed = Seed();
        var asOf = AsOf();
        var group = Group("show only this client group (\"all\" = the total)");
        return app.Command("compare",
            "Runs each scenario at its latest revision and shows it side by side with the baseline, with the change in cumulative shortfall against the baseline.",
            async (ctx, p, ct) =>
            {
                var scenarioIds = p.GetValue(ids) ?? [];
                var request = new CompareScenariosRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    ScenarioIds = { scenarioIds },
                    Draws = p.GetValue(draws) ?? 0,
                    Seed = p.GetValue(seed) ?? 0,
                    AsOf = Proto.Iso(p.GetValue(asOf)),
                };
                var r = await ctx.WithProgressAsync("compare", async bar =>
                {
                    bar.Update(0, 0, $"running {scenarioIds.Length} scenario(s) and the baseline...");
                    return await ctx.Client.CompareScenariosAsync(request, ct);
                });
                var only = p.GetValue(group);
                var table = new OutputTable(new[]
                {
                    "fy", "client_group", "scenario", "demand", "supply", "shortfall_cumulative", "shortfall_p50", "delta_vs_baseline", "prob_shortfall",
                    "net_cost", "net_cost_delta_vs_baseline", "net_cost_cumulative", "net_cost_cumulative_delta_vs_baseline",
                    "sum_of_group_gaps", "sum_of_group_gaps_delta_vs_baseline", "sum_of_group_surpluses",
                });
                foreach (var row in r.Rows.Where(x => only is null || x.ClientGroup == only))
                {
                    var name = string.IsNullOrEmpty(row.ScenarioId) ? "baseline" : string.IsNullOrEmpty(row.ScenarioName) ? row.ScenarioId : row.ScenarioName;
                    table.Add(row.FyLabel, row.ClientGroup, name, row.Demand, row.Supply, row.ShortfallCumulative, row.ShortfallP50, row.DeltaVsBaseline, row.ProbabilityPositive,
                        row.HasNetCost ? row.NetCost : null, row.HasNetCostDeltaVsBaseline ? row.NetCostDeltaVsBaseline : null,
                        row.HasNetCostCumulative ? row.NetCostCumulative : null,
                        row.HasNetCostCumulativeDeltaVsBaseline ? row.NetCostCumulativeDeltaVsBaseline : null,
                        row.SumOfGroupGaps, row.SumOfGroupGapsDeltaVsBaseline, row.SumOfGroupSurpluses);
                }

                var heading = new List<string>();
                if (r.Baseline?.Basis is { } basis) heading.Add($"counting basis: {basis.Description}");
                foreach (var run in new[] { r.Baseline }.Concat(r.Results))
                {
                    if (run is null) continue;
                    var label = string.IsNullOrEmpty(run.ScenarioId) ? "baseline" : run.ScenarioName;
                    heading.Add(run.CostBasis is { Computed: true } c
                        ? $"costs of {label} (net = placements + waiting - residential avoided, GBP): {c.Description}"
                        : $"costs of {label}: not computed ({run.Warnings.FirstOrDefault(w => w.StartsWith("costs not computed", StringComparison.Ordinal)) ?? "no cost basis"})");
                }
                ctx.Emit(r, table, heading);
                return ExitCodes.Ok;
            }, ids, draws, seed, asOf, group);
    }

    private static Command Backtest(CliApp app)
    {
        var origins = Opt.Values("--origin", "a date to project from; repeat for several (default: every quarter end the data supports, to one year before the end)", "DATE",
            (r, parts) => parts.Select(o =>
            {
                if (Opt.ParseDate(o) is { } d) return d;
                r.AddError($"--origin: '{o}' is not a date (YYYY-MM-DD).");
                return default;
            }).ToArray());
        var end = Opt.Date("--end", "the 31 March to compare up to (default: the last one in the data)");
        var first = Opt.Date("--first-origin", "without --origin: the earliest origin (default: the first the data supports)");
        var step = Opt.Int("--step-months", "without --origin: months between origins, 1, 3, 6 or 12 (default 3: every quarter end)");
        var draws = Draws();
        var seed = Seed();
        var group = Group("rows of this client group (default \"all\"); the summary covers every group");
        return app.Command("backtest",
            "Runs the baseline as of earlier dates on the data known then and compares the people housed, the waiting list and lettings it " +
            "projected with what the data shows, beside the naive and seasonal-naive forecasts: MAE, bias, 50/80/95% coverage, interval score, CRPS.",
            async (ctx, p, ct) =>
            {
                var request = new BacktestPlanningRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    Origins = { (p.GetValue(origins) ?? []).Select(o => Proto.Iso(o)) },
                    End = Proto.Iso(p.GetValue(end)),
                    Draws = p.GetValue(draws) ?? 0,
                    Seed = p.GetValue(seed) ?? 0,
                    FirstOrigin = Proto.Iso(p.GetValue(first)),
                    OriginStepMonths = p.GetValue(step) ?? 0,
                };
                var r = await ctx.WithProgressAsync("backtest", async bar =>
                {
                    bar.Update(0, 0, "running the baseline as of each origin...");
                    return await ctx.Client.BacktestPlanningAsync(request, ct);
                });
                var only = p.GetValue(group) ?? "all";
                var table = new OutputTable(new[] { "measure", "client_group", "rows", "model_mae", "naive_mae", "seasonal_naive_mae", "model_bias",
                    "coverage_50", "coverage_80", "coverage_95", "interval_score_80", "crps" });
                foreach (var s in r.Scores.Where(x => x.Horizon == 0 && x.ClientGroup is "all" or "per_group"))
                    table.Add(s.Measure, s.ClientGroup, s.Rows, s.ModelMae, s.NaiveMae, s.SeasonalNaiveMae, s.ModelBias, s.Coverage50, s.Coverage80,
                        s.Coverage95, s.IntervalScore80, s.Crps);
                var rows = new OutputTable(new[] { "origin", "fy", "horizon", "client_group", "measure", "actual", "mean", "p10", "p90", "naive", "seasonal_naive", "inside_p10_p90" });
                foreach (var row in r.Rows.Where(x => x.ClientGroup == only))
                    rows.Add(row.Origin, row.FyLabel, row.Horizon, row.ClientGroup, row.Measure, row.Actual, row.Mean, row.P10, row.P90, row.Naive,
                        row.SeasonalNaive, row.InsideP10P90 ? "yes" : "no");
                var heading = new List<string>
                {
                    $"backtest of the planning model for {r.CouncilCode} to {r.End}: {r.Origins.Count} origins ({r.OriginRule})",
                    $"{r.Model}, {r.Draws} draws, seed {r.Seed}, snapshot {r.SnapshotId}, data as of {r.DataAsOf}; {r.Seconds:0.0} s",
                    $"simulation: {r.Method}",
                    $"{r.Substitutions.Count} substitutions for data not recorded as it was at the origins (see the JSON output)",
                    "model vs naive (value at the origin carried forward) and seasonal naive, every horizon:",
                };
                ctx.Emit(r, table, heading, new[] { ($"Rows of {only}", rows) });
                return ExitCodes.Ok;
            }, origins, end, first, step, draws, seed, group);
    }

    private static Command Prevalence(CliApp app)
    {
        var result = Opt.Text("--result", "a stored result to check (default: run the council's baseline now)", "RESULT_ID");
        var draws = Draws();
        var seed = Seed();
        var asOf = AsOf();
        var group = Group("rows of this client group only (default: every group checked)");
        return app.Command("prevalence",
            "Cross-checks the flow model's demand with prevalence x population per client group (the POPPI/PANSI method) and extra care " +
            "with units per 1,000 people aged 75+ (the Housing LIN method), and says where and why they differ.",
            async (ctx, p, ct) =>
            {
                var resultId = p.GetValue(result);
                var request = new GetPrevalenceCheckRequest
                {
                    CouncilCode = string.IsNullOrEmpty(resultId) ? await ctx.RequireCouncilAsync(ct) : "",
                    ResultId = resultId ?? "",
                    Draws = p.GetValue(draws) ?? 0,
                    Seed = p.GetValue(seed) ?? 0,
                    AsOf = Proto.Iso(p.GetValue(asOf)),
                };
                var r = await ctx.WithProgressAsync("prevalence", async bar =>
                {
                    bar.Update(0, 0, string.IsNullOrEmpty(resultId) ? "running the baseline and the cross-check..." : "checking the result...");
                    return await ctx.Client.GetPrevalenceCheckAsync(request, ct);
                });
                var only = p.GetValue(group);
                var table = new OutputTable(new[]
                {
                    "fy", "client_group", "flow_demand", "flow_p10", "flow_p90", "prevalence_need", "prevalence_low", "prevalence_high",
                    "prevalent_people", "need_share", "difference",
                });
                foreach (var row in r.Rows.Where(x => only is null || x.ClientGroup == only))
                    table.Add(row.FyLabel, row.ClientGroup, row.FlowDemand, row.HasFlowDemandP10 ? row.FlowDemandP10 : null,
                        row.HasFlowDemandP90 ? row.FlowDemandP90 : null, row.PrevalenceNeed, row.HasPrevalenceNeedLow ? row.PrevalenceNeedLow : null,
                        row.HasPrevalenceNeedHigh ? row.PrevalenceNeedHigh : null, row.PrevalentPeople, row.NeedShare, row.Difference);
                var extra = new OutputTable(new[]
                {
                    "fy", "aged_75_plus", "units_per_1000", "units_needed", "existing", "pipeline", "supply", "gap",
                    "flow_older_demand", "flow_older_supply", "flow_older_shortfall",
                });
                foreach (var e in r.ExtraCare)
                    extra.Add(e.FyLabel, e.PopulationAged75Plus, e.UnitsPer1000, e.UnitsNeeded, e.ExistingUnits, e.PipelineUnits, e.Supply, e.Gap,
                        e.FlowOlderDemand, e.FlowOlderSupply, e.FlowOlderShortfall);
                var heading = new List<string>
                {
                    $"prevalence cross-check of result {r.ResultId} for {r.CouncilCode} as of {r.AsOf}, snapshot {r.SnapshotId}, population {r.PopulationVariant} ({r.PopulationSource})",
                    $"method: {r.Method}",
                    r.Summary,
                };
                heading.AddRange(r.Warnings.Select(w => "warning: " + w));
                var last = r.Rows.Where(x => only is null || x.ClientGroup == only).GroupBy(x => x.ClientGroup).Select(g => g.Last().Explanation);
                heading.AddRange(last);
                if (r.ExtraCare.Count > 0 && only is null) heading.Add(r.ExtraCare[^1].Explanation);
                ctx.Emit(r, table, heading, new[] { ("Extra care: units per 1,000 people aged 75+ against extra-care supply", extra) });
                return ExitCodes.Ok;
            }, result, draws, seed, asOf, group);
    }

    private static OutputTable ScenarioTable(IEnumerable<Scenario> list)
    {
        var table = new OutputTable(new[] { "scenario_id", "name", "revision", "council", "author", "created_at", "deleted", "description" });
        foreach (var s in list) table.Add(s.ScenarioId, s.Name, s.Revision, s.CouncilCode, s.Author, s.CreatedAt, s.Deleted, s.Description);
        return table;
    }

    private static OutputTable ShortfallTable(ScenarioResult r, string? group)
    {
        var table = new OutputTable(new[]
        {
            "fy", "client_group", "demand", "supply", "shortfall_in_year", "shortfall_cumulative",
            "p10", "p50", "p90", "prob_shortfall", "sum_of_group_gaps", "target_cumulative", "sum_of_group_surpluses", "months_covered",
        });
        foreach (var y in r.Years.Where(y => group is null || y.ClientGroup == group))
        {
            var d = y.ShortfallDistribution;
            table.Add(y.FyLabel, y.ClientGroup, y.Demand, y.Supply, y.ShortfallInYear, y.ShortfallCumulative,
                d?.P10, d?.P50, d?.P90, d?.ProbabilityPositive, y.SumOfGroupGaps, y.TargetCumulative, y.SumOfGroupSurpluses, y.MonthsCovered);
        }

        return table;
    }

    /// <summary>Costs per year (GBP): person-weeks and cost by setting, placements, residential avoided, net and cumulative net, waiting, present value and the range of net.</summary>
    private static OutputTable CostTable(ScenarioResult r, string group)
    {
        var table = new OutputTable(new[]
        {
            "fy", "client_group", "supported_living_weeks", "extra_care_weeks", "shared_lives_weeks", "avoided_residential_weeks", "uplift_factor",
            "supported_living_cost", "extra_care_cost", "shared_lives_cost", "placements_cost", "avoided_residential_cost", "net_cost", "net_cost_cumulative",
            "out_of_area_cost", "waiting_cost", "present_value_cumulative", "net_cost_p10", "net_cost_p90",
        });
        foreach (var y in r.Years.Where(y => y.ClientGroup == group && y.Costs is not null))
        {
            var c = y.Costs;
            table.Add(y.FyLabel, y.ClientGroup, c.SupportedLivingWeeks, c.ExtraCareWeeks, c.SharedLivesWeeks, c.AvoidedResidentialWeeks, c.UpliftFactor,
                c.SupportedLivingCost, c.ExtraCareCost, c.SharedLivesCost, c.PlacementsCost, c.AvoidedResidentialCost, c.NetCost, c.NetCostCumulative,
                c.OutOfAreaCost, c.WaitingCost, c.PresentValueCumulative, c.NetCostRange?.P10, c.NetCostRange?.P90);
        }

        return table;
    }

    /// <summary>People per year: demand at the start, arrivals, exits, removals, Shared Lives and demand at the end (they reconcile).</summary>
    private static OutputTable StockFlowTable(ScenarioResult r, string group)
    {
        var table = new OutputTable(new[]
        {
            "fy", "client_group", "opening_demand", "need_arising", "cohort_arrivals", "exits", "left_while_waiting", "shared_lives",
            "closing_demand", "lettings", "housed", "waiting",
        });
        foreach (var y in r.Years.Where(y => y.ClientGroup == group))
        {
            var demand = y.Reconciliation.FirstOrDefault(x => x.Stock == "demand");
            var housed = y.Reconciliation.FirstOrDefault(x => x.Stock == "housed");
            var waiting = y.Reconciliation.FirstOrDefault(x => x.Stock == "waiting");
            if (demand is null || housed is null || waiting is null) continue;
            var arising = y.Flows.GetValueOrDefault("need_arising");
            var exits = y.Flows.GetValueOrDefault("exits");
            var shared = y.Flows.GetValueOrDefault("shared_lives_placements");
            // Deaths while waiting, and removals from the list when displaced need is not counted: demand's other outflows.
            var left = demand.Outflows - exits - shared;
            table.Add(y.FyLabel, y.ClientGroup, demand.Opening, arising, demand.Inflows - arising, exits, left, shared, demand.Closing,
                y.Flows.GetValueOrDefault("lettings"), housed.Closing, waiting.Closing);
        }

        return table;
    }

    /// <summary>Reads a CreateScenarioRequest, or a bare ScenarioLevers, in protobuf JSON form.</summary>
    public static CreateScenarioRequest ReadScenarioFile(string path, string? command = null)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
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
                ? JsonParser.Default.Parse<CreateScenarioRequest>(text)
                : new CreateScenarioRequest { Levers = JsonParser.Default.Parse<ScenarioLevers>(text) };
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new UsageException(
                $"{path}: {e.Message} The file must be a forecasting.v1.CreateScenarioRequest ({{\"name\", \"description\", \"levers\"}}) or a forecasting.v1.ScenarioLevers object in protobuf JSON form (proto field names such as \"residential_to_sl_moves_per_year\", or their lowerCamelCase form).",
                command);
        }
    }
}
