using System.CommandLine;
using System.Globalization;
using Forecasting.Client;
using Forecasting.Contracts.V1;

namespace Forecasting.Cli.Commands;

/// <summary>audit: the trail of writes (analyst).</summary>
internal static class AuditCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        var since = Opt.Single<DateTimeOffset>("--since", "only events at or after a date or date-time (UTC), e.g. 2025-04-01", "DATE",
            v => DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null,
            v => $"--since '{v}' is not a date like 2025-04-01 or 2025-04-01T09:00:00Z.");
        var keyName = Opt.Text("--key-name", "only the calls of one key (its configured name)", "NAME");
        var method = Opt.Text("--method", "only one call, e.g. Import, CreateScenario, RunScenario", "METHOD");
        var limit = Opt.Int("--limit", "at most N events (default 100, at most 1000)");
        yield return app.Command("audit",
            "The audit trail of writes, newest first (analyst): imports, uploads, refreshes, forecasts, strategy versions, scenario changes, " +
            "runs and comparisons, with the key's name and role, the council, the ids written, the outcome and the correlation id the server log carries; " +
            "refused calls are counted, one event per key, method and minute, with the number of calls.",
            async (ctx, p, ct) =>
            {
                var events = await ctx.Client.ListAuditEventsAsync(new ListAuditEventsRequest
                {
                    Since = Proto.Iso(p.GetValue(since)),
                    KeyName = p.GetValue(keyName) ?? "",
                    Method = p.GetValue(method) ?? "",
                    Limit = p.GetValue(limit) ?? 0,
                }, ct);
                var table = new OutputTable(new[] { "at", "key", "role", "method", "council", "target", "outcome", "calls", "seconds", "correlation_id" });
                foreach (var e in events.Events)
                    table.Add(e.At, e.KeyName, e.Role, e.Method[(e.Method.LastIndexOf('/') + 1)..], e.CouncilCode, e.Target, e.Outcome,
                        e.Calls, Math.Round(e.Seconds, 2), e.CorrelationId);
                ctx.Emit(events, table);
                return ExitCodes.Ok;
            }, since, keyName, method, limit);
    }
}
