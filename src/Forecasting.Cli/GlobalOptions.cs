using System.CommandLine;
using System.Globalization;

namespace Forecasting.Cli;

/// <summary>The options every command takes, anywhere on the line.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"server address (env FORECASTING_SERVER, default {DefaultServer}; http:// is plain HTTP/2)",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "API key sent as x-api-key (env FORECASTING_API_KEY)",
        HelpName = "KEY",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "access token of the council's directory, sent as 'authorization: Bearer' (env FORECASTING_TOKEN); instead of --key",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public Option<string?> Council { get; } = new("--council")
    {
        Description = "council code (env FORECASTING_COUNCIL; default: every council, or the only one where one is needed)",
        HelpName = "CODE",
        Recursive = true,
    };

    public Option<OutputFormat?> Format { get; } = Recursive(Opt.Single<OutputFormat>("--format",
        "table (default; fitted to the terminal), csv (exact numbers, one header row) or json (the whole response in protobuf JSON form)", "table|csv|json",
        v => v.ToLowerInvariant() switch
        {
            "table" => OutputFormat.Table,
            "csv" => OutputFormat.Csv,
            "json" => OutputFormat.Json,
            _ => null,
        },
        v => $"--format must be table, csv or json; got '{v}'."));

    public Option<TimeSpan?> Timeout { get; } = Recursive(Opt.Single<TimeSpan>("--timeout",
        "deadline of each call in seconds (default 30; 600 for import, upload, forecast, refresh, scenario run and compare)", "SECONDS",
        v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : null,
        v => $"--timeout is in seconds, a number above 0; got '{v}'."));

    public Option<bool> Quiet { get; } = new("--quiet") { Description = "no progress bar", Recursive = true };

    public IEnumerable<Option> All => new Option[] { Server, Key, Token, Council, Format, Timeout, Quiet };

    private static Option<T> Recursive<T>(Option<T> option)
    {
        option.Recursive = true;
        return option;
    }
}
