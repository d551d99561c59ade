using System.Threading.Channels;
using Forecasting.Application;

namespace Forecasting.Server.Services;

/// <summary>Runs long work off the request thread while its progress reports stream to the caller in order.</summary>
public static class ProgressStreaming
{
    public static async Task<TResult> RunAsync<TProgress, TResult>(
        Func<IProgress<TProgress>, Task<TResult>> work, Func<TProgress, Task> write, CancellationToken cancellationToken)
    {
        var reports = Channel.CreateUnbounded<TProgress>();
        var running = Task.Run(async () =>
        {
            try
            {
                return await work(new InlineProgress<TProgress>(p => reports.Writer.TryWrite(p)));
            }
            finally
            {
                reports.Writer.TryComplete();
            }
        }, cancellationToken);
        await foreach (var report in reports.Reader.ReadAllAsync(cancellationToken)) await write(report);
        return await running;
    }
}
