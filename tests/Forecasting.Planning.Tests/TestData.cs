using Forecasting.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>Projects the mean of the history as a flat line with a normal interval of the given standard deviation.</summary>
public sealed class FlatProjector(double sd = 0) : IFlowProjector
{
    public string Name => $"flat-mean(sd={sd})";
    public int Calls { get; private set; }

    public FlowProjection Project(double[] history, int horizon)
    {
        Calls++;
        var mean = history.Average();
        var z = 1.2815515655446004;
        var m = Enumerable.Repeat(mean, horizon).ToArray();
        return new FlowProjection(m, m.Select(v => Math.Max(0, v - z * sd)).ToArray(), m.Select(v => v + z * sd).ToArray(), 80, Name);
    }
}

public static class TestData
{
    public static readonly DateOnly AsOf = new(2025, 3, 31);

    public static MonthlySeries Flat(double value, int months = 24) =>
        new(new DateOnly(2025, 3, 1).AddMonths(-(months - 1)), Enumerable.Repeat(value, months).ToArray());

    /// <summary>The small hand-computed baseline described in PlanningModelTests.</summary>
    public static PlanningBaseline Small() => new()
    {
        CouncilCode = "E06000001",
        AsOf = AsOf,
        SnapshotId = "snap-1",
        Schemes =
        [
            new SchemeStock("S1", "Oak Court", "supported_living", ClientGroups.LdAutism, true, new(2010, 1, 1), null, 10, 2, 1, 0),
            new SchemeStock("S2", "Far House", "supported_living", ClientGroups.LdAutism, false, new(2012, 1, 1), null, 5, 0, 0, 0),
            new SchemeStock("S3", "Elm House", "shared_house", ClientGroups.MentalHealth, true, new(2015, 1, 1), new(2026, 9, 30), 8, 0, 0, 0),
        ],
        WaitingList = new Dictionary<string, int> { [ClientGroups.LdAutism] = 4, [ClientGroups.MentalHealth] = 2 },
        StepDownCandidates = new Dictionary<string, int> { [ClientGroups.LdAutism] = 6 },
        ResidentialMovesPerYear = new Dictionary<string, double> { [ClientGroups.LdAutism] = 2 },
        ResidentialAdmissionsPerYear = new Dictionary<string, double> { [ClientGroups.LdAutism] = 10 },
        Transitions =
        [
            new TransitionPerson("Y1", new(2008, 6, 1), "learning_disability", "supported_living", false, 0.5),
            new TransitionPerson("Y2", new(2007, 5, 1), "autism", "family_home", false, 0.9),
            new TransitionPerson("Y3", new(2009, 1, 10), "pmld", "supported_living", true, 1.0),
        ],
        AccommodationNeeds =
        [
            new AccommodationNeed("inpatient", ClientGroups.MentalHealth, new(2025, 1, 1), 1),
            new AccommodationNeed("temporary_accommodation", ClientGroups.LdAutism, new(2027, 6, 1), 1),
        ],
        Pipeline =
        [
            new PipelineScheme("PA", "Birch View", 6, "supported_living", ClientGroups.LdAutism, true, new(2026, 6, 30), null, PipelineStatuses.Confirmed),
            new PipelineScheme("PB", "Failed Site", 10, "supported_living", ClientGroups.LdAutism, true, new(2025, 12, 1), null, PipelineStatuses.Failed),
            new PipelineScheme("PC", "Maple Rise", 4, "shared_house", ClientGroups.MentalHealth, true, new(2025, 10, 1), null, PipelineStatuses.InDiscussion),
            new PipelineScheme("PD", "Done Place", 3, "supported_living", ClientGroups.LdAutism, true, new(2024, 6, 1), null, PipelineStatuses.Delivered),
        ],
        NewTenancies = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = Flat(1.0) },
        TenancyEnds = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = Flat(0.5) },
        NeedArising = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = Flat(1.0), [ClientGroups.MentalHealth] = Flat(0.25) },
        HousedAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = Flat(10) },
        WaitingRemovals = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = Flat(0.2) },
        WaitingAtMonthStart = new Dictionary<string, MonthlySeries> { [ClientGroups.LdAutism] = Flat(4) },
    };

    public static readonly ProjectionPeriod ThreeYears = new(2025, 2027);

    /// <summary>The zero-variance path.</summary>
    public static ProjectionResult Project(PlanningBaseline b, ScenarioLevers levers, ProjectionPeriod? period = null, double sd = 0)
    {
        var p = period ?? ThreeYears;
        return PlanningProjector.Project(b, levers, p, BaselineFlows.Project(b, p, new FlatProjector(sd)));
    }

    public static PreparedScenario Prepare(PlanningBaseline b, ScenarioLevers levers, ProjectionPeriod? period = null, double sd = 0)
    {
        var p = period ?? ThreeYears;
        return PreparedScenario.Create(b, levers, p, BaselineFlows.Project(b, p, new FlatProjector(sd)));
    }
}

