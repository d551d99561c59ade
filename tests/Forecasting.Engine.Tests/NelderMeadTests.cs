using Forecasting.Engine.Models;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Forecasting.Engine.Tests;

/// <summary>The in-place Nelder-Mead visits the same points as MathNet's NelderMeadSimplex, which it replaces for speed.</summary>
[Trait("Category", "unit")]
public class NelderMeadTests
{
    private static double Rosenbrock(double[] x) => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2);

    private static double Bowl(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += (i + 1) * Math.Pow(x[i] - 0.1 * i, 2) + 0.3 * Math.Sin(3 * x[i]);
        return s;
    }

    // A barrier as the ETS likelihood uses (1e12 outside the admissible region).
    private static double Barrier(double[] x) => x[0] < 0 || x[0] > 1 ? 1e12 : Math.Pow(x[0] - 0.97, 2) + Math.Pow(x[1] + 2, 2) * (1 + x[0]);

    public static TheoryData<string, int, double> Cases => new()
    {
        { "rosenbrock", 1000, 1e-7 }, { "rosenbrock", 40, 1e-7 }, { "bowl", 3000, 1e-9 }, { "bowl", 100, 1e-9 }, { "barrier", 1000, 1e-8 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Visits_the_same_points_as_MathNet(string name, int maxEvaluations, double tolerance)
    {
        Func<double[], double> f = name switch { "rosenbrock" => Rosenbrock, "bowl" => Bowl, _ => Barrier };
        double[] start = name switch { "rosenbrock" => new[] { -1.2, 1.0 }, "bowl" => new[] { 1.0, -0.5, 0.3, 2.0, 0.0, 0.7 }, _ => new[] { 0.5, 1.0 } };
        double[] steps = start.Select((v, i) => 0.1 + 0.05 * i).ToArray();

        var theirs = new List<double>();
        bool theyConverged = true;
        try
        {
            new NelderMeadSimplex(tolerance, maxEvaluations).FindMinimum(
                ObjectiveFunction.Value(v => { double r = f(v.ToArray()); theirs.Add(r); return r; }),
                Vector<double>.Build.DenseOfArray(start), Vector<double>.Build.DenseOfArray(steps));
        }
        catch (MaximumIterationsException) { theyConverged = false; }

        var ours = new List<double>();
        var res = NelderMead.Minimize(x => { double r = f(x); ours.Add(r); return r; }, start, steps, tolerance, maxEvaluations);

        Assert.Equal(theyConverged, res.Converged);
        // MathNet evaluates the best vertex once more when it has converged.
        Assert.Equal(theirs.Take(ours.Count), ours);
        Assert.InRange(theirs.Count - ours.Count, 0, 1);
        Assert.Equal(ours.Min(), res.Value);
    }

    [Fact]
    public void Finds_the_minimum_of_a_quadratic()
    {
        var res = NelderMead.Minimize(x => Math.Pow(x[0] - 3, 2) + 2 * Math.Pow(x[1] + 1, 2), new[] { 0.0, 0.0 }, new[] { 0.5, 0.5 }, 1e-14, 5000);
        Assert.True(res.Converged);
        Assert.Equal(3, res.X[0], 5);
        Assert.Equal(-1, res.X[1], 5);
    }
}
