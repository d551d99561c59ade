using Forecasting.Application.Planning;
using Forecasting.Contracts.V1;
using Forecasting.Domain;
using Forecasting.Planning;
using Forecasting.Server.Security;
using Grpc.Core;

namespace Forecasting.Server.Services;

/// <summary>Thin gRPC layer over the planning use cases: strategies, scenarios, runs and comparisons.</summary>
public sealed class PlanningGrpcService(PlanningUseCases planning, Infrastructure.SnapshotDates dates, PrevalenceUseCases prevalence)
    : PlanningService.PlanningServiceBase
{
    public override async Task<ListStrategiesResponse> ListStrategies(ListStrategiesRequest request, ServerCallContext context)
    {
        var council = RequireCouncil(request.CouncilCode, context);
        var response = new ListStrategiesResponse();
        response.Strategies.AddRange((await planning.ListStrategies(council, context.CancellationToken)).Select(v => PlanningMapping.ToProto(council, v)));
        return response;
    }

    public override async Task<Contracts.V1.Strategy> GetStrategy(GetStrategyRequest request, ServerCallContext context)
    {
        var council = RequireCouncil(request.CouncilCode, context);
        return PlanningMapping.ToProto(council, await planning.GetStrategy(council, request.StrategyId, request.Version, context.CancellationToken));
    }

    public override async Task<Contracts.V1.Strategy> CreateStrategyVersion(CreateStrategyVersionRequest request, ServerCallContext context)
    {
        var council = RequireCouncil(request.CouncilCode, context);
        // The author is who holds the key, whatever the request says: the record must be attributable.
        var author = Caller.Of(context).Name;
        var phases = request.Phases.Select(p => new Planning.StrategyPhase(p.Name, p.StartFy, p.EndFy, p.UnitTarget)).ToList();
        var targets = request.Targets.Select(PlanningMapping.FromProto).ToList();
        var version = await planning.CreateStrategyVersion(council, request.StrategyId, author, request.Reason, phases,
            ProtoMapping.NullIfEmpty(request.Name), request.StartFy, request.EndFy, targets, context.CancellationToken);
        return PlanningMapping.ToProto(council, version);
    }

    public override async Task<Contracts.V1.Scenario> CreateScenario(CreateScenarioRequest request, ServerCallContext context)
    {
        var council = RequireCouncil(request.CouncilCode, context);
        var scenario = await planning.CreateScenario(council, request.Name, PlanningMapping.ToDomain(request.Levers), Caller.Of(context).Name,
            ProtoMapping.NullIfEmpty(request.Description), context.CancellationToken);
        return PlanningMapping.ToProto(scenario);
    }

    public override async Task<Contracts.V1.Scenario> UpdateScenario(UpdateScenarioRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        var scenario = await planning.UpdateScenario(request.ScenarioId, PlanningMapping.ToDomain(request.Levers), caller.Name,
            ProtoMapping.NullIfEmpty(request.Name), ProtoMapping.NullIfEmpty(request.Description), caller.CanSee, context.CancellationToken);
        return PlanningMapping.ToProto(scenario);
    }

    public override async Task<ListScenariosResponse> ListScenarios(ListScenariosRequest request, ServerCallContext context)
    {
        var council = RequireCouncil(request.CouncilCode, context);
        var response = new ListScenariosResponse();
        response.Scenarios.AddRange((await planning.ListScenarios(council, request.IncludeDeleted, context.CancellationToken)).Select(PlanningMapping.ToProto));
        return response;
    }

    public override async Task<Contracts.V1.Scenario> GetScenario(GetScenarioRequest request, ServerCallContext context) =>
        PlanningMapping.ToProto(await planning.GetScenario(request.ScenarioId, request.Revision, Caller.Of(context).CanSee, context.CancellationToken));

    public override async Task<DeleteScenarioResponse> DeleteScenario(DeleteScenarioRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        await planning.DeleteScenario(request.ScenarioId, caller.Name, caller.CanSee, context.CancellationToken);
        return new DeleteScenarioResponse();
    }

    public override async Task RunScenario(RunScenarioRequest request, IServerStreamWriter<RunScenarioProgress> responseStream, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        var asOf = ProtoMapping.ParseDate(request.AsOf, "as_of");
        var council = string.IsNullOrEmpty(request.ScenarioId) ? RequireCouncil(request.CouncilCode, context) : null;
        var result = await ProgressStreaming.RunAsync<RunProgress, PlanningResult>(progress =>
                planning.RunScenario(council, request.ScenarioId, request.Revision,
                    new RunOptions(request.Draws, request.Seed, AsOf: asOf, Progress: progress, Cancellation: context.CancellationToken),
                    caller.CanSee, context.CancellationToken),
            step => responseStream.WriteAsync(new RunScenarioProgress { Done = step.Done, Total = step.Total, Stage = step.Stage }),
            context.CancellationToken);
        await responseStream.WriteAsync(new RunScenarioProgress { Done = 4, Total = 4, Stage = "result", Result = Dated(PlanningMapping.ToProto(result)) });
    }

    public override async Task<ScenarioResult> GetScenarioResult(GetScenarioResultRequest request, ServerCallContext context) =>
        Dated(PlanningMapping.ToProto(await planning.GetScenarioResult(request.ResultId, Caller.Of(context).CanSee, context.CancellationToken)));

    public override async Task<ListScenarioResultsResponse> ListScenarioResults(ListScenarioResultsRequest request, ServerCallContext context)
    {
        var response = new ListScenarioResultsResponse();
        var results = await planning.ListScenarioResults(ProtoMapping.NullIfEmpty(request.ScenarioId), Caller.Of(context).CanSee, context.CancellationToken);
        response.Results.AddRange(results.Select(r => Dated(PlanningMapping.ToProto(r, withYears: false))));
        return response;
    }

    public override async Task<Contracts.V1.ScenarioComparison> CompareScenarios(CompareScenariosRequest request, ServerCallContext context)
    {
        var council = RequireCouncil(request.CouncilCode, context);
        var asOf = ProtoMapping.ParseDate(request.AsOf, "as_of");
        var comparison = await planning.CompareScenarios(council, request.ScenarioIds.ToList(), request.Draws, request.Seed, asOf,
            Caller.Of(context).CanSee, context.CancellationToken);
        var proto = PlanningMapping.ToProto(comparison);
        Dated(proto.Baseline);
        foreach (var result in proto.Results) Dated(result);
        return proto;
    }

    public override async Task<Contracts.V1.PlanningBacktest> BacktestPlanning(BacktestPlanningRequest request, ServerCallContext context)
    {
        var council = RequireCouncil(request.CouncilCode, context);
        var origins = request.Origins.Select((o, i) => ProtoMapping.ParseDate(o, $"origins[{i}]")
            ?? throw new InvalidArgumentException($"origins[{i}]", "a date is required")).ToList();
        var rule = new OriginRule(request.OriginStepMonths == 0 ? 3 : request.OriginStepMonths, ProtoMapping.ParseDate(request.FirstOrigin, "first_origin"));
        var backtest = await planning.BacktestPlanning(council, origins, ProtoMapping.ParseDate(request.End, "end"), request.Draws, request.Seed,
            context.CancellationToken, rule, request.ClientGroups.ToList());
        var proto = PlanningMapping.ToProto(backtest);
        proto.AsOfDate = dates.Of(proto.SnapshotId);
        return proto;
    }

    public override async Task<Contracts.V1.PrevalenceCheck> GetPrevalenceCheck(GetPrevalenceCheckRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        var resultId = ProtoMapping.NullIfEmpty(request.ResultId);
        var council = resultId is null || !string.IsNullOrEmpty(request.CouncilCode) ? RequireCouncil(request.CouncilCode, context) : null;
        var asOf = ProtoMapping.ParseDate(request.AsOf, "as_of");
        var check = await prevalence.Check(council, resultId, new RunOptions(request.Draws, request.Seed, AsOf: asOf, Cancellation: context.CancellationToken),
            caller.CanSee, context.CancellationToken);
        var proto = PrevalenceMapping.ToProto(check);
        proto.AsOfDate = dates.Of(proto.SnapshotId);
        return proto;
    }
    public override async Task<Contracts.V1.Publication> PublishResult(PublishResultRequest request, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        // The publisher is who holds the key: the record must be attributable.
        return PlanningMapping.ToProto(await planning.PublishResult(request.ResultId, request.Label, caller.Name, caller.CanSee, context.CancellationToken));
    }

    public override async Task<ListPublicationsResponse> ListPublications(ListPublicationsRequest request, ServerCallContext context)
    {
        var council = RequireCouncil(request.CouncilCode, context);
        var response = new ListPublicationsResponse();
        response.Publications.AddRange((await planning.ListPublications(council, context.CancellationToken)).Select(PlanningMapping.ToProto));
        return response;
    }

    /// <summary>The result names the as-of date of the snapshot it was computed from.</summary>
    private ScenarioResult Dated(ScenarioResult result)
    {
        if (result is not null) result.AsOfDate = dates.Of(result.SnapshotId);
        return result!;
    }

    private static string RequireCouncil(string council, ServerCallContext context) => Caller.Of(context).RequireCouncil(council);
}
