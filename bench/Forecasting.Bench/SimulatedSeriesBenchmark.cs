using System.Globalization;
using System.Text;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace Forecasting.Bench;

/// <summary>
/// simulate --out FILE [--seed N] [--yearly N] [--quarterly N] [--monthly N]: writes series drawn from known
/// processes (random walks with drift, ARIMA, stationary AR, local and damped trends, seasonal ETS and the airline
/// model) in the M1 layout (<c>id,type,period,freq,h,train,test</c>), the test values continuing the same process.
/// A collection whose truth is known, for checking with <c>accuracy --data FILE</c> that interval coverage is not an
/// accident of one collection: nothing is tuned on it.
/// </summary>
public static class SimulatedSeriesBenchmark
{
    private sealed record Spec(string Period, int Freq, int H, int MinN, int MaxN, string[] Processes);

    private static readonly Spec[] Specs =
    {
        new("YEARLY", 1, 6, 15, 45, new[] { "rw_drift", "arima110_drift", "arima011_drift", "ar1_level", "local_trend", "damped_trend" }),
        new("QUARTERLY", 4, 8, 20, 60, new[] { "ets_ana", "ets_aaa", "ets_mnm", "airline", "trend_season_ar1" }),
        new("MONTHLY", 12, 18, 48, 144, new[] { "ets_ana", "ets_aaa", "ets_mnm", "airline", "trend_season_ar1" }),
    };

    public static int Run(string[] args)
    {
        string? outFile = null;
        int seed = 1;
        var counts = new Dictionary<string, int> { ["YEARLY"] = 180, ["QUARTERLY"] = 200, ["MONTHLY"] = 300 };
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--out": outFile = Next(); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--yearly": counts["YEARLY"] = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--quarterly": counts["QUARTERLY"] = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--monthly": counts["MONTHLY"] = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        if (outFile == null) { Console.Error.WriteLine("simulate: --out FILE is required"); return 2; }

        var rng = new Xoshiro256StarStar(seed);
        var csv = new StringBuilder("\"id\",\"type\",\"period\",\"freq\",\"h\",\"train\",\"test\"\n");
        foreach (var spec in Specs)
            for (int k = 0; k < counts[spec.Period]; k++)
            {
                string process = spec.Processes[k % spec.Processes.Length];
                int n = spec.MinN + rng.Next(spec.MaxN - spec.MinN + 1);
                var y = Draw(process, n + spec.H, spec.Freq, rng);
                string Join(IEnumerable<double> v) => string.Join(' ', v.Select(x => x.ToString("0.###", CultureInfo.InvariantCulture)));
                csv.Append($"\"{spec.Period[0]}{k + 1}\",\"{process}\",\"{spec.Period}\",{spec.Freq},{spec.H},\"{Join(y[..n])}\",\"{Join(y[n..])}\"\n");
            }
        File.WriteAllText(outFile, csv.ToString());
        Console.WriteLine($"wrote {counts.Values.Sum()} series to {outFile} (seed {seed})");
        return 0;
    }

