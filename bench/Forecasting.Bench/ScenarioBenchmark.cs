using System.Diagnostics;
using System.Globalization;
using Forecasting.Domain;
using Forecasting.Planning;

namespace Forecasting.Bench;

/// <summary>
/// scenarios [--draws N] [--years N] [--seed N] [--flat]
/// A 10-year planning scenario over all five client groups on a synthetic council sized like Domain/docs/calibration.md ("Planning domains")
/// (about 700 units in 112 schemes, 19 pipeline schemes, 120 young people in transition, five years of monthly
/// tenancy flows). Times the engine's flow projection, one scenario run (projection + simulation) and the
/// comparison of five scenarios (and of three) with the baseline. --flat replaces the engine by a flat mean for timing the
/// planning code alone.
/// </summary>
public static class ScenarioBenchmark
{
    public static int Run(string[] args)
    {
        int draws = 10_000, years = 10;
        long seed = 1;
        var flat = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--draws": draws = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--years": years = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--flat": flat = true; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var baseline = SyntheticCouncil(new Random(20250331));
        var period = ProjectionPeriod.For(baseline.AsOf, null, years);
        IFlowProjector projector = flat ? new FlatMean() : new EngineFlowProjector();

        var watch = Stopwatch.StartNew();
        var flows = BaselineFlows.Project(baseline, period, projector);
        var flowSeconds = watch.Elapsed.TotalSeconds;

        var options = new SimulationOptions(draws, seed);
        PlanningResult RunOne(string name, ScenarioLevers levers)
        {
            var prepared = PreparedScenario.Create(baseline, levers, period, flows);
            var outcome = ShortfallSimulator.Run(prepared, options);
            return new PlanningResult
            {
                ResultId = name, CouncilCode = baseline.CouncilCode, ScenarioName = name, Levers = levers,
                ForecastRunId = flows.ForecastRunId, AsOf = baseline.AsOf, Seed = seed, Draws = draws,
                CreatedAt = DateTimeOffset.UtcNow, Projection = outcome.Projection, Simulation = outcome.Summary,
            };
        }

        RunOne("warm-up", ScenarioLevers.Baseline);
        watch.Restart();
        var single = RunOne("baseline", ScenarioLevers.Baseline);
        var runSeconds = watch.Elapsed.TotalSeconds;

        var scenarios = new (string Name, ScenarioLevers Levers)[]
        {
            ("extra care slips a year, 30 moves a year", new ScenarioLevers
            {
                Slippage = [new SchemeSlippage("PL02", 12)],
                ResidentialToSlMovesPerYear = 30,
            }),
            ("high population, 10% diversion", new ScenarioLevers { PopulationVariant = "high", AdmissionDiversionPct = 10 }),
            ("new 40-unit scheme, pessimistic pipeline", new ScenarioLevers
            {
                NewSchemes = [new NewScheme("New core and cluster", 40, "supported_living", ClientGroups.LdAutism, new(2027, 9, 1))],
                DeliveryProbability = new() { ["reasonable_confidence"] = 0.4, ["in_discussion"] = 0.2 },
            }),
            ("extra care cancelled", new ScenarioLevers { CancelledSchemes = ["PL02"] }),
            ("2% a year more population growth, void rate at most 5%", new ScenarioLevers { ExtraPopulationGrowthPct = 2, VoidRate = 0.05 }),
        };
        watch.Restart();
        var baseRun = RunOne("baseline", ScenarioLevers.Baseline);
        var results = scenarios.Select(s => RunOne(s.Name, s.Levers)).ToList();
        var comparison = ScenarioComparer.Compare(baseRun, results);
        var compareSeconds = watch.Elapsed.TotalSeconds;
        // A comparison of three, as the figures before five were measured.
        watch.Restart();
        var three = ScenarioComparer.Compare(RunOne("baseline", ScenarioLevers.Baseline), scenarios.Take(3).Select(s => RunOne(s.Name, s.Levers)).ToList());
        var threeSeconds = watch.Elapsed.TotalSeconds;

        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine($"scenarios: {period.Years} years ({FinancialYear.Label(period.FirstFy)}-{FinancialYear.Label(period.LastFy)}), " +
                          $"{ClientGroups.Known.Count} client groups, {draws} draws, {Environment.ProcessorCount} cores, projector {projector.Name}");
        Console.WriteLine($"  need-arising projection (5 series):   {flowSeconds.ToString("0.000", ci)} s");
        Console.WriteLine($"  one scenario ({draws} draws):          {runSeconds.ToString("0.000", ci)} s");
        Console.WriteLine($"  compare five scenarios + baseline:    {compareSeconds.ToString("0.000", ci)} s ({comparison.Rows.Count} rows)");
        Console.WriteLine($"  compare three scenarios + baseline:   {threeSeconds.ToString("0.000", ci)} s ({three.Rows.Count} rows)");
        Console.WriteLine($"  load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        var last = single.SimulationAt(period.LastFy)!;
        Console.WriteLine($"  baseline shortfall {FinancialYear.Label(period.LastFy)} (all groups): mean of the draws " +
                          $"{single.Projection.ShortfallAt(period.LastFy).Shortfall.ToString("0.0", ci)}, P10/P50/P90 " +
                          $"{last.P10.ToString("0.0", ci)}/{last.P50.ToString("0.0", ci)}/{last.P90.ToString("0.0", ci)}, " +
                          $"P(shortfall > 0) {last.ProbabilityAboveZero.ToString("0.00", ci)}");
        return 0;
    }

    private sealed class FlatMean : IFlowProjector
    {
        public string Name => "flat-mean";
        public FlowProjection Project(double[] history, int horizon)
        {
            var mean = history.Skip(Math.Max(0, history.Length - 12)).Average();
            var sd = Math.Sqrt(Math.Max(mean, 0.01));
            var m = Enumerable.Repeat(mean, horizon).ToArray();
            return new FlowProjection(m, m.Select(v => Math.Max(0, v - 1.2816 * sd)).ToArray(), m.Select(v => v + 1.2816 * sd).ToArray(), 80, Name);
        }
    }

    /// <summary>A council of the size in Domain/docs/calibration.md ("Planning domains"), drawn from a fixed generator.</summary>
    private static PlanningBaseline SyntheticCouncil(Random rng)
    {
        var asOf = new DateOnly(2025, 3, 31);
        var groups = ClientGroups.Known;
        int[] schemesPerGroup = [48, 22, 12, 20, 10];
        var schemes = new List<SchemeStock>();
        var n = 0;
        for (var g = 0; g < groups.Count; g++)
            for (var i = 0; i < schemesPerGroup[g]; i++)
            {
                var units = rng.Next(2, 12);
                var occupied = (int)Math.Round(units * (0.85 + 0.1 * rng.NextDouble()));
                var offline = rng.Next(10) == 0 ? 1 : 0;
                var inArea = rng.Next(9) > 0;
                DateOnly? closes = rng.Next(25) == 0 ? asOf.AddMonths(rng.Next(6, 72)) : null;
                schemes.Add(new SchemeStock($"S{++n:000}", $"Scheme {n}", "supported_living", groups[g], inArea, new(2000 + rng.Next(24), 1, 1), closes,
                    Math.Min(occupied, units - offline), Math.Max(0, units - offline - occupied), offline, 0));
            }
        string[] statuses = [PipelineStatuses.Confirmed, PipelineStatuses.InProcurement, PipelineStatuses.ReasonableConfidence, PipelineStatuses.InDiscussion, PipelineStatuses.Identified, PipelineStatuses.Failed];
        var pipeline = new List<PipelineScheme>
        {
            new("PL01", "Delivered scheme", 14, "supported_living", ClientGroups.LdAutism, true, new(2024, 6, 1), "Phase 2", PipelineStatuses.Delivered),
            new("PL02", "Extra care scheme", 75, "extra_care", ClientGroups.OlderDementia, true, new(2026, 10, 1), "Phase 3", PipelineStatuses.Confirmed),
        };
        for (var i = 3; i <= 19; i++)
            pipeline.Add(new PipelineScheme($"PL{i:00}", $"Pipeline {i}", rng.Next(4, 30), "supported_living", groups[rng.Next(groups.Count)], rng.Next(8) > 0,
                asOf.AddMonths(rng.Next(3, 100)), null, statuses[rng.Next(statuses.Length)]));
        var transitions = Enumerable.Range(1, 120).Select(i => new TransitionPerson($"YP{i:0000}",
            new DateOnly(2007, 4, 1).AddDays(rng.Next(0, 365 * 8)),
            new[] { "learning_disability", "autism", "pmld", "mental_health", "physical" }[rng.Next(5)],
            new[] { "supported_living", "family_home", "residential", "shared_lives" }[rng.Next(4)],
            rng.Next(6) == 0, Math.Round(0.4 + 0.6 * rng.NextDouble(), 2))).ToList();
        var needs = new List<AccommodationNeed>();
        foreach (var cohort in new[] { "inpatient", "temporary_accommodation", "older_awaiting_extra_care" })
            for (var i = 0; i < 6; i++)
                needs.Add(new AccommodationNeed(cohort, cohort == "older_awaiting_extra_care" ? ClientGroups.OlderDementia : groups[rng.Next(4)],
                    new DateOnly(2025, 4, 1).AddMonths(rng.Next(48)), rng.Next(1, 5)));
        var population = new List<PopulationPoint>();
        foreach (var (variant, growth) in new[] { ("low", 0.002), ("principal", 0.006), ("high", 0.011) })
            for (var y = 2020; y <= 2045; y++)
            {
                population.Add(new PopulationPoint(variant, "synthetic SNPP", y, PopulationAgeGroup.WorkingAge, 224_000 * Math.Pow(1 + growth, y - 2024)));
                population.Add(new PopulationPoint(variant, "synthetic SNPP", y, PopulationAgeGroup.Aged85Plus, 6_500 * Math.Pow(1 + 3 * growth, y - 2024)));
            }
        double[] startRate = [5.5, 2.5, 1.2, 2.0, 0.8];
        var waiting = new Dictionary<string, int> { ["ld_autism"] = 52, ["mental_health"] = 24, ["physical_sensory"] = 11, ["older_dementia"] = 14, ["complex_needs"] = 8 };
        MonthlySeries Level(double value) => new(new DateOnly(2020, 4, 1), Enumerable.Repeat(value, 60).ToArray());
        MonthlySeries Flow(double rate, double trend) => new(new DateOnly(2020, 4, 1), Enumerable.Range(0, 60)
            .Select(m => (double)Poisson(rng, rate * (1 + trend * m / 60.0) * (1 + 0.15 * Math.Cos(2 * Math.PI * (m - 9) / 12.0)))).ToArray());
        return new PlanningBaseline
        {
            CouncilCode = "E06009999",
            AsOf = asOf,
            SnapshotId = "synthetic",
            WaitingList = waiting,
            StepDownCandidates = new Dictionary<string, int> { ["ld_autism"] = 40, ["mental_health"] = 30, ["older_dementia"] = 12 },
            ResidentialMovesPerYear = new Dictionary<string, double> { ["ld_autism"] = 7, ["mental_health"] = 4, ["older_dementia"] = 1 },
            ResidentialAdmissionsPerYear = new Dictionary<string, double> { ["ld_autism"] = 14, ["mental_health"] = 12, ["physical_sensory"] = 10, ["older_dementia"] = 250, ["complex_needs"] = 4 },
            Transitions = transitions,
            AccommodationNeeds = needs,
            Schemes = schemes,
            Pipeline = pipeline,
            Population = population,
            NewTenancies = groups.Select((g, i) => (g, Flow(startRate[i], 0.2))).ToDictionary(x => x.g, x => x.Item2),
            TenancyEnds = groups.Select((g, i) => (g, Flow(startRate[i] * 0.85, 0.1))).ToDictionary(x => x.g, x => x.Item2),
            NeedArising = groups.Select((g, i) => (g, Flow(startRate[i] * 1.3, 0.2))).ToDictionary(x => x.g, x => x.Item2),
            WaitingRemovals = groups.Select(g => (g, Flow(waiting[g] * 0.03, 0))).ToDictionary(x => x.g, x => x.Item2),
            HousedAtMonthStart = groups.Select(g => (g, Level(schemes.Where(s => s.ClientGroup == g).Sum(s => s.Occupied)))).ToDictionary(x => x.g, x => x.Item2),
            WaitingAtMonthStart = groups.Select(g => (g, Level(waiting[g]))).ToDictionary(x => x.g, x => x.Item2),
        };
    }

    private static int Poisson(Random rng, double lambda)
    {
        var l = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        do { k++; p *= rng.NextDouble(); } while (p > l);
        return k - 1;
    }
}
