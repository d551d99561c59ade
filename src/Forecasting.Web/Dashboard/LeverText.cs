using System.Globalization;
using Forecasting.Planning;

namespace Forecasting.Web.Dashboard;

/// <summary>A scenario's levers in plain words: what each one changes from the baseline.</summary>
public static class LeverText
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>One line per lever that differs from the baseline; empty for the baseline itself.</summary>
    public static IReadOnlyList<string> Describe(ScenarioLevers levers)
    {
        var lines = new List<string>();
        if (!string.IsNullOrEmpty(levers.PopulationVariant) && levers.PopulationVariant != "principal")
            lines.Add($"Population projection: the {levers.PopulationVariant} variant instead of the principal one.");
        if (levers.ExtraPopulationGrowthPct != 0)
            lines.Add($"Population grows {P(levers.ExtraPopulationGrowthPct)}% a year faster than the projection.");
        if (levers.AdmissionDiversionPct != 0)
            lines.Add($"{P(levers.AdmissionDiversionPct)}% of residential (not nursing) admissions are diverted into supported living.");
        if (levers.ResidentialToSlMovesPerYear is { } moves)
            lines.Add($"{P(moves)} people a year move from residential care to supported living.");
        if (levers.TransitionsCohortMultiplier is { } multiplier && multiplier != 1)
            lines.Add($"The number of young people reaching 18 is {P(multiplier)} times the expected number.");
        if (levers.TransitionsSlShare is { } share)
            lines.Add($"{P(share * 100)}% of young people reaching 18 need supported living.");
        if (levers.DeliveryProbability is { Count: > 0 } probabilities)
            lines.Add("Chance that a scheme is delivered: " + string.Join(", ", probabilities.Select(kv => $"{Words.Status(kv.Key)} {P(kv.Value * 100)}%")) + ".");
        foreach (var slip in levers.Slippage ?? [])
            lines.Add($"Scheme {slip.PipelineId} opens {slip.Months} months later than planned.");
        foreach (var scheme in levers.NewSchemes ?? [])
            lines.Add($"A new scheme, {scheme.Name}: {scheme.Units} units for {Words.ClientGroup(scheme.ClientGroup)} from {Words.Date(scheme.ExpectedDate)}.");
        foreach (var cancelled in levers.CancelledSchemes ?? [])
            lines.Add($"Scheme {cancelled} is cancelled.");
        foreach (var change in levers.SchemeOverrides ?? [])
            lines.Add($"Scheme {change.PipelineId} changed:" +
                      (change.Status is null ? "" : $" status {change.Status};") +
                      (change.Probability is null ? "" : $" chance of delivery {P(change.Probability.Value * 100)}%;") +
                      (change.Units is null ? "" : $" {change.Units} units;") +
                      (change.ExpectedDate is null ? "" : $" opening {Words.Date(change.ExpectedDate.Value)};"));
        if (levers.VoidRate is { } voids)
            lines.Add($"Empty (void) units held at {P(voids * 100)}% of units.");
        if (levers.SharedLivesPlacementsPerYear != 0)
            lines.Add($"{P(levers.SharedLivesPlacementsPerYear)} Shared Lives placements a year, each meeting one person's need.");
        if (levers.DirectPaymentShareChange != 0)
            lines.Add($"The share of need met by direct payments instead of units {(levers.DirectPaymentShareChange > 0 ? "rises" : "falls")} by " +
                      $"{P(Math.Abs(levers.DirectPaymentShareChange) * 100)} percentage points from each client group's share today.");
        if (levers.WeeklyCosts is { Count: > 0 } costs)
            lines.Add("Weekly costs: " + string.Join(", ", costs.Select(kv => $"{kv.Key.Replace('_', ' ')} {CostCalculator.Money(kv.Value)}")) + " a week.");
        if (levers.CostUpliftPct != 0) lines.Add($"Costs rise {P(levers.CostUpliftPct)}% a year.");
        if (levers.DiscountRatePct is { } discount) lines.Add($"Present values are discounted {P(discount)}% a year.");
        if (levers.IncludeOutOfArea) lines.Add("Units out of the council's area count as supply.");
        if (levers.LetOutOfAreaUnits == false) lines.Add("The council stops placing people out of area: those tenancies run down as tenants leave.");
        if (levers.CountDisplacedNeed == false) lines.Add("People removed from the waiting list other than by death no longer count as needing a unit.");
        if (levers.NetDeliveredUnits) lines.Add("Units already delivered under the strategy are taken off its requirement.");
        if (levers.PipelineMinStatus is { } status) lines.Add($"Only planned schemes at status {Words.Status(status)} or firmer count, in full.");
        if (levers.TargetPipelineMinStatus is { } targetStatus)
            lines.Add($"Against the strategy's targets only, planned schemes at status {Words.Status(targetStatus)} or firmer count in full (the shortfall is unchanged).");
        if (levers.ClientGroups is { Count: > 0 } groups) lines.Add("Client groups: " + string.Join(", ", groups.Select(Words.ClientGroup)) + ".");
        if (levers.StartFy is > 0) lines.Add($"Reported from {Words.Year(levers.StartFy.Value)}.");
        if (levers.EndFy is > 0) lines.Add($"Reported to {Words.Year(levers.EndFy.Value)}.");
        if (!string.IsNullOrEmpty(levers.StrategyId))
            lines.Add($"Compared with strategy {levers.StrategyId}" + (levers.StrategyVersion is > 0 ? $", version {levers.StrategyVersion}." : " (latest version)."));
        return lines;
    }

    private static string P(double value) => value.ToString("0.##", Ci);
}
