using System.Diagnostics;

namespace Forecasting.Planning;

public sealed record RunProgress(int Done, int Total, string Stage);

/// <param name="Draws">Monte Carlo draws (0 = 2,000; at most 100,000).</param>
/// <param name="Seed">0 = <see cref="ScenarioRunner.DefaultSeed"/>.</param>
/// <param name="AsOf">null = the latest complete month in the data.</param>
/// <param name="Years">Overrides the period length (from the year after the as-of date).</param>
/// <param name="Save">Store the result in planning_scenario_results.</param>
/// <param name="Cancellation">Stops the simulation when the caller has gone.</param>
public sealed record RunOptions(int Draws = 0, long Seed = 0, DateOnly? AsOf = null, int? Years = null, bool Save = true, IProgress<RunProgress>? Progress = null,
    CancellationToken Cancellation = default)
{
    public int EffectiveDraws => Draws == 0 ? 2000 : Draws;
    public long EffectiveSeed => Seed == 0 ? ScenarioRunner.DefaultSeed : Seed;
}

/// <summary>
/// Loads the baseline, applies a scenario's levers, projects, simulates and returns (and stores) a traceable result.
/// Baselines and engine projections are cached per council, as-of date and period for the runner's lifetime.
/// </summary>
public sealed class ScenarioRunner(IPlanningData data, IScenarioStore scenarios, IFlowProjector projector, TimeProvider? clock = null)
{
    public const long DefaultSeed = 20240401;
    public const int MaxDraws = 100_000;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<(string, DateOnly?), PlanningBaseline> _baselines = new();
    private readonly Dictionary<(string, DateOnly, int, int), BaselineFlows> _flows = new();
    private readonly Lock _lock = new();

    public IScenarioStore Repository { get; } = scenarios;

    /// <summary>Raised once per baseline and period when the engine projects its flows, so they can be stored under their run id.</summary>
    public event Action<PlanningBaseline, BaselineFlows>? FlowsProjected;

    /// <summary>The end of the last complete month of the council's data.</summary>
    public DateOnly DefaultAsOf(string councilCode) => data.DefaultAsOf(councilCode);

    public PlanningBaseline Baseline(string councilCode, DateOnly? asOf = null)
    {
        lock (_lock)
        {
            if (asOf is { } date && !_baselines.ContainsKey((councilCode, asOf)))
            {
                var latest = DefaultAsOf(councilCode);
                if (date > latest)
                    throw new ScenarioValidationException([new("as_of", $"{date:yyyy-MM-dd} is after the end of the data ({latest:yyyy-MM-dd})")]);
                if (date < latest.AddYears(-20))
                    throw new ScenarioValidationException([new("as_of", $"{date:yyyy-MM-dd} is more than 20 years before the end of the data ({latest:yyyy-MM-dd})")]);
            }
            if (!_baselines.TryGetValue((councilCode, asOf), out var b))
                _baselines[(councilCode, asOf)] = b = data.Load(councilCode, asOf);
            return b;
        }
    }

    /// <summary>Lever errors against the council's baseline (empty when valid).</summary>
    public IReadOnlyList<ValidationError> Validate(string councilCode, ScenarioLevers levers, DateOnly? asOf = null, int? years = null)
    {
        var b = Baseline(councilCode, asOf);
        var errors = ScenarioValidator.Validate(levers, b, PeriodFor(b, levers, years, tolerateInvalidStrategy: true));
        // Creating or changing a scenario refuses levers that cannot apply to a scheme's status; running one warns instead.
        return [.. errors, .. ScenarioValidator.StatusConflicts(levers, b)];
    }

    public PlanningResult RunBaseline(string councilCode, RunOptions? options = null) =>
        Run(councilCode, ScenarioLevers.Baseline, "baseline", null, null, options ?? new RunOptions());

    public PlanningResult Run(Scenario scenario, RunOptions? options = null)
    {
        if (scenario.Deleted) throw new InvalidOperationException($"scenario '{scenario.ScenarioId}' revision {scenario.Revision} is deleted");
        return Run(scenario.CouncilCode, scenario.Levers, scenario.Name, scenario.ScenarioId, scenario.Revision, options ?? new RunOptions(),
            scenario.DroppedLevers);
    }

