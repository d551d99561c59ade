using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Forecasting.Cli.Commands;
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

/// <summary>A command's work: reads its values from the parse result and returns an exit code.</summary>
internal delegate Task<int> Handler(CliContext ctx, ParseResult parse, CancellationToken ct);

/// <summary>Builds the command tree for one command line and runs it.</summary>
public sealed class CliApp
{
    public const string DefaultServer = GlobalOptions.DefaultServer;

    private const string Description = """
        Command line for the Forecasting service (adult social care demand and supported-living planning).

        Results go to stdout, progress bars and errors to stderr. 'forecasting COMMAND --help' shows a command's options.
        Exit codes: 0 ok; 1 server-side error (incl. failed validation); 2 usage error (incl. an argument the
        server rejected); 3 authentication or permission; 4 server unreachable.
        """;

    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly Func<string, string?> _environment;
    private readonly Terminal _terminal;
    private readonly HttpMessageHandler? _httpHandler;
    private readonly GlobalOptions _globals = new();
    private CliContext? _context;

    private CliApp(TextWriter stdout, TextWriter stderr, Func<string, string?> environment, Terminal terminal, HttpMessageHandler? httpHandler)
    {
        _stdout = stdout;
        _stderr = stderr;
        _environment = environment;
        _terminal = terminal;
        _httpHandler = httpHandler;
    }

