using Forecasting.Analytics;
using Forecasting.Contracts.V1;
using Forecasting.Planning;
using Forecasting.Server.Security;
using Grpc.Core;
using Domain = Forecasting.Planning;

namespace Forecasting.Server.Services;

/// <summary>Thin gRPC layer over the planning domain: strategies, scenarios, runs and comparisons.</summary>
public sealed class PlanningGrpcService(PlanningSession session) : PlanningService.PlanningServiceBase
{
    public override Task<ListStrategiesResponse> ListStrategies(ListStrategiesRequest request, ServerCallContext context) =>
        session.RunAsync((_, connection) =>
        {
            var council = RequireCouncil(request.CouncilCode);
            var response = new ListStrategiesResponse();
            response.Strategies.AddRange(new StrategyRepository(connection).List(council).Select(v => PlanningMapping.ToProto(council, v)));
            return response;
        }, context.CancellationToken);

    public override Task<Contracts.V1.Strategy> GetStrategy(GetStrategyRequest request, ServerCallContext context) =>
        session.RunAsync((_, connection) =>
        {
            var council = RequireCouncil(request.CouncilCode);
            var strategy = new StrategyRepository(connection).Get(council, request.StrategyId)
                ?? throw new KeyNotFoundException($"strategy '{request.StrategyId}' not found for {council}");
            var versions = strategy.Versions;
            var version = request.Version == 0 ? versions[^1]
                : versions.FirstOrDefault(v => v.Version == request.Version)
                  ?? throw new KeyNotFoundException($"strategy '{request.StrategyId}' has no version {request.Version}; versions: {string.Join(", ", versions.Select(v => v.Version))}");
            return PlanningMapping.ToProto(council, version);
        }, context.CancellationToken);

    public override Task<Contracts.V1.Strategy> CreateStrategyVersion(CreateStrategyVersionRequest request, ServerCallContext context) =>
        session.RunAsync((_, connection) =>
        {
            var council = RequireCouncil(request.CouncilCode);
            if (string.IsNullOrWhiteSpace(request.Reason)) throw new QueryException("reason", "say why the targets change");
            var author = string.IsNullOrWhiteSpace(request.Author) ? ApiKeyInterceptor.CallerName(context) : request.Author;
            var phases = request.Phases.Select(p => new Domain.StrategyPhase(p.Name, p.StartFy, p.EndFy, p.UnitTarget)).ToList();
            var version = new StrategyRepository(connection).CreateVersion(council, request.StrategyId, author, request.Reason, phases,
                ProtoMapping.NullIfEmpty(request.Name), request.StartFy, request.EndFy);
            return PlanningMapping.ToProto(council, version);
        }, context.CancellationToken, changesBaseline: true);

