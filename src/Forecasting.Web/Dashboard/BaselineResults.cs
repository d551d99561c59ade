using Forecasting.Store.Analytics;
using Forecasting.Application.Planning;
using Forecasting.Planning;
using Forecasting.Store.Planning;
using Forecasting.Web.Security;

namespace Forecasting.Web.Dashboard;

/// <summary>A stored scenario result and its tables as the shortfall page, the report and the downloads show them.</summary>
public sealed record ShortfallView(PlanningResult Result, IReadOnlyList<YearSummary> Years, DataTable Shortfall, DataTable Targets)
{
    public IReadOnlyList<YearSummary> Group(string clientGroup) => Years.Where(y => y.ClientGroup == clientGroup).OrderBy(y => y.Fy).ToList();

    public IReadOnlyList<string> ClientGroups => Years.Select(y => y.ClientGroup).Distinct().OrderBy(g => g == "all" ? 1 : 0).ToList();

    /// <summary>The publication the figures come from (the latest of the result), or null for a run not published.</summary>
    public Publication? Published { get; init; }
}

/// <summary>
/// The planning results the pages show, through <see cref="PlanningUseCases"/> as the API's GetScenarioResult,
/// RunScenario and PublishResult. The council's figures are its latest published baseline (on any snapshot), so an
/// ad-hoc run through the API never moves them; with none published yet, the first page that needs them runs the
/// baseline with the API's defaults (draws and seed 0) and publishes it under <see cref="AutomaticLabel"/>.
/// </summary>
public sealed class BaselineResults(PlanningUseCases planning, AnalyticsQueries analytics, WebAudit audit)
{
    public const string AutomaticLabel = "Baseline with the default settings, published automatically on first use";

