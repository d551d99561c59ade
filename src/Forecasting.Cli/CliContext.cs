using Forecasting.Client;
using Google.Protobuf;
using Spectre.Console;

namespace Forecasting.Cli;

/// <summary>What one command needs: the client, the global option values and the output writers.</summary>
public sealed class CliContext
{
    private ForecastingClient? _client;
    private string? _council;
    private IAnsiConsole? _outConsole;
    private IAnsiConsole? _errConsole;

    public required TextWriter Out { get; init; }
    public required TextWriter Err { get; init; }
    public required OutputFormat Format { get; init; }
    public required string Server { get; init; }
    public string? ApiKey { get; init; }
    /// <summary>The directory's access token (--token or FORECASTING_TOKEN); never printed.</summary>
    public string? Token { get; init; }
    public TimeSpan? Timeout { get; init; }
    public string? CouncilOption { get; init; }
    public bool Quiet { get; init; }
    public Terminal Terminal { get; init; }
    public required string Command { get; init; }

    /// <summary>Sends the calls over this handler instead of a connection to <see cref="Server"/> (e.g. an in-process server).</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    public ForecastingClient Client => _client ??= CreateClient();

    private ForecastingClient CreateClient()
    {
        var options = new ForecastingClientOptions
        {
            Address = Server,
            ApiKey = ApiKey,
            BearerToken = Token,
            DefaultDeadline = Timeout ?? TimeSpan.FromSeconds(30),
            LongDeadline = Timeout ?? TimeSpan.FromMinutes(10),
        };
        return HttpHandler is null ? new ForecastingClient(options) : new ForecastingClient(options, HttpHandler);
    }

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

    private IAnsiConsole? OutConsole => Terminal.InteractiveOut ? _outConsole ??= Console(Out) : null;

    private IAnsiConsole? ErrConsole => Terminal.InteractiveErr ? _errConsole ??= Console(Err) : null;

    private static IAnsiConsole Console(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Interactive = InteractionSupport.Yes,
    });

    /// <summary>Runs a long call with a progress bar on stderr (a live bar on a terminal, one line per update otherwise).</summary>
    public Task<T> WithProgressAsync<T>(string label, Func<IProgressSink, Task<T>> body) =>
        ProgressViews.RunAsync(ErrConsole, Err, Quiet, label, body);

    /// <summary>A table in the text format: fitted to the terminal, or plain and aligned when redirected.</summary>
    public void WriteTable(OutputTable table)
    {
        if (OutConsole is { } console) Render.WriteTable(console, table);
        else Render.WriteTable(Out, table);
    }

    /// <summary>Writes one result: the message as protobuf JSON, or the table as CSV or text (with optional heading lines and further titled tables).</summary>
    public void Emit(IMessage jsonValue, OutputTable table, IEnumerable<string>? heading = null, IEnumerable<(string Title, OutputTable Table)>? extra = null)
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

                WriteTable(table);
                foreach (var (title, t) in extra ?? Array.Empty<(string, OutputTable)>())
                {
                    Out.WriteLine();
                    Out.WriteLine(title);
                    WriteTable(t);
                }

                break;
        }
    }
}

/// <summary>Whether stdout and stderr are terminals (Spectre.Console tables and progress) or redirected (plain text).</summary>
public readonly record struct Terminal(bool InteractiveOut, bool InteractiveErr);