    public override Task<Contracts.V1.Scenario> CreateScenario(CreateScenarioRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var council = RequireCouncil(request.CouncilCode);
            if (string.IsNullOrWhiteSpace(request.Name)) throw new QueryException("name", "a scenario needs a name");
            var levers = PlanningMapping.ToDomain(request.Levers);
            ThrowIfInvalid(runner.Validate(council, levers));
            var scenario = runner.Repository.Create(council, request.Name, levers, ApiKeyInterceptor.CallerName(context),
                ProtoMapping.NullIfEmpty(request.Description));
            return PlanningMapping.ToProto(scenario);
        }, context.CancellationToken);

    public override Task<Contracts.V1.Scenario> UpdateScenario(UpdateScenarioRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var current = runner.Repository.Get(request.ScenarioId) ?? throw NotFound(request.ScenarioId);
            var levers = PlanningMapping.ToDomain(request.Levers);
            ThrowIfInvalid(runner.Validate(current.CouncilCode, levers));
            var scenario = runner.Repository.Update(request.ScenarioId, levers, ApiKeyInterceptor.CallerName(context),
                ProtoMapping.NullIfEmpty(request.Name), ProtoMapping.NullIfEmpty(request.Description));
            return PlanningMapping.ToProto(scenario);
        }, context.CancellationToken);

    public override Task<ListScenariosResponse> ListScenarios(ListScenariosRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var response = new ListScenariosResponse();
            response.Scenarios.AddRange(runner.Repository.List(RequireCouncil(request.CouncilCode), request.IncludeDeleted).Select(PlanningMapping.ToProto));
            return response;
        }, context.CancellationToken);

    public override Task<Contracts.V1.Scenario> GetScenario(GetScenarioRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
            PlanningMapping.ToProto(runner.Repository.Get(request.ScenarioId, request.Revision == 0 ? null : request.Revision, includeDeleted: true)
                                    ?? throw NotFound(request.ScenarioId, request.Revision)),
            context.CancellationToken);

    public override Task<DeleteScenarioResponse> DeleteScenario(DeleteScenarioRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            if (!runner.Repository.Delete(request.ScenarioId, ApiKeyInterceptor.CallerName(context))) throw NotFound(request.ScenarioId);
            return new DeleteScenarioResponse();
        }, context.CancellationToken);

    public override async Task RunScenario(RunScenarioRequest request, IServerStreamWriter<RunScenarioProgress> responseStream, ServerCallContext context)
    {
        var result = await ProgressStreaming.RunAsync<RunProgress, PlanningResult>(progress => session.RunAsync((runner, _) =>
            {
                var options = new RunOptions(request.Draws, request.Seed, Progress: progress);
                if (string.IsNullOrEmpty(request.ScenarioId)) return runner.RunBaseline(RequireCouncil(request.CouncilCode), options);
                var scenario = runner.Repository.Get(request.ScenarioId, request.Revision == 0 ? null : request.Revision)
                               ?? throw NotFound(request.ScenarioId, request.Revision);
                return runner.Run(scenario, options);
            }, context.CancellationToken),
            step => responseStream.WriteAsync(new RunScenarioProgress { Done = step.Done, Total = step.Total, Stage = step.Stage }),
            context.CancellationToken);
        await responseStream.WriteAsync(new RunScenarioProgress { Done = 4, Total = 4, Stage = "result", Result = PlanningMapping.ToProto(result) });
    }

    public override Task<ScenarioResult> GetScenarioResult(GetScenarioResultRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
            PlanningMapping.ToProto(runner.Repository.GetResult(request.ResultId)
                                    ?? throw new KeyNotFoundException($"no scenario result with id '{request.ResultId}'")),
            context.CancellationToken);

    public override Task<ListScenarioResultsResponse> ListScenarioResults(ListScenarioResultsRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var response = new ListScenarioResultsResponse();
            response.Results.AddRange(runner.Repository.ListResults(ProtoMapping.NullIfEmpty(request.ScenarioId))
                .Select(r => PlanningMapping.ToProto(r, withYears: false)));
            return response;
        }, context.CancellationToken);

    public override Task<Contracts.V1.ScenarioComparison> CompareScenarios(CompareScenariosRequest request, ServerCallContext context) =>
        session.RunAsync((runner, _) =>
        {
            var council = RequireCouncil(request.CouncilCode);
            if (request.ScenarioIds.Count < 1) throw new QueryException("scenario_ids", "give at least one scenario id; the baseline is always included");
            var scenarios = request.ScenarioIds.Select(id => runner.Repository.Get(id) ?? throw NotFound(id)).ToList();
            if (scenarios.FirstOrDefault(s => s.CouncilCode != council) is { } other)
                throw new QueryException("scenario_ids", $"scenario '{other.ScenarioId}' belongs to {other.CouncilCode}, not {council}");
            return PlanningMapping.ToProto(runner.Compare(council, scenarios, new RunOptions(request.Draws, request.Seed)));
        }, context.CancellationToken);

    private static string RequireCouncil(string council) =>
        string.IsNullOrWhiteSpace(council) ? throw new QueryException("council_code", "a council code is required (e.g. E06009999)") : council;

    private static void ThrowIfInvalid(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0) throw new ScenarioValidationException(errors);
    }

    private static KeyNotFoundException NotFound(string id, int revision = 0) =>
        new(revision == 0 ? $"no scenario with id '{id}'" : $"scenario '{id}' has no revision {revision}");
}