    public const string AutomaticPublisher = "the server (first use)";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The council's published baseline: its latest publication of a baseline run, published now when there is none.</summary>
    public async Task<PublishedResult> Baseline(string council, WebUser user, CancellationToken ct)
    {
        if (await LatestPublished(council, null, ct) is { } published) return published;
        await _gate.WaitAsync(ct);
        try
        {
            if (await LatestPublished(council, null, ct) is { } again) return again;
            var run = await audit.Write(user, WebAudit.RunScenario, council,
                () => planning.RunScenario(council, null, 0, new RunOptions(0, 0, Cancellation: ct), user.CanSee, ct), r => WebAudit.Targets(("result_id", r.ResultId)));
            return await audit.Write(user, WebAudit.PublishResult, council,
                () => planning.PublishResult(run.ResultId, AutomaticLabel, AutomaticPublisher, user.CanSee, ct),
                p => WebAudit.Targets(("result_id", p.Result.ResultId), ("publication_id", p.Publication.PublicationId)));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The view of the council's published baseline, naming its publication.</summary>
    public async Task<ShortfallView> BaselineView(string council, WebUser user, CancellationToken ct) => View(await Baseline(council, user, ct));

    /// <summary>Publishes a stored result under a label, as PublishResult (strategy leads and analysts), audited as the API's.</summary>
    public Task<PublishedResult> Publish(string resultId, string label, WebUser user, CancellationToken ct) =>
        audit.Write(user, WebAudit.PublishResult, null, () => planning.PublishResult(resultId, label, user.Name, user.CanSee, ct),
            p => WebAudit.Targets(("result_id", p.Result.ResultId), ("publication_id", p.Publication.PublicationId)));

    /// <summary>The council's publications with their results, newest first.</summary>
    public Task<IReadOnlyList<PublishedResult>> Publications(string council, CancellationToken ct) => planning.ListPublications(council, ct);

    /// <summary>A stored result with its latest publication, if it has one.</summary>
    public async Task<ShortfallView> StoredView(string resultId, WebUser user, CancellationToken ct)
    {
        var result = await Stored(resultId, user, ct);
        var published = await planning.PublicationsOf(result.ResultId, ct);
        return View(result) with { Published = published.FirstOrDefault() };
    }

    /// <summary>
    /// The published run of each of the council's scenarios as the report beside <paramref name="baseline"/> shows them:
    /// the latest publication of each scenario made before the next baseline was published (so the report of a past
    /// publication compares what was published while it stood), newest publication first.
    /// </summary>
    public async Task<IReadOnlyList<ShortfallView>> PublishedScenarios(string council, Publication baseline, CancellationToken ct)
    {
        var all = await planning.ListPublications(council, ct);
        var next = all.Where(p => p.Result.ScenarioId is null && p.Publication.PublishedAt > baseline.PublishedAt)
            .Select(p => (DateTimeOffset?)p.Publication.PublishedAt).Min();
        return all.Where(p => p.Result.ScenarioId is not null && (next is null || p.Publication.PublishedAt < next))
            .GroupBy(p => p.Result.ScenarioId).Select(g => View(g.First())).ToList();
    }

    private async Task<PublishedResult?> LatestPublished(string council, string? scenarioId, CancellationToken ct) =>
        (await planning.ListPublications(council, ct)).FirstOrDefault(p => p.Result.ScenarioId == scenarioId);

    /// <summary>
    /// Which run the figures are, in words: the publication's label, who published it and when, the run's draws, seed and
    /// data; or that the run is not published. Names a published run made on data older than <paramref name="currentSnapshot"/>.
    /// </summary>
    public static string PublicationText(ShortfallView view, string? currentSnapshot)
    {
        var r = view.Result;
        var run = $"{r.Draws:N0} simulated futures (seed {r.Seed}), run {Words.Date(r.CreatedAt.UtcDateTime)} on the data of snapshot {r.SnapshotId}";
        if (view.Published is not { } p)
            return $"Not published: this is a working run ({run}). The council's published figures are on the shortfall page without a run chosen.";
        var older = currentSnapshot is not null && r.SnapshotId != currentSnapshot
            ? $" The data has changed since (snapshot {currentSnapshot}): these stay the published figures until an analyst or strategy lead publishes a run on the new data."
            : "";
        return $"Published figures: \u201c{p.Label}\u201d, published by {p.PublishedBy} on {p.PublishedAt.UtcDateTime.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)}; " +
               $"{run}.{older}";
    }

    public static ShortfallView View(PublishedResult published) => View(published.Result) with { Published = published.Publication };

    /// <summary>Runs a stored scenario with the API's defaults (as RunScenario with draws and seed 0) and stores the result.</summary>
    public Task<PlanningResult> RunStored(string scenarioId, WebUser user, CancellationToken ct) =>
        audit.Write(user, WebAudit.RunScenario, null,
            () => planning.RunScenario(null, scenarioId, 0, new RunOptions(0, 0, Cancellation: ct), user.CanSee, ct), r => WebAudit.Targets(("scenario_id", scenarioId), ("result_id", r.ResultId)));

    /// <summary>A stored result by id (of a council the key may see), as GetScenarioResult.</summary>
    public Task<PlanningResult> Stored(string resultId, WebUser user, CancellationToken ct) => planning.GetScenarioResult(resultId, user.CanSee, ct);

    /// <summary>The latest stored result of each of the council's scenarios on the current snapshot, newest first.</summary>
    public async Task<IReadOnlyList<PlanningResult>> LatestScenarioResults(string council, WebUser user, CancellationToken ct)
    {
        var snapshot = analytics.CurrentSnapshotId();
        var latest = new List<PlanningResult>();
        foreach (var scenario in await planning.ListScenarios(council, false, ct))
        {
            var results = await planning.ListScenarioResults(scenario.ScenarioId, user.CanSee, ct);
            if (results.Where(r => r.CouncilCode == council && r.SnapshotId == snapshot).MaxBy(r => r.CreatedAt) is { } newest) latest.Add(newest);
        }
        return latest.OrderByDescending(r => r.CreatedAt).ToList();
    }

    /// <summary>
    /// The result's tables. Every figure names its gap: on a client group the demand-based shortfall (units needed -
    /// supply; negative = surplus); on all groups the demand-based shortfall members read is the sum of the gaps of the
    /// groups that are short, with the surpluses of the others beside it and the net across groups labelled as net. The
    /// strategy's "still to find" is a separate table. Pages show whole units; downloads keep the decimals.
    /// </summary>
    public static ShortfallView View(PlanningResult result)
    {
        var years = result.Years();
        var source = $"result {result.ResultId}, snapshot {result.SnapshotId}, {result.Projection.Headline}";
        var shortfall = DataTable.Build("shortfall", $"Supported-living units needed, supply and demand-based shortfall at 31 March ({result.ScenarioName})", source,
            [new("Financial year"), new("Client group"), new("Units needed", 0), new("Supply", 0),
             new("Demand-based shortfall (all groups: sum of the gaps of the groups that are short)", 0),
             new("Surplus (all groups: surpluses of the other groups, not netted)", 0),
             new("Net: units needed - supply (all groups: surpluses offset gaps)", 0), new("Net P10", 0), new("Net median (P50)", 0), new("Net P90", 0),
             new("Chance net > 0 (%)", 1) { Chance = true }],
            years.OrderBy(y => y.ClientGroup == "all" ? 1 : 0).ThenBy(y => y.ClientGroup, StringComparer.Ordinal).ThenBy(y => y.Fy).Select(y => new object?[]
            {
                y.FyLabel, Words.ClientGroup(y.ClientGroup), y.Demand, y.Supply, y.SumOfGroupGaps, y.SumOfGroupSurpluses, y.ShortfallCumulative,
                y.ShortfallDistribution?.P10, y.ShortfallDistribution?.P50, y.ShortfallDistribution?.P90,
                y.ShortfallDistribution is { } d ? d.ProbabilityPositive * 100 : null,
            }));
        var targets = DataTable.Build("targets", "Strategy tracking: units due under the strategy against units delivered and in the pipeline (strategy \"still to find\", not the demand-based shortfall)", source,
            [new("Financial year"), new("Client group"), new("Phase"), new("Target in year", 0), new("Units due by year end", 0), new("Delivered to date", 0),
             new("Pipeline counted", 0), new("Delivered + pipeline", 0), new("Strategy still to find", 0), new("Strategy surplus", 0)],
            result.Projection.Targets.OrderBy(t => t.ClientGroup, StringComparer.Ordinal).ThenBy(t => t.Fy).Select(t => new object?[]
            {
                result.YearLabel(t.Fy), Words.ClientGroup(t.ClientGroup ?? result.Projection.StrategyClientGroup ?? "all"), t.Phase ?? "",
                t.TargetInYear, t.CumulativeTargetDue, t.DeliveredToDate, t.PipelineCounted, t.DeliveredToDate + t.PipelineCounted,
                t.RemainingRequirement, t.Surplus,
            }));
        return new ShortfallView(result, years, shortfall, targets);
    }

    /// <summary>
    /// The headline members read for one year: the sum of the gaps of the groups that are short, the groups in surplus
    /// beside it, and the net across groups, in words with whole units.
    /// </summary>
    public static string Headline(ShortfallView view, int fy)
    {
        var all = view.Group("all").FirstOrDefault(y => y.Fy == fy);
        if (all is null) return "";
        var surpluses = view.Result.Projection.GroupSurpluses(fy);
        var beside = surpluses.Count == 0
            ? "no group has more units than it needs"
            : "beside it, " + string.Join(", ", surpluses.Select(s => $"{Words.ClientGroup(s.ClientGroup).ToLowerInvariant()} has a surplus of {Words.Number(s.Surplus)}")) + " (not set against the gaps)";
        var net = all.ShortfallCumulative;
        var range = all.ShortfallDistribution is { } d ? $"; median {Words.Number(d.P50)}, likely range {Words.Number(d.P10)} to {Words.Number(d.P90)}" : "";
        return $"Demand-based shortfall at 31 March {fy + 1}: {Words.Number(all.SumOfGroupGaps)} units, the sum of the gaps of the client groups that are short; " +
               $"{beside}. Net across all groups, surpluses offsetting gaps: {(net >= 0 ? "" : "a surplus of ")}{Words.Number(Math.Abs(net))} (mean{range}).";
    }

    /// <summary>All client groups, year by year: the baseline and a scenario side by side.</summary>
    public static DataTable Comparison(ShortfallView baseline, ShortfallView scenario, DataContext context) =>
        DataTable.Build("comparison", $"Shortfall at 31 March, all client groups: baseline and {scenario.Result.ScenarioName}",
            $"results {baseline.Result.ResultId} and {scenario.Result.ResultId}, snapshot {context.SnapshotId}",
            [new("Financial year"), new("Baseline demand-based shortfall (sum of group gaps)", 0), new("Scenario demand-based shortfall (sum of group gaps)", 0),
             new("Difference in the sum of group gaps", 0), new("Baseline net", 0), new("Baseline net P10", 0), new("Baseline net P90", 0),
             new("Scenario net", 0), new("Scenario net P10", 0), new("Scenario net P90", 0), new("Difference in the net", 0),
             new("Baseline net cost in year (GBP)", 0, Money: true), new("Scenario net cost in year (GBP)", 0, Money: true), new("Cost difference in year (GBP)", 0, Money: true),
             new("Cost difference to date (GBP)", 0, Money: true)],
            baseline.Group("all").Select(y =>
            {
                var other = scenario.Group("all").FirstOrDefault(o => o.Fy == y.Fy);
                var (cost, otherCost) = (y.Costs, other?.Costs);
                return new object?[]
                {
                    y.FyLabel, y.SumOfGroupGaps, other?.SumOfGroupGaps, other is null ? null : other.SumOfGroupGaps - y.SumOfGroupGaps,
                    y.ShortfallCumulative, y.ShortfallDistribution?.P10, y.ShortfallDistribution?.P90,
                    other?.ShortfallCumulative, other?.ShortfallDistribution?.P10, other?.ShortfallDistribution?.P90,
                    other is null ? null : other.ShortfallCumulative - y.ShortfallCumulative,
                    cost?.NetCost, otherCost?.NetCost,
                    cost is null || otherCost is null ? null : otherCost.NetCost - cost.NetCost,
                    cost is null || otherCost is null ? null : otherCost.NetCostCumulative - cost.NetCostCumulative,
                };
            }));

    /// <summary>
    /// A run's costs per year, all client groups: person-weeks, the cost of placements (out of area included), residential
    /// care the council pays anyway for people moving from it, the net cost (placements + waiting - avoided) with its
    /// P10/P90 across the draws, the cost of people waiting and the present value; null when its costs were not computed.
    /// </summary>
    public static DataTable? Costs(ShortfallView view)
    {
        if (view.Result.Projection.Costs is not { } c) return null;
        var id = view.Result.ScenarioId is null ? "baseline" : "scenario";
        return DataTable.Build($"costs-{id}", $"Costs per year in GBP at each year's prices, all client groups ({view.Result.ScenarioName})",
            $"result {view.Result.ResultId}",
            [new("Financial year"), new("Weeks in supported living", 0), new("Weeks in extra care", 0), new("Weeks in Shared Lives", 0),
             new("Placements cost", 0, Money: true), new("Weeks of residential care avoided", 0), new("Residential cost avoided", 0, Money: true), new("Net cost", 0, Money: true),
             new("Net cost to date", 0, Money: true), new("Cost of people waiting", 0, Money: true), new("Net cost P10", 0, Money: true), new("Net cost P90", 0, Money: true),
             new("Weeks housed out of area", 0), new($"Present value to date ({c.DiscountRatePct:0.##}% a year)", 0, Money: true)],
            view.Group("all").Where(y => y.Costs is not null).Select(y => new object?[]
            {
                y.FyLabel, y.Costs!.Weeks.SupportedLiving, y.Costs.Weeks.ExtraCare, y.Costs.Weeks.SharedLives, y.Costs.PlacementsCost,
                y.Costs.Weeks.AvoidedResidential, y.Costs.AvoidedResidentialCost, y.Costs.NetCost, y.Costs.NetCostCumulative,
                y.Costs.WaitingCost, y.Costs.NetCostRange?.P10, y.Costs.NetCostRange?.P90, y.Costs.Weeks.HousedOutOfArea, y.Costs.PresentValueCumulative,
            }));
    }

    /// <summary>The committee report's cost lines: per year, placements, waiting, residential avoided, net with its P10/P90 and the present value to date.</summary>
    public static DataTable? CostSummary(ShortfallView view)
    {
        if (view.Result.Projection.Costs is not { } c) return null;
        return DataTable.Build("report-costs", "Cost per year in GBP at each year's prices, all client groups", $"result {view.Result.ResultId}",
            [new("Financial year"), new("Placements", 0, Money: true), new("People waiting", 0, Money: true), new("Residential care avoided", 0, Money: true), new("Net cost", 0, Money: true),
             new("Likely low (P10)", 0, Money: true), new("Likely high (P90)", 0, Money: true), new($"Present value to date ({c.DiscountRatePct:0.##}% a year)", 0, Money: true)],
            view.Group("all").Where(y => y.Costs is not null).Select(y => new object?[]
            {
                y.FyLabel, y.Costs!.PlacementsCost, y.Costs.WaitingCost, y.Costs.AvoidedResidentialCost, y.Costs.NetCost, y.Costs.NetCostRange?.P10,
                y.Costs.NetCostRange?.P90, y.Costs.PresentValueCumulative,
            }));
    }

    /// <summary>Where people wait and what it costs, per year, all client groups; null when costs were not computed.</summary>
    public static DataTable? WaitingCosts(ShortfallView view)
    {
        if (view.Result.Projection.Costs is not { } c) return null;
        var cohorts = c.Rows.SelectMany(r => r.Waiting).Select(w => (w.Cohort, w.Setting)).Distinct().ToList();
        var id = view.Result.ScenarioId is null ? "baseline" : "scenario";
        return DataTable.Build($"waiting-costs-{id}", $"Cost of people waiting in GBP, by where they wait, all client groups ({view.Result.ScenarioName})",
            $"result {view.Result.ResultId}",
            [new("Financial year"), .. cohorts.Select(k => new Column($"{k.Cohort.Replace('_', ' ')} ({k.Setting.Replace('_', ' ')})", 0, Money: true))],
            c.Rows.Where(r => r.ClientGroup == ClientGroups.All).Select(r => new object?[] { Forecasting.Domain.FinancialYear.Label(r.Fy) }
                .Concat(cohorts.Select(k => (object?)r.Waiting.Where(w => w.Cohort == k.Cohort && w.Setting == k.Setting).Sum(w => w.Cost))).ToArray()));
    }

    /// <summary>The run's cost on each budget line the data has, against the budget; null when there is none.</summary>
    public static DataTable? BudgetLines(ShortfallView view)
    {
        if (view.Result.Projection.Costs is not { Budgets.Count: > 0 } c) return null;
        var id = view.Result.ScenarioId is null ? "baseline" : "scenario";
        return DataTable.Build($"budget-lines-{id}", $"Modelled cost against budget lines in GBP ({view.Result.ScenarioName})", $"result {view.Result.ResultId}",
            [new("Financial year"), new("Budget line"), new("Settings on the line"), new("Budget", 0, Money: true), new("Modelled cost", 0, Money: true), new("Share of budget %", 1)],
            c.Budgets.Select(b => new object?[]
            {
                Forecasting.Domain.FinancialYear.Label(b.Fy), b.ServiceLine.Replace('_', ' '), string.Join(", ", b.Settings).Replace('_', ' '), b.Budget,
                b.ModelledCost, b.Share * 100,
            }));
    }

    /// <summary>The weekly costs a run priced with, or why it has no costs, in words.</summary>
    public static string CostSources(ShortfallView view)
    {
        var p = view.Result.Projection;
        if (p.Costs is not { } c)
            return p.Warnings.FirstOrDefault(w => w.StartsWith("costs not computed", StringComparison.Ordinal)) ?? "costs were not computed for this run";
        var used = c.WeeklyCosts.Where(w => w.Setting != CostSettings.Nursing && w.WeeklyCost is not null && w.ClientGroup == ClientGroups.All && w.AgeBand is null)
            .Select(w => $"{w.Setting.Replace('_', ' ')} {CostCalculator.Money(w.WeeklyCost)} a week ({w.Description})");
        var groups = c.WeeklyCosts.Count(w => w.ClientGroup != ClientGroups.All && w.Source == Forecasting.Planning.CostSources.Data);
        return $"Weekly costs, all client groups: {string.Join("; ", used)}; {groups} setting and group figures from the group's own services " +
               $"(at least {CostCalculator.MinServices}); uplifted {c.CostUpliftPct:0.##}% a year from {Forecasting.Domain.FinancialYear.Label(c.PriceFy)} prices, " +
               $"discounted {c.DiscountRatePct:0.##}% a year for present values.";
    }

    /// <summary>The last year of the baseline and of each scenario: units needed, supply, the sum of group gaps and the net, and their changes.</summary>
    public static DataTable ScenarioTable(ShortfallView baseline, IReadOnlyList<ShortfallView> scenarios, DataContext context)
    {
        var end = baseline.Group("all").LastOrDefault();
        return DataTable.Build("scenarios", $"Shortfall at 31 March {end?.Fy + 1}, all client groups: scenarios against the baseline",
            $"snapshot {context.SnapshotId}",
            [new("Scenario"), new("Units needed", 0), new("Supply", 0), new("Demand-based shortfall (sum of group gaps)", 0), new("Change from baseline (sum of group gaps)", 0),
             new("Surpluses of other groups (not netted)", 0), new("Net across groups", 0), new("Net median (P50)", 0), new("Net P10", 0), new("Net P90", 0),
             new("Change in the net", 0)],
            new[] { baseline }.Concat(scenarios).Select(v =>
            {
                var y = v.Group("all").FirstOrDefault(y => y.Fy == end?.Fy);
                return new object?[]
                {
                    v.Result.ScenarioName, y?.Demand, y?.Supply, y?.SumOfGroupGaps,
                    y is null || end is null ? null : y.SumOfGroupGaps - end.SumOfGroupGaps,
                    y?.SumOfGroupSurpluses, y?.ShortfallCumulative, y?.ShortfallDistribution?.P50, y?.ShortfallDistribution?.P10, y?.ShortfallDistribution?.P90,
                    y is null || end is null ? null : y.ShortfallCumulative - end.ShortfallCumulative,
                };
            }));
    }
}
