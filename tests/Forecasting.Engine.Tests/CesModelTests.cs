using Forecasting.Engine.Models;
using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Engine.Tests;

/// <summary>
/// Complex exponential smoothing (non-seasonal) against its state recursion written out here, the forecast variance
/// of the state-space form computed by matrix powers, the stability region by MathNet's eigenvalues, and the
/// likelihood estimates against a grid search.
/// </summary>
[Trait("Category", "unit")]
public class CesModelTests
{
    private static readonly double[] Y = { 20, 22, 21, 25, 24, 27, 26, 30, 29, 31, 33, 32, 35, 34, 38 };

    [Fact]
    public void Four_values_by_hand()
    {
        // y = 10, 12, 11, 13; a0 = 1.2, a1 = 0.9. Start: l = mean(10, 12, 11, 13) = 11.5, c = 11.5 / 1.1.
        // Each step: e = y - l; l' = l - 0.1 c + 0.3 e; c' = l - 0.2 c + 2.1 e (1 - a1 = 0.1, a0 - a1 = 0.3,
        // 1 - a0 = -0.2, a0 + a1 = 2.1). Passes: forward, backward (13, 11, 12, 10), forward; the last gives the fit.
        var y = new double[] { 10, 12, 11, 13 };
        double l = 11.5, c = 11.5 / 1.1;
        void Step(double v, out double forecast)
        {
            forecast = l;
            double e = v - l;
            double nl = l - 0.1 * c + 0.3 * e;
            double nc = l - 0.2 * c + 2.1 * e;
            l = nl; c = nc;
        }
        foreach (var v in y) Step(v, out _);
        foreach (var v in y.Reverse()) Step(v, out _);
        var fitted = new double[4];
        for (int t = 0; t < 4; t++) Step(y[t], out fitted[t]);
        // Forecasts: no more errors, so l' = l - 0.1 c, c' = l - 0.2 c.
        var forecast = new double[3];
        for (int k = 0; k < 3; k++) { forecast[k] = l; double nl = l - 0.1 * c, nc = l - 0.2 * c; l = nl; c = nc; }

        var fit = new CesModel(1.2, 0.9).Fit(y, 1);
        TestUtil.Close(fitted, fit.FittedValues, 1e-12, "fitted");
        TestUtil.Close(forecast, fit.Forecast(3), 1e-12, "forecast");
    }

    [Fact]
    public void Forecast_sd_is_the_state_space_variance()
    {
        var fit = new CesModel(1.4, 1.05).Fit(Y, 1);
        double a0 = 1.4, a1 = 1.05;
        var F = Matrix<double>.Build.DenseOfArray(new[,] { { 1, -(1 - a1) }, { 1, 1 - a0 } });
        var g = Vector<double>.Build.Dense(new[] { a0 - a1, a0 + a1 });
        double sigma2 = fit.Residuals.Sum(e => e * e) / (Y.Length - 3);
        var expected = new double[6];
        double acc = 1;
        for (int k = 1; k <= 6; k++)
        {
            expected[k - 1] = Math.Sqrt(sigma2 * acc);
            double cj = (F.Power(k - 1) * g)[0];
            acc += cj * cj;
        }
        TestUtil.Close(expected, fit.ForecastStdDev(6), 1e-10, "sd");
        // Step 1 is the residual sd itself.
        Assert.Equal(Math.Sqrt(sigma2), fit.ForecastStdDev(1)[0], 12);
    }

    [Fact]
    public void Stability_region_agrees_with_the_eigenvalues_of_the_discount_matrix()
    {
        int disagreements = 0, stable = 0;
        for (double a0 = 0.01; a0 <= 1.8; a0 += 0.07)
            for (double a1 = 0.01; a1 <= 1.9; a1 += 0.07)
            {
                var d = Matrix<double>.Build.DenseOfArray(new[,] { { 1 - a0 + a1, a1 - 1 }, { 1 - a0 - a1, 1 - a0 } });
                bool byEigen = d.Evd().EigenValues.All(z => z.Magnitude < 1);
                if (byEigen) stable++;
                if (byEigen != CesModel.Stable(a0, a1)) disagreements++;
            }
        Assert.Equal(0, disagreements);
        Assert.InRange(stable, 50, 600);   // the region is neither empty nor everything
        Assert.True(CesModel.Stable(1.3, 1.0));
    }

    [Fact]
    public void Estimates_reach_the_grid_minimum_of_the_likelihood()
    {
        var fit = new CesModel().Fit(Y, 1);
        double a0 = fit.Parameters["a0"], a1 = fit.Parameters["a1"];
        double Sse(double p0, double p1) => new CesModel(p0, p1).Fit(Y, 1).Residuals.Sum(e => e * e);
        double best = double.MaxValue;
        for (double p0 = 0.01; p0 <= 1.8; p0 += 0.02)
            for (double p1 = 0.01; p1 <= 1.9; p1 += 0.02)
                if (CesModel.Stable(p0, p1)) best = Math.Min(best, Sse(p0, p1));
        Assert.True(Sse(a0, a1) <= best * (1 + 1e-3), $"CES squared errors {Sse(a0, a1)} above the grid minimum {best}");
        Assert.True(CesModel.Stable(a0, a1));
    }

    [Fact]
    public void Trending_series_keeps_trending_and_a_flat_one_stays_flat()
    {
        var rnd = new Random(7);
        var noise = TestUtil.Normal(rnd, 40, 1);
        var trend = Enumerable.Range(0, 40).Select(t => 50 + 2.0 * t + noise[t]).ToArray();
        var f = new CesModel().Fit(trend, 1).Forecast(6);
        // The line reaches 50 + 2 x 45 = 140 at step 6; CES, with no fixed trend form, must still climb most of the way.
        Assert.True(f[5] > f[0] && f[5] > 125, $"trend forecast {string.Join(", ", f)}");
        var flat = Enumerable.Range(0, 40).Select(t => 100 + noise[t]).ToArray();
        var g = new CesModel().Fit(flat, 1).Forecast(6);
        Assert.All(g, v => Assert.InRange(v, 97, 103));
    }
}
