using MathNet.Numerics.Statistics;

namespace Forecasting.Engine;

/// <summary>Small statistical helpers shared by the models.</summary>
public static class SeriesTools
{
    public static double Mean(double[] x) => ArrayStatistics.Mean(x);

    /// <summary>Sample standard deviation (n - 1); 0 for fewer than two values, where it is undefined.</summary>
    public static double StdDev(double[] x) => x.Length < 2 ? 0 : ArrayStatistics.StandardDeviation(x);

    /// <summary>Root mean square of the finite values.</summary>
    public static double Rms(IEnumerable<double> x)
    {
        double s = 0; int n = 0;
        foreach (var v in x) if (double.IsFinite(v)) { s += v * v; n++; }
        return n == 0 ? double.NaN : Math.Sqrt(s / n);
    }

    public static bool IsConstant(double[] y, double relTol = 1e-10)
    {
        double mn = y.Min(), mx = y.Max();
        return mx - mn <= relTol * Math.Max(1.0, Math.Abs(mx));
    }

    /// <summary>Sample autocorrelations r_1..r_maxLag (R's acf definition).</summary>
    public static double[] Acf(double[] x, int maxLag)
    {
        int n = x.Length;
        double m = Mean(x), d = 0;
        for (int i = 0; i < n; i++) d += (x[i] - m) * (x[i] - m);
        var r = new double[maxLag];
        if (d == 0) return r;
        for (int k = 1; k <= maxLag && k < n; k++)
        {
            double s = 0;
            for (int t = 0; t + k < n; t++) s += (x[t] - m) * (x[t + k] - m);
            r[k - 1] = s / d;
        }
        return r;
    }

    /// <summary>The 90% one-sided autocorrelation test at the seasonal lag used by R's thetaf.</summary>
    public static bool IsSeasonal(double[] x, int m)
    {
        if (m <= 1 || x.Length < 2 * m || IsConstant(x)) return false;
        var r = Acf(x, m);
        double s = 1;
        for (int k = 0; k < m - 1; k++) s += 2 * r[k] * r[k];
        double stat = Math.Sqrt(s / x.Length);
        return Math.Abs(r[m - 1]) / stat > 1.6448536269514722;
    }

    /// <summary>
    /// Classical decomposition seasonal figure (R's decompose): index i is the season of position i mod m.
    /// Multiplicative figures average 1, additive figures sum to 0.
    /// </summary>
    public static double[] SeasonalFigure(double[] x, int m, bool multiplicative)
    {
        int n = x.Length;
        var trend = new double[n];
        Array.Fill(trend, double.NaN);
        // Centred moving average: 2xm MA for even m, m MA for odd m.
        int half = m / 2;
        for (int t = half; t < n - half; t++)
        {
            double s;
            if (m % 2 == 0)
            {
                s = 0.5 * x[t - half] + 0.5 * x[t + half];
                for (int j = t - half + 1; j < t + half; j++) s += x[j];
            }
            else
            {
                s = 0;
                for (int j = t - half; j <= t + half; j++) s += x[j];
            }
            trend[t] = s / m;
        }
        var sum = new double[m];
        var cnt = new int[m];
        for (int t = 0; t < n; t++)
        {
            if (double.IsNaN(trend[t])) continue;
            double d = multiplicative ? x[t] / trend[t] : x[t] - trend[t];
            if (!double.IsFinite(d)) continue;
            sum[t % m] += d; cnt[t % m]++;
        }
        var fig = new double[m];
        for (int i = 0; i < m; i++) fig[i] = cnt[i] > 0 ? sum[i] / cnt[i] : (multiplicative ? 1 : 0);
        double avg = fig.Average();
        for (int i = 0; i < m; i++) fig[i] = multiplicative ? fig[i] / avg : fig[i] - avg;
        return fig;
    }

    /// <summary>Least-squares intercept and slope of x on 0..n-1.</summary>
    public static (double Intercept, double Slope) LinearFit(double[] x) =>
        x.Length == 1 ? (x[0], 0) : MathNet.Numerics.Fit.Line(Enumerable.Range(0, x.Length).Select(t => (double)t).ToArray(), x);

    /// <summary>In-sample MAE of the seasonal naive (lag m) forecast, falling back to lag 1; the MASE scale.</summary>
    public static double NaiveScale(double[] y, int m)
    {
        int lag = m > 1 && y.Length > m ? m : 1;
        double s = 0; int c = 0;
        for (int t = lag; t < y.Length; t++) { s += Math.Abs(y[t] - y[t - lag]); c++; }
        double scale = c > 0 ? s / c : 0;
        if (scale <= 0 && lag > 1) return NaiveScale(y, 1);
        return scale;
    }

    /// <summary>Quantile of sorted data by R's default definition (type 7), through MathNet: the one quantile of the engine.</summary>
    public static double Quantile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : SortedArrayStatistics.QuantileCustom(sorted, p, QuantileDefinition.R7);
}
