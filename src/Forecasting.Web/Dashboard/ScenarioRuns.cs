using System.Collections.Concurrent;
using System.Diagnostics;
using Forecasting.Application;
using Forecasting.Application.Limits;
using Forecasting.Application.Planning;
using Forecasting.Planning;
using Forecasting.Web.Security;
using Microsoft.Extensions.Hosting;

namespace Forecasting.Web.Dashboard;

/// <summary>
/// Scenario runs started from the pages, run in the background so a page can show their progress while they go.
/// Each runs as the API's RunScenario does (the same use case, the API's default draws and seed, audited under
/// RunScenario); a user has at most one running at a time, and a run still going after the API client's long
/// deadline (<see cref="MaxRunTime"/>) is cancelled, as is every run when the server stops.
/// </summary>
public sealed class ScenarioRuns(PlanningUseCases planning, WebAudit audit, KeyAdmission admission, IHostApplicationLifetime lifetime,
    ILogger<ScenarioRuns> logger)
{
    /// <summary>The long deadline the API's clients give a scenario run.</summary>
    public static readonly TimeSpan MaxRunTime = TimeSpan.FromMinutes(10);

    /// <summary>How long a finished run's status stays readable.</summary>
    private static readonly TimeSpan KeptFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, ScenarioRun> _runs = new(StringComparer.Ordinal);
    private readonly Lock _starting = new();

    /// <summary>
    /// Starts a run of a stored scenario, or returns the user's run still going (Started = false) without starting another.
    /// </summary>
    public (ScenarioRun Run, bool Started) Start(WebUser user, string scenarioId)
    {
        ScenarioRun run;
        lock (_starting)
        {
            Forget();
            if (_runs.Values.FirstOrDefault(r => r.UserName == user.Name && !r.IsFinished) is { } going) return (going, false);
            run = new ScenarioRun(Guid.NewGuid().ToString("N"), user.Name, scenarioId, DateTime.UtcNow);
            _runs[run.Id] = run;
        }
        _ = Task.Run(() => Execute(run, user));
        return (run, true);
    }

    /// <summary>A run of this user by id, or null (another user's run is not theirs to see).</summary>
    public ScenarioRun? Find(string id, WebUser user) => _runs.TryGetValue(id, out var run) && run.UserName == user.Name ? run : null;

    private async Task Execute(ScenarioRun run, WebUser user)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        deadline.CancelAfter(MaxRunTime);
        var ct = deadline.Token;
        try
        {
            // The run holds one of the key's heavy-call places, shared with its API calls, while it runs in the background.
            using var place = await admission.AcquireHeavyAsync(user.Name, ct);
            var progress = new InlineProgress<RunProgress>(run.Report);
            var result = await audit.Write(user, WebAudit.RunScenario, null,
                () => planning.RunScenario(null, run.ScenarioId, 0, new RunOptions(0, 0, Progress: progress, Cancellation: ct), user.CanSee, ct),
                r => WebAudit.Targets(("scenario_id", run.ScenarioId), ("result_id", r.ResultId)));
            run.Finish(result.ResultId, result.CouncilCode, null);
        }
        catch (OperationCanceledException)
        {
            run.Finish(null, null, lifetime.ApplicationStopping.IsCancellationRequested
                ? "The run was stopped because the server was shutting down. Start it again."
                : $"The run took longer than {MaxRunTime.TotalMinutes:0} minutes and was stopped. Try again later or ask an analyst.");
        }
        catch (CallRefusedException e)
        {
            run.Finish(null, null, e.Message);
        }
        catch (Forecasting.Domain.InvalidArgumentException e)
        {
            run.Finish(null, null, e.Message);
        }
        catch (KeyNotFoundException)
        {
            run.Finish(null, null, "The scenario was not found: it may have been deleted.");
        }
        catch (Exception e)
        {
            var reference = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
            logger.LogError(e, "A scenario run from the web pages failed ({Reference})", reference);
            run.Finish(null, null, $"The run failed. Quote reference {reference} to the service's administrators.");
        }
    }

    private void Forget()
    {
        var before = DateTime.UtcNow - KeptFor;
        foreach (var (id, run) in _runs)
            if (run.IsFinished && run.FinishedAt < before)
                _runs.TryRemove(id, out _);
    }
}

/// <summary>One background run: the latest progress report the runner made, then its result or why it has none.</summary>
public sealed class ScenarioRun(string id, string userName, string scenarioId, DateTime startedAt)
{
    private volatile RunProgress _progress = new(0, 4, "waiting to start (runs on the same data take turns)");
    private volatile State? _state;

    private sealed record State(string? ResultId, string? CouncilCode, string? Failure, DateTime At);

    public string Id { get; } = id;
    public string UserName { get; } = userName;
    public string ScenarioId { get; } = scenarioId;
    public DateTime StartedAt { get; } = startedAt;
    public RunProgress Progress => _progress;
    public bool IsFinished => _state is not null;
    public DateTime? FinishedAt => _state?.At;
    public string? ResultId => _state?.ResultId;
    public string? CouncilCode => _state?.CouncilCode;
    public string? Failure => _state?.Failure;

    internal void Report(RunProgress progress) => _progress = progress;

    internal void Finish(string? resultId, string? council, string? failure)
    {
        if (resultId is not null) _progress = new RunProgress(4, 4, "result");
        _state = new State(resultId, council, failure, DateTime.UtcNow);
    }
}
