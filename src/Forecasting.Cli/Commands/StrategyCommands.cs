using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Forecasting.Contracts.V1;
using static Forecasting.Cli.Commands.Cells;

namespace Forecasting.Cli.Commands;

/// <summary>strategy list, show and version: accommodation strategies and their targets.</summary>
internal static class StrategyCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        yield return CliApp.Group("strategy", "strategies", "Accommodation strategies, their phase targets and new versions (strategy_lead).",
            List(app), Show(app), Version(app));
    }

    private static Command List(CliApp app) => app.Command("list",
        "Every version of every accommodation strategy of the council (--council, or the only one).",
        async (ctx, p, ct) =>
        {
            var list = await ctx.Client.ListStrategiesAsync(new ListStrategiesRequest { CouncilCode = await ctx.RequireCouncilAsync(ct) }, ct);
            var table = new OutputTable(new[] { "council", "strategy_id", "version", "name", "start_fy", "end_fy", "client_group", "total_target", "author", "reason" });
            foreach (var s in list.Strategies)
                table.Add(s.CouncilCode, s.StrategyId, s.Version, s.Name, FinancialYear(s.StartFy), FinancialYear(s.EndFy),
                    string.IsNullOrEmpty(s.ClientGroup) ? "all" : s.ClientGroup, s.TotalTarget, s.Author, s.Reason);
            ctx.Emit(list, table);
            return ExitCodes.Ok;
        });

    private static Argument<string> StrategyId() => Opt.One("STRATEGY_ID", "see 'forecasting strategy list'");

    private static Command Show(CliApp app)
    {
        var id = StrategyId();
        var version = Opt.Int("--version", "a version (default: the latest)");
        return app.Command("show",
            "One strategy version with its phases and cumulative targets, and its targets per client group and year when it has any.",
            async (ctx, p, ct) =>
            {
                var s = await ctx.Client.GetStrategyAsync(new GetStrategyRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    StrategyId = p.GetValue(id)!,
                    Version = p.GetValue(version) ?? 0,
                }, ct);
                ctx.Emit(s, PhaseTable(s), new[]
                {
                    $"{s.Name}  ({s.StrategyId} v{s.Version}, {s.CouncilCode})",
                    $"period {FinancialYear(s.StartFy)} to {FinancialYear(s.EndFy)}; client group {(string.IsNullOrEmpty(s.ClientGroup) ? "all" : s.ClientGroup)}; total target {s.TotalTarget} units",
                    $"by {s.Author}: {s.Reason}",
                }, TargetsSection(s));
                return ExitCodes.Ok;
            }, id, version);
    }

    private static Command Version(CliApp app)
    {
        var id = StrategyId();
        var reason = new Option<string>("--reason") { Description = "why the targets change (required)", HelpName = "TEXT" };
        var phases = Opt.Values("--phase",
            "one per phase: name, first and last financial year, units to deliver in the phase, e.g. --phase \"Phase 1,2025/26,2027/28,120\"",
            "\"NAME,FROM_FY,TO_FY,UNITS\"", (r, _) => r.Tokens.Select(t => t.Value).Select(spec =>
            {
                if (Fields(r, spec, 4, $"--phase '{spec}' is not NAME,FROM_FY,TO_FY,UNITS (e.g. \"Phase 1,2025/26,2027/28,120\").") is not ({ } parts, var units))
                    return null!;

                var from = Opt.ParseFinancialYear(parts[1]);
                var to = Opt.ParseFinancialYear(parts[2]);
                if (from is null || to is null)
                {
                    r.AddError($"--phase: '{(from is null ? parts[1] : parts[2])}' is not a financial year like 2025/26.");
                    return null!;
                }

                return new StrategyPhase { Name = parts[0], StartFy = from.Value, EndFy = to.Value, UnitTarget = units };
            }).ToArray());
        var targets = Opt.Values("--target",
            "one per client group and year: client group (or all), financial year (or period = the whole strategy period, accrued per year), " +
            "units to deliver in it, e.g. --target \"ld_autism,2025/26,40\" --target \"mental_health,period,100\"",
            "\"GROUP,FY,UNITS\"", (r, _) => r.Tokens.Select(t => t.Value).Select(spec =>
            {
                if (Fields(r, spec, 3, $"--target '{spec}' is not GROUP,FY,UNITS (e.g. \"ld_autism,2025/26,40\" or \"mental_health,period,100\").")
                    is not ({ } parts, var units))
                    return null!;

                var fy = parts[1] == "period" ? 0 : Opt.ParseFinancialYear(parts[1]);
                if (fy is null)
                {
                    r.AddError($"--target: '{parts[1]}' is not a financial year like 2025/26.");
                    return null!;
                }

                return new StrategyTarget { ClientGroup = parts[0], Fy = fy.Value, UnitTarget = units };
            }).ToArray());
        var name = Opt.Text("--name", "a new name (default: keep)");
        var from = Opt.FinancialYear("--from", "first financial year of a new strategy period (default: keep)");
        var to = Opt.FinancialYear("--to", "last financial year of a new strategy period (default: keep)");
        return app.Command("version",
            "Re-bases a strategy's unit targets as a new version (strategy_lead or analyst); earlier versions stay readable and the author " +
            "recorded is this key's name. Give phases, targets or both (their totals must agree). Within a phase the target accrues in a " +
            "straight line per financial year.",
            async (ctx, p, ct) =>
            {
                var why = p.GetValue(reason) ?? throw new UsageException("Say why the targets change with --reason.", ctx.Command);
                var phaseList = p.GetValue(phases) ?? [];
                var targetList = p.GetValue(targets) ?? [];
                if (phaseList.Length == 0 && targetList.Length == 0)
                    throw new UsageException("Give the new targets with one --phase per phase and/or one --target per client group and year.", ctx.Command);
                var s = await ctx.Client.CreateStrategyVersionAsync(new CreateStrategyVersionRequest
                {
                    CouncilCode = await ctx.RequireCouncilAsync(ct),
                    StrategyId = p.GetValue(id)!,
                    Reason = why,
                    Name = p.GetValue(name) ?? "",
                    StartFy = p.GetValue(from) ?? 0,
                    EndFy = p.GetValue(to) ?? 0,
                    Phases = { phaseList },
                    Targets = { targetList },
                }, ct);
                ctx.Emit(s, PhaseTable(s), new[]
                {
                    $"created {s.StrategyId} v{s.Version} ({s.CouncilCode}): total target {s.TotalTarget} units, {FinancialYear(s.StartFy)} to {FinancialYear(s.EndFy)}",
                    $"by {s.Author}: {s.Reason}",
                }, TargetsSection(s));
                return ExitCodes.Ok;
            }, id, reason, phases, targets, name, from, to);
    }

    /// <summary>The <paramref name="count"/> comma-separated fields of one value, the last a number of units; null with <paramref name="error"/> otherwise.</summary>
    private static (string[] Parts, int Units)? Fields(ArgumentResult r, string spec, int count, string error)
    {
        var parts = spec.Split(',').Select(x => x.Trim()).ToArray();
        if (parts.Length == count && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var units)) return (parts, units);
        r.AddError(error);
        return null;
    }

    private static OutputTable PhaseTable(Strategy s)
    {
        var table = new OutputTable(new[] { "phase", "start_fy", "end_fy", "unit_target", "cumulative_target" });
        foreach (var ph in s.Phases) table.Add(ph.Name, FinancialYear(ph.StartFy), FinancialYear(ph.EndFy), ph.UnitTarget, ph.CumulativeTarget);
        return table;
    }

    /// <summary>The version's targets per client group and year, when it has any.</summary>
    private static (string, OutputTable)[]? TargetsSection(Strategy s)
    {
        if (s.Targets.Count == 0) return null;
        var table = new OutputTable(new[] { "client_group", "fy", "unit_target" });
        foreach (var t in s.Targets) table.Add(t.ClientGroup, t.Fy == 0 ? "period" : FinancialYear(t.Fy), t.UnitTarget);
        return new[] { ("Targets per client group and year (period = over the whole strategy, accrued per year)", table) };
    }
}
