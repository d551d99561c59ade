namespace Forecasting.Engine.Tests;

[Trait("Category", "unit")]
public class OrchestratorTests
{
    private static readonly ForecastOrchestrator Orch = new();

    private static double[] Seasonal(int n, int seed, double noise = 3)
    {
        var e = TestUtil.Normal(new Random(seed), n, noise);
        return Enumerable.Range(0, n).Select(t => 100 + 0.3 * t + 10 * Math.Sin(2 * Math.PI * t / 12) + e[t]).ToArray();
    }

    [Fact]
    public void Auto_returns_backtest_scores_and_requested_intervals()
    {
        var r = Orch.Forecast(new TimeSeriesData(Seasonal(72, 1), 12), new ForecastOptions(12, Levels: new double[] { 50, 80, 95 }, ScoreAllCandidates: true));
        Assert.Equal(12, r.Mean.Length);
        Assert.Equal(new double[] { 50, 80, 95 }, r.Intervals.Select(i => i.Level));
        for (int k = 0; k < 12; k++)
        {
            Assert.True(r.Intervals[0].Lower[k] >= r.Intervals[1].Lower[k] - 1e-9 && r.Intervals[1].Lower[k] >= r.Intervals[2].Lower[k] - 1e-9, "intervals nest");
            Assert.True(r.Intervals[2].Upper[k] >= r.Mean[k] && r.Intervals[2].Lower[k] <= r.Mean[k]);
        }
        Assert.NotNull(r.Backtest);
        Assert.Equal(r.Model, r.Backtest!.Chosen.Model);
        Assert.True(r.Backtest.Candidates.Count >= 5);
        Assert.Equal("combination", r.Model);
        Assert.Contains(r.Notes, n => n.StartsWith("auto chose combination"));
        // auto keeps the combination when it is backtested, whatever the single models score.
        Assert.Equal(r.Backtest.Candidates.Single(c => c.Model == "combination"), r.Backtest.Chosen);
        // The seasonal swing (amplitude 10) should be in the forecast.
        Assert.True(r.Mean.Max() - r.Mean.Min() > 12);
    }

    [Theory]
    [InlineData(12, 72)]
    [InlineData(1, 40)]
    public void Auto_fits_only_the_combination_members_unless_every_candidate_is_asked_for(int period, int n)
    {
        var y = Seasonal(n, 7);
        var fast = Orch.Forecast(new TimeSeriesData(y, period), new ForecastOptions(6));
        var all = Orch.Forecast(new TimeSeriesData(y, period), new ForecastOptions(6, ScoreAllCandidates: true));
        var members = period == 1 ? new[] { "drift", "arima", "ces" } : new[] { "ets", "damped", "theta" };
        Assert.Equal(members.Append("combination").OrderBy(x => x), fast.Backtest!.Candidates.Select(c => c.Model).OrderBy(x => x));
        Assert.Contains(all.Backtest!.Candidates, c => c.Model == "naive");
        Assert.Contains(all.Backtest.Candidates, c => c.Model == "ssa");
        // The same choice, forecast, intervals and scores either way.
        Assert.Equal(all.Model, fast.Model);
        Assert.Equal(all.Mean, fast.Mean);
        for (int i = 0; i < all.Intervals.Count; i++)
        {
            Assert.Equal(all.Intervals[i].Lower, fast.Intervals[i].Lower);
            Assert.Equal(all.Intervals[i].Upper, fast.Intervals[i].Upper);
        }
        foreach (var c in fast.Backtest.Candidates)
            Assert.Equal(all.Backtest.Candidates.Single(a => a.Model == c.Model).Mase, c.Mase, 12);
    }

