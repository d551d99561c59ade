using Forecasting.Store.Analytics;
using Forecasting.Domain;
using Forecasting.Planning;
using Forecasting.Store.Planning;

namespace Forecasting.Application.Planning;

/// <summary>Bounds on planning work and on stored results (<paramref name="MaxStoredScenarioResults"/>: per council).</summary>
/// <summary>A publication and the stored result it publishes.</summary>
public sealed record PublishedResult(Publication Publication, PlanningResult Result);

public sealed record PlanningLimits(int MaxCompareScenarios, int MaxCompareDraws, int MaxStoredScenarioResults);

/// <summary>
/// The planning use cases: strategies, scenarios, runs, comparisons and backtests, over one <see cref="PlanningSession"/>.
/// Councils passed in are ones the caller may use; <c>canSee</c> says which councils' scenarios and results the caller
/// may see (another council's are reported as not found).
/// </summary>
public sealed class PlanningUseCases(PlanningSession session, PlanningLimits limits)
{
    public Task<IReadOnlyList<StrategyVersion>> ListStrategies(string council, CancellationToken cancellationToken) =>
        session.ReadAsync((_, strategies) => strategies.List(council), cancellationToken);

    /// <param name="version">0 = the latest.</param>
    public Task<StrategyVersion> GetStrategy(string council, string strategyId, int version, CancellationToken cancellationToken) =>
        session.ReadAsync((_, strategies) =>
        {
            var strategy = strategies.Get(council, strategyId) ?? throw new KeyNotFoundException($"strategy '{strategyId}' not found for {council}");
            var versions = strategy.Versions;
            return version == 0 ? versions[^1]
                : versions.FirstOrDefault(v => v.Version == version)
                  ?? throw new KeyNotFoundException($"strategy '{strategyId}' has no version {version}; versions: {string.Join(", ", versions.Select(v => v.Version))}");
        }, cancellationToken);

    public Task<StrategyVersion> CreateStrategyVersion(string council, string strategyId, string author, string reason, IReadOnlyList<StrategyPhase> phases,
        string? name, int startFy, int endFy, IReadOnlyList<StrategyTarget> targets, CancellationToken cancellationToken) =>
        session.RunAsync((_, strategies) =>
        {
            if (string.IsNullOrWhiteSpace(reason)) throw new InvalidArgumentException("reason", "say why the targets change");
            return strategies.CreateVersion(council, strategyId, author, reason, phases, name, startFy, endFy, targets);
        }, cancellationToken, changesBaseline: true);

    public Task<Scenario> CreateScenario(string council, string name, ScenarioLevers levers, string author, string? description,
        CancellationToken cancellationToken) =>
        session.RunAsync((runner, _) =>
        {
            if (string.IsNullOrWhiteSpace(name)) throw new InvalidArgumentException("name", "a scenario needs a name");
            ThrowIfInvalid(runner.Validate(council, levers));
            return runner.Repository.Create(council, name, levers, author, description);
        }, cancellationToken);

    public Task<Scenario> UpdateScenario(string scenarioId, ScenarioLevers levers, string author, string? name, string? description,
        Func<string?, bool> canSee, CancellationToken cancellationToken) =>
        session.RunAsync((runner, _) =>
        {
            var current = Visible(runner.Repository.Get(scenarioId), canSee) ?? throw NotFound(scenarioId);
            ThrowIfInvalid(runner.Validate(current.CouncilCode, levers));
            return runner.Repository.Update(scenarioId, levers, author, name, description);
        }, cancellationToken);

    public Task<IReadOnlyList<Scenario>> ListScenarios(string council, bool includeDeleted, CancellationToken cancellationToken) =>
        session.ReadAsync((scenarios, _) => scenarios.List(council, includeDeleted), cancellationToken);

    /// <param name="revision">0 = the latest.</param>
    public Task<Scenario> GetScenario(string scenarioId, int revision, Func<string?, bool> canSee, CancellationToken cancellationToken) =>
        session.ReadAsync((scenarios, _) =>
            Visible(scenarios.Get(scenarioId, revision == 0 ? null : revision, includeDeleted: true), canSee) ?? throw NotFound(scenarioId, revision),
            cancellationToken);

