namespace Forecasting.Engine.Tests;

internal static class TestUtil
{
    /// <summary>Asserts max |a-e| / max(|e|, floor) &lt;= relTol and reports the worst step.</summary>
    public static void Close(double[] expected, double[] actual, double relTol, string what, double floor = 1e-9)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0; int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), floor);
            if (d > worst) { worst = d; at = i; }
        }
        Assert.True(worst <= relTol, $"{what}: worst relative difference {worst:G4} at step {at + 1} (expected {(at >= 0 ? expected[at] : 0):G8}, got {(at >= 0 ? actual[at] : 0):G8}); tolerance {relTol}");
    }

    public static double[] Normal(Random r, int n, double sd = 1)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1 - r.NextDouble(), u2 = r.NextDouble();
            x[i] = sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return x;
    }

    public static int Poisson(Random r, double lambda)
    {
        double l = Math.Exp(-lambda), p = 1; int k = 0;
        do { k++; p *= r.NextDouble(); } while (p > l);
        return k - 1;
    }
}
