using Forecasting.Domain;
using Forecasting.Analytics;
using Forecasting.Contracts.V1;
using Forecasting.Planning;
using Forecasting.Server.Security;
using Grpc.Core;

namespace Forecasting.Server.Services;

/// <summary>Thin gRPC layer over the planning domain: strategies, scenarios, runs and comparisons.</summary>
public sealed class PlanningGrpcService(PlanningSession session, Microsoft.Extensions.Options.IOptions<Infrastructure.LimitsOptions> limits)
    : PlanningService.PlanningServiceBase
{
    public override Task<ListStrategiesResponse> ListStrategies(ListStrategiesRequest request, ServerCallContext context) =>
        session.ReadAsync((_, strategies) =>
        {
            var council = RequireCouncil(request.CouncilCode, context);
            var response = new ListStrategiesResponse();
            response.Strategies.AddRange(strategies.List(council).Select(v => PlanningMapping.ToProto(council, v)));
            return response;
        }, context.CancellationToken);

    public override Task<Contracts.V1.Strategy> GetStrategy(GetStrategyRequest request, ServerCallContext context) =>
        session.ReadAsync((_, strategies) =>
        {
            var council = RequireCouncil(request.CouncilCode, context);
            var strategy = strategies.Get(council, request.StrategyId)
                ?? throw new KeyNotFoundException($"strategy '{request.StrategyId}' not found for {council}");
            var versions = strategy.Versions;
            var version = request.Version == 0 ? versions[^1]
                : versions.FirstOrDefault(v => v.Version == request.Version)
                  ?? throw new KeyNotFoundException($"strategy '{request.StrategyId}' has no version {request.Version}; versions: {string.Join(", ", versions.Select(v => v.Version))}");
            return PlanningMapping.ToProto(council, version);
        }, context.CancellationToken);

    public override Task<Contracts.V1.Strategy> CreateStrategyVersion(CreateStrategyVersionRequest request, ServerCallContext context) =>
        session.RunAsync((_, strategies) =>
        {
            var council = RequireCouncil(request.CouncilCode, context);
            if (string.IsNullOrWhiteSpace(request.Reason)) throw new InvalidArgumentException("reason", "say why the targets change");
            // The author is who holds the key, whatever the request says: the record must be attributable.
            var author = Caller.Of(context).Name;
            var phases = request.Phases.Select(p => new Planning.StrategyPhase(p.Name, p.StartFy, p.EndFy, p.UnitTarget)).ToList();
            var targets = request.Targets.Select(PlanningMapping.FromProto).ToList();
            var version = strategies.CreateVersion(council, request.StrategyId, author, request.Reason, phases,
                ProtoMapping.NullIfEmpty(request.Name), request.StartFy, request.EndFy, targets);
            return PlanningMapping.ToProto(council, version);
        }, context.CancellationToken, changesBaseline: true);

    public override Task<Contracts.V1.Scenario> CreateScenario(CreateScenarioRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var council = RequireCouncil(request.CouncilCode, context);
            if (string.IsNullOrWhiteSpace(request.Name)) throw new InvalidArgumentException("name", "a scenario needs a name");
            var levers = PlanningMapping.ToDomain(request.Levers);
            ThrowIfInvalid(runner.Validate(council, levers));
            var scenario = runner.Repository.Create(council, request.Name, levers, Caller.Of(context).Name,
                ProtoMapping.NullIfEmpty(request.Description));
            return PlanningMapping.ToProto(scenario);
        }, context.CancellationToken);

    public override Task<Contracts.V1.Scenario> UpdateScenario(UpdateScenarioRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var current = Visible(runner.Repository.Get(request.ScenarioId), context) ?? throw NotFound(request.ScenarioId);
            var levers = PlanningMapping.ToDomain(request.Levers);
            ThrowIfInvalid(runner.Validate(current.CouncilCode, levers));
            var scenario = runner.Repository.Update(request.ScenarioId, levers, Caller.Of(context).Name,
                ProtoMapping.NullIfEmpty(request.Name), ProtoMapping.NullIfEmpty(request.Description));
            return PlanningMapping.ToProto(scenario);
        }, context.CancellationToken);

    public override Task<ListScenariosResponse> ListScenarios(ListScenariosRequest request, ServerCallContext context) =>
        session.ReadAsync((scenarios, _) =>
        {
            var response = new ListScenariosResponse();
            response.Scenarios.AddRange(scenarios.List(RequireCouncil(request.CouncilCode, context), request.IncludeDeleted).Select(PlanningMapping.ToProto));
            return response;
        }, context.CancellationToken);

    public override Task<Contracts.V1.Scenario> GetScenario(GetScenarioRequest request, ServerCallContext context) =>
        session.ReadAsync((scenarios, _) =>
            PlanningMapping.ToProto(Visible(scenarios.Get(request.ScenarioId, request.Revision == 0 ? null : request.Revision, includeDeleted: true), context)
                                    ?? throw NotFound(request.ScenarioId, request.Revision)),
            context.CancellationToken);

    public override Task<DeleteScenarioResponse> DeleteScenario(DeleteScenarioRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            if (Visible(runner.Repository.Get(request.ScenarioId), context) is null
                || !runner.Repository.Delete(request.ScenarioId, Caller.Of(context).Name)) throw NotFound(request.ScenarioId);
            return new DeleteScenarioResponse();
        }, context.CancellationToken);

    public override async Task RunScenario(RunScenarioRequest request, IServerStreamWriter<RunScenarioProgress> responseStream, ServerCallContext context)
    {
        var result = await ProgressStreaming.RunAsync<RunProgress, PlanningResult>(progress => session.RunAsync((runner, _) =>
            {
                var options = new RunOptions(request.Draws, request.Seed, AsOf: ProtoMapping.ParseDate(request.AsOf, "as_of"), Progress: progress,
                    Cancellation: context.CancellationToken);
                var result = string.IsNullOrEmpty(request.ScenarioId)
                    ? runner.RunBaseline(RequireCouncil(request.CouncilCode, context), options)
                    : runner.Run(Visible(runner.Repository.Get(request.ScenarioId, request.Revision == 0 ? null : request.Revision), context)
                                 ?? throw NotFound(request.ScenarioId, request.Revision), options);
                runner.Repository.TrimResults(limits.Value.MaxStoredScenarioResults);
                return result;
            }, context.CancellationToken),
            step => responseStream.WriteAsync(new RunScenarioProgress { Done = step.Done, Total = step.Total, Stage = step.Stage }),
            context.CancellationToken);
        await responseStream.WriteAsync(new RunScenarioProgress { Done = 4, Total = 4, Stage = "result", Result = PlanningMapping.ToProto(result) });
    }

    public override Task<ScenarioResult> GetScenarioResult(GetScenarioResultRequest request, ServerCallContext context) =>
        session.ReadAsync((scenarios, _) =>
            PlanningMapping.ToProto(scenarios.GetResult(request.ResultId) is { } found && Caller.Of(context).CanSee(found.CouncilCode)
                ? found : throw new KeyNotFoundException($"no scenario result with id '{request.ResultId}'")),
            context.CancellationToken);

    public override Task<ListScenarioResultsResponse> ListScenarioResults(ListScenarioResultsRequest request, ServerCallContext context) =>
        session.ReadAsync((scenarios, _) =>
        {
            var response = new ListScenarioResultsResponse();
            var caller = Caller.Of(context);
            response.Results.AddRange(scenarios.ListResults(ProtoMapping.NullIfEmpty(request.ScenarioId))
                .Where(r => caller.CanSee(r.CouncilCode))
                .Select(r => PlanningMapping.ToProto(r, withYears: false)));
            return response;
        }, context.CancellationToken);

    public override Task<Contracts.V1.ScenarioComparison> CompareScenarios(CompareScenariosRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var council = RequireCouncil(request.CouncilCode, context);
            if (request.ScenarioIds.Count < 1) throw new InvalidArgumentException("scenario_ids", "give at least one scenario id; the baseline is always included");
            var max = limits.Value.MaxCompareScenarios;
            if (request.ScenarioIds.Count > max)
                throw new InvalidArgumentException("scenario_ids", $"at most {max} scenarios in one comparison (got {request.ScenarioIds.Count})");
            var draws = (long)(request.Draws == 0 ? 2000 : request.Draws) * (request.ScenarioIds.Count + 1);
            if (draws > limits.Value.MaxCompareDraws)
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"draws x runs limit: a comparison may simulate at most {limits.Value.MaxCompareDraws} draws in all " +
                    $"(asked {draws}: {request.ScenarioIds.Count + 1} runs including the baseline); use fewer draws or scenarios"));
            var scenarios = request.ScenarioIds.Select(id => Visible(runner.Repository.Get(id), context) ?? throw NotFound(id)).ToList();
            if (scenarios.FirstOrDefault(s => s.CouncilCode != council) is { } other)
                throw new InvalidArgumentException("scenario_ids", $"scenario '{other.ScenarioId}' belongs to {other.CouncilCode}, not {council}");
            var comparison = runner.Compare(council, scenarios, new RunOptions(request.Draws, request.Seed, AsOf: ProtoMapping.ParseDate(request.AsOf, "as_of"),
                Cancellation: context.CancellationToken));
            runner.Repository.TrimResults(limits.Value.MaxStoredScenarioResults);
            return PlanningMapping.ToProto(comparison);
        }, context.CancellationToken);

    public override Task<Contracts.V1.PlanningBacktest> BacktestPlanning(BacktestPlanningRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var council = RequireCouncil(request.CouncilCode, context);
            var origins = request.Origins.Select((o, i) => ProtoMapping.ParseDate(o, $"origins[{i}]") ?? throw new InvalidArgumentException($"origins[{i}]", "a date is required")).ToList();
            var draws = request.Draws == 0 ? 2000 : request.Draws;
            var runs = Math.Max(1, origins.Count == 0 ? Planning.PlanningBacktest.DefaultOriginCount : origins.Count);
            if ((long)draws * runs > limits.Value.MaxCompareDraws)
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"draws x runs limit: a backtest may simulate at most {limits.Value.MaxCompareDraws} draws in all (asked {(long)draws * runs})"));
            return PlanningMapping.ToProto(Planning.PlanningBacktest.Run(runner, council, origins, ProtoMapping.ParseDate(request.End, "end"), draws,
                request.Seed == 0 ? ScenarioRunner.DefaultSeed : request.Seed, context.CancellationToken));
        }, context.CancellationToken);

    private static string RequireCouncil(string council, ServerCallContext context) => Caller.Of(context).RequireCouncil(council);

    /// <summary>Another council's scenario is reported as not found: a key cannot learn what other councils hold.</summary>
    private static Planning.Scenario? Visible(Planning.Scenario? scenario, ServerCallContext context) =>
        scenario is not null && Caller.Of(context).CanSee(scenario.CouncilCode) ? scenario : null;

    private static void ThrowIfInvalid(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0) throw new ScenarioValidationException(errors);
    }

    private static KeyNotFoundException NotFound(string id, int revision = 0) =>
        new(revision == 0 ? $"no scenario with id '{id}'" : $"scenario '{id}' has no revision {revision}");
}
