using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Engine.Models;

/// <param name="Damping">
/// phi per step for the trend of the log rate beyond the data: the rate's growth at step h is b x phi^h, so the log
/// rate levels off at b x phi / (1 - phi) above its last fitted value (1 = the fitted trend continues). Null = chosen
/// from <see cref="RateModel.DampingGrid"/> by rolling-origin Poisson deviance on the series itself.
/// </param>
/// <param name="Seasonal">Season dummies (positions 2..m) when the series has a period above 1 and two full seasons.</param>
public sealed record RateModelOptions(double? Damping = 1.0, bool Seasonal = true);

/// <summary>
/// Counts per head of a driver population: a Poisson GLM with log link and log(exposure) offset,
/// log E[y_t] = log(exposure_t) + a + b t (+ season), fitted by iteratively reweighted least squares as R's
/// <c>glm(y ~ t (+ season), family = poisson, offset = log(exposure))</c>. The future rate follows a damped trend on the
/// log scale and is multiplied by the exposure the caller projects (a population projection), so a forecast is a rate
/// per head times heads. Overdispersion (Pearson dispersion above 1 + 2 sqrt(2 / df)) widens the coefficients'
/// covariance as quasi-Poisson and makes the count noise negative binomial with the same variance-to-mean ratio.
/// </summary>
public static class RateModel
{
    /// <summary>Damping values tried when <see cref="RateModelOptions.Damping"/> is null.</summary>
    public static IReadOnlyList<double> DampingGrid { get; } = new[] { 0.8, 0.9, 0.95, 0.98, 1.0 };

    /// <summary>Fewest observations fitted.</summary>
    public const int MinObservations = 6;

    /// <param name="counts">Non-negative counts in time order (no missing values).</param>
    /// <param name="exposure">The driver population for each count (positive).</param>
    /// <param name="period">12 monthly, 4 quarterly, 1 otherwise.</param>
    public static FittedRate Fit(double[] counts, double[] exposure, int period, RateModelOptions? options = null)
    {
        options ??= new RateModelOptions();
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(exposure);
        if (counts.Length < MinObservations) throw new ArgumentException($"counts: at least {MinObservations} observations are needed; got {counts.Length}", nameof(counts));
        if (exposure.Length != counts.Length) throw new ArgumentException($"exposure: one value per count is needed ({counts.Length}); got {exposure.Length}", nameof(exposure));
        if (counts.Any(c => !(c >= 0) || double.IsInfinity(c))) throw new ArgumentException("counts: every value must be a finite count of at least 0", nameof(counts));
        if (exposure.Any(e => !(e > 0) || double.IsInfinity(e))) throw new ArgumentException("exposure: every value must be a positive population", nameof(exposure));
        if (counts.All(c => c == 0)) throw new ArgumentException("counts: all zero, so no rate can be estimated", nameof(counts));
        if (period < 1) throw new ArgumentException("period must be at least 1", nameof(period));
        if (options.Damping is { } d && !(d > 0 && d <= 1)) throw new ArgumentException("damping must be in (0, 1]", nameof(options));

        var seasons = options.Seasonal && period > 1 && counts.Length >= 2 * period ? period : 1;
        var damping = options.Damping ?? ChooseDamping(counts, exposure, seasons);
        return FitGlm(counts, exposure, seasons, damping);
    }

