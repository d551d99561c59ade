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
[Trait("Category", "integration")]
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

    private static int Occupied(DateOnly date) => Csv.Sample("unit_status").Records().Count(r => r["status"] == "occupied"
        && Csv.Date(r["valid_from"]) <= date && (Csv.OptionalDate(r["valid_to"]) is not { } to || to > date));

    private static int Listed(DateOnly date) => Csv.Sample("waiting_list").Records().Count(r => Csv.Date(r["date_added"]) <= date
        && (Csv.OptionalDate(r["date_removed"]) is not { } to || to > date));

    private static int Started(DateOnly from, DateOnly to) =>
        Csv.Sample("tenancies").Records().Count(t => Csv.Date(t["start_date"]) >= from && Csv.Date(t["start_date"]) <= to);

    [Fact]
    public async Task The_backtest_compares_with_the_actuals_and_the_naive_forecasts_the_csvs_give()
    {
        var backtest = await Planning.BacktestPlanningAsync(new BacktestPlanningRequest
        {
            CouncilCode = Council, Draws = 200, Origins = { "2021-03-31", "2022-09-30" },
        }, Key(CommissionerKey));
        Assert.Equal("2025-03-31", backtest.End);
        Assert.Equal(["2021-03-31", "2022-09-30"], backtest.Origins);
        foreach (var fy in new[] { 2021, 2022, 2023, 2024 })
        {
            var end = new DateOnly(fy + 1, 3, 31);
            foreach (var row in backtest.Rows.Where(r => r.Fy == fy && r.ClientGroup == "all"))
            {
                // The 2022-09-30 origin's first year: lettings from October to March only.
                var from = row.Origin == "2022-09-30" && fy == 2022 ? new DateOnly(2022, 10, 1) : new DateOnly(fy, 4, 1);
                if (row.Measure == "lettings") Assert.Equal(Started(from, end), row.Actual);
                if (row.Measure == "lettings") Assert.Equal(from.Month == 10 ? 6 : 12, row.Months);
                if (row.Measure == "waiting_list") Assert.Equal(Listed(end), row.Actual);
                if (row.Measure == "housed") Assert.Equal(Occupied(end), row.Actual);
                Assert.Equal(row.Actual >= row.P10 && row.Actual <= row.P90, row.InsideP10P90);
                Assert.True(row.P025 <= row.P25 && row.P25 <= row.P50 && row.P50 <= row.P75 && row.P75 <= row.P975);
            }
        }
        Assert.Equal(131, backtest.Rows.First(r => r.Fy == 2024 && r.ClientGroup == "all" && r.Measure == "lettings").Actual);
        Assert.Equal(109, backtest.Rows.First(r => r.Fy == 2024 && r.ClientGroup == "all" && r.Measure == "waiting_list").Actual);

        // Naive forecasts as known at each origin, counted from the CSVs.
        var march21 = new DateOnly(2021, 3, 31);
        var sep22 = new DateOnly(2022, 9, 30);
        var march22 = new DateOnly(2022, 3, 31);
        foreach (var row in backtest.Rows.Where(r => r.ClientGroup == "all"))
        {
            var origin = row.Origin == "2021-03-31" ? march21 : sep22;
            var (naive, seasonal) = row.Measure switch
            {
                "housed" => ((double)Occupied(origin), (double)Occupied(origin == march21 ? march21 : march22)),
                "waiting_list" => (Listed(origin), Listed(origin == march21 ? march21 : march22)),
                _ => (Started(origin.AddMonths(-12).AddDays(1), origin) * row.Months / 12.0,
                    origin == sep22 && row.Fy == 2022 ? Started(new DateOnly(2021, 10, 1), march22) : Started(origin == march21 ? new DateOnly(2020, 4, 1) : new DateOnly(2021, 4, 1), origin == march21 ? march21 : march22)),
            };
            Assert.Equal(naive, row.Naive, 9);
            Assert.Equal(seasonal, row.SeasonalNaive, 9);
        }

        foreach (var s in backtest.Summary)
        {
            var rows = backtest.Rows.Where(r => r.Measure == s.Measure && r.ClientGroup != "all").ToList();
            Assert.Equal(rows.Count, s.Rows);
            Assert.Equal(rows.Count(r => r.InsideP10P90) / (double)rows.Count, s.CoverageP10P90, 9);
        }
        foreach (var s in backtest.Scores.Where(x => x.Horizon == 0 && x.ClientGroup is "all" or "per_group"))
        {
            var rows = backtest.Rows.Where(r => r.Measure == s.Measure && (s.ClientGroup == "all" ? r.ClientGroup == "all" : r.ClientGroup != "all")).ToList();
            Assert.Equal(rows.Count, s.Rows);
            Assert.Equal(rows.Average(r => Math.Abs(r.Mean - r.Actual)), s.ModelMae, 9);
            Assert.Equal(rows.Average(r => Math.Abs(r.Naive - r.Actual)), s.NaiveMae, 9);
            Assert.Equal(rows.Average(r => r.InsideP25P975 ? 1.0 : 0.0), s.Coverage95, 9);
        }
        Assert.Contains("stock-flow", backtest.Model);
        Assert.NotEmpty(backtest.SnapshotId);
        Assert.Equal("2025-03-31", backtest.DataAsOf);
    }

    [Fact]
    public async Task At_a_2021_origin_the_backtest_knows_only_what_was_known_then()
    {
        var backtest = await Planning.BacktestPlanningAsync(new BacktestPlanningRequest
        {
            CouncilCode = Council, Draws = 100, Origins = { "2021-03-31" }, ClientGroups = { "ld_autism" },
        }, Key(CommissionerKey));
        var schemes = backtest.Pipeline.Schemes.ToDictionary(s => s.PipelineId);
        // PL18 failed on 2024-02-20: in 2021 it was in the pipeline, not failed, and the outcome is the failure.
        var pl18 = schemes["PL18"];
        Assert.NotEqual("failed", pl18.StatusAtOrigin);
        Assert.True(pl18.StatusSubstituted);
        Assert.True(pl18.Probability > 0);
        Assert.Equal("failed", pl18.Outcome);
        Assert.Equal("2024-02-20", pl18.OutcomeDate);
        // Kingfisher Close (S111) opened on 2023-07-03: pipeline in 2021 (PL03), not a known scheme.
        Assert.Equal("delivered", schemes["PL03"].Outcome);
        Assert.Equal("2023-07-03", schemes["PL03"].OutcomeDate);
        Assert.Contains(backtest.Substitutions, s => s.StartsWith("2021-03-31: schemes opened after the date", StringComparison.Ordinal) && s.Contains("PL03 = S111"));
        // The 2022-based projection was not published in 2021: the population is the named substitute.
        Assert.Contains(backtest.Substitutions, s => s.Contains("ONS 2022-based SNPP was not published by 2021-03-31") && s.Contains("trend of ONS MYE 2024 2015-2019"));
        // Delivered units by each year end, counted from pipeline.csv: PL01 (12, Nov 2021), PL02 (16, Sep 2022), PL03 (10, Jul 2023), PL04 (18, May 2024).
        Assert.Equal([12.0, 28, 38, 56], backtest.Pipeline.Rows.Select(r => r.DeliveredUnits));
        Assert.Contains(backtest.Pipeline.History.Notes, n => n.Contains("per-status delivery shares cannot be estimated"));
        Assert.Equal(6, backtest.Pipeline.History.ResolvedSchemes);
        Assert.Equal(56, backtest.Pipeline.History.DeliveredUnits);
        Assert.All(backtest.Rows, r => Assert.Contains(r.ClientGroup, new[] { "ld_autism", "all" }));
    }

    [Fact]
    public async Task An_origin_the_data_cannot_support_is_an_invalid_argument_naming_it()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Planning.BacktestPlanningAsync(new BacktestPlanningRequest
        {
            CouncilCode = Council, Draws = 100, Origins = { "2019-03-31" },
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("2019-03-31 is before the first origin the data supports (2020-03-31)", e.Status.Detail);
        Assert.Contains("60 months of tenancy and waiting-list history", e.Status.Detail);
    }

    [Fact]
    public async Task Without_origins_the_rule_steps_back_from_one_year_before_the_end()
    {
        var backtest = await Planning.BacktestPlanningAsync(new BacktestPlanningRequest
        {
            CouncilCode = Council, Draws = 100, FirstOrigin = "2023-06-30", OriginStepMonths = 6, ClientGroups = { "complex_needs" },
        }, Key(CommissionerKey));
        Assert.Equal(["2023-09-30", "2024-03-31"], backtest.Origins);
        Assert.StartsWith("every 6 months from 2023-09-30 to 2024-03-31", backtest.OriginRule);
        var e = await Assert.ThrowsAsync<RpcException>(() => Planning.BacktestPlanningAsync(new BacktestPlanningRequest
        {
            CouncilCode = Council, Draws = 100, FirstOrigin = "2018-03-31",
        }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("first_origin", e.Status.Detail);
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
