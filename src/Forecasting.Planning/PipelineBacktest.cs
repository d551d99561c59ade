using System.Globalization;

namespace Forecasting.Planning;

/// <summary>
/// One pipeline scheme as forecast at an origin: its status then (recorded, or by the lead-time rule when the
/// recorded status is later), the delivery probability and expected date the model uses, and what happened.
/// </summary>
/// <param name="Outcome">delivered, failed or open (still in the pipeline at the end).</param>
public sealed record PipelineSchemeForecast(
    DateOnly Origin, string PipelineId, string Name, int Units, string StatusAtOrigin, bool StatusSubstituted, double Probability,
    DateOnly ExpectedDate, int MaxSlipMonths, string Outcome, DateOnly? OutcomeDate);

/// <summary>Units expected (probability x chance the slipped date is by then) and delivered by a year end, from one origin.</summary>
public sealed record PipelineBacktestRow(DateOnly Origin, int Fy, int Horizon, int Schemes, double ExpectedUnits, double DeliveredUnits);

/// <summary>
/// A point of the calibration line: scheme forecasts with one predicted delivery probability, resolved by the end
/// (delivered or failed), and the share delivered.
/// </summary>
public sealed record PipelineCalibrationPoint(double Probability, int Forecasts, int Delivered)
{
    public double DeliveredShare => Forecasts == 0 ? double.NaN : Delivered / (double)Forecasts;
}

public sealed record PipelineBacktestResult(
    IReadOnlyList<PipelineSchemeForecast> Schemes, IReadOnlyList<PipelineBacktestRow> Rows, IReadOnlyList<PipelineCalibrationPoint> Calibration,
    PipelineHistoryEstimate History, IReadOnlyList<string> Notes);

/// <summary>
/// The pipeline backtest: as known at each origin, each scheme's expected delivery (the model's default probability
/// for its status then and a uniform slip of 0..max whole months by status from its expected date) against what the
/// data shows at the end.
/// </summary>
public static class PipelineBacktest
{
    public static PipelineBacktestResult Run(ScenarioRunner runner, string councilCode, IReadOnlyList<DateOnly> origins, DateOnly end)
    {
        var latest = runner.Baseline(councilCode, end);
        var outcomes = latest.PipelineOutcomes.ToDictionary(o => o.Scheme.PipelineId);
        var schemes = new List<PipelineSchemeForecast>();
        var rows = new List<PipelineBacktestRow>();
        foreach (var origin in origins)
        {
            var atOrigin = runner.Baseline(councilCode, origin);
            var forecasts = new List<PipelineSchemeForecast>();
            foreach (var p in atOrigin.Pipeline)
            {
                if (p.Status == PipelineStatuses.Delivered) continue;
                var (outcome, date) = outcomes.TryGetValue(p.PipelineId, out var o) ? Outcome(o) : ("open", (DateOnly?)null);
                forecasts.Add(new PipelineSchemeForecast(origin, p.PipelineId, p.Name, p.Units, p.Status, p.StatusDate is null,
                    PipelineStatuses.DefaultProbabilities.GetValueOrDefault(p.Status), p.ExpectedDate,
                    PipelineStatuses.DefaultMaxSlipMonths.GetValueOrDefault(p.Status), outcome, date));
            }
            schemes.AddRange(forecasts);
            var firstFy = FinancialYear.Of(origin.AddDays(1));
            for (var fy = firstFy; fy <= FinancialYear.Of(end); fy++)
            {
                var yearEnd = FinancialYear.End(fy);
                rows.Add(new PipelineBacktestRow(origin, fy, fy - firstFy + 1, forecasts.Count,
                    forecasts.Sum(f => f.Units * DeliveredBy(f, yearEnd)),
                    forecasts.Where(f => f.Outcome == "delivered" && f.OutcomeDate <= yearEnd).Sum(f => (double)f.Units)));
            }
        }
        var calibration = schemes.Where(s => s.Outcome != "open").GroupBy(s => s.Probability).OrderBy(g => g.Key)
            .Select(g => new PipelineCalibrationPoint(g.Key, g.Count(), g.Count(s => s.Outcome == "delivered"))).ToList();
        var notes = new List<string>
        {
            "probabilities are the model's defaults by status; a scheme forecast at several origins counts once per origin, so the calibration points are not independent",
        };
        if (schemes.Any(s => s.StatusSubstituted)) notes.Add(AsKnown.StatusRule);
        return new PipelineBacktestResult(schemes, rows, calibration, PipelineHistory.Estimate(latest), notes);
    }

    private static (string, DateOnly?) Outcome(PipelineOutcome o) => o.Scheme.Status switch
    {
        PipelineStatuses.Delivered => ("delivered", o.OpenedDate ?? o.Scheme.StatusDate ?? o.Scheme.ExpectedDate),
        PipelineStatuses.Failed => ("failed", o.Scheme.StatusDate),
        _ => ("open", null),
    };

