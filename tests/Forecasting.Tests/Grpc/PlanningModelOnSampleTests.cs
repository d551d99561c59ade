using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>
/// The planning model on the Harbridge sample through the API: stocks reconcile, the headline is a statistic of the
/// same draws as its range, and the backtest's actuals are the figures the CSVs give.
/// </summary>
public sealed class PlanningModelOnSampleTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private static readonly DateOnly AsOf = new(2025, 3, 31);
    private PlanningService.PlanningServiceClient Planning => new(factory.Channel());

    private async Task<ScenarioResult> Baseline(int draws = 2000, string asOf = "")
    {
        using var call = Planning.RunScenario(new RunScenarioRequest { CouncilCode = Council, Draws = draws, Seed = 5, AsOf = asOf }, Key(CommissionerKey));
        ScenarioResult? result = null;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
            if (call.ResponseStream.Current.Result is { } r) result = r;
        return result!;
    }

    [Fact]
    public async Task Every_stock_reconciles_and_the_headline_lies_within_its_own_range()
    {
        var result = await Baseline();
        Assert.Equal("mean of 2000 draws", result.HeadlineStatistic);
        foreach (var year in result.Years)
        {
            Assert.Equal(3, year.Reconciliation.Count);
            foreach (var stock in year.Reconciliation)
                Assert.True(Math.Abs(stock.Opening + stock.Inflows - stock.Outflows - stock.Closing) < 1e-6, $"{year.FyLabel} {year.ClientGroup} {stock}");
            Assert.Equal(year.Demand, year.DemandComponents.Values.Sum(), 6);
            Assert.Equal(year.Demand, year.Reconciliation.Single(r => r.Stock == "demand").Closing, 6);
            var d = year.ShortfallDistribution;
            Assert.True(d.P10 <= year.ShortfallCumulative && year.ShortfallCumulative <= d.P90, $"{year.FyLabel} {year.ClientGroup}: {year.ShortfallCumulative} outside {d.P10}-{d.P90}");
            Assert.Equal(year.ShortfallCumulative, d.Mean, 9);
            if (d.P10 > 0) Assert.True(d.ProbabilityPositive >= 0.9);
            if (d.P50 > 0) Assert.True(d.ProbabilityPositive >= 0.5);
            if (d.P90 <= 0) Assert.True(d.ProbabilityPositive <= 0.1);
            Assert.Equal(year.ShortfallCumulative, year.Measures.Single(m => m.Measure == "shortfall").Mean, 9);
        }
        foreach (var fy in result.Years.Select(y => y.Fy).Distinct())
        {
            var groups = result.Years.Where(y => y.Fy == fy && y.ClientGroup != "all").ToList();
            var all = result.Years.Single(y => y.Fy == fy && y.ClientGroup == "all");
            Assert.Equal(groups.Sum(g => g.ShortfallCumulative), all.ShortfallCumulative, 6);
            Assert.Equal(groups.Sum(g => Math.Max(0, g.ShortfallCumulative)), all.SumOfGroupGaps, 6);
        }
    }

    [Fact]
    public async Task The_first_year_opens_with_the_people_housed_and_waiting_on_the_as_of_date()
    {
        var result = await Baseline(draws: 200);
        var first = result.Years.Single(y => y.Fy == 2025 && y.ClientGroup == "all");
        var housed = Csv.Sample("unit_status").Records().Count(r => r["status"] == "occupied" && Csv.Date(r["valid_from"]) <= AsOf
                                                                     && (Csv.OptionalDate(r["valid_to"]) is not { } to || to > AsOf));
        var waiting = Csv.Sample("waiting_list").Records().Count(r => Csv.Date(r["date_added"]) <= AsOf && (Csv.OptionalDate(r["date_removed"]) is not { } to || to > AsOf));
        var overdue = Csv.Sample("accommodation_needs").Records().Count(r => Csv.Date(r["date_identified"]) <= AsOf
            && (Csv.OptionalDate(r["date_met"]) is not { } met || met > AsOf) && Csv.Date(r["needed_by"]) < AsOf.AddDays(1));
        Assert.Equal(109, waiting);
        Assert.Equal(housed, first.Reconciliation.Single(r => r.Stock == "housed").Opening, 6);
        Assert.Equal(waiting + overdue, first.Reconciliation.Single(r => r.Stock == "waiting").Opening, 6);
        Assert.Contains("people housed out of area on 2025-03-31 count as demand", result.Basis.Description);
    }

    [Fact]
    public async Task The_backtest_compares_with_the_actuals_the_csvs_give()
    {
        var backtest = await Planning.BacktestPlanningAsync(new BacktestPlanningRequest { CouncilCode = Council, Draws = 300 }, Key(CommissionerKey));
        Assert.Equal("2025-03-31", backtest.End);
        Assert.Equal(["2021-03-31", "2022-03-31"], backtest.Rows.Select(r => r.Origin).Distinct().Order());
        var tenancies = Csv.Sample("tenancies").Records().ToList();
        foreach (var fy in new[] { 2021, 2022, 2023, 2024 })
        {
            var start = new DateOnly(fy, 4, 1);
            var end = new DateOnly(fy + 1, 3, 31);
            var lettings = tenancies.Count(t => Csv.Date(t["start_date"]) >= start && Csv.Date(t["start_date"]) <= end);
            var listed = Csv.Sample("waiting_list").Records().Count(r => Csv.Date(r["date_added"]) <= end && (Csv.OptionalDate(r["date_removed"]) is not { } to || to > end));
            foreach (var row in backtest.Rows.Where(r => r.Fy == fy && r.ClientGroup == "all"))
            {
                if (row.Measure == "lettings") Assert.Equal(lettings, row.Actual);
                if (row.Measure == "waiting_list") Assert.Equal(listed, row.Actual);
                Assert.Equal(row.Actual >= row.P10 && row.Actual <= row.P90, row.InsideP10P90);
            }
        }
        Assert.Equal(131, backtest.Rows.First(r => r.Fy == 2024 && r.ClientGroup == "all" && r.Measure == "lettings").Actual);
        Assert.Equal(109, backtest.Rows.First(r => r.Fy == 2024 && r.ClientGroup == "all" && r.Measure == "waiting_list").Actual);
        foreach (var s in backtest.Summary)
        {
            var rows = backtest.Rows.Where(r => r.Measure == s.Measure && r.ClientGroup != "all").ToList();
            Assert.Equal(rows.Count, s.Rows);
            Assert.Equal(rows.Count(r => r.InsideP10P90) / (double)rows.Count, s.CoverageP10P90, 9);
        }
    }

    [Fact]
    public async Task A_run_as_of_an_earlier_date_starts_there_and_a_date_after_the_data_is_refused()
    {
        var earlier = await Baseline(draws: 200, asOf: "2023-03-31");
        Assert.Equal("2023-03-31", earlier.AsOf);
        Assert.Equal(2023, earlier.Years.Min(y => y.Fy));
        var late = await Assert.ThrowsAsync<RpcException>(() => Baseline(draws: 200, asOf: "2026-03-31"));
        Assert.Equal(StatusCode.InvalidArgument, late.StatusCode);
        Assert.Contains("as_of", late.Status.Detail);
        Assert.Contains("after the end of the data (2025-03-31)", late.Status.Detail);
    }
}
