namespace Forecasting.Engine.Tests;

/// <summary>Series of the kind councils have: short, small counts, gaps, definition changes, constants.</summary>
[Trait("Category", "unit")]
public class EdgeCaseTests
{
    private static readonly ForecastOrchestrator Orch = new();

    [Fact]
    public void Twelve_monthly_points_forecast_with_seasonal_models_skipped()
    {
        var y = new double[] { 30, 28, 35, 31, 33, 29, 36, 34, 30, 32, 37, 33 };
        var r = Orch.Forecast(new TimeSeriesData(y, 12), new ForecastOptions(6));
        Assert.Equal(6, r.Mean.Length);
        Assert.All(r.Mean, v => Assert.InRange(v, 20, 45));
        Assert.Contains(r.Notes, n => n.Contains("shorter than 2 seasons") && n.Contains("seasonal models skipped"));
        Assert.All(r.Intervals, iv => Assert.All(iv.Upper.Zip(iv.Lower), p => Assert.True(p.First > p.Second)));
    }

    [Fact]
    public void Too_short_series_throws_naming_the_problem()
    {
        var ex = Assert.Throws<ArgumentException>(() => Orch.Forecast(new TimeSeriesData(new double[] { 1, 2, 3, 4, 5 }, 12), new ForecastOptions(3)));
        Assert.Contains("too short", ex.Message);
        Assert.Contains("5 observed", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Orch.Forecast(new TimeSeriesData(new double[] { 1, double.NaN, 3, double.NaN, 5, double.NaN, 7, 8 }, 1), new ForecastOptions(3)));
        Assert.Contains("too short", ex2.Message);
        Assert.Throws<ArgumentException>(() => Orch.Forecast(new TimeSeriesData(new double[] { 1, 2, 3, 4, 5, 6, 7 }, 1), new ForecastOptions(0)));
    }

    [Fact]
    public void Small_counts_with_zeros_are_non_negative_and_skip_multiplicative_models()
    {
        var rnd = new Random(11);
        var y = Enumerable.Range(0, 48).Select(_ => (double)TestUtil.Poisson(rnd, 1.5)).ToArray();
        Assert.Contains(0.0, y);
        var r = Orch.Forecast(new TimeSeriesData(y, 12, NonNegative: true), new ForecastOptions(12));
        Assert.All(r.Mean, v => Assert.True(v >= 0));
        Assert.All(r.Intervals, iv => Assert.All(iv.Lower, v => Assert.True(v >= 0)));
        Assert.InRange(r.Mean.Average(), 0.5, 3);
        Assert.Contains(r.Notes, n => n.Contains("multiplicative models skipped"));
    }

    [Fact]
    public void Missing_months_are_imputed_and_reported()
    {
        var y = Enumerable.Range(0, 48).Select(t => 50 + 10 * Math.Sin(2 * Math.PI * t / 12)).ToArray();
        var withGaps = (double[])y.Clone();
        withGaps[5] = withGaps[17] = withGaps[30] = double.NaN;
        var r = Orch.Forecast(new TimeSeriesData(withGaps, 12), new ForecastOptions(12, "ets"));
        Assert.Contains(r.Notes, n => n.Contains("3 missing values imputed"));
        for (int k = 0; k < 12; k++) Assert.Equal(50 + 10 * Math.Sin(2 * Math.PI * (48 + k) / 12), r.Mean[k], 0);
        // The imputation itself: a gap in a pure seasonal signal is filled from the seasonal profile.
        var v = (double[])withGaps.Clone();
        Preparation.Impute(v, 12);
        Assert.Equal(y[17], v[17], 0);
    }

    [Fact]
    public void Break_with_enough_history_after_it_fits_only_the_new_definition()
    {
        var y = Enumerable.Range(0, 84).Select(t => t < 40 ? 100.0 + (t % 3) : 200.0 + (t % 3)).ToArray();
        var r = Orch.Forecast(new TimeSeriesData(y, 12, BreakIndex: 40), new ForecastOptions(6));
        Assert.Contains("break at index 40: model fitted on 44 points after the break", r.Notes);
        Assert.All(r.Mean, v => Assert.InRange(v, 195, 206));
    }

    [Fact]
    public void Break_with_few_points_after_it_rescales_the_earlier_values()
    {
        var y = Enumerable.Range(0, 40).Select(t => t < 34 ? 100.0 + (t % 2) : 150.0 + (t % 2)).ToArray();
        var r = Orch.Forecast(new TimeSeriesData(y, 1, BreakIndex: 34), new ForecastOptions(4));
        Assert.Contains(r.Notes, n => n.Contains("break at index 34: only 6 points after the break") && n.Contains("rescaled by x1.49"));
        Assert.All(r.Mean, v => Assert.InRange(v, 145, 155));
        Assert.Throws<ArgumentException>(() => Orch.Forecast(new TimeSeriesData(y, 1, BreakIndex: 40), new ForecastOptions(4)));
    }

    [Fact]
    public void Constant_series_gives_the_constant_with_zero_width_intervals()
    {
        var r = Orch.Forecast(new TimeSeriesData(Enumerable.Repeat(7.0, 30).ToArray(), 12), new ForecastOptions(5));
        Assert.All(r.Mean, v => Assert.Equal(7.0, v));
        Assert.All(r.Intervals, iv => { Assert.All(iv.Lower, v => Assert.Equal(7.0, v)); Assert.All(iv.Upper, v => Assert.Equal(7.0, v)); });
        Assert.Contains(r.Notes, n => n.Contains("constant series"));
    }

    [Fact]
    public void Leading_gaps_are_dropped_and_batch_errors_name_the_series()
    {
        var y = new double[] { double.NaN, double.NaN, 5, 6, 7, 6, 5, 6, 7, 6 };
        var r = Orch.Forecast(new TimeSeriesData(y, 1), new ForecastOptions(2));
        Assert.Contains(r.Notes, n => n.Contains("2 leading missing values dropped"));
        var ex = Assert.Throws<ArgumentException>(() => Orch.ForecastMany(new[] { new TimeSeriesData(y, 1), new TimeSeriesData(new double[] { 1, 2 }, 1) }, new ForecastOptions(2)));
        Assert.Contains("series[1]", ex.Message);
    }
}