/// <summary>Random councils and scenarios of the sample's kind, for property tests.</summary>
public static class RandomCouncil
{
    public static PlanningBaseline Baseline(Random rng)
    {
        var groups = ClientGroups.Known;
        var schemes = new List<SchemeStock>();
        var n = 0;
        foreach (var g in groups)
            for (var i = rng.Next(1, 6); i > 0; i--)
            {
                var units = rng.Next(3, 20);
                var voids = rng.Next(0, 3);
                schemes.Add(new SchemeStock($"S{++n}", $"Scheme {n}", "supported_living", g, rng.Next(6) > 0, new(2010, 1, 1),
                    rng.Next(8) == 0 ? new DateOnly(2026, 1, 1).AddMonths(rng.Next(0, 48)) : null, units - voids, voids, rng.Next(0, 2), 0));
            }
        string[] statuses = [PipelineStatuses.Confirmed, PipelineStatuses.InProcurement, PipelineStatuses.ReasonableConfidence, PipelineStatuses.InDiscussion, PipelineStatuses.Identified];
        var pipeline = Enumerable.Range(1, rng.Next(0, 6)).Select(i => new PipelineScheme($"P{i}", $"Pipeline {i}", rng.Next(2, 25), "supported_living",
            groups[rng.Next(groups.Count)], rng.Next(5) > 0, new DateOnly(2025, 5, 1).AddMonths(rng.Next(0, 50)), null, statuses[rng.Next(statuses.Length)])).ToList();
        MonthlySeries Flat(double v) => TestData.Flat(v, 36);
        return new PlanningBaseline
        {
            CouncilCode = "E06000002",
            AsOf = TestData.AsOf,
            Schemes = schemes,
            Pipeline = pipeline,
            WaitingList = groups.ToDictionary(g => g, _ => rng.Next(0, 30)),
            StepDownCandidates = groups.ToDictionary(g => g, _ => rng.Next(0, 10)),
            ResidentialMovesPerYear = groups.ToDictionary(g => g, _ => (double)rng.Next(0, 5)),
            ResidentialAdmissionsPerYear = groups.ToDictionary(g => g, _ => (double)rng.Next(0, 20)),
            Transitions = Enumerable.Range(1, rng.Next(0, 15)).Select(i => new TransitionPerson($"Y{i}", new DateOnly(2007, 6, 1).AddDays(rng.Next(0, 1500)),
                "learning_disability", "supported_living", false, Math.Round(rng.NextDouble(), 2))).ToList(),
            AccommodationNeeds = [new AccommodationNeed("inpatient", groups[rng.Next(groups.Count)], new DateOnly(2025, 1, 1).AddMonths(rng.Next(0, 30)), rng.Next(1, 4))],
            NeedArising = groups.ToDictionary(g => g, _ => Flat(rng.Next(0, 40) / 10.0)),
            TenancyEnds = groups.ToDictionary(g => g, _ => Flat(rng.Next(0, 20) / 10.0)),
            HousedAtMonthStart = groups.ToDictionary(g => g, _ => Flat(rng.Next(20, 60))),
            WaitingRemovals = groups.ToDictionary(g => g, _ => Flat(rng.Next(0, 10) / 10.0)),
            WaitingAtMonthStart = groups.ToDictionary(g => g, _ => Flat(rng.Next(5, 30))),
        };
    }
}
