using Forecasting.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var terminal = new Terminal(InteractiveOut: !Console.IsOutputRedirected, InteractiveErr: !Console.IsErrorRedirected);
return await CliApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, terminal, cts.Token);
