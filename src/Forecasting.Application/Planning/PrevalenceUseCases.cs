using Forecasting.Domain;
using Forecasting.Planning;
using Forecasting.Store;
using Forecasting.Store.Analytics;
using Forecasting.Store.Planning;

namespace Forecasting.Application.Planning;

/// <summary>
/// The prevalence cross-check of a planning result: a stored result, or the council's baseline run now (stored, as
/// RunScenario stores it), beside prevalence x population and the extra-care ratio from the council's data.
/// </summary>
public sealed class PrevalenceUseCases(PlanningUseCases planning, ForecastingStore store)
{
    /// <param name="council">The council; required without <paramref name="resultId"/>, else it must be the result's when given.</param>
    /// <param name="resultId">A stored result to check; empty = run the council's baseline with <paramref name="options"/>.</param>
    public async Task<PrevalenceCheckResult> Check(string? council, string? resultId, RunOptions options, Func<string?, bool> canSee,
        CancellationToken cancellationToken)
    {
        PlanningResult result;
        if (string.IsNullOrEmpty(resultId))
        {
            if (string.IsNullOrEmpty(council)) throw new InvalidArgumentException("council_code", "a council code is required (e.g. E06009999) when no result_id is given");
            result = await planning.RunScenario(council, null, 0, options, canSee, cancellationToken);
        }
        else
        {
            result = await planning.GetScenarioResult(resultId, canSee, cancellationToken);
            if (!string.IsNullOrEmpty(council) && result.CouncilCode != council)
                throw new InvalidArgumentException("result_id", $"result '{resultId}' belongs to {result.CouncilCode}, not {council}");
        }
        return await Task.Run(() => Check(result), cancellationToken);
    }

    /// <summary>The check of one result on the store's current data.</summary>
    public PrevalenceCheckResult Check(PlanningResult result)
    {
        var inputs = new PrevalenceDataLoader(store).Load(result.CouncilCode, result.AsOf);
        try
        {
            var check = PrevalenceCheck.Compute(inputs.Data, result, inputs.Schemes, inputs.Pipeline);
            return inputs.SnapshotId is { } current && result.SnapshotId is not null && current != result.SnapshotId
                ? check with { Warnings = [.. check.Warnings, $"the result was computed on snapshot {result.SnapshotId}; rates, population and schemes are read from the current snapshot {current}"] }
                : check;
        }
        catch (NoPrevalenceDataException e)
        {
            throw new NoDataException(e.Message);
        }
    }
}
