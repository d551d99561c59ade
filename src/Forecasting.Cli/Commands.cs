using System.Text.Json;
using Forecasting.Client;
using Google.Protobuf;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Cli;

public sealed record CommandSpec(
    string Name,
    string Help,
    HashSet<string> Values,
    HashSet<string> Flags,
    Func<CliContext, ParsedArgs, CancellationToken, Task<int>> Run);

public static partial class Commands
{
    public const string GeneralHelp = """
        forecasting: command line for the Forecasting service (adult social care demand and supported-living planning).

        Usage: forecasting [global options] <command> [arguments] [options]

        Commands:
          status                          what the store holds: tables, date ranges, councils, snapshot
          import [DIR] [--file PATH]...   import extract files that sit on the server (analyst)
          upload FILE|DIR...              stream local extract files to the server and import them (analyst)
          series METRIC                   flow series: contacts, admissions, leavers, new_tenancies, ended_tenancies,
                                          waiting_list_additions, reaching_18, reaching_18_expected_clients
          rates METRIC --age 18-64|65+    rates per 100,000 population (ASCOF 2A)
          stock MEASURE                   stock at a date: units, supported_living_tenants, waiting_list, residential_care
          transitions                     young people by financial year of their 18th birthday
          pipeline                        pipeline schemes by status and year
          forecast METRIC                 forecast a series with intervals
          refresh                         recompute every standard forecast, with progress (analyst)
          runs                            stored forecast runs
          audit                           who imported, refreshed, changed or ran what, and the outcome (analyst)
          accuracy [RUN_ID]               backtest accuracy of a run (default: the latest refresh)
          year-end METRIC                 estimated end of year from year-to-date months
          strategy list | show ID | version ID
                                          accommodation strategies, their phase targets, new versions (strategy_lead)
          scenario create|update|list|show|delete|run|compare|backtest
                                          what-if scenarios (create/update/delete: strategy_lead or analyst; run, compare, backtest: any role)

        Global options (anywhere on the line):
          --server URL       server address (env FORECASTING_SERVER, default http://127.0.0.1:5080)
          --key KEY          API key sent as x-api-key (env FORECASTING_API_KEY)
          --council CODE     council code (env FORECASTING_COUNCIL; default: every council, or the only one where one is needed)
          --format FORMAT    table (default), csv or json
          --timeout SECONDS  deadline for each call (default 30; 600 for import, forecast, refresh and scenario runs)
          --quiet            no progress bar
          --help, -h         help; 'forecasting COMMAND --help' for a command
          --version          version

        Exit codes: 0 ok; 1 server-side error (incl. failed validation); 2 usage error (incl. an argument the
        server rejected); 3 authentication or permission; 4 server unreachable.

        """;

    private const string SelectorHelp = """
          --period month|quarter|year   time grain (year = financial year, April to March)
          --from DATE, --to DATE        ISO dates, inclusive
          --filter DIM=V1[,V2]          keep only these values of a dimension (repeatable), e.g. --filter age_group=65+
          --by DIM[,DIM]                break down by dimensions (repeatable)
        """;

    private static readonly HashSet<string> SelectorValues = new() { "period", "from", "to", "filter", "by" };

    private static HashSet<string> V(params string[] names) => new(names);

    private static HashSet<string> WithSelector(params string[] names) => new(SelectorValues.Concat(names));