    private static FittedRate FitGlm(double[] y, double[] exposure, int seasons, double damping)
    {
        int n = y.Length, p = 2 + (seasons - 1);
        var x = Matrix<double>.Build.Dense(n, p, (t, j) => Column(t, j, seasons));
        var offset = exposure.Select(e => Math.Log(e)).ToArray();
        // R's glm starts from mu = y + 0.1 and stops when the deviance changes by less than 1e-8 relative; 1e-12 here.
        var eta = y.Select(v => Math.Log(v + 0.1)).ToArray();
        var beta = Vector<double>.Build.Dense(p);
        var mu = new double[n];
        double deviance = double.PositiveInfinity;
        Matrix<double> information = Matrix<double>.Build.DenseIdentity(p);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            for (var t = 0; t < n; t++) mu[t] = Math.Exp(eta[t]);
            var xw = Matrix<double>.Build.Dense(n, p, (t, j) => x[t, j] * mu[t]);
            information = xw.TransposeThisAndMultiply(x);
            var z = Vector<double>.Build.Dense(n, t => eta[t] - offset[t] + (y[t] - mu[t]) / mu[t]);
            beta = information.Solve(xw.TransposeThisAndMultiply(z));
            var linear = x * beta;
            for (var t = 0; t < n; t++) eta[t] = linear[t] + offset[t];
            for (var t = 0; t < n; t++) mu[t] = Math.Exp(eta[t]);
            var next = PoissonDeviance(y, mu);
            var converged = Math.Abs(next - deviance) / (Math.Abs(next) + 0.1) < 1e-12;
            deviance = next;
            if (converged) break;
        }
        {
            var xw = Matrix<double>.Build.Dense(n, p, (t, j) => x[t, j] * mu[t]);
            information = xw.TransposeThisAndMultiply(x);
        }
        var covariance = information.Inverse();
        var pearson = 0.0;
        for (var t = 0; t < n; t++) pearson += (y[t] - mu[t]) * (y[t] - mu[t]) / mu[t];
        var df = n - p;
        var dispersion = df > 0 ? pearson / df : 1;
        var overdispersed = df > 0 && dispersion > 1 + 2 * Math.Sqrt(2.0 / df);
        return new FittedRate(beta.ToArray(), covariance, seasons, damping, n, (double[])mu.Clone(), exposure, deviance, dispersion, overdispersed);
    }

    /// <summary>Design column j at index t (0-based): intercept, time 1..n, then season dummies for positions 2..m.</summary>
    internal static double Column(int t, int j, int seasons) => j switch
    {
        0 => 1,
        1 => t + 1,
        _ => t % seasons == j - 1 ? 1 : 0,
    };

    internal static double PoissonDeviance(IReadOnlyList<double> y, IReadOnlyList<double> mu)
    {
        double d = 0;
        for (var t = 0; t < y.Count; t++) d += 2 * ((y[t] > 0 ? y[t] * Math.Log(y[t] / mu[t]) : 0) - (y[t] - mu[t]));
        return d;
    }

    /// <summary>
    /// The damping whose forecasts from the last rolling origins (each leaving out up to a season or three periods,
    /// at least two thirds of the data kept) have the lowest Poisson deviance; the least damping wins ties.
    /// </summary>
    private static double ChooseDamping(double[] y, double[] exposure, int seasons)
    {
        var n = y.Length;
        var horizon = Math.Max(3, seasons);
        var minTrain = Math.Max(Math.Max(MinObservations, 2 * seasons), (2 * n + 2) / 3);
        var origins = Enumerable.Range(0, 3).Select(k => n - horizon - k * Math.Max(1, horizon / 2)).Where(o => o >= minTrain).ToList();
        if (origins.Count == 0) return 1.0;
        var loss = DampingGrid.ToDictionary(d => d, _ => 0.0);
        foreach (var origin in origins)
        {
            var train = FitGlm(y[..origin], exposure[..origin], seasons, 1.0);
            var steps = Math.Min(horizon, n - origin);
            var actual = y[origin..(origin + steps)];
            foreach (var d in DampingGrid)
                loss[d] += PoissonDeviance(actual, (train with { Damping = d }).Forecast(exposure[origin..(origin + steps)]));
        }
        var best = loss.Values.Min();
        return DampingGrid.Where(d => loss[d] <= best * (1 + 1e-9)).Max();
    }
}

