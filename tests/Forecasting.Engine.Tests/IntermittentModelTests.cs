using Forecasting.Engine.Models;

namespace Forecasting.Engine.Tests;

/// <summary>Croston / SBA / TSB against R's forecast::croston (reference/croston_reference.R) and hand-computed cases.</summary>
[Trait("Category", "unit")]
public class IntermittentModelTests
{
    private static readonly double[] Y1 = { 0, 2, 0, 0, 1, 0, 3, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 4, 0, 1, 0, 0, 0, 2 };
    private static readonly double[] Y2 = { 5, 0, 0, 3, 0, 7, 0, 0, 0, 2, 0, 0, 1, 0, 6, 0, 0, 0, 0, 3, 0, 2, 0, 0, 0, 0, 4, 0, 1, 0 };

    // R 4 / forecast 8.20: croston(y, h = 3, alpha = a); R's first fitted value is NA.
    public static TheoryData<int, double, double, double[]> RReference => new()
    {
        { 1, 0.1, 0.768267277821, new[] { double.NaN, 0, 1, 1, 1, 0.904761904762, 0.904761904762, 0.961722488038, 0.961722488038, 0.961722488038, 0.961722488038, 0.836913634371, 0.836913634371, 0.836913634371, 0.815206766118, 0.815206766118, 0.815206766118, 0.815206766118, 0.844566870961, 0.844566870961, 0.816619752467, 0.816619752467, 0.816619752467, 0.816619752467 } },
        { 1, 0.3, 0.638203321667, new[] { double.NaN, 0, 1, 1, 1, 0.739130434783, 0.739130434783, 0.945701357466, 0.945701357466, 0.945701357466, 0.945701357466, 0.641791044776, 0.641791044776, 0.641791044776, 0.649721917177, 0.649721917177, 0.649721917177, 0.649721917177, 0.78206754974, 0.78206754974, 0.722121647579, 0.722121647579, 0.722121647579, 0.722121647579 } },
        { 2, 0.1, 1.64558506029, new[] { double.NaN, 5, 5, 5, 4, 4, 3.921875, 3.921875, 3.921875, 3.921875, 3.03994845361, 3.03994845361, 3.03994845361, 2.5614097124, 2.5614097124, 2.61219834175, 2.61219834175, 2.61219834175, 2.61219834175, 2.61219834175, 2.122471291, 2.122471291, 2.01290669758, 2.01290669758, 2.01290669758, 2.01290669758, 2.01290669758, 1.75418864539, 1.75418864539, 1.64558506029 } },
        { 2, 0.3, 0.896542111121, new[] { double.NaN, 5, 5, 5, 2.75, 2.75, 3.01162790698, 3.01162790698, 3.01162790698, 3.01162790698, 1.75790349418, 1.75790349418, 1.75790349418, 1.26149914821, 1.26149914821, 1.6946876194, 1.6946876194, 1.6946876194, 1.6946876194, 1.6946876194, 1.1792287225, 1.1792287225, 1.14122836267, 1.14122836267, 1.14122836267, 1.14122836267, 1.14122836267, 0.994186479368, 0.994186479368, 0.896542111121 } },
    };

    [Theory]
    [MemberData(nameof(RReference))]
    public void Croston_matches_R(int series, double alpha, double mean, double[] fitted)
    {
        var y = series == 1 ? Y1 : Y2;
        var fit = new IntermittentModel(IntermittentMethod.Croston, alpha).Fit(y, 12);
        // R prints 12 significant digits: relative tolerance 1e-10.
        TestUtil.Close(new[] { mean, mean, mean }, fit.Forecast(3), 1e-10, "croston mean");
        Assert.True(double.IsNaN(fit.FittedValues[0]));
        TestUtil.Close(fitted[1..], fit.FittedValues[1..], 1e-10, "croston fitted");
        // SBA is Croston's ratio times (1 - alpha / 2).
        var sba = new IntermittentModel(IntermittentMethod.Sba, alpha).Fit(y, 12);
        TestUtil.Close(new[] { mean * (1 - alpha / 2) }, sba.Forecast(1), 1e-10, "sba mean");
    }

