using Forecasting.Engine.Models;

namespace Forecasting.Engine.Tests;

/// <summary>
/// The dynamic optimised Theta model against the published equations (Fiorucci et al. 2016, forecTheta's dotm)
/// computed here a second way: the line's intercept and slope refitted from scratch by least squares at every step
/// (the model updates them recursively), and the estimates against a grid search.
/// </summary>
[Trait("Category", "unit")]
public class DynamicThetaModelTests
{
    private static readonly double[] Y = { 112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170 };
    // A noisy upward series whose least-squares optimum is inside the bounds (alpha about 0.32, theta about 3.1).
    private static readonly double[] Z = { 102, 99, 104, 108, 103, 101, 107, 112, 109, 106, 111, 116, 113, 110, 118, 121, 117, 115, 122, 126 };

    /// <summary>The one-step means of DOTM with the line refitted by least squares on values 1..t at every t.</summary>
    private static double[] ByDefinition(double[] y, double level0, double alpha, double theta, int h)
    {
        var values = new List<double> { y[0] };
        var mu = new List<double> { y[0] };
        double level = alpha * y[0] + (1 - alpha) * level0;
        for (int i = 1; i < y.Length + h; i++)
        {
            // Least-squares line of values 1..i on time 1..i (textbook normal equations).
            int t = values.Count;
            double st = 0, sy = 0, stt = 0, sty = 0;
            for (int j = 0; j < t; j++) { double tt = j + 1; st += tt; sy += values[j]; stt += tt * tt; sty += tt * values[j]; }
            double slope = t == 1 ? 0 : (t * sty - st * sy) / (t * stt - st * st);
            double intercept = t == 1 ? values[0] : (sy - slope * st) / t;
            double m = level + (1 - 1 / theta) * (intercept * Math.Pow(1 - alpha, i) + slope * (1 - Math.Pow(1 - alpha, i + 1)) / alpha);
            mu.Add(m);
            double v = i < y.Length ? y[i] : m;
            values.Add(v);
            level = alpha * v + (1 - alpha) * level;
        }
        return mu.ToArray();
    }

    [Theory]
    [InlineData(50.0, 0.3, 2.0)]
    [InlineData(100.0, 0.7, 3.5)]
    [InlineData(0.0, 0.15, 1.2)]
    public void Fixed_parameters_match_the_equations_with_the_line_refitted_at_every_step(double level0, double alpha, double theta)
    {
        var fit = new DynamicThetaModel(level0, alpha, theta).Fit(Y, 1);
        var expected = ByDefinition(Y, level0, alpha, theta, 6);
        TestUtil.Close(expected[..Y.Length], fit.FittedValues, 1e-10, "fitted");
        TestUtil.Close(expected[Y.Length..], fit.Forecast(6), 1e-10, "forecast");
    }

    [Fact]
    public void Theta_one_is_simple_exponential_smoothing()
    {
        // Hand: SES from level 100 with alpha 0.5 over 4, 8, 6, 10: 52, 30, 18, 14; the forecast is flat at 14.
        var y = new double[] { 4, 8, 6, 10 };
        var fit = new DynamicThetaModel(100, 0.5, 1).Fit(y, 1);
        TestUtil.Close(new[] { 14.0, 14, 14 }, fit.Forecast(3), 1e-12, "SES forecast");
        TestUtil.Close(new[] { 4.0, 52, 30, 18 }, fit.FittedValues, 1e-12, "SES fitted (the first is the value itself)");
    }

    [Fact]
    public void Estimates_reach_the_grid_minimum_of_the_squared_errors()
    {
        var fit = new DynamicThetaModel().Fit(Z, 1);
        double Sse(double l0, double a, double th)
        {
            var mu = ByDefinition(Z, l0, a, th, 0);
            double s = 0;
            for (int t = 2; t < Z.Length; t++) s += (Z[t] - mu[t]) * (Z[t] - mu[t]);
            return s;
        }
        double fitted = Sse(fit.Parameters["level0"], fit.Parameters["alpha"], fit.Parameters["theta"]);
        // Grid over alpha and theta; the squared errors are quadratic in l0, whose best value is found by
        // three evaluations (a parabola through l0 = -1, 0, 1).
        double best = double.MaxValue;
        for (double a = 0.1; a <= 0.99 + 1e-9; a += 0.01)
            for (double th = 1; th <= 6 + 1e-9; th += 0.05)
            {
                double f0 = Sse(0, a, th), fp = Sse(1, a, th), fm = Sse(-1, a, th);
                double curv = (fp + fm - 2 * f0) / 2, lin = (fp - fm) / 2;
                double l0 = curv > 0 ? -lin / (2 * curv) : 0;
                best = Math.Min(best, Sse(l0, a, th));
            }
        Assert.True(fitted <= best * (1 + 1e-3), $"DOTM squared errors {fitted} above the grid minimum {best}");
        // The grid's best cell is alpha 0.32, theta 3.15; the optimum lies within a cell of it.
        Assert.InRange(fit.Parameters["alpha"], 0.30, 0.34);
        Assert.InRange(fit.Parameters["theta"], 3.0, 3.3);
    }

    [Fact]
    public void Seasonal_series_are_adjusted_multiplicatively_and_the_season_comes_back()
    {
        var fig = new[] { 0.8, 0.9, 1.0, 1.1, 1.2, 1.0, 0.9, 1.1, 1.3, 1.0, 0.8, 0.9 };
        var y = Enumerable.Range(0, 60).Select(t => (100 + t) * fig[t % 12]).ToArray();
        var fit = new DynamicThetaModel().Fit(y, 12);
        Assert.Equal(1, fit.Parameters["seasonal"]);
        var f = fit.Forecast(12);
        // A trend times a fixed season: the forecast must keep the season's shape (peak in the 9th month) and the level.
        Assert.Equal(8, Array.IndexOf(f, f.Max()));
        for (int k = 0; k < 12; k++) Assert.InRange(f[k] / fig[k], 155, 175);
    }

    [Fact]
    public void Too_short_or_bad_parameters_throw()
    {
        Assert.Throws<ArgumentException>(() => new DynamicThetaModel().Fit(new double[] { 1, 2, 3 }, 1));
        Assert.Throws<ArgumentException>(() => new DynamicThetaModel(0, 1.2, 2));
        Assert.Throws<ArgumentException>(() => new DynamicThetaModel(0, 0.5, 0.5));
    }
}