    public PlanningResult Run(string councilCode, ScenarioLevers levers, string name, string? scenarioId, int? revision, RunOptions options,
        IReadOnlyList<string>? droppedLevers = null)
    {
        var draws = options.EffectiveDraws;
        if (draws < 0 || draws > MaxDraws)
            throw new ScenarioValidationException([new("draws", $"must be between 1 and {MaxDraws} (got {draws})")]);
        var watch = Stopwatch.StartNew();
        options.Progress?.Report(new RunProgress(0, 4, "loading baseline"));
        var b = Baseline(councilCode, options.AsOf);
        var period = PeriodFor(b, levers, options.Years, tolerateInvalidStrategy: false);
        options.Progress?.Report(new RunProgress(1, 4, "projecting flows"));
        var flows = Flows(b, period);
        options.Progress?.Report(new RunProgress(2, 4, "preparing the stock-flow model"));
        var prepared = PreparedScenario.Create(b, levers, period, flows, droppedLevers);
        options.Progress?.Report(new RunProgress(3, 4, $"simulating {draws} draws"));
        var outcome = ShortfallSimulator.Run(prepared, new SimulationOptions(draws, options.EffectiveSeed, Cancellation: options.Cancellation));
        var result = new PlanningResult
        {
            ResultId = "res-" + Guid.NewGuid().ToString("N")[..16],
            CouncilCode = councilCode,
            ScenarioId = scenarioId,
            ScenarioRevision = revision,
            ScenarioName = name,
            Levers = levers,
            SnapshotId = b.SnapshotId,
            ForecastRunId = flows.ForecastRunId,
            AsOf = b.AsOf,
            Seed = options.EffectiveSeed,
            Draws = draws,
            CreatedAt = _clock.GetUtcNow(),
            Projection = outcome.Projection with { Costs = CostCalculator.WithRanges(outcome.Projection.Costs, outcome.Summary.Measures) },
            // A net cost range is reported only with the costs it is the range of.
            Simulation = outcome.Projection.Costs is null
                ? outcome.Summary with { Measures = outcome.Summary.Measures.Where(m => m.Measure != Measures.NetCost).ToList() }
                : outcome.Summary,
            Seconds = watch.Elapsed.TotalSeconds,
        };
        if (options.Save) Repository.SaveResult(result);
        options.Progress?.Report(new RunProgress(4, 4, "done"));
        return result;
    }

    /// <summary>Runs the baseline and each scenario (one or more, latest revisions as given) with one seed and compares them.</summary>
    public ScenarioComparison Compare(string councilCode, IReadOnlyList<Scenario> scenarios, RunOptions? options = null)
    {
        if (scenarios.Count < 1) throw new ScenarioValidationException([new("scenario_ids", "compare needs at least one scenario (the baseline is always included)")]);
        var o = options ?? new RunOptions();
        var baseline = RunBaseline(councilCode, o);
        var results = scenarios.Select(s =>
        {
            o.Cancellation.ThrowIfCancellationRequested();
            return Run(s, o);
        }).ToList();
        return ScenarioComparer.Compare(baseline, results);
    }

    private BaselineFlows Flows(PlanningBaseline b, ProjectionPeriod period)
    {
        lock (_lock)
        {
            var key = (b.CouncilCode, b.AsOf, period.FirstFy, period.LastFy);
            if (!_flows.TryGetValue(key, out var f))
            {
                _flows[key] = f = BaselineFlows.Project(b, new ProjectionPeriod(FinancialYear.Of(b.AsOf.AddDays(1)), period.LastFy), projector);
                FlowsProjected?.Invoke(b, f);
            }
            return f;
        }
    }

    private static ProjectionPeriod PeriodFor(PlanningBaseline b, ScenarioLevers levers, int? years, bool tolerateInvalidStrategy)
    {
        StrategyVersion? strategy = null;
        try { strategy = PreparedScenario.SelectStrategy(b, levers); }
        catch (InvalidOperationException) when (tolerateInvalidStrategy) { }
        catch (InvalidOperationException)
        {
            ScenarioValidator.EnsureValid(levers, b, ProjectionPeriod.For(b.AsOf, null, levers, years));
            throw;
        }
        if (strategy is { WithinBounds: false })
        {
            // Only a version the levers name can be outside the bounds; it is a lever error, found before any work.
            if (!tolerateInvalidStrategy) ScenarioValidator.EnsureValid(levers, b, ProjectionPeriod.For(b.AsOf, null, levers, years));
            strategy = null;
        }
        return ProjectionPeriod.For(b.AsOf, strategy, levers, years);
    }
}
