namespace Forecasting.Planning;

public sealed record SimulationOptions(int Draws = 10_000, int Seed = 1, int BlockSize = 250, bool RandomSlippage = true, int? MaxDegreeOfParallelism = null);

/// <summary>
/// Monte Carlo simulation of the shortfall. Each draw samples, per client group and year, new starts and exits from
/// a normal matched to the engine's interval (truncated at 0; months within a year fully correlated), each transitions
/// young person becoming a supported-living client by their probability, each pipeline scheme delivered or not by its
/// status probability and, when delivered, delayed by 0..max months (uniform, by status). Draws run in blocks in
/// parallel; each block has its own generator seeded from (seed, block index), so the result depends only on the seed.
/// </summary>
public static class ShortfallSimulator
{
    public static SimulationSummary Run(PreparedScenario s, SimulationOptions options)
    {
        if (options.Draws <= 0) throw new ArgumentOutOfRangeException(nameof(options), "draws must be positive");
        const int G = PreparedScenario.G;
        var K = s.K;
        var cells = (G + 1) * K;
        var draws = options.Draws;
        var shortfall = new double[cells][];
        for (var c = 0; c < cells; c++) shortfall[c] = new double[draws];
        var blockSize = Math.Max(1, options.BlockSize);
        var blocks = (draws + blockSize - 1) / blockSize;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        var pipeline = s.PipelineItems.Where(s.CountsPipeline).ToArray();
        var transitions = s.TransitionItems.ToArray();

        Parallel.For(0, blocks, parallel, () => new Work(G * K), (block, _, work) =>
        {
            var rng = new Random(BlockSeed(options.Seed, block));
            var end = Math.Min(draws, (block + 1) * blockSize);
            for (var d = block * blockSize; d < end; d++)
            {
                Array.Clear(work.NewNeed);
                Array.Clear(work.Exits);
                Array.Clear(work.Pipeline);
                for (var g = 0; g < G; g++)
                {
                    double cs = 0, ce = 0;
                    for (var k = 0; k < K; k++)
                    {
                        var i = g * K + k;
                        cs += Math.Max(0, s.StartMean[i] + s.StartSd[i] * Normal(rng));
                        ce += Math.Max(0, s.EndMean[i] + s.EndSd[i] * Normal(rng));
                        work.NewNeed[i] += cs;
                        work.Exits[i] = ce;
                    }
                }
                foreach (var t in transitions)
                    if (rng.NextDouble() < t.Probability)
                        for (var k = t.YearIndex; k < K; k++) work.NewNeed[t.Group * K + k] += t.Weight;
                foreach (var p in pipeline)
                {
                    if (!(rng.NextDouble() < p.Probability)) continue;
                    var slip = options.RandomSlippage && p.YearIndexBySlip.Length > 1 ? rng.Next(p.YearIndexBySlip.Length) : 0;
                    for (var k = p.YearIndexBySlip[slip]; k < K; k++) work.Pipeline[p.Group * K + k] += p.Units;
                }
                for (var k = 0; k < K; k++)
                {
                    double all = 0;
                    for (var g = 0; g < G; g++)
                    {
                        var i = g * K + k;
                        var demand = s.FixedOther[i] + (1 - s.DirectPaymentShare) * (s.FixedNewNeed[i] + work.NewNeed[i]) - work.Exits[i];
                        demand = Math.Max(0, demand);
                        var supply = (1 - s.VoidRate[g]) * (s.FixedGrossSupply[i] + work.Pipeline[i]);
                        var gap = demand - supply;
                        shortfall[i][d] = gap;
                        all += gap;
                    }
                    shortfall[G * K + k][d] = all;
                }
            }
            return work;
        }, _ => { });

        var rows = new SimulationRow[cells];
        Parallel.For(0, cells, parallel, c =>
        {
            var g = c / K;
            var k = c % K;
            var values = shortfall[c];
            var sorted = (double[])values.Clone();
            Array.Sort(sorted);
            var above = 0;
            double sum = 0;
            foreach (var v in values) { if (v > 0) above++; sum += v; }
            var inYear = new double[draws];
            if (k == 0) Array.Copy(values, inYear, draws);
            else
            {
                var prev = shortfall[c - 1];
                for (var d = 0; d < draws; d++) inYear[d] = values[d] - prev[d];
            }
            Array.Sort(inYear);
            rows[c] = new SimulationRow(s.Period.FirstFy + k, g < G ? ClientGroups.Known[g] : ClientGroups.All,
                sum / draws, Stats.Quantile(sorted, 0.1), Stats.Quantile(sorted, 0.5), Stats.Quantile(sorted, 0.9),
                (double)above / draws, Stats.Quantile(inYear, 0.1), Stats.Quantile(inYear, 0.5), Stats.Quantile(inYear, 0.9));
        });
        var method = "monte_carlo: normal flows from the engine interval, Bernoulli transitions and pipeline delivery" +
                     (options.RandomSlippage ? ", uniform slippage by status" : "");
        return new SimulationSummary(options.Seed, draws, method, rows);
    }

    /// <summary>Seed of a block: SplitMix64 of the run seed and the block index, folded to a non-negative int.</summary>
    public static int BlockSeed(int seed, int block)
    {
        var z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)block + 1);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    private static double Normal(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private sealed class Work(int n)
    {
        public readonly double[] NewNeed = new double[n];
        public readonly double[] Exits = new double[n];
        public readonly double[] Pipeline = new double[n];
    }
}
