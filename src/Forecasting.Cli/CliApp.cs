using System.Globalization;
using Forecasting.Client;
using Grpc.Core;

namespace Forecasting.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int ServerError = 1;
    public const int Usage = 2;
    public const int Auth = 3;
    public const int Unreachable = 4;
}

public sealed class CliContext
{
    private ForecastingClient? _client;
    private string? _council;

    public required TextWriter Out { get; init; }
    public required TextWriter Err { get; init; }
    public required OutputFormat Format { get; init; }
    public required string Server { get; init; }
    public string? ApiKey { get; init; }
    public TimeSpan? Timeout { get; init; }
    public string? CouncilOption { get; init; }
    public bool Quiet { get; init; }
    public bool InteractiveErr { get; init; }
    public required string Command { get; init; }

    public ForecastingClient Client => _client ??= new ForecastingClient(new ForecastingClientOptions
    {
        Address = Server,
        ApiKey = ApiKey,
        DefaultDeadline = Timeout ?? TimeSpan.FromSeconds(30),
        LongDeadline = Timeout ?? TimeSpan.FromMinutes(10),
    });

    public void DisposeClient() => _client?.Dispose();

    public string? Council => string.IsNullOrWhiteSpace(CouncilOption) ? null : CouncilOption;

    /// <summary>--council, else FORECASTING_COUNCIL, else the only council in the store.</summary>
    public async Task<string> RequireCouncilAsync(CancellationToken ct)
    {
        if (Council is not null) return Council;
        if (_council is not null) return _council;
        var status = await Client.GetStatusAsync(ct);
        if (status.Councils.Count == 1) return _council = status.Councils[0].CouncilCode;
        if (status.Councils.Count == 0)
            throw new UsageException("The store has no council yet: import an extract first, or pass --council CODE.", Command);
        throw new UsageException(
            $"The store holds several councils ({string.Join(", ", status.Councils.Select(c => c.CouncilCode))}): pass --council CODE or set FORECASTING_COUNCIL.",
            Command);
    }

    public ProgressBar Progress(string label) => new(Err, label, InteractiveErr, Quiet);

    /// <summary>Writes one result: the record as JSON, or the table as CSV or aligned text (with optional heading lines).</summary>
    public void Emit(object jsonValue, OutputTable table, IEnumerable<string>? heading = null, IEnumerable<(string Title, OutputTable Table)>? extra = null)
    {
        switch (Format)
        {
            case OutputFormat.Json:
                Render.WriteJson(Out, jsonValue);
                break;
            case OutputFormat.Csv:
                Render.WriteCsv(Out, table);
                break;
            default:
                if (heading is not null)
                {
                    var lines = heading.ToList();
                    foreach (var line in lines) Out.WriteLine(line);
                    if (lines.Count > 0) Out.WriteLine();
                }

                Render.WriteTable(Out, table);
                foreach (var (title, t) in extra ?? Array.Empty<(string, OutputTable)>())
                {
                    Out.WriteLine();
                    Out.WriteLine(title);
                    Render.WriteTable(Out, t);
                }

                break;
        }
    }
}

