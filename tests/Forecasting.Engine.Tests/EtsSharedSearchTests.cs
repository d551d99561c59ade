using Forecasting.Engine.Models;

namespace Forecasting.Engine.Tests;

[Trait("Category", "unit")]
public class EtsSharedSearchTests
{
    [Theory]
    [InlineData(12, 60, 1)]
    [InlineData(4, 40, 2)]
    [InlineData(1, 30, 3)]
    public void One_search_gives_what_ets_and_damped_give_separately(int period, int n, int seed)
    {
        var e = TestUtil.Normal(new Random(seed), n, 4);
        var y = Enumerable.Range(0, n).Select(t => 200 + 1.5 * t + (period > 1 ? 15 * Math.Sin(2 * Math.PI * t / period) : 0) + e[t]).ToArray();
        var (all, damped) = new EtsModel().FitWithDamped(y, period);
        var ets = new EtsModel().Fit(y, period);
        var dOnly = EtsModel.Damped().Fit(y, period);
        Assert.Equal(ets.Description, all.Description);
        Assert.Equal(ets.Forecast(8), all.Forecast(8));
        Assert.Equal(ets.ForecastStdDev(8), all.ForecastStdDev(8));
        Assert.Equal(dOnly.Description, damped.Description);
        Assert.Contains("Ad", damped.Description);
        Assert.Equal(dOnly.Forecast(8), damped.Forecast(8));
        Assert.Equal(dOnly.ForecastStdDev(8), damped.ForecastStdDev(8));
        Assert.Equal(dOnly.Parameters, damped.Parameters);
        Assert.Equal("damped", damped.Frozen.Name);
        Assert.Equal("ets", all.Frozen.Name);
    }
}