    private static readonly Dictionary<string, CommandSpec> Top = new CommandSpec[]
    {
        new("status", """
            Usage: forecasting status

            Shows the store: tables with row counts and date ranges, councils, the current data snapshot.

            """, V(), V(), StatusAsync),
        new("import", """
            Usage: forecasting import [DIR] [--file [TABLE=]PATH]... [--dry-run] [--allow-shrink]

            Imports extract files that already sit on the server (paths as the server sees them). DIR imports every
            <table>.csv / <table>.parquet in that directory. All files are validated together; any error leaves the
            store unchanged and exits with code 1, listing the rows to fix. Needs an analyst key.

              --file [TABLE=]PATH   one file (repeatable); TABLE defaults to the file name
              --dry-run             validate only; the report still shows rows added, removed and changed
              --allow-shrink        allow a file to remove more than half of a council's rows in a table
                                    (refused otherwise, as a sign of a truncated extract)

            """, V("file"), V("dry-run", "allow-shrink"), ImportAsync),
        new("upload", """
            Usage: forecasting upload FILE|DIR... [--table TABLE] [--dry-run] [--allow-shrink]

            Streams local extract files to the server in chunks and imports them together. A directory uploads
            every .csv and .parquet file in it; the table is taken from each file name unless --table is given
            (only with one file). --dry-run and --allow-shrink as for import. Needs an analyst key.

            """, V("table"), V("dry-run", "allow-shrink"), UploadAsync),
        new("series", $"""
            Usage: forecasting series METRIC [options]

            A flow series (contacts, admissions, leavers, new_tenancies, reaching_18) per month, quarter or
            financial year, with year-to-date values.

            {SelectorHelp}
            """, WithSelector(), V(), SeriesAsync),
        new("rates", $"""
            Usage: forecasting rates METRIC --age 18-64|65+ [--variant estimate|low|principal|high] [options]

            Rates per 100,000 population of the age group (ASCOF 2A(1) for 18-64, 2A(2) for 65+), per financial
            year unless --period says otherwise.

            {SelectorHelp}
            """, WithSelector("age", "variant"), V(), RatesAsync),
        new("stock", """
            Usage: forecasting stock MEASURE [--as-of DATE] [--filter DIM=V]... [--by DIM]...

            A stock measure at a date (default: the latest in the data): units, waiting_list, residential_care.

            """, V("as-of", "filter", "by"), V(), StockAsync),
        new("transitions", """
            Usage: forecasting transitions [--from-fy YEAR] [--to-fy YEAR] [--filter DIM=V]... [--by DIM]...

            Young people by the financial year of their 18th birthday (2025 = 2025/26). Breakdowns: primary_need,
            predicted_setting, out_of_area, locality.

            """, V("from-fy", "to-fy", "filter", "by"), V(), TransitionsAsync),
        new("pipeline", """
            Usage: forecasting pipeline [--filter DIM=V]... [--by DIM]...

            Pipeline schemes by delivery status and year. Breakdowns: status, category, client_group, design, in_area.

            """, V("filter", "by"), V(), PipelineAsync),
        new("forecast", $"""
            Usage: forecasting forecast METRIC [--horizon N | --until 2030/31] [--model NAME] [--levels 80,95] [--history] [options]

            Forecasts a flow series (one per breakdown group) with prediction intervals. The run is stored on the
            server and its id printed.

              --horizon N       periods ahead
              --until FY        forecast to the end of this financial year, e.g. 2030/31
              --model NAME      auto (default) or a model the server lists
              --levels L[,L]    interval levels in percent (default 80,95)
              --history         include the actual history before the forecast
              --break-date DATE first day under a changed definition (e.g. 2023-04-01): fit from there
            {SelectorHelp}
            """, WithSelector("horizon", "until", "model", "levels", "break-date"), V("history"), ForecastAsync),
        new("refresh", """
            Usage: forecasting refresh [--until FY] [--levels 80,95]

            Recomputes every standard forecast and shows progress on stderr; prints the run id. Needs an analyst key.

            """, V("until", "levels"), V(), RefreshAsync),
        new("runs", """
            Usage: forecasting runs [--limit N]

            Stored forecast runs, newest first.

            """, V("limit"), V(), RunsAsync),
        new("audit", """
            Usage: forecasting audit [--since DATE] [--key NAME] [--method METHOD] [--limit N]

            The audit trail of writes, newest first (analyst): imports, uploads, refreshes, forecasts, strategy
            versions, scenario changes, runs and comparisons, with the key's name and role, the council, the ids
            written, the outcome and the correlation id the server log carries.
              --since DATE     only events at or after a date or date-time (UTC), e.g. 2025-04-01
              --key NAME       only the calls of one key (its configured name)
              --method METHOD  only one call, e.g. Import, CreateScenario, RunScenario
              --limit N        at most N events (default 100, at most 1000)

            """, V("since", "key", "method", "limit"), V(), AuditAsync),
        new("accuracy", """
            Usage: forecasting accuracy [RUN_ID]

            Backtest accuracy of each series in a forecast run (default: the latest refresh, else the latest run):
            the chosen model, MAE, RMSE, sMAPE, MASE and interval coverage.

            """, V(), V(), AccuracyAsync),
        new("year-end", $"""
            Usage: forecasting year-end METRIC [--fy 2024/25] [--months N] [--levels 80,95] [--filter DIM=V]...

            Estimated end-of-year total from the year-to-date months and the seasonal profile of earlier years.

              --fy FY        financial year (default: the latest in the data)
              --months N     use only the first N months of that year (1-11)

            """, V("fy", "months", "levels", "filter", "from", "to"), V(), YearEndAsync),
    }.ToDictionary(c => c.Name);

