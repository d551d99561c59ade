namespace Forecasting.Planning;

/// <param name="Cancellation">Stops the draws between blocks when the caller has gone.</param>
public sealed record SimulationOptions(int Draws = 10_000, long Seed = 1, int BlockSize = 250, bool RandomSlippage = true, int? MaxDegreeOfParallelism = null,
    CancellationToken Cancellation = default);

/// <summary>
/// Monte Carlo simulation of the shortfall. Each draw samples, per client group and year, new starts and exits from
/// a normal matched to the engine's interval (truncated at 0; months within a year fully correlated), each transitions
/// young person becoming a supported-living client by their probability, each pipeline scheme delivered or not by its
/// status probability and, when delivered, delayed by 0..max months (uniform, by status). Every random number is a
/// hash (SplitMix64) of the seed, the draw number and a stable key of what it decides (a scheme id, a young person,
/// a flow cell), so the result depends only on the seed, draws run in parallel blocks in any order, and two
/// scenarios share the draws of everything they have in common (common random numbers): adding a scheme never
/// changes the draws of the others.
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
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount, CancellationToken = options.Cancellation,
        };
        var pipeline = s.PipelineItems.Where(s.CountsPipeline).ToArray();
        var transitions = s.TransitionItems.ToArray();

        var seedMix = Mix(unchecked((ulong)options.Seed));
        var flowKeys = new ulong[2 * G * K];
        for (var i = 0; i < flowKeys.Length; i++) flowKeys[i] = Mix(Key($"flow:{i}"));
        var transitionKeys = transitions.Select(t => Mix(Key("transition:" + t.Id))).ToArray();
        var pipelineKeys = pipeline.Select(p => Mix(Key("pipeline:" + p.Scheme.PipelineId))).ToArray();

        Parallel.For(0, blocks, parallel, () => new Work(G * K), (block, _, work) =>
        {
            var end = Math.Min(draws, (block + 1) * blockSize);
            for (var d = block * blockSize; d < end; d++)
            {
                var drawKey = Mix(seedMix ^ unchecked((ulong)d * 0xD1B54A32D192ED03UL));
                Array.Clear(work.NewNeed);
                Array.Clear(work.Exits);
                Array.Clear(work.Pipeline);
                for (var g = 0; g < G; g++)
                {
                    double cs = 0, ce = 0;
                    for (var k = 0; k < K; k++)
                    {
                        var i = g * K + k;
                        if (s.StartSd[i] > 0) cs += Math.Max(0, s.StartMean[i] + s.StartSd[i] * Normal(drawKey, flowKeys[i]));
                        else cs += s.StartMean[i];
                        if (s.EndSd[i] > 0) ce += Math.Max(0, s.EndMean[i] + s.EndSd[i] * Normal(drawKey, flowKeys[G * K + i]));
                        else ce += s.EndMean[i];
                        work.NewNeed[i] += cs;
                        work.Exits[i] = ce;
                    }
                }
                for (var j = 0; j < transitions.Length; j++)
                {
                    var t = transitions[j];
                    if (Uniform(drawKey, transitionKeys[j]) < t.Probability)
                        for (var k = t.YearIndex; k < K; k++) work.NewNeed[t.Group * K + k] += t.Weight;
                }
                for (var j = 0; j < pipeline.Length; j++)
                {
                    var p = pipeline[j];
                    if (!(Uniform(drawKey, pipelineKeys[j]) < p.Probability)) continue;
                    var n = p.YearIndexBySlip.Length;
                    var slip = options.RandomSlippage && n > 1 ? Math.Min(n - 1, (int)(Uniform(drawKey, pipelineKeys[j] ^ 0x5851F42D4C957F2DUL) * n)) : 0;
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
                        if (s.Selected[g]) all += gap;
                    }
                    shortfall[G * K + k][d] = all;
                }
            }
            return work;
        }, _ => { });

        var rows = new SimulationRow?[cells];
        Parallel.For(0, cells, parallel, c =>
        {
            var g = c / K;
            var k = c % K;
            if (g < G && !s.Selected[g]) return;
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
                sum / draws, Quantile(sorted, 0.1), Quantile(sorted, 0.5), Quantile(sorted, 0.9),
                (double)above / draws, Quantile(inYear, 0.1), Quantile(inYear, 0.5), Quantile(inYear, 0.9));
        });
        var method = "monte_carlo: normal flows from the engine interval, Bernoulli transitions and pipeline delivery" +
                     (options.RandomSlippage ? ", uniform slippage by status" : "");
        return new SimulationSummary(options.Seed, draws, method, rows.Where(r => r is not null).Select(r => r!).ToList());
    }

    /// <summary>SplitMix64 finaliser.</summary>
    internal static ulong Mix(ulong z)
    {
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>FNV-1a hash of a string: a stable key for a random stream.</summary>
    internal static ulong Key(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var c in text) { h ^= c; h = unchecked(h * 0x100000001B3UL); }
        return h;
    }

    /// <summary>Uniform in [0, 1) determined by the draw and the stream key alone.</summary>
    private static double Uniform(ulong drawKey, ulong streamKey) => (Mix(drawKey ^ streamKey) >> 11) * (1.0 / (1UL << 53));

    private static double Normal(ulong drawKey, ulong streamKey)
    {
        var u1 = 1.0 - Uniform(drawKey, streamKey);
        var u2 = Uniform(drawKey, streamKey ^ 0xA0761D6478BD642FUL);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private sealed class Work(int n)
    {
        public readonly double[] NewNeed = new double[n];
        public readonly double[] Exits = new double[n];
        public readonly double[] Pipeline = new double[n];
    }

    /// <summary>Type-7 quantile (R's default) of an already sorted sample.</summary>
    private static double Quantile(double[] sorted, double q) =>
        MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom(sorted, q, MathNet.Numerics.Statistics.QuantileDefinition.R7);
}