    public Task DeleteScenario(string scenarioId, string author, Func<string?, bool> canSee, CancellationToken cancellationToken) =>
        session.RunAsync((runner, _) =>
        {
            if (Visible(runner.Repository.Get(scenarioId), canSee) is null || !runner.Repository.Delete(scenarioId, author)) throw NotFound(scenarioId);
            return true;
        }, cancellationToken);

    /// <summary>Runs the council's baseline (no <paramref name="scenarioId"/>) or a scenario, stores the result and trims the council's oldest.</summary>
    /// <param name="council">The baseline's council; not used for a scenario, which names its own.</param>
    public Task<PlanningResult> RunScenario(string? council, string? scenarioId, int revision, RunOptions options, Func<string?, bool> canSee,
        CancellationToken cancellationToken) =>
        session.RunAsync((runner, _) =>
        {
            var kind = string.IsNullOrEmpty(scenarioId) ? "baseline" : "scenario";
            using var activity = Telemetry.Source.StartActivity($"scenario run ({kind})")?.SetTag("forecasting.run.kind", kind)
                .SetTag("forecasting.run.draws", options.EffectiveDraws);
            var result = string.IsNullOrEmpty(scenarioId)
                ? runner.RunBaseline(council ?? throw new InvalidArgumentException("council_code", "a council code is required (e.g. E06009999)"), options)
                : runner.Run(Visible(runner.Repository.Get(scenarioId, revision == 0 ? null : revision), canSee) ?? throw NotFound(scenarioId, revision), options);
            runner.Repository.TrimResults(limits.MaxStoredScenarioResults, result.CouncilCode);
            Telemetry.ScenarioRuns.Add(1, new KeyValuePair<string, object?>("forecasting.run.kind", kind));
            activity?.SetTag("forecasting.result.id", result.ResultId).SetTag("forecasting.council", result.CouncilCode);
            return result;
        }, cancellationToken);

    public Task<PlanningResult> GetScenarioResult(string resultId, Func<string?, bool> canSee, CancellationToken cancellationToken) =>
        session.ReadAsync((scenarios, _) =>
            scenarios.GetResult(resultId) is { } found && canSee(found.CouncilCode)
                ? found : throw new KeyNotFoundException($"no scenario result with id '{resultId}'"),
            cancellationToken);