    /// <summary>
    /// The forecast chance a scheme is delivered by a date: its probability times the share of the equally likely
    /// slips (0..max whole months) that bring its month to the date's month or earlier.
    /// </summary>
    public static double DeliveredBy(PipelineSchemeForecast f, DateOnly date)
    {
        var months = MonthIndex.Of(date) - MonthIndex.Of(f.ExpectedDate);
        if (months < 0) return 0;
        return f.Probability * Math.Min(f.MaxSlipMonths + 1, months + 1) / (f.MaxSlipMonths + 1);
    }

    public static string Format(PipelineBacktestResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string> { "pipeline: units expected and delivered by each year end, by origin:" };
        foreach (var g in r.Rows.GroupBy(x => x.Origin))
            lines.Add($"  {g.Key:yyyy-MM-dd}  " + string.Join("  ", g.Select(x =>
                string.Format(ci, "{0} {1:0.0}/{2:0}", FinancialYear.Label(x.Fy), x.ExpectedUnits, x.DeliveredUnits))));
        lines.Add("calibration (predicted probability: delivered / resolved forecasts): " + (r.Calibration.Count == 0 ? "no resolved schemes" :
            string.Join(", ", r.Calibration.Select(c => string.Format(ci, "{0:0.00}: {1}/{2}", c.Probability, c.Delivered, c.Forecasts)))));
        lines.Add("delivery history: " + r.History.Summary);
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Delivered share of resolved schemes whose status before resolution is recorded, for one status.</summary>
/// <param name="Share">null = nothing to estimate from (no resolved scheme with that earlier status).</param>
public sealed record StatusDeliveryShare(string Status, int Resolved, int Delivered, double? Share);

/// <summary>
/// What the pipeline's own history can tell about delivery: per status, the delivered share of resolved schemes
/// (delivered or failed) whose status before they resolved is recorded; overall, the share of resolved schemes and
/// units delivered; slippage from delivered schemes whose original expected date is kept. Whatever the data cannot
/// support is null, with the reason in <see cref="Notes"/>.
/// </summary>
public sealed record PipelineHistoryEstimate(
    IReadOnlyList<StatusDeliveryShare> ByStatus, int ResolvedSchemes, int DeliveredSchemes, int ResolvedUnits, int DeliveredUnits,
    double? MeanSlipMonths, int SlipObservations, IReadOnlyList<string> Notes)
{
    public double? DeliveredShare => ResolvedSchemes == 0 ? null : DeliveredSchemes / (double)ResolvedSchemes;
    public double? DeliveredUnitShare => ResolvedUnits == 0 ? null : DeliveredUnits / (double)ResolvedUnits;

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{DeliveredSchemes} of {ResolvedSchemes} resolved schemes delivered ({DeliveredUnits} of {ResolvedUnits} units); ") + string.Join("; ", Notes);
}

public static class PipelineHistory
{
    /// <summary>
    /// Estimates delivery from the pipeline as the baseline records it. The pipeline holds one row per scheme (its
    /// current status and status date), so a resolved scheme's earlier status is recorded only when the pipeline keeps
    /// its history; without it, no per-status share can be estimated. Slippage needs the expected date as it stood
    /// before delivery; a delivered row whose expected date equals its opening date has had it overwritten.
    /// </summary>
    public static PipelineHistoryEstimate Estimate(PlanningBaseline baseline)
    {
        var resolved = baseline.PipelineOutcomes.Where(o => o.Scheme.Status is PipelineStatuses.Delivered or PipelineStatuses.Failed).ToList();
        var delivered = resolved.Where(o => o.Scheme.Status == PipelineStatuses.Delivered).ToList();
        // One row per scheme: the status before resolution is never recorded in this table.
        var byStatus = PipelineStatuses.Ordered.Where(s => s is not (PipelineStatuses.Delivered or PipelineStatuses.Failed))
            .Select(s => new StatusDeliveryShare(s, 0, 0, null)).ToList();
        var notes = new List<string>();
        if (resolved.Count > 0)
            notes.Add("per-status delivery shares cannot be estimated: the pipeline keeps one row per scheme, so the status a delivered or failed scheme had before is not recorded");
        else
            notes.Add("no delivered or failed schemes: delivery cannot be estimated from the pipeline");
        var slips = delivered.Where(o => o.OpenedDate is not null && o.OpenedDate != o.Scheme.ExpectedDate)
            .Select(o => (double)(MonthIndex.Of(o.OpenedDate!.Value) - MonthIndex.Of(o.Scheme.ExpectedDate))).ToList();
        var overwritten = delivered.Count(o => o.OpenedDate is not null && o.OpenedDate == o.Scheme.ExpectedDate);
        if (overwritten > 0)
            notes.Add($"slippage cannot be estimated from {overwritten} of {delivered.Count} delivered schemes: their expected date is their opening date (the original expected date is not kept)");
        if (delivered.Any(o => o.OpenedDate is null))
            notes.Add($"{delivered.Count(o => o.OpenedDate is null)} delivered rows match no scheme, so their opening date is unknown");
        return new PipelineHistoryEstimate(byStatus, resolved.Count, delivered.Count, resolved.Sum(o => o.Scheme.Units), delivered.Sum(o => o.Scheme.Units),
            slips.Count > 0 ? slips.Average() : null, slips.Count, notes);
    }
}
