using System.Globalization;
using Forecasting.Domain;
using Forecasting.Planning;
using Forecasting.Store.Planning;

namespace Forecasting.Bench;

/// <summary>
/// costs [--draws N] [--seed N]
/// The cost model on the Harbridge sample: the weekly costs per setting and client group, the baseline's costs per year
/// (placements, waiting by where people wait, the residential counterfactual, net with P10/P90, present value), and the
/// net cost change against the baseline (same draws; its P10/P90 from paired single-draw runs) of cancelling the whole pipeline, 30 moves a year from
/// residential care and 20 extra supported-living units.
/// </summary>
public static class CostBenchmark
{
    private const string Council = "E06009999";

    public static int Run(string[] args)
    {
        var draws = 2000;
        long seed = ScenarioRunner.DefaultSeed;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--draws": draws = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var ci = CultureInfo.InvariantCulture;
        using var sample = new SampleStore("costs");
        var connection = sample.Connection;
        var loader = new PlanningDataLoader(connection);
        var runner = new ScenarioRunner(loader, new ScenarioRepository(connection), new NeedRateProjector());
        var options = new RunOptions(draws, seed, Save: false);
        var baseline = runner.RunBaseline(Council, options);
        var costs = baseline.Projection.Costs ?? throw new InvalidOperationException(string.Join("; ", baseline.Projection.Warnings));

        Console.WriteLine($"as of {baseline.AsOf:yyyy-MM-dd}, {baseline.Projection.Headline}, seed {seed}");
        Console.WriteLine("weekly costs (GBP a week at 2024/25 prices):");
        foreach (var setting in CostSettings.All)
        {
            var rows = costs.WeeklyCosts.Where(c => c.Setting == setting && c.AgeBand is null).ToList();
            Console.WriteLine($"  {setting,-24} " + string.Join("  ", rows.Select(r => $"{r.ClientGroup} {Money(r.WeeklyCost)} ({r.Source}{(r.Services > 0 ? " " + r.Services : "")})")));
        }
        foreach (var band in costs.WeeklyCosts.Where(c => c.AgeBand is not null))
            Console.WriteLine($"  {band.Setting,-12} {band.AgeBand,-6} {Money(band.WeeklyCost)} ({band.Services} services)");

        Console.WriteLine();
        Console.WriteLine("baseline, all client groups (GBP):");
        Console.WriteLine($"{"year",-8} {"placements",12} {"waiting",11} {"res. avoided",12} {"net",12} {"P10",12} {"P90",12} {"to date",13} {"PV to date",13}");
        foreach (var row in costs.Rows.Where(r => r.ClientGroup == ClientGroups.All))
            Console.WriteLine(string.Format(ci, "{0,-8} {1,12:#,0} {2,11:#,0} {3,12:#,0} {4,12:#,0} {5,12:#,0} {6,12:#,0} {7,13:#,0} {8,13:#,0}",
                FinancialYear.Label(row.Fy), row.PlacementsCost, row.WaitingCost, row.AvoidedResidentialCost, row.NetCost,
                row.NetCostRange?.P10, row.NetCostRange?.P90, row.NetCostCumulative, row.PresentValueCumulative));
        Console.WriteLine("waiting cost by cohort, first and last year (weeks, GBP):");
        foreach (var row in costs.Rows.Where(r => r.ClientGroup == ClientGroups.All && (r.Fy == baseline.Projection.Period.FirstFy || r.Fy == baseline.Projection.Period.LastFy)))
            Console.WriteLine($"  {FinancialYear.Label(row.Fy)}: " + string.Join("; ", row.Waiting.Select(w => $"{w.Cohort} ({w.Setting}) {w.Weeks.ToString("#,0", ci)} weeks {w.Cost.ToString("#,0", ci)}")));
        foreach (var line in costs.Budgets)
            Console.WriteLine($"  budget {FinancialYear.Label(line.Fy)} {line.ServiceLine}: modelled {line.ModelledCost.ToString("#,0", ci)} of {line.Budget.ToString("#,0", ci)} ({line.Share.ToString("0.0%", ci)})");

        var data = loader.Load(Council, baseline.AsOf);
        var live = data.Pipeline.Where(p => p.Status is not (PipelineStatuses.Delivered or PipelineStatuses.Failed)).Select(p => p.PipelineId).ToList();
        var scenarios = new (string Name, ScenarioLevers Levers)[]
        {
            ($"cancel the whole pipeline ({live.Count} schemes)", new ScenarioLevers { CancelledSchemes = live }),
            ("30 moves a year from residential care", new ScenarioLevers { ResidentialToSlMovesPerYear = 30 }),
            ("20 extra units (ld_autism, confirmed, 2026-04-01)", new ScenarioLevers
            {
                NewSchemes = [new NewScheme("Bench Court", 20, "supported_living", ClientGroups.LdAutism, new DateOnly(2026, 4, 1))],
            }),
        };
        // Paired draws: each draw of the baseline and of a scenario share their random numbers (one draw per seed), so the
        // P10/P90 of the difference is the range of the scenario's effect, not of the two runs' levels.
        var projector = new NeedRateProjector();
        var period = baseline.Projection.Period;
        var flows = BaselineFlows.Project(data, period, projector);
        var pairs = Math.Min(draws, 1000);
        double[,] NetPerDraw(ScenarioLevers levers)
        {
            var prepared = PreparedScenario.Create(data, levers, period, flows);
            var net = new double[pairs, period.Years];
            for (var d = 0; d < pairs; d++)
            {
                var c = ShortfallSimulator.Run(prepared, new SimulationOptions(1, seed + d, MaxDegreeOfParallelism: 1)).Projection.Costs!;
                for (var k = 0; k < period.Years; k++) net[d, k] = c.At(period.FirstFy + k)!.NetCost;
            }
            return net;
        }
        var baseDraws = NetPerDraw(ScenarioLevers.Baseline);

        foreach (var (name, levers) in scenarios)
        {
            var result = runner.Run(Council, levers, name, null, null, options);
            var scenarioDraws = NetPerDraw(levers);
            var c = result.Projection.Costs ?? throw new InvalidOperationException(string.Join("; ", result.Projection.Warnings));
            Console.WriteLine();
            Console.WriteLine($"{name}: net cost against the baseline, all client groups (GBP)");
            Console.WriteLine($"{"year",-8} {"placements",12} {"waiting",11} {"res. avoided",12} {"net",12} {"to date",13} {"PV to date",13} {"net P10",12} {"net P90",12} {"gap",7}");
            foreach (var row in c.Rows.Where(r => r.ClientGroup == ClientGroups.All))
            {
                var b = costs.At(row.Fy)!;
                Console.WriteLine(string.Format(ci, "{0,-8} {1,12:+#,0;-#,0;0} {2,11:+#,0;-#,0;0} {3,12:+#,0;-#,0;0} {4,12:+#,0;-#,0;0} {5,13:+#,0;-#,0;0} {6,13:+#,0;-#,0;0} {7,12:#,0} {8,12:#,0} {9,7:+0.0;-0.0;0}",
                    FinancialYear.Label(row.Fy), row.PlacementsCost - b.PlacementsCost, row.WaitingCost - b.WaitingCost,
                    row.AvoidedResidentialCost - b.AvoidedResidentialCost, row.NetCost - b.NetCost, row.NetCostCumulative - b.NetCostCumulative,
                    row.PresentValueCumulative - b.PresentValueCumulative, row.NetCostRange?.P10, row.NetCostRange?.P90,
                    result.Projection.ShortfallAt(row.Fy).Shortfall - baseline.Projection.ShortfallAt(row.Fy).Shortfall));
            }
            Console.WriteLine($"paired over {pairs} draws (one seed each), P10 / P50 / P90 of the difference in net cost, in the year and to date:");
            for (var k = 0; k < period.Years; k++)
            {
                var inYear = new float[pairs];
                var toDate = new float[pairs];
                for (var d = 0; d < pairs; d++)
                {
                    inYear[d] = (float)(scenarioDraws[d, k] - baseDraws[d, k]);
                    for (var j = 0; j <= k; j++) toDate[d] += (float)(scenarioDraws[d, j] - baseDraws[d, j]);
                }
                Array.Sort(inYear);
                Array.Sort(toDate);
                Console.WriteLine(string.Format(ci, "  {0,-8} {1,12:+#,0;-#,0;0} {2,12:+#,0;-#,0;0} {3,12:+#,0;-#,0;0}   to date {4,13:+#,0;-#,0;0} {5,13:+#,0;-#,0;0} {6,13:+#,0;-#,0;0}",
                    FinancialYear.Label(period.FirstFy + k), ShortfallSimulator.Quantile(inYear, 0.1), ShortfallSimulator.Quantile(inYear, 0.5),
                    ShortfallSimulator.Quantile(inYear, 0.9), ShortfallSimulator.Quantile(toDate, 0.1), ShortfallSimulator.Quantile(toDate, 0.5),
                    ShortfallSimulator.Quantile(toDate, 0.9)));
            }
        }
        return 0;
    }

    private static string Money(double? v) => v is { } x ? x.ToString("#,0.00", CultureInfo.InvariantCulture) : "-";
}