public static class CliApp
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    private static readonly HashSet<string> GlobalValues = new() { "server", "key", "format", "timeout", "council" };
    private static readonly HashSet<string> GlobalFlags = new() { "quiet", "help", "version" };

    /// <summary>Runs one command line and returns its exit code.</summary>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, string?>? environment = null,
        bool interactiveErr = false,
        CancellationToken ct = default)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? command = null;
        CliContext? ctx = null;
        try
        {
            var (globals, rest) = SplitGlobals(args);
            var name = rest.FirstOrDefault(t => !t.StartsWith('-'));
            if (globals.Has("version"))
            {
                stdout.WriteLine(typeof(CliApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
                return ExitCodes.Ok;
            }

            if (name is null)
            {
                if (globals.Has("help") || rest.Count == 0 || rest.Contains("-h"))
                {
                    stdout.Write(Commands.GeneralHelp);
                    return globals.Has("help") || rest.Contains("-h") ? ExitCodes.Ok : ExitCodes.Usage;
                }

                throw new UsageException($"Unknown option {rest[0]}. Run 'forecasting --help'.");
            }

            var afterName = rest.Skip(rest.IndexOf(name) + 1).ToList();
            var spec = Commands.Find(name, afterName, out var commandArgs);
            command = spec.Name;
            if (globals.Has("help") || commandArgs.Contains("-h") || commandArgs.Contains("--help"))
            {
                stdout.Write(spec.Help);
                return ExitCodes.Ok;
            }

            var parsed = ParsedArgs.Parse(commandArgs, spec.Values, spec.Flags, command);

            ctx = new CliContext
            {
                Out = stdout,
                Err = stderr,
                Format = ParseFormat(globals.Get("format") ?? "table"),
                Server = globals.Get("server") ?? NonEmpty(environment("FORECASTING_SERVER")) ?? DefaultServer,
                ApiKey = globals.Get("key") ?? NonEmpty(environment("FORECASTING_API_KEY")),
                Timeout = ParseTimeout(globals.Get("timeout")),
                CouncilOption = globals.Get("council") ?? NonEmpty(environment("FORECASTING_COUNCIL")),
                Quiet = globals.Has("quiet"),
                InteractiveErr = interactiveErr,
                Command = command,
            };
            _ = ctx.Client;
            return await spec.Run(ctx, parsed, ct);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            var cmd = e.Command ?? command;
            stderr.WriteLine(cmd is null ? "Run 'forecasting --help' for the commands." : $"Run 'forecasting {cmd} --help' for its options.");
            return ExitCodes.Usage;
        }
        catch (ArgumentException e) when (e.ParamName is "address")
        {
            stderr.WriteLine($"error: {e.Message.Split(" (Parameter")[0]} Set --server or FORECASTING_SERVER.");
            return ExitCodes.Usage;
        }
        catch (FileNotFoundException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (DirectoryNotFoundException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ForecastingClientException e)
        {
            return ReportServerError(e, ctx, stderr, command);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stderr.WriteLine("cancelled");
            return ExitCodes.ServerError;
        }
        finally
        {
            ctx?.DisposeClient();
        }
    }

    private static int ReportServerError(ForecastingClientException e, CliContext? ctx, TextWriter err, string? command)
    {
        var server = ctx?.Server ?? DefaultServer;
        var detail = string.IsNullOrWhiteSpace(e.Detail) ? e.StatusCode.ToString() : e.Detail;
        switch (e.StatusCode)
        {
            case StatusCode.Unauthenticated:
                err.WriteLine($"error: the server did not accept the API key ({detail}).");
                err.WriteLine(ctx?.ApiKey is null
                    ? "Pass a key with --key KEY or set FORECASTING_API_KEY."
                    : "Check the key given with --key or FORECASTING_API_KEY.");
                return ExitCodes.Auth;
            case StatusCode.PermissionDenied:
                err.WriteLine($"error: this key's role may not do that ({detail}).");
                err.WriteLine("Import, upload and refresh need an analyst key; creating, changing or running scenarios needs a strategy_lead or analyst key.");
                return ExitCodes.Auth;
            case StatusCode.Unavailable:
                err.WriteLine($"error: cannot reach the server at {server} ({detail}).");
                err.WriteLine("Check that the server is running and that --server or FORECASTING_SERVER points to it.");
                return ExitCodes.Unreachable;
            case StatusCode.InvalidArgument:
                err.WriteLine($"error: the server rejected an argument: {detail}");
                err.WriteLine(command is null ? "Run 'forecasting --help'." : $"Run 'forecasting {command} --help' for its options.");
                return ExitCodes.Usage;
            case StatusCode.NotFound:
                err.WriteLine($"error: not found: {detail}");
                return ExitCodes.ServerError;
            case StatusCode.DeadlineExceeded:
                err.WriteLine($"error: no answer from {server} within the deadline ({detail}). Raise --timeout (seconds) or try again later.");
                return ExitCodes.ServerError;
            case StatusCode.Unimplemented:
                err.WriteLine($"error: the server at {server} does not implement {e.Operation} ({detail}).");
                return ExitCodes.ServerError;
            default:
                err.WriteLine($"error: {e.Operation} failed on the server: {e.StatusCode}: {detail}");
                return ExitCodes.ServerError;
        }
    }

    private static (ParsedArgs Globals, List<string> Remaining) SplitGlobals(string[] args)
    {
        var globals = new ParsedArgs();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                rest.AddRange(args.Skip(i));
                break;
            }

            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                rest.Add(a);
                continue;
            }

            var name = a[2..];
            string? inline = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }

            if (GlobalValues.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException($"Option --{name} needs a value."));
                if (!globals.Values.TryGetValue(name, out var list)) globals.Values[name] = list = new List<string>();
                list.Add(value);
            }
            else if (GlobalFlags.Contains(name) && inline is null)
            {
                globals.Flags.Add(name);
            }
            else
            {
                rest.Add(a);
            }
        }

        return (globals, rest);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static OutputFormat ParseFormat(string s) => s.ToLowerInvariant() switch
    {
        "table" => OutputFormat.Table,
        "csv" => OutputFormat.Csv,
        "json" => OutputFormat.Json,
        _ => throw new UsageException($"--format must be table, csv or json; got '{s}'."),
    };

    private static TimeSpan? ParseTimeout(string? s)
    {
        if (s is null) return null;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || seconds > 86400)
            throw new UsageException($"--timeout is in seconds, a number above 0; got '{s}'.");
        return TimeSpan.FromSeconds(seconds);
    }
}
