using Spectre.Console;

namespace Forecasting.Cli;

/// <summary>Receives the progress of a long call.</summary>
public interface IProgressSink
{
    /// <summary><paramref name="total"/> 0 means the size of the work is not known.</summary>
    void Update(int done, int total, string detail);
}

internal static class ProgressViews
{
    private sealed class Silent : IProgressSink
    {
        public void Update(int done, int total, string detail)
        {
        }
    }

    /// <summary>One line per update, for logs and pipes: "label [#####.....] done/total detail".</summary>
    private sealed class Lines(TextWriter err, string label) : IProgressSink
    {
        private const int Width = 30;

        public void Update(int done, int total, string detail)
        {
            var frac = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
            var filled = (int)Math.Round(frac * Width);
            err.WriteLine(total > 0
                ? $"{label} [{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {detail}"
                : $"{label} {detail}");
            err.Flush();
        }
    }

    private sealed class Bar(ProgressTask task, string label) : IProgressSink
    {
        public void Update(int done, int total, string detail)
        {
            if (total > 0)
            {
                task.IsIndeterminate = false;
                task.MaxValue = total;
                task.Value = done;
            }

            task.Description = Markup.Escape(string.IsNullOrEmpty(detail) ? label : $"{label} {detail}");
        }
    }

    /// <summary>Runs <paramref name="body"/> with a Spectre.Console bar on a terminal, plain lines otherwise, or nothing.</summary>
    public static async Task<T> RunAsync<T>(IAnsiConsole? terminal, TextWriter err, bool quiet, string label, Func<IProgressSink, Task<T>> body)
    {
        if (quiet) return await body(new Silent());
        if (terminal is null) return await body(new Lines(err, label));
        return await terminal.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label));
                task.IsIndeterminate = true;
                var result = await body(new Bar(task, label));
                if (!task.IsIndeterminate) task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
    }
}