    /// <summary>
    /// Publishes a stored result (of a council the caller may see) as the council's figures under a label; the
    /// publisher is who holds the key. Every publication is kept.
    /// </summary>
    public Task<PublishedResult> PublishResult(string resultId, string label, string publishedBy, Func<string?, bool> canSee,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(resultId)) throw new InvalidArgumentException("result_id", "name the stored result to publish (e.g. res-...)");
        if (string.IsNullOrWhiteSpace(label)) throw new InvalidArgumentException("label", "a publication needs a label members read (e.g. \"Cabinet, March 2026\")");
        if (label.Trim().Length > MaxLabelLength) throw new InvalidArgumentException("label", $"at most {MaxLabelLength} characters");
        return session.PublicationsAsync((publications, scenarios) =>
        {
            var result = scenarios.GetResult(resultId) is { } found && canSee(found.CouncilCode)
                ? found : throw new KeyNotFoundException($"no scenario result with id '{resultId}'");
            return new PublishedResult(publications.Publish(result.ResultId, result.CouncilCode, result.ScenarioId, label.Trim(), publishedBy), result);
        }, writes: true, cancellationToken);
    }

    public const int MaxLabelLength = 200;

    /// <summary>The council's publications with their results, newest first.</summary>
    public Task<IReadOnlyList<PublishedResult>> ListPublications(string council, CancellationToken cancellationToken) =>
        session.PublicationsAsync((publications, scenarios) => (IReadOnlyList<PublishedResult>)publications.List(council)
            .Select(p => scenarios.GetResult(p.ResultId) is { } r ? new PublishedResult(p, r) : null).OfType<PublishedResult>().ToList(),
            writes: false, cancellationToken);

    /// <summary>The publications of one stored result (of a council the caller may see), newest first; empty when never published.</summary>
    public Task<IReadOnlyList<Publication>> PublicationsOf(string resultId, CancellationToken cancellationToken) =>
        session.PublicationsAsync((publications, _) => publications.OfResult(resultId), writes: false, cancellationToken);

    public Task<IReadOnlyList<PlanningResult>> ListScenarioResults(string? scenarioId, Func<string?, bool> canSee, CancellationToken cancellationToken) =>
        session.ReadAsync((scenarios, _) => (IReadOnlyList<PlanningResult>)scenarios.ListResults(scenarioId).Where(r => canSee(r.CouncilCode)).ToList(),
            cancellationToken);

    /// <summary>The baseline and each scenario run with the same draws and compared; every scenario must be the council's.</summary>
    /// <param name="draws">0 = 2,000.</param>
    public Task<ScenarioComparison> CompareScenarios(string council, IReadOnlyList<string> scenarioIds, int draws, long seed, DateOnly? asOf,
        Func<string?, bool> canSee, CancellationToken cancellationToken) =>
        session.RunAsync((runner, _) =>
        {
            if (scenarioIds.Count < 1) throw new InvalidArgumentException("scenario_ids", "give at least one scenario id; the baseline is always included");
            var max = limits.MaxCompareScenarios;
            if (scenarioIds.Count > max)
                throw new InvalidArgumentException("scenario_ids", $"at most {max} scenarios in one comparison (got {scenarioIds.Count})");
            var total = (long)(draws == 0 ? 2000 : draws) * (scenarioIds.Count + 1);
            if (total > limits.MaxCompareDraws)
                throw new ResultTooLargeException(
                    $"draws x runs limit: a comparison may simulate at most {limits.MaxCompareDraws} draws in all " +
                    $"(asked {total}: {scenarioIds.Count + 1} runs including the baseline); use fewer draws or scenarios");
            var scenarios = scenarioIds.Select(id => Visible(runner.Repository.Get(id), canSee) ?? throw NotFound(id)).ToList();
            if (scenarios.FirstOrDefault(s => s.CouncilCode != council) is { } other)
                throw new InvalidArgumentException("scenario_ids", $"scenario '{other.ScenarioId}' belongs to {other.CouncilCode}, not {council}");
            var comparison = runner.Compare(council, scenarios, new RunOptions(draws, seed, AsOf: asOf, Cancellation: cancellationToken));
            runner.Repository.TrimResults(limits.MaxStoredScenarioResults, council);
            return comparison;
        }, cancellationToken);

    /// <summary>The model run from earlier dates against what the data shows.</summary>
    /// <param name="origins">Empty = by <paramref name="rule"/> (default every quarter end the data supports).</param>
    /// <param name="draws">0 = 2,000.</param>
    /// <param name="seed">0 = the runner's default seed.</param>
    public Task<PlanningBacktestResult> BacktestPlanning(string council, IReadOnlyList<DateOnly> origins, DateOnly? end, int draws, long seed,
        CancellationToken cancellationToken, OriginRule? rule = null, IReadOnlyList<string>? clientGroups = null) =>
        session.RunAsync((runner, _) =>
        {
            var effectiveDraws = draws == 0 ? 2000 : draws;
            var (resolved, last, _) = PlanningBacktest.ResolveOrigins(runner, council, origins, end, rule);
            var runs = Math.Max(1, resolved.Count);
            if ((long)effectiveDraws * runs > limits.MaxCompareDraws)
                throw new ResultTooLargeException(
                    $"draws x runs limit: a backtest may simulate at most {limits.MaxCompareDraws} draws in all (asked {(long)effectiveDraws * runs} = {effectiveDraws} draws x {runs} origins)");
            // The origins as asked (not the resolved list), so the result states the rule that chose them.
            return PlanningBacktest.Run(runner, council, origins, last, effectiveDraws, seed == 0 ? ScenarioRunner.DefaultSeed : seed, cancellationToken,
                rule, clientGroups);
        }, cancellationToken);

    private static Scenario? Visible(Scenario? scenario, Func<string?, bool> canSee) =>
        scenario is not null && canSee(scenario.CouncilCode) ? scenario : null;

    private static void ThrowIfInvalid(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0) throw new ScenarioValidationException(errors);
    }

    private static KeyNotFoundException NotFound(string id, int revision = 0) =>
        new(revision == 0 ? $"no scenario with id '{id}'" : $"scenario '{id}' has no revision {revision}");
}