    [Fact]
    public void Sba_and_tsb_hand_computed()
    {
        // Demands 3 at t = 2 (interval 3) and 1 at t = 4 (interval 2), alpha 0.5: size 3 -> 2, interval 3 -> 2.5;
        // Croston 2 / 2.5 = 0.8, SBA 0.8 x 0.75 = 0.6.
        var sba = new IntermittentModel(IntermittentMethod.Sba, 0.5).Fit(new double[] { 0, 0, 3, 0, 1 }, 1);
        Assert.Equal(0.6, sba.Forecast(1)[0], 12);
        Assert.Equal(new[] { 0, 0, 0.75, 0.75 }, sba.FittedValues[1..].Select(v => Math.Round(v, 12)).ToArray());
        // TSB alpha = beta = 0.5 on 0, 2, 0, 4: first demand z = 2, p = 1/2; a zero: p = 0.25; demand 4: p = 0.625,
        // z = 3; forecast 1.875. Fitted: undefined, 0 before the first demand, then p x z.
        var tsb = new IntermittentModel(IntermittentMethod.Tsb, 0.5, 0.5).Fit(new double[] { 0, 2, 0, 4 }, 1);
        Assert.Equal(1.875, tsb.Forecast(2)[1], 12);
        Assert.True(double.IsNaN(tsb.FittedValues[0]));
        Assert.Equal(new[] { 0, 1, 0.5 }, tsb.FittedValues[1..]);
        Assert.Equal(0.625, tsb.Parameters["probability"], 12);
    }

    [Fact]
    public void Standard_deviation_is_the_one_step_rms_growing_as_ses()
    {
        var fit = new IntermittentModel(IntermittentMethod.Sba).Fit(Y2, 12);
        double rms = Math.Sqrt(fit.Residuals.Where(double.IsFinite).Average(r => r * r));
        var sd = fit.ForecastStdDev(12);
        Assert.Equal(rms, sd[0], 12);
        Assert.Equal(rms * Math.Sqrt(1 + 11 * 0.01), sd[11], 12);
        Assert.Equal(rms, fit.Parameters["sigma"], 12);
    }

    [Fact]
    public void Classification_by_average_inter_demand_interval()
    {
        Assert.True(IntermittentModel.IsIntermittent(Y1));                      // ADI 24 / 9 = 2.67
        var smallCount = Enumerable.Range(0, 120).Select(t => t % 10 == 0 ? 0.0 : 3).ToArray();
        Assert.False(IntermittentModel.IsIntermittent(smallCount));             // 12 of 120 zero: ADI 1.11
        Assert.False(IntermittentModel.IsIntermittent(new double[] { 0, 0, 0, 5, 0, 0 })); // one demand
        Assert.Throws<ArgumentException>(() => new IntermittentModel().Fit(new double[] { 1, -1, 0, 2 }, 1));
    }

    [Fact]
    public void Orchestrator_offers_croston_and_tsb_by_name_and_auto_tries_them_only_for_intermittent_series()
    {
        Assert.Contains("croston", ForecastOrchestrator.ModelNames);
        Assert.Contains("tsb", ForecastOrchestrator.ModelNames);
        var y = Y2.Concat(Y1).Concat(Y2).ToArray();
        var orch = new ForecastOrchestrator { AutoCandidates = new[] { "naive", "ets", "damped", "theta" } };
        var named = orch.Forecast(new TimeSeriesData(y, 12), new ForecastOptions(6, "croston"));
        Assert.Equal("croston", named.Model);
        Assert.All(named.Mean, v => Assert.Equal(named.Mean[0], v));
        Assert.Equal("tsb", orch.Forecast(new TimeSeriesData(y, 12), new ForecastOptions(6, "tsb")).Model);

        var auto = orch.Forecast(new TimeSeriesData(y, 12), new ForecastOptions(6));
        Assert.Contains(auto.Backtest!.Candidates, c => c.Model == "croston");
        Assert.Contains(auto.Backtest!.Candidates, c => c.Model == "tsb");
        Assert.Contains(auto.Notes, n => n.StartsWith("intermittent series"));
        // The choice is the lowest backtest MASE among the combination and the intermittent models.
        var pool = auto.Backtest.Candidates.Where(c => c.Model is "combination" or "croston" or "tsb").ToList();
        Assert.Equal(pool.MinBy(c => c.Mase)!.Model, auto.Model);

        var rnd = new Random(5);
        var regular = Enumerable.Range(0, 60).Select(t => 50 + 10 * Math.Sin(t * Math.PI / 6) + rnd.NextDouble()).ToArray();
        var plain = orch.Forecast(new TimeSeriesData(regular, 12), new ForecastOptions(6));
        Assert.DoesNotContain(plain.Backtest!.Candidates, c => c.Model is "croston" or "tsb");
        Assert.DoesNotContain(plain.Notes, n => n.StartsWith("intermittent series"));
    }
}