    /// <summary>One path of the named process, level about 1000, kept positive by its construction (no clipping).</summary>
    private static double[] Draw(string process, int length, int m, Random rng)
    {
        double U(double a, double b) => a + (b - a) * rng.NextDouble();
        double N() => Normal.Sample(rng, 0, 1);
        const double level = 1000;
        var y = new double[length];
        switch (process)
        {
            case "rw_drift":
                {
                    double mu = U(0, 0.04) * level, sigma = U(0.02, 0.06) * level, v = level;
                    for (int t = 0; t < length; t++) y[t] = v += mu + sigma * N();
                    break;
                }
            case "arima110_drift":
                {
                    double mu = U(0, 0.04) * level, sigma = U(0.02, 0.05) * level, phi = U(-0.3, 0.7), d = mu, v = level;
                    for (int t = 0; t < length; t++) { d = mu + phi * (d - mu) + sigma * N(); y[t] = v += d; }
                    break;
                }
            case "arima011_drift":
                {
                    double mu = U(0, 0.04) * level, sigma = U(0.02, 0.06) * level, theta = U(-0.6, 0.4), prev = 0, v = level;
                    for (int t = 0; t < length; t++) { double e = sigma * N(); y[t] = v += mu + e + theta * prev; prev = e; }
                    break;
                }
            case "ar1_level":
                {
                    double phi = U(0.3, 0.9), sigma = U(0.03, 0.08) * level, v = level;
                    for (int t = 0; t < length; t++) y[t] = v = level + phi * (v - level) + sigma * N();
                    break;
                }
            case "local_trend":
            case "damped_trend":
                {
                    double alpha = U(0.3, 0.9), beta = U(0.02, 0.2) * alpha, phi = process == "damped_trend" ? U(0.8, 0.98) : 1;
                    double sigma = U(0.01, 0.04) * level, l = level, b = U(0, 0.04) * level;
                    for (int t = 0; t < length; t++)
                    {
                        double e = sigma * N();
                        y[t] = l + phi * b + e;
                        l = l + phi * b + alpha * e;
                        b = phi * b + beta * e;
                    }
                    break;
                }
            case "ets_ana":
            case "ets_aaa":
            case "ets_mnm":
                {
                    bool mult = process == "ets_mnm", trend = process == "ets_aaa";
                    double alpha = U(0.1, 0.6), gamma = U(0.01, 0.2) * (1 - alpha), beta = trend ? U(0.01, 0.1) * alpha : 0;
                    double sigma = mult ? U(0.02, 0.06) : U(0.02, 0.05) * level, l = level, b = trend ? U(0, 0.01) * level : 0;
                    var s = Season(m, U(0.05, 0.25), rng, mult).Select(v => mult ? v : v * level).ToArray();
                    for (int t = 0; t < length; t++)
                    {
                        int j = t % m;
                        if (mult)
                        {
                            double mean = l * s[j], e = sigma * N();
                            y[t] = mean * (1 + e);
                            double lNew = l * (1 + alpha * e);
                            s[j] *= 1 + gamma * e;
                            l = lNew;
                        }
                        else
                        {
                            double e = sigma * N();
                            y[t] = l + b + s[j] + e;
                            l = l + b + alpha * e;
                            b += beta * e;
                            s[j] += gamma * e;
                        }
                    }
                    break;
                }
            case "airline":
                {
                    // (0,1,1)(0,1,1)_m on the log scale: a seasonal, trending series with multiplicative variation.
                    double theta = U(-0.7, -0.2), stheta = U(-0.8, -0.3), sigma = U(0.01, 0.04);
                    var s = Season(m, U(0.05, 0.2), rng, mult: false);
                    var w = new double[length + m + 1];
                    var e = new double[length + m + 1];
                    for (int t = 0; t < w.Length; t++)
                    {
                        e[t] = sigma * N();
                        double diff = e[t] + (t >= 1 ? theta * e[t - 1] : 0) + (t >= m ? stheta * e[t - m] : 0) + (t >= m + 1 ? theta * stheta * e[t - m - 1] : 0);
                        // w_t - w_{t-1} - w_{t-m} + w_{t-m-1} = diff
                        w[t] = diff + (t >= 1 ? w[t - 1] : 0) + (t >= m ? w[t - m] - (t >= m + 1 ? w[t - m - 1] : 0) : 0);
                    }
                    for (int t = 0; t < length; t++) y[t] = level * Math.Exp(s[t % m] + w[t + m + 1] - w[m]);
                    break;
                }
            case "trend_season_ar1":
                {
                    double slope = U(-0.002, 0.01) * level, phi = U(0.2, 0.8), sigma = U(0.02, 0.05) * level, u = 0;
                    var s = Season(m, U(0.05, 0.25), rng, mult: false);
                    for (int t = 0; t < length; t++) { u = phi * u + sigma * N(); y[t] = level + slope * t + level * s[t % m] + u; }
                    break;
                }
            default: throw new ArgumentException($"unknown process {process}");
        }
        return y;
    }

    /// <summary>A seasonal pattern of the given relative amplitude (sine plus a random second harmonic), mean 0 (additive, as a share of the level) or 1 (multiplicative).</summary>
    private static double[] Season(int m, double amplitude, Random rng, bool mult)
    {
        double phase = rng.NextDouble() * 2 * Math.PI, second = rng.NextDouble() * 0.5;
        var s = Enumerable.Range(0, m).Select(j => amplitude * (Math.Sin(2 * Math.PI * j / m + phase) + second * Math.Sin(4 * Math.PI * j / m))).ToArray();
        double mean = s.Average();
        return s.Select(v => mult ? 1 + v - mean : (v - mean)).ToArray();
    }
}
