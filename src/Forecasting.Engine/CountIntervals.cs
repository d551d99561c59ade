using Forecasting.Engine.Models;
using MathNet.Numerics.Distributions;

namespace Forecasting.Engine;

/// <summary>Integer, non-negative interval bounds from a count distribution for count series at small levels.</summary>
internal static class CountIntervals
{
    /// <summary>Count bounds are used at steps whose mean forecast is below this.</summary>
    public const double LevelLimit = 20;

    /// <summary>
    /// Integer interval bounds from a count distribution whose mean is the point forecast, at the steps where the mean
    /// is below <see cref="LevelLimit"/>. The dispersion phi = sum r^2 / sum f over the one-step in-sample errors r
    /// and fitted values f (or, without fitted values, half the variance of the differences over the mean). Poisson
    /// unless phi &gt; 1 + 2 sqrt(2 / n) (two standard errors of phi under a Poisson model), otherwise negative binomial
    /// with variance mu + mu^2 / size, 1 / size = sum(r^2 - f) / sum f^2. The model's growth in variance beyond step 1
    /// (sd_k^2 - sd_1^2) is added to the variance at step k (negative binomial when positive). Bounds: lower = smallest l with P(Y &lt;= l) &gt;= a/2, upper = smallest u with
    /// P(Y &lt;= u) &gt;= 1 - a/2, so the coverage of the distribution is at least the level.
    /// </summary>
    public static string Apply(double[] y, IFittedForecast fit, double[] modelSd, double[] mean, List<PredictionInterval> intervals)
    {
        double sr = 0, sf = 0, sf2 = 0; int cnt = 0;
        var fv = fit.FittedValues;
        for (int t = 0; t < y.Length && t < fv.Length; t++)
        {
            double f = fv[t];
            if (!double.IsFinite(f)) continue;
            f = Math.Max(f, 0);
            double r = y[t] - f;
            sr += r * r; sf += f; sf2 += f * f; cnt++;
        }
        double phi, invSize;
        string source;
        if (cnt >= 10 && sf > 0)
        {
            phi = sr / sf;
            invSize = sf2 > 0 ? Math.Max(0, (sr - sf) / sf2) : 0;
            source = "one-step in-sample errors";
        }
        else
        {
            var d = new double[y.Length - 1];
            for (int t = 1; t < y.Length; t++) d[t - 1] = y[t] - y[t - 1];
            double mu = Math.Max(y.Average(), 1e-9), v = SeriesTools.StdDev(d) is var sdd ? sdd * sdd / 2 : 0;
            phi = v / mu;
            invSize = Math.Max(0, (v - mu) / (mu * mu));
            source = "the differenced history";
        }
        // Overdispersed when phi exceeds its Poisson expectation (1) by two standard errors (sqrt(2 / n)).
        bool nb = phi > 1 + 2 * Math.Sqrt(2.0 / Math.Max(cnt, y.Length - 1));
        if (!nb) invSize = 0;
        int h = mean.Length, steps = 0;
        double sd1 = modelSd.Length > 0 && double.IsFinite(modelSd[0]) ? modelSd[0] : 0;
        foreach (var iv in intervals)
        {
            double a = 1 - iv.Level / 100;
            for (int k = 0; k < h; k++)
            {
                double mu = Math.Max(0, mean[k]);
                if (!(mu < LevelLimit)) continue;
                double grow = k < modelSd.Length && double.IsFinite(modelSd[k]) ? Math.Max(0, modelSd[k] * modelSd[k] - sd1 * sd1) : 0;
                double extra = mu * mu * invSize + grow;   // variance above the Poisson variance mu
                iv.Lower[k] = Quantile(mu, extra, a / 2);
                iv.Upper[k] = Quantile(mu, extra, 1 - a / 2);
                if (iv == intervals[0]) steps++;
            }
        }
        return $"count intervals ({(nb ? "negative binomial" : "Poisson")}, variance/mean {phi:0.##} from {source}, plus the model's variance growth over the horizon) " +
               $"at {steps} of {h} steps with mean below {LevelLimit}: integer bounds";
    }

    /// <summary>Smallest integer q with P(Y &lt;= q) &gt;= p for Y with mean mu and variance mu + extra (Poisson when extra = 0, else negative binomial).</summary>
    internal static double Quantile(double mu, double extra, double p)
    {
        if (mu <= 0) return 0;
        bool nb = extra > 1e-12 * Math.Max(1, mu);
        double size = nb ? mu * mu / extra : 0, prob = nb ? size / (size + mu) : 0;
        double cdf = 0;
        for (int q = 0; q < 100000; q++)
        {
            cdf += nb ? NegativeBinomial.PMF(size, prob, q) : Poisson.PMF(mu, q);
            if (cdf >= p - 1e-12) return q;
        }
        return 100000;
    }
}