/// <summary>A fitted <see cref="RateModel"/>: coefficients, their covariance, fit statistics and forecasts given the future exposure.</summary>
public sealed record FittedRate(
    double[] Coefficients,
    Matrix<double> Covariance,
    int Seasons,
    double Damping,
    int Observations,
    double[] FittedValues,
    double[] Exposure,
    double Deviance,
    double Dispersion,
    bool Overdispersed)
{
    /// <summary>Coefficient names: intercept, trend, season2..season_m.</summary>
    public IReadOnlyList<string> CoefficientNames =>
        new[] { "intercept", "trend" }.Concat(Enumerable.Range(2, Seasons - 1).Select(s => $"season{s}")).ToList();

    /// <summary>Standard errors as R's summary.glm for the Poisson family (dispersion 1).</summary>
    public double[] StandardErrors => Enumerable.Range(0, Coefficients.Length).Select(i => Math.Sqrt(Covariance[i, i])).ToArray();

    /// <summary>Fitted rates per head (fitted count / exposure).</summary>
    public double[] FittedRates => FittedValues.Select((f, t) => f / Exposure[t]).ToArray();

    /// <summary>Forecast rate per head at steps 1..h.</summary>
    public double[] ForecastRate(int h) => LogRates(Coefficients, h).Select(v => Math.Exp(v)).ToArray();

    /// <summary>Forecast mean counts: the forecast rate times <paramref name="futureExposure"/> (one value per step).</summary>
    public double[] Forecast(IReadOnlyList<double> futureExposure)
    {
        CheckExposure(futureExposure);
        var rates = ForecastRate(futureExposure.Count);
        return rates.Select((r, k) => r * futureExposure[k]).ToArray();
    }

    /// <summary>
    /// Sample paths of counts, [draw][step]: coefficients drawn from their normal approximation (covariance times the
    /// dispersion when overdispersed), the damped log rate from them, then Poisson (or negative binomial with the same
    /// variance-to-mean ratio) counts around rate x exposure. Persistent shocks to the rate beyond the fitted trend are
    /// not modelled, so long-range paths are narrower than a random-walk rate would give.
    /// </summary>
    public double[][] SamplePaths(IReadOnlyList<double> futureExposure, int draws, int seed)
    {
        CheckExposure(futureExposure);
        if (draws < 1) throw new ArgumentException("draws must be at least 1", nameof(draws));
        var h = futureExposure.Count;
        var scale = Overdispersed ? Dispersion : 1.0;
        var factor = (Covariance * scale).Cholesky().Factor;
        var rng = new Random(seed);
        var paths = new double[draws][];
        var mean = Vector<double>.Build.DenseOfArray(Coefficients);
        for (var d = 0; d < draws; d++)
        {
            var eps = Vector<double>.Build.Dense(Coefficients.Length, _ => Normal.Sample(rng, 0, 1));
            var beta = (mean + factor * eps).ToArray();
            var logRates = LogRates(beta, h);
            paths[d] = new double[h];
            for (var k = 0; k < h; k++)
            {
                var mu = Math.Exp(logRates[k]) * futureExposure[k];
                // Negative binomial as a gamma-Poisson mixture with size mu / (dispersion - 1): variance dispersion x mu.
                var size = mu / (Dispersion - 1);
                paths[d][k] = Poisson.Sample(rng, Overdispersed ? Gamma.Sample(rng, size, size / mu) : mu);
            }
        }
        return paths;
    }

    /// <summary>Central intervals at each level (percent) from <see cref="SamplePaths"/>, R's type 7 quantiles.</summary>
    public IReadOnlyList<PredictionInterval> Intervals(IReadOnlyList<double> futureExposure, IReadOnlyList<double> levels, int draws = 1000, int seed = 1)
    {
        if (levels.Any(l => !(l > 0 && l < 100))) throw new ArgumentException("levels must be between 0 and 100 (percent)", nameof(levels));
        var paths = SamplePaths(futureExposure, draws, seed);
        var h = futureExposure.Count;
        var sorted = Enumerable.Range(0, h).Select(k => paths.Select(p => p[k]).Order().ToArray()).ToArray();
        return levels.Select(l => new PredictionInterval(l,
            sorted.Select(s => SeriesTools.Quantile(s, 0.5 - l / 200)).ToArray(),
            sorted.Select(s => SeriesTools.Quantile(s, 0.5 + l / 200)).ToArray())).ToList();
    }

    /// <summary>log rate at steps 1..h: the last fitted trend value, the season, and the damped growth b (phi + ... + phi^k).</summary>
    private double[] LogRates(double[] beta, int h)
    {
        var n = Observations;
        var result = new double[h];
        double growth = 0, power = 1;
        for (var k = 0; k < h; k++)
        {
            power *= Damping;
            growth += power;
            var t = n - 1 + k + 1;   // 0-based index of step k + 1
            var season = Seasons > 1 && t % Seasons > 0 ? beta[1 + t % Seasons] : 0;
            result[k] = beta[0] + beta[1] * n + beta[1] * growth + season;
        }
        return result;
    }

    private static void CheckExposure(IReadOnlyList<double> futureExposure)
    {
        ArgumentNullException.ThrowIfNull(futureExposure);
        if (futureExposure.Count == 0) throw new ArgumentException("futureExposure: at least one future period is needed", nameof(futureExposure));
        if (futureExposure.Any(e => !(e > 0) || double.IsInfinity(e))) throw new ArgumentException("futureExposure: every value must be a positive population", nameof(futureExposure));
    }
}