    private static readonly Dictionary<string, CommandSpec> StrategySubs = new CommandSpec[]
    {
        new("strategy list", """
            Usage: forecasting strategy list

            Every version of every accommodation strategy of the council (--council, or all).

            """, V(), V(), StrategyListAsync),
        new("strategy version", """
            Usage: forecasting strategy version STRATEGY_ID --reason TEXT [--phase "NAME,FROM_FY,TO_FY,UNITS"...]
                   [--target "GROUP,FY,UNITS"...] [--name TEXT] [--from FY] [--to FY]

            Re-bases a strategy's unit targets as a new version (strategy_lead or analyst); earlier versions stay
            readable and the author recorded is this key's name. Give phases, targets or both (their totals must
            agree). Within a phase the target accrues in a straight line per financial year.
              --reason TEXT    why the targets change (required)
              --phase SPEC     one per phase: name, first and last financial year, units to deliver in the phase,
                               e.g. --phase "Phase 1,2025/26,2027/28,120" --phase "Phase 2,2028/29,2030/31,150"
              --target SPEC    one per client group and year: client group (or all), financial year (or period =
                               the whole strategy period, accrued per year), units to deliver in it,
                               e.g. --target "ld_autism,2025/26,40" --target "mental_health,period,100"
              --name TEXT      a new name (default: keep)
              --from FY, --to FY
                               a new strategy period (default: keep)

            """, V("reason", "phase", "target", "name", "from", "to"), V(), StrategyVersionAsync),
        new("strategy show", """
            Usage: forecasting strategy show STRATEGY_ID [--version N]

            One strategy version (default: the latest) with its phases and cumulative targets, and its targets per
            client group and year when it has any.

            """, V("version"), V(), StrategyShowAsync),
    }.ToDictionary(c => c.Name.Split(' ')[1]);

    private static readonly Dictionary<string, CommandSpec> ScenarioSubs = new CommandSpec[]
    {
        new("scenario create", """
            Usage: forecasting scenario create --file scenario.json [--name NAME] [--description TEXT]

            Saves a named scenario. The file holds a forecasting.v1.CreateScenarioRequest in protobuf JSON form
            ({"name": ..., "description": ..., "levers": {...}}) or just the forecasting.v1.ScenarioLevers object.
            The council comes from the file, else --council, else the only council in the store.

            """, V("file", "name", "description"), V(), ScenarioCreateAsync),
        new("scenario update", """
            Usage: forecasting scenario update SCENARIO_ID --file scenario.json [--name NAME] [--description TEXT]

            Stores a new revision of a scenario from a file in the same form as 'scenario create'. Name and
            description default to the current revision's.

            """, V("file", "name", "description"), V(), ScenarioUpdateAsync),
        new("scenario list", """
            Usage: forecasting scenario list [--deleted]

            The latest revision of each scenario.

            """, V(), V("deleted"), ScenarioListAsync),
        new("scenario show", """
            Usage: forecasting scenario show SCENARIO_ID [--revision N]

            One scenario with its levers (as protobuf JSON, ready for 'scenario update --file').

            """, V("revision"), V(), ScenarioShowAsync),
        new("scenario delete", """
            Usage: forecasting scenario delete SCENARIO_ID

            """, V(), V(), ScenarioDeleteAsync),
        new("scenario run", """
            Usage: forecasting scenario run [SCENARIO_ID|baseline] [--revision N] [--draws N] [--seed N] [--as-of DATE] [--group CLIENT_GROUP]

            Projects demand, supply and shortfall per year and client group with a P10-P90 range, and the people
            behind them (housed and waiting at the start and end of each year, arrivals, exits, removals); shows
            progress on stderr. Without an id (or with 'baseline') it runs the baseline of the council. Every figure
            is the mean of the draws; the range comes from the same draws.

              --draws N        Monte Carlo draws (server default 2,000)
              --seed N         random seed (0 = the server's fixed default)
              --as-of DATE     project from this date (YYYY-MM-DD; default: the end of the last complete month of data)
              --group GROUP    show only this client group ("all" = the total), in the shortfall table and in the
                               strategy targets table (which shows "all" by default)

            """, V("revision", "draws", "seed", "group", "as-of"), V(), ScenarioRunAsync),
        new("scenario compare", """
            Usage: forecasting scenario compare SCENARIO_ID [SCENARIO_ID...] [--draws N] [--seed N] [--as-of DATE] [--group CLIENT_GROUP]

            Runs each scenario at its latest revision and shows it side by side with the baseline, with the change
            in cumulative shortfall against the baseline.

            """, V("draws", "seed", "group", "as-of"), V(), ScenarioCompareAsync),
        new("scenario backtest", """
            Usage: forecasting scenario backtest [--origin DATE]... [--end DATE] [--draws N] [--seed N] [--group CLIENT_GROUP]

            Runs the baseline as of earlier dates on the data known then and compares the people housed, the waiting
            list and new tenancies it projected with what the data shows, with the share of actuals inside P10-P90.

              --origin DATE    a 31 March to project from; repeat for several (default: four and three years before the end)
              --end DATE       the 31 March to compare up to (default: the last one in the data)
              --group GROUP    rows of this client group (default "all"); the summary covers every group

            """, V("origin", "end", "draws", "seed", "group"), V(), ScenarioBacktestAsync),
    }.ToDictionary(c => c.Name.Split(' ')[1]);

