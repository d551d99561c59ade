using System.Globalization;
using Forecasting.Domain;
using Forecasting.Planning;

namespace Forecasting.Bench;

/// <summary>
/// planning-attribution [--draws N]
/// What moves the sample's 2030/31 shortfall: the baseline with each of the model's choices switched back in turn
/// (displaced need not counted, out-of-area units not let, need arising by the engine's projection of counts instead
/// of the rate per head), the shortfall per client group with P10/P50/P90 and the sum of the gaps, the same seed.
/// </summary>
public static class PlanningAttribution
{
    private const string Council = SampleStore.Council;

    public static int Run(string[] args)
    {
        var draws = args.Length > 1 && args[0] == "--draws" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var ci = CultureInfo.InvariantCulture;
        using var sample = new SampleStore("attribution");
        var rate = sample.Runner();
        var engine = sample.Runner(new EngineFlowProjector());
        var cases = new (string Name, ScenarioRunner Runner, ScenarioLevers Levers)[]
        {
            ("v3 baseline", rate, ScenarioLevers.Baseline),
            ("displaced need not counted", rate, ScenarioLevers.Baseline with { CountDisplacedNeed = false }),
            ("+ out-of-area units not let", rate, ScenarioLevers.Baseline with { CountDisplacedNeed = false, LetOutOfAreaUnits = false }),
            ("+ engine counts, not rate per head", engine, ScenarioLevers.Baseline with { CountDisplacedNeed = false, LetOutOfAreaUnits = false }),
            ("v3 with engine counts", engine, ScenarioLevers.Baseline),
        };
        foreach (var (name, runner, levers) in cases)
        {
            var r = runner.Run(Council, levers, name, null, null, new RunOptions(draws, ScenarioRunner.DefaultSeed, Save: false));
            var last = r.Projection.Period.LastFy;
            Console.WriteLine($"{name} ({FinancialYear.Label(last)}, {draws} draws):");
            foreach (var g in ClientGroups.Known)
            {
                var row = r.Projection.ShortfallAt(last, g);
                var sim = r.SimulationAt(last, g)!;
                var displaced = r.Projection.DemandComponent(last, g, DemandComponents.DisplacedNeed);
                var outOfArea = r.Projection.DemandComponent(last, g, DemandComponents.HousedOutOfArea);
                Console.WriteLine(string.Format(ci, "  {0,-17} shortfall {1,7:0.0}  P10 {2,7:0.0}  P50 {3,7:0.0}  P90 {4,7:0.0}  displaced {5,6:0.0}  out of area {6,6:0.0}  void allowance {7:P1}",
                    g, row.Shortfall, sim.P10, sim.P50, sim.P90, displaced, outOfArea, r.Projection.Basis.VoidRates[g]));
            }
            var all = r.Projection.ShortfallAt(last, ClientGroups.All);
            Console.WriteLine(string.Format(ci, "  {0,-17} net {1,7:0.0}  sum of group gaps {2,7:0.0}", "all", all.Shortfall, all.SumOfGroupGaps));
        }
        return 0;
    }
}