    /// <summary>
    /// Runs one command line and returns its exit code. With <paramref name="httpHandler"/> the calls go through it
    /// (e.g. to an in-process server) instead of a connection to --server; it is not disposed.
    /// </summary>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, string?>? environment = null,
        Terminal terminal = default,
        CancellationToken ct = default,
        HttpMessageHandler? httpHandler = null) =>
        new CliApp(stdout, stderr, environment ?? Environment.GetEnvironmentVariable, terminal, httpHandler).RunAsync(args, ct);

    private Command BuildRoot()
    {
        var root = new Command("forecasting", Description) { new HelpOption(), new VersionOption() };
        foreach (var option in _globals.All) root.Add(option);
        var groups = new[]
        {
            DataCommands.Create(this),
            AnalyticsCommands.Create(this),
            ForecastCommands.Create(this),
            AuditCommands.Create(this),
            StrategyCommands.Create(this),
            ScenarioCommands.Create(this),
            PerformanceCommands.Create(this),
        };
        foreach (var command in groups.SelectMany(g => g)) root.Add(command);
        root.SetAction(parse =>
        {
            root.Parse(["--help"]).Invoke(Invocation(parse.InvocationConfiguration.Output));
            return ExitCodes.Usage;
        });
        return root;
    }

    /// <summary>A new command that runs <paramref name="handler"/>.</summary>
    internal Command Command(string name, string description, Handler handler, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument a: command.Add(a); break;
                case Option o: command.Add(o); break;
                case Command c: command.Add(c); break;
            }
        }

        command.SetAction(async (parse, ct) =>
        {
            _context = CreateContext(parse);
            _ = _context.Client;
            return await handler(_context, parse, ct);
        });
        return command;
    }

    /// <summary>A command that only groups subcommands: on its own it is a usage error.</summary>
    internal static Command Group(string name, string alias, string description, params Command[] subcommands)
    {
        var group = new Command(name, description) { Aliases = { alias } };
        foreach (var sub in subcommands) group.Add(sub);
        var names = string.Join(", ", subcommands.Select(s => s.Name));
        group.SetAction(_ => Fail(new UsageException($"'{name}' needs a subcommand: {names}.", name)));
        return group;
    }

    private static int Fail(Exception e) => throw e;

    private CliContext CreateContext(ParseResult parse)
    {
        var command = CommandPath(parse.CommandResult.Command);
        var (key, token) = Credentials(parse, command);
        return new()
        {
            Out = _stdout,
            Err = _stderr,
            Format = parse.GetValue(_globals.Format) ?? OutputFormat.Table,
            Server = parse.GetValue(_globals.Server) ?? NonEmpty(_environment("FORECASTING_SERVER")) ?? DefaultServer,
            ApiKey = key,
            Token = token,
            Timeout = parse.GetValue(_globals.Timeout),
            CouncilOption = parse.GetValue(_globals.Council) ?? NonEmpty(_environment("FORECASTING_COUNCIL")),
            Quiet = parse.GetValue(_globals.Quiet),
            Terminal = _terminal,
            Command = command,
            HttpHandler = _httpHandler,
        };
    }

    /// <summary>
    /// The API key or the directory token: one given on the command line wins over the environment; two given in the
    /// same place is a usage error, since the server would take the key and silently ignore the token.
    /// </summary>
    private (string? Key, string? Token) Credentials(ParseResult parse, string command)
    {
        var key = NonEmpty(parse.GetValue(_globals.Key));
        var token = NonEmpty(parse.GetValue(_globals.Token));
        if (key is not null && token is not null) throw new UsageException("Give --key or --token, not both.", command);
        if (key is not null || token is not null) return (key, token);
        key = NonEmpty(_environment("FORECASTING_API_KEY"));
        token = NonEmpty(_environment("FORECASTING_TOKEN"));
        if (key is not null && token is not null)
            throw new UsageException("FORECASTING_API_KEY and FORECASTING_TOKEN are both set: unset one, or pass --key or --token.", command);
        return (key, token);
    }

    private InvocationConfiguration Invocation(TextWriter output) => new()
    {
        Output = output,
        Error = _stderr,
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = null,
    };

    /// <summary>"scenario run" for the run subcommand; "" for the root.</summary>
    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c && c.Parents.Any(); s = s.Parents.FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(" ", names);
    }

    private async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        string? command = null;
        try
        {
            var parse = BuildRoot().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            command = NonEmpty(CommandPath(parse.CommandResult.Command));
            if (parse.Action is ParseErrorAction)
            {
                foreach (var message in parse.Errors.Select(e => e.Message).Distinct())
                    _stderr.WriteLine($"error: {message}");
                _stderr.WriteLine(Hint(command));
                return ExitCodes.Usage;
            }

            return await parse.InvokeAsync(Invocation(_stdout), ct);
        }
        catch (UsageException e)
        {
            _stderr.WriteLine($"error: {e.Message}");
            _stderr.WriteLine(Hint(e.Command ?? command));
            return ExitCodes.Usage;
        }
        catch (ArgumentException e) when (e.ParamName is "address")
        {
            _stderr.WriteLine($"error: {e.Message.Split(" (Parameter")[0]} Set --server or FORECASTING_SERVER.");
            return ExitCodes.Usage;
        }
        catch (ArgumentException e) when (e.ParamName is "options")
        {
            // The client's own check of the key or token settings; its message never quotes the token.
            _stderr.WriteLine($"error: {e.Message.Split(" (Parameter")[0]}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            _stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ForecastingClientException e)
        {
            return ReportServerError(e, command);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _stderr.WriteLine("cancelled");
            return ExitCodes.ServerError;
        }
        finally
        {
            _context?.DisposeClient();
        }
    }

    private static string Hint(string? command) =>
        command is null ? "Run 'forecasting --help' for the commands." : $"Run 'forecasting {command} --help' for its options.";

    private int ReportServerError(ForecastingClientException e, string? command)
    {
        var err = _stderr;
        var server = _context?.Server ?? DefaultServer;
        var detail = string.IsNullOrWhiteSpace(e.Detail) ? e.StatusCode.ToString() : e.Detail;
        switch (e.StatusCode)
        {
            case StatusCode.Unauthenticated:
                if (_context?.Token is not null)
                {
                    err.WriteLine($"error: the server did not accept the token ({detail}).");
                    err.WriteLine("Fetch a new token for this application and pass it with --token TOKEN or FORECASTING_TOKEN.");
                    return ExitCodes.Auth;
                }

                err.WriteLine($"error: the server did not accept the API key ({detail}).");
                err.WriteLine(_context?.ApiKey is null
                    ? "Pass a key with --key KEY (or FORECASTING_API_KEY), or a directory token with --token TOKEN (or FORECASTING_TOKEN)."
                    : "Check the key given with --key or FORECASTING_API_KEY.");
                return ExitCodes.Auth;
            case StatusCode.PermissionDenied:
                err.WriteLine($"error: this {(_context?.Token is null ? "key" : "token")}'s role may not do that ({detail}).");
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

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
