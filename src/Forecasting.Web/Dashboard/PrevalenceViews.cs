using Forecasting.Application.Planning;
using Forecasting.Planning;
using Forecasting.Store.Analytics;

namespace Forecasting.Web.Dashboard;

/// <summary>The prevalence cross-check of a result as the shortfall page, the report and the downloads show it; Missing says why there is none.</summary>
public sealed record PrevalenceView(PrevalenceCheckResult? Check, DataTable? Groups, DataTable? ExtraCare, string? Missing);

/// <summary>The prevalence cross-check of a planning result, through <see cref="PrevalenceUseCases"/> as the API's GetPrevalenceCheck.</summary>
public sealed class PrevalenceViews(PrevalenceUseCases prevalence, AnalyticsQueries analytics)
{
    /// <summary>Checks kept: a stored result never changes, and the data it is checked against changes only with an import.</summary>
    private const int Kept = 32;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PrevalenceView> _checks = new();

    /// <summary>The check of a result on the current data, kept per result and data snapshot (the shortfall page and the report show it on every opening).</summary>
    public async Task<PrevalenceView> For(PlanningResult result, CancellationToken ct)
    {
        var key = result.ResultId + "|" + analytics.CurrentSnapshotId();
        if (_checks.TryGetValue(key, out var kept)) return kept;
        PrevalenceView view;
        try
        {
            view = View(await Task.Run(() => prevalence.Check(result), ct));
        }
        catch (NoDataException e)
        {
            view = new PrevalenceView(null, null, null, e.Message);
        }
        if (_checks.Count >= Kept) _checks.Clear();
        _checks[key] = view;
        return view;
    }

    public static PrevalenceView View(PrevalenceCheckResult check)
    {
        var source = $"result {check.ResultId}, snapshot {check.SnapshotId}, population {check.PopulationVariant} ({check.PopulationSource})";
        var groups = DataTable.Build("prevalence", "Units needed: the flow model beside prevalence x population, at 31 March", source,
            [new("Financial year"), new("Client group"), new("Flow model", 0), new("Flow model P10", 0), new("Flow model P90", 0),
             new("People with the conditions", 0), new("Share needing a unit (%)", 1), new("Prevalence view", 0),
             new("Prevalence view, low population", 0), new("Prevalence view, high population", 0), new("Difference (flow - prevalence)", 0)],
            check.Groups.OrderBy(g => ClientGroups.IndexOf(g.ClientGroup)).ThenBy(g => g.Fy).Select(g => new object?[]
            {
                g.FyLabel, Words.ClientGroup(g.ClientGroup), g.FlowDemand, g.FlowDemandP10, g.FlowDemandP90, g.PrevalentPeople, g.NeedShare * 100,
                g.PrevalenceNeed, g.PrevalenceNeedLow, g.PrevalenceNeedHigh, g.Difference,
            }));
        var extraCare = DataTable.Build("extra-care", "Extra care: units per 1,000 people aged 75+ against extra-care supply, at 31 March", source,
            [new("Financial year"), new("People aged 75+", 0), new("Units per 1,000", 1), new("Units needed", 0), new("Open units", 0),
             new("Pipeline (weighted)", 1) { Shown = 0 }, new("Supply", 0), new("Gap by the ratio", 0), new("Flow model: older people needing a unit", 0),
             new("Flow model: their units", 0), new("Flow model: shortfall", 0)],
            check.ExtraCare.Select(e => new object?[]
            {
                e.FyLabel, e.PopulationAged75Plus, e.UnitsPer1000, e.UnitsNeeded, e.ExistingUnits, e.PipelineUnits, e.Supply, e.Gap,
                e.FlowOlderDemand, e.FlowOlderSupply, e.FlowOlderShortfall,
            }));
        return new PrevalenceView(check, groups, extraCare, null);
    }
}
