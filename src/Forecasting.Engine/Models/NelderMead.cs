namespace Forecasting.Engine.Models;

/// <summary>
/// Nelder-Mead simplex minimisation, step for step the algorithm of MathNet's <c>NelderMeadSimplex</c> (5.0.0): initial
/// simplex x0 + step_i e_i; each iteration reflects the worst vertex through the centroid of the others, then expands
/// (twice as far) if that beat the best vertex, or contracts (halfway) if it did not beat the second worst, shrinking
/// the simplex towards the best vertex when the contraction is no better than the worst; it stops once the relative
/// range of the vertex values is below the tolerance twice in a row, or when the evaluation count reaches the limit. MathNet's version allocates vectors at every step; the
/// smoothing models solve thousands of small problems (2 to 20 parameters, objective a pass over a short series), where
/// those allocations took about three quarters of the time. This one works in place and gives the same points
/// (tests compare the two).
/// </summary>
internal static class NelderMead
{
    private const double Jitter = 1e-10;

    /// <summary>Result: the best vertex, its value, and whether the tolerance was met before the evaluation limit.</summary>
    public readonly record struct Result(double[] X, double Value, bool Converged, int Evaluations);

    public static Result Minimize(Func<double[], double> f, double[] start, double[] steps, double tolerance, int maxEvaluations)
    {
        int d = start.Length, nv = d + 1;
        var v = new double[nv][];
        var fv = new double[nv];
        for (int i = 0; i < nv; i++)
        {
            v[i] = (double[])start.Clone();
            if (i > 0) v[i][i - 1] = start[i - 1] + steps[i - 1];
        }
        for (int i = 0; i < nv; i++) fv[i] = f(v[i]);
        var centroid = new double[d];
        var trial = new double[d];
        int evaluations = 0, convergedTimes = 0;
        int lo, hi, next;
        while (true)
        {
            Profile(fv, out lo, out hi, out next);
            double range = 2 * Math.Abs(fv[hi] - fv[lo]) / (Math.Abs(fv[hi]) + Math.Abs(fv[lo]) + Jitter);
            convergedTimes = range < tolerance ? convergedTimes + 1 : 0;
            if (convergedTimes == 2) return new Result((double[])v[lo].Clone(), fv[lo], true, evaluations);

            double fr = TryScale(f, -1.0, v, fv, hi, centroid, trial);
            evaluations++;
            if (fr <= fv[lo])
            {
                // Better than the best vertex: try twice as far.
                TryScale(f, 2.0, v, fv, hi, centroid, trial);
                evaluations++;
            }
            else if (fr >= fv[next])
            {
                // Worse than the second worst: try halfway, else shrink towards the best vertex.
                double worst = fv[hi];
                double fc = TryScale(f, 0.5, v, fv, hi, centroid, trial);
                evaluations++;
                if (fc >= worst) { Shrink(f, v, fv, lo); evaluations += nv; }
            }
            if (evaluations >= maxEvaluations)
            {
                Profile(fv, out lo, out _, out _);
                return new Result((double[])v[lo].Clone(), fv[lo], false, evaluations);
            }
        }
    }

    private static void Profile(double[] fv, out int lo, out int hi, out int next)
    {
        lo = 0;
        if (fv[0] > fv[1]) { hi = 0; next = 1; } else { hi = 1; next = 0; }
        for (int i = 0; i < fv.Length; i++)
        {
            double e = fv[i];
            if (e <= fv[lo]) lo = i;
            if (e > fv[hi]) { next = hi; hi = i; }
            else if (e > fv[next] && i != hi) next = i;
        }
    }

    /// <summary>
    /// The point c + s (w - c), c the centroid of all vertices but the worst w; it replaces w when it is better.
    /// Returns its value.
    /// </summary>
    private static double TryScale(Func<double[], double> f, double s, double[][] v, double[] fv, int hi, double[] centroid, double[] trial)
    {
        int d = centroid.Length;
        Array.Clear(centroid);
        for (int i = 0; i < v.Length; i++)
            if (i != hi)
                for (int j = 0; j < d; j++) centroid[j] += v[i][j];
        double inv = 1.0 / (v.Length - 1);
        for (int j = 0; j < d; j++) centroid[j] *= inv;
        for (int j = 0; j < d; j++) trial[j] = (v[hi][j] - centroid[j]) * s + centroid[j];
        double value = f(trial);
        if (value < fv[hi])
        {
            Array.Copy(trial, v[hi], d);
            fv[hi] = value;
        }
        return value;
    }

    private static void Shrink(Func<double[], double> f, double[][] v, double[] fv, int lo)
    {
        for (int i = 0; i < v.Length; i++)
        {
            if (i == lo) continue;
            for (int j = 0; j < v[i].Length; j++) v[i][j] = (v[i][j] + v[lo][j]) * 0.5;
            fv[i] = f(v[i]);
        }
    }
}
