using System.Globalization;

namespace Forecasting.Planning;

public enum PipelineCounting
{
    /// <summary>Each pipeline scheme counts units x delivery probability of its status.</summary>
    ProbabilityWeighted,
    /// <summary>Schemes at the minimum status or firmer count in full; weaker ones not at all.</summary>
    StatusThreshold,
}

/// <summary>
/// Which units count as supply, from which date and at what confidence, and whether delivered units are netted from
/// the strategy requirement. Every projection, simulation and target comparison carries one.
/// </summary>
public sealed record CountingBasis(
    DateOnly AsOf,
    bool IncludeOutOfArea,
    bool NetDelivered,
    PipelineCounting PipelineCounting,
    string? MinimumStatus,
    IReadOnlyDictionary<string, double> DeliveryProbabilities,
    IReadOnlyDictionary<string, double> VoidRates,
    bool VoidRateIsTarget,
    string Description)
{
    /// <summary>
    /// Minimum status of the target arithmetic (lever target_pipeline_min_status): schemes at it or firmer count in full
    /// towards the strategy target, weaker ones not at all. null = the targets count the pipeline as the simulation does.
    /// It never changes the simulation.
    /// </summary>
    public string? TargetMinimumStatus { get; init; }

    /// <summary>How the strategy target arithmetic counts the pipeline (its own lever, else as the simulation).</summary>
    public PipelineCounting TargetCounting => TargetMinimumStatus is not null ? PipelineCounting.StatusThreshold : PipelineCounting;

    /// <summary>The minimum status the target arithmetic uses, if it counts by status.</summary>
    public string? TargetStatusThreshold => TargetMinimumStatus ?? MinimumStatus;

    /// <summary>
    /// Weight of a pipeline scheme in the target arithmetic: by the target threshold when set, else
    /// <paramref name="simulationWeight"/> (the scheme's weight in the simulation) or, without one, <see cref="PipelineWeight"/>.
    /// </summary>
    public double TargetPipelineWeight(string status, double? simulationWeight = null) => TargetMinimumStatus is { } t
        ? (PipelineStatuses.AtLeast(status, t) ? 1.0 : 0.0)
        : simulationWeight ?? PipelineWeight(status);

    /// <summary>One sentence on how the target arithmetic counts the pipeline.</summary>
    public string TargetDescription => TargetText(TargetMinimumStatus);

    private static string TargetText(string? minimum) => minimum is { } t
        ? $"Strategy targets count pipeline schemes at status {t} or firmer in full (due by each year), weaker ones not at all; this is the target arithmetic only, the simulation counts them as above."
        : "Strategy targets count the pipeline as the simulation does.";

    /// <summary>Weight of a pipeline scheme of <paramref name="status"/> under this basis.</summary>
    public double PipelineWeight(string status) => PipelineCounting == PipelineCounting.StatusThreshold
        ? (PipelineStatuses.AtLeast(status, MinimumStatus!) ? 1.0 : 0.0)
        : DeliveryProbabilities.GetValueOrDefault(status, 0.0);

    /// <param name="housedOutOfArea">People in out-of-area units on the as-of date.</param>
    public static CountingBasis Create(DateOnly asOf, ScenarioLevers levers, IReadOnlyDictionary<string, double> voidRates, double housedOutOfArea = 0)
    {
        var probabilities = PipelineStatuses.Ordered.ToDictionary(s => s, levers.DeliveryProbabilityOf);
        var counting = levers.PipelineMinStatus is null ? PipelineCounting.ProbabilityWeighted : PipelineCounting.StatusThreshold;
        var isTarget = levers.VoidRate is not null;
        var ci = CultureInfo.InvariantCulture;
        var area = levers.IncludeOutOfArea ? "in-area and out-of-area units" : "in-area units only (out-of-area units reported separately, not counted)";
        var voids = isTarget
            ? $"less a void allowance for turnover at the target rate of {levers.VoidRate!.Value.ToString("P1", ci)} for client groups above it " +
              "(groups below keep their own: " + string.Join(", ", voidRates.Select(kv => $"{kv.Key} {kv.Value.ToString("P1", ci)}")) + ")"
            : "less a void allowance for turnover: the share of units being re-let when units are full, e T / (1 + e T) from each client " +
              "group's monthly exit rate e and mean re-let time T in months (" +
              string.Join(", ", voidRates.Select(kv => $"{kv.Key} {kv.Value.ToString("P1", ci)}")) + ")";
        var pipeline = counting == PipelineCounting.ProbabilityWeighted
            ? "pipeline schemes counted from their expected date (after any scenario slippage) at units x delivery probability (" +
              string.Join(", ", PipelineStatuses.Ordered.Select(s => $"{s} {probabilities[s].ToString("0.##", ci)}")) + ")"
            : $"pipeline schemes at status {levers.PipelineMinStatus} or firmer counted in full from their expected date (after any scenario slippage); weaker statuses and failed schemes count nothing";
        var netted = levers.NetDeliveredUnits
            ? "Units already delivered under the strategy are netted from its requirement."
            : "Units already delivered under the strategy are NOT netted from its requirement.";
        var outOfArea = levers.IncludeOutOfArea
            ? $"The {housedOutOfArea.ToString("0", ci)} people housed out of area on {asOf:yyyy-MM-dd} count as demand and their units as supply."
            : $"The {housedOutOfArea.ToString("0", ci)} people housed out of area on {asOf:yyyy-MM-dd} count as demand but their units do not count as supply, so they add to the shortfall.";
        outOfArea += levers.EffectiveLetOutOfAreaUnits
            ? " Out-of-area units that come free are let again, as today."
            : " Out-of-area units are not let again: the council stops placing out of area and those tenancies run down.";
        var displaced = levers.EffectiveCountDisplacedNeed
            ? "People removed from the waiting list other than by death (withdrawn, other) stay in demand as displaced need."
            : "People removed from the waiting list other than by death leave demand when they are removed.";
        var description =
            $"Supply counts {area} that are not offline on {asOf:yyyy-MM-dd}, {voids}, minus planned decommissions from their closure date, " +
            $"plus schemes opening after that date from their opening date, plus {pipeline}. " +
            "Pipeline schemes already delivered by the as-of date are part of the existing units and are not counted again. " +
            "Stocks are at the end of each financial year (31 March). " + outOfArea + " " + displaced + " " + netted;
        if (levers.TargetPipelineMinStatus is not null) description += " " + TargetText(levers.TargetPipelineMinStatus);
        return new CountingBasis(asOf, levers.IncludeOutOfArea, levers.NetDeliveredUnits, counting, levers.PipelineMinStatus,
            probabilities, voidRates, isTarget, description)
        { TargetMinimumStatus = levers.TargetPipelineMinStatus };
    }
}