    private static CommandSpec Group(string name, Dictionary<string, CommandSpec> subs) => new(
        name,
        $"Usage: forecasting {name} <{string.Join("|", subs.Keys)}> ...\n\n" +
        string.Join("", subs.Values.Select(s => s.Help.Split('\n')[0] + "\n")) +
        $"\nRun 'forecasting {name} <subcommand> --help' for details.\n",
        V(), V(),
        (_, _, _) => throw new UsageException($"'{name}' needs a subcommand: {string.Join(", ", subs.Keys)}.", name));

    internal static CommandSpec Find(string name, List<string> afterName, out List<string> commandArgs)
    {
        commandArgs = afterName;
        if (Top.TryGetValue(name, out var spec)) return spec;
        var subs = name switch
        {
            "strategy" or "strategies" => StrategySubs,
            "scenario" or "scenarios" => ScenarioSubs,
            _ => null,
        };
        if (subs is null)
            throw new UsageException($"Unknown command '{name}'. Commands: {string.Join(", ", Top.Keys)}, strategy, scenario.");
        var groupName = subs == StrategySubs ? "strategy" : "scenario";
        var subIndex = afterName.FindIndex(t => !t.StartsWith('-'));
        if (subIndex < 0) return Group(groupName, subs);
        var sub = afterName[subIndex];
        if (!subs.TryGetValue(sub, out var subSpec))
            throw new UsageException($"Unknown subcommand '{groupName} {sub}'. Choose one of: {string.Join(", ", subs.Keys)}.", groupName);
        commandArgs = afterName.Where((_, i) => i != subIndex).ToList();
        return subSpec;
    }

    // ---------- argument helpers ----------

    private static string One(ParsedArgs a, string what, string command)
    {
        if (a.Positionals.Count == 0) throw new UsageException($"Missing {what}.", command);
        if (a.Positionals.Count > 1) throw new UsageException($"Unexpected argument '{a.Positionals[1]}'.", command);
        return a.Positionals[0];
    }

    private static void NoPositionals(ParsedArgs a, string command)
    {
        if (a.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{a.Positionals[0]}'.", command);
    }

    private static TimeGrain? Grain(ParsedArgs a, string command) => a.Get("period")?.ToLowerInvariant() switch
    {
        null => null,
        "month" or "monthly" or "m" => TimeGrain.Month,
        "quarter" or "quarterly" or "q" => TimeGrain.Quarter,
        "year" or "fy" or "financial_year" or "financial-year" or "yearly" => TimeGrain.FinancialYear,
        var other => throw new UsageException($"--period must be month, quarter or year; got '{other}'.", command),
    };

    private static SeriesQuery Selector(CliContext ctx, ParsedArgs a, string metric) => new(metric)
    {
        CouncilCode = ctx.Council,
        Grain = Grain(a, ctx.Command),
        From = a.GetDate("from", ctx.Command),
        To = a.GetDate("to", ctx.Command),
        Filters = a.GetFilters(ctx.Command),
        Breakdown = a.AllSplit("by"),
    };

    private static List<string> KeyColumns(IEnumerable<IReadOnlyDictionary<string, string>> keys, IReadOnlyList<string>? preferred = null)
    {
        var cols = new List<string>(preferred ?? Array.Empty<string>());
        foreach (var k in keys)
            foreach (var name in k.Keys)
                if (!cols.Contains(name)) cols.Add(name);
        return cols;
    }

    private static string Cell(IReadOnlyDictionary<string, string> key, string col) => key.TryGetValue(col, out var v) ? v : "";

    private static string Level(double level) => level.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
