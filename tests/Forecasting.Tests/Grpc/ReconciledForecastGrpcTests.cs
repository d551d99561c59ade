using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>A forecast request that names a reconciliation: the breakdown and its total come back coherent.</summary>
[Trait("Category", "integration")]
public sealed class ReconciledForecastGrpcTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private ForecastService.ForecastServiceClient Forecasts => new(factory.Channel());

    private static ForecastRequest Tenancies(string reconciliation, bool keepTop = false, params string[] breakdown) => new()
    {
        Selector = new SeriesSelector { Metric = "new_tenancies", CouncilCode = Council, Period = Period.Quarter, Breakdown = { breakdown } },
        Horizon = 4,
        Reconciliation = reconciliation,
        KeepTop = keepTop,
    };

    [Fact]
    public async Task MinT_returns_the_total_and_client_groups_whose_means_add_up()
    {
        var run = await Forecasts.ForecastAsync(Tenancies("mint", false, "client_group"), Key(CommissionerKey));
        var total = Assert.Single(run.Series, s => !s.Key.ContainsKey("client_group"));
        var groups = run.Series.Where(s => s.Key.ContainsKey("client_group")).ToList();
        Assert.True(groups.Count >= 2);
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(total.Points[k].Mean, groups.Sum(g => g.Points[k].Mean), 6);
            Assert.All(run.Series, s =>
            {
                var i80 = s.Points[k].Intervals.Single(b => b.Level == 80);
                Assert.True(i80.Lower >= 0 && i80.Lower <= i80.Upper);
            });
        }
        Assert.All(run.Series, s => Assert.Contains(s.Notes, n => n.Contains("reconciled MinT")));
    }

    [Fact]
    public async Task Keeping_the_top_leaves_the_totals_own_forecast_unchanged()
    {
        var alone = Assert.Single((await Forecasts.ForecastAsync(Tenancies(""), Key(CommissionerKey))).Series);
        var run = await Forecasts.ForecastAsync(Tenancies("wls", true, "client_group"), Key(CommissionerKey));
        var total = Assert.Single(run.Series, s => !s.Key.ContainsKey("client_group"));
        var groups = run.Series.Where(s => s.Key.ContainsKey("client_group")).ToList();
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(alone.Points[k].Mean, total.Points[k].Mean, 6);
            Assert.Equal(total.Points[k].Mean, groups.Sum(g => g.Points[k].Mean), 6);
        }
    }

    [Theory]
    [InlineData("median", false, "client_group", "reconciliation")]
    [InlineData("mint", false, null, "selector.breakdown")]
    [InlineData("bottom_up", true, "client_group", "keep_top")]
    [InlineData("", true, "client_group", "keep_top")]
    public async Task Bad_reconciliation_requests_name_the_field(string reconciliation, bool keepTop, string? breakdown, string field)
    {
        var request = breakdown is null ? Tenancies(reconciliation, keepTop) : Tenancies(reconciliation, keepTop, breakdown);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await Forecasts.ForecastAsync(request, Key(CommissionerKey)));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(field + ":", e.Status.Detail);
    }
}