    [Fact]
    public void Auto_falls_back_to_every_candidate_when_the_combination_cannot_be_formed()
    {
        // Only theta is in the pool: no combination, so auto picks the best single candidate among all it lists.
        var orch = new ForecastOrchestrator { CombinationPool = new[] { "theta" }, NonSeasonalCombinationPool = new[] { "theta" } };
        var r = orch.Forecast(new TimeSeriesData(Seasonal(72, 3), 12), new ForecastOptions(6));
        Assert.Contains(r.Backtest!.Candidates, c => c.Model == "naive");
        Assert.Contains(r.Backtest.Candidates, c => c.Model == "snaive");
        Assert.DoesNotContain(r.Backtest.Candidates, c => c.Model == "combination");
        Assert.Equal(r.Backtest.Candidates.Min(c => c.Mase), r.Backtest.Chosen.Mase, 12);
    }

    [Fact]
    public void Backtest_scores_match_a_hand_computed_naive_backtest()
    {
        var y = Seasonal(40, 2);
        var r = Orch.Forecast(new TimeSeriesData(y, 1), new ForecastOptions(3, "naive", BacktestOrigins: 4));
        var bt = r.Backtest!;
        // Plan for n=40, period 1, h=3: min train 6, horizon 3, origins 34..37 step... recompute independently.
        var plan = BacktestPlan.Make(40, 1, 3, 4);
        double ae = 0, se = 0; int c = 0;
        foreach (var t in plan.Origins)
            for (int k = 0; k < plan.Hb; k++) { double e = y[t + k] - y[t - 1]; ae += Math.Abs(e); se += e * e; c++; }
        Assert.Equal(ae / c, bt.Chosen.Mae, 9);
        Assert.Equal(Math.Sqrt(se / c), bt.Chosen.Rmse, 9);
        double scale = Enumerable.Range(1, 39).Average(t => Math.Abs(y[t] - y[t - 1]));
        Assert.Equal(ae / c / scale, bt.Chosen.Mase, 9);
        Assert.Equal(4, bt.Origins);
    }

    [Fact]
    public void Unknown_model_lists_valid_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => Orch.Forecast(new TimeSeriesData(Seasonal(30, 3), 12), new ForecastOptions(3, "prophet")));
        foreach (var n in ForecastOrchestrator.ModelNames) Assert.Contains(n, ex.Message);
    }

    [Trait("Category", "slow")]
    [Fact]
    public void Every_named_model_runs()
    {
        var data = new TimeSeriesData(Seasonal(60, 4), 12);
        foreach (var name in ForecastOrchestrator.ModelNames)
        {
            var r = Orch.Forecast(data, new ForecastOptions(6, name, Seed: 1));
            Assert.Equal(6, r.Mean.Length);
            Assert.All(r.Mean, v => Assert.True(double.IsFinite(v), name));
            if (name is not "auto" and not "combination") Assert.Equal(name, r.Model);
        }
    }

    [Trait("Category", "slow")]
    [Fact]
    public void ForecastMany_is_parallel_deterministic_and_reports_progress()
    {
        var batch = Enumerable.Range(0, 24).Select(i => new TimeSeriesData(Seasonal(60, 10 + i), 12)).ToList();
        int last = 0;
        var progress = new SyncProgress(v => last = Math.Max(last, v));
        var a = Orch.ForecastMany(batch, new ForecastOptions(6, Seed: 3), progress);
        var b = new ForecastOrchestrator { MaxDegreeOfParallelism = 1 }.ForecastMany(batch, new ForecastOptions(6, Seed: 3));
        Assert.Equal(24, last);
        for (int i = 0; i < batch.Count; i++)
        {
            Assert.Equal(b[i].Model, a[i].Model);
            for (int k = 0; k < 6; k++) Assert.Equal(b[i].Mean[k], a[i].Mean[k], 8);
        }
        Assert.Contains(a[0].Notes, n => n.Contains("gbm") || n.Contains("auto chose"));
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        var batch = Enumerable.Range(0, 10).Select(i => new TimeSeriesData(Seasonal(60, i), 12)).ToList();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Orch.ForecastMany(batch, new ForecastOptions(6), ct: cts.Token));
    }

    private sealed class SyncProgress(Action<int> a) : IProgress<int> { public void Report(int v) { lock (this) a(v); } }
}
