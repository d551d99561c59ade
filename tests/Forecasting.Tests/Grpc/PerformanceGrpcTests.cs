using System.Globalization;
using Forecasting.Contracts.V1;
using Forecasting.Engine;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>
/// The scorecard through the API, checked by hand: year-to-date figures from the CSVs, the year-end estimate from
/// the estimator on the monthly counts, the RAG and probability from the target and the estimate's distribution.
/// </summary>
[Trait("Category", "integration")]
public sealed class PerformanceGrpcTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Council = "E06009999";
    private PerformanceService.PerformanceServiceClient Performance => new(factory.Channel());

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_catalogue_names_every_measure_with_its_definition_and_effective_date()
    {
        var catalogue = await Performance.ListMeasuresAsync(new ListMeasuresRequest(), Key(CommissionerKey));
        var b1 = catalogue.Measures.Single(m => m.Name == "ascof_2b1");
        Assert.Equal("ASCOF 2B(1)", b1.Code);
        Assert.Equal(Contracts.V1.Polarity.HigherIsBetter, b1.Polarity);
        Assert.True(b1.Proportion);
        Assert.NotEmpty(b1.Denominator);
        Assert.Equal("2023-04-01", catalogue.Measures.Single(m => m.Name == "ascof_1g").EffectiveFrom);
        Assert.Equal(Forecasting.Store.Analytics.MeasureCatalog.All.Count, catalogue.Measures.Count);
    }

    [Fact]
    public async Task Admissions_65_plus_at_quarter_three_year_to_date_year_end_target_rag_and_probability()
    {
        var report = await Performance.GetPerformanceAsync(new PerformanceRequest
        {
            CouncilCode = Council, FinancialYear = "2024/25", MonthsElapsed = 9, Measures = { "ascof_2a2" },
        }, Key(CommissionerKey));
        var m = Assert.Single(report.Measures);

        // Year to date from the CSVs: admissions aged 65+ April-December 2024 over the 2024 population aged 65+.
        var admissions = Csv.Sample("admissions");
        var monthly = new double[12 * 10];
        foreach (var r in admissions.Rows.Where(r => int.Parse(admissions.Get(r, "age_at_admission"), CultureInfo.InvariantCulture) >= 65))
        {
            var d = Csv.Date(admissions.Get(r, "admission_date"));
            var index = (d.Year - 2015) * 12 + d.Month - 4;
            if (index >= 0 && index < monthly.Length) monthly[index]++;
        }
        var population = Csv.Sample("population");
        var people = population.Rows.Where(r => population.Get(r, "year") == "2024" && population.Get(r, "variant") == "estimate"
            && population.Get(r, "age_band") is "65-74" or "75-84" or "85+").Sum(r => Number(population.Get(r, "population")));
        var ytdCount = monthly.Skip(9 * 12).Take(9).Sum();
        Assert.Equal(ytdCount, m.YtdNumerator);
        Assert.Equal(ytdCount / people * 100_000, m.YtdValue, 9);

        // The year end: the seasonal-profile estimate from the nine complete years before, as a rate.
        var estimate = YearEndEstimator.Estimate(monthly.Take(9 * 12).ToArray(), 9, monthly.Skip(9 * 12).Take(9).ToArray(), [80, 95]);
        Assert.Equal(estimate.Estimate / people * 100_000, m.YearEnd.Estimate, 6);
        Assert.Equal(estimate.Intervals[0].Upper / people * 100_000, m.YearEnd.Intervals[0].Upper, 6);
        // 2024/25 is whole in the data: its actual stands beside the estimate made at month 9, and the answer is as of month 9's end.
        Assert.Equal(monthly.Skip(9 * 12).Take(12).Sum() / people * 100_000, m.YearEnd.Actual, 9);
        Assert.Equal("2024-12-31", report.AsOf);

        // The target is the latest version in measure_targets.csv for 2024/25.
        var targets = Csv.Sample("measure_targets");
        var latest = targets.Rows.Where(r => targets.Get(r, "measure") == "ascof_2a2" && targets.Get(r, "fy") == "2024/25")
            .MaxBy(r => int.Parse(targets.Get(r, "version"), CultureInfo.InvariantCulture))!;
        var target = Number(targets.Get(latest, "target"));
        var margin = Number(targets.Get(latest, "amber_margin"));
        Assert.Equal(target, m.Target.Target);
        // Lower is better: P(rate <= target) = P(count <= target x population / 100,000).
        var chance = estimate.Distribution.Cdf(target * people / 100_000);
        Assert.Equal(chance, m.ProbabilityOfMeetingTarget, 9);
        // The year-end status follows the chance: green from 70%, amber from 30%, red below (the margin is for months only).
        Assert.True(margin >= 0);
        Assert.Equal(chance >= 0.7 ? RagStatus.Green : chance >= 0.3 ? RagStatus.Amber : RagStatus.Red, m.Rag);

        Assert.Equal(9, m.Months.Count);
        Assert.Equal(m.YtdValue, m.Months[^1].YtdValue, 9);
        Assert.Equal(m.YearEnd.Estimate, m.Months[^1].YearEndEstimate, 9);
    }

    [Fact]
    public async Task A_complete_year_reports_its_actual_and_a_benchmark_position_from_the_imported_comparators()
    {
        var report = await Performance.GetPerformanceAsync(new PerformanceRequest
        {
            CouncilCode = Council, FinancialYear = "2024/25", Measures = { "ascof_2b1" },
        }, Key(CommissionerKey));
        var m = Assert.Single(report.Measures);
        Assert.Equal(12, m.MonthsElapsed);
        Assert.Equal(m.YtdValue, m.YearEnd.Actual, 9);
        Assert.Equal(m.YtdValue, m.YearEnd.Estimate, 9);

        var benchmarks = Csv.Sample("benchmarks");
        var rows = benchmarks.Rows.Where(r => benchmarks.Get(r, "measure") == "ascof_2b1").ToList();
        Assert.NotEmpty(rows);
        var year = rows.Select(r => benchmarks.Get(r, "fy")).Where(f => string.CompareOrdinal(f, "2024/25") <= 0).Max()!;
        Assert.Equal(year, m.Benchmark.FinancialYear);
        var councils = rows.Where(r => benchmarks.Get(r, "fy") == year && benchmarks.Get(r, "comparator_type") == "council")
            .Select(r => Number(benchmarks.Get(r, "value"))).ToList();
        // Higher is better: rank = 1 + comparator councils strictly above the council's own value.
        Assert.Equal(1 + councils.Count(v => v > m.Benchmark.CouncilValue), m.Benchmark.Rank);
        Assert.Equal(councils.Count + 1, m.Benchmark.Of);
        Assert.InRange(m.Benchmark.Quartile, 1, 4);
    }

    [Fact]
    public async Task A_stock_measure_is_forecast_to_the_year_end_and_a_target_version_changes_its_status()
    {
        var request = new PerformanceRequest { CouncilCode = Council, FinancialYear = "2024/25", MonthsElapsed = 6, Measures = { "waiting_for_assessment" } };
        var before = Assert.Single((await Performance.GetPerformanceAsync(request, Key(CommissionerKey))).Measures);
        Assert.Contains("forecast of the month-end values", before.YearEnd.Method);
        Assert.Equal(2, before.YearEnd.Intervals.Count);
        Assert.True(before.YearEnd.Intervals[0].Lower <= before.YearEnd.Estimate && before.YearEnd.Estimate <= before.YearEnd.Intervals[0].Upper);

        // A target far above the estimate is met (lower is better) with a high probability; a new version far below is missed.
        var lenient = await Performance.SetTargetAsync(new SetTargetRequest
        {
            CouncilCode = Council, Measure = "waiting_for_assessment", FinancialYear = "2024/25",
            Target = Math.Round(before.YearEnd.Intervals[1].Upper * 2), Reason = "interim target while the service is redesigned",
        }, Key(StrategyKey));
        var strict = await Performance.SetTargetAsync(new SetTargetRequest
        {
            CouncilCode = Council, Measure = "waiting_for_assessment", FinancialYear = "2024/25",
            Target = 1, AmberMargin = 0, Reason = "target re-based after the scrutiny review",
        }, Key(StrategyKey));
        Assert.Equal(lenient.Version + 1, strict.Version);
        Assert.Equal("development strategy lead", strict.Author);

        var after = Assert.Single((await Performance.GetPerformanceAsync(request, Key(CommissionerKey))).Measures);
        Assert.Equal(strict.Version, after.Target.Version);
        Assert.Equal(RagStatus.Red, after.Rag);
        Assert.True(after.ProbabilityOfMeetingTarget < 0.01);

        var versions = await Performance.ListTargetsAsync(new ListTargetsRequest { CouncilCode = Council, Measure = "waiting_for_assessment" }, Key(CommissionerKey));
        Assert.Contains(versions.Targets, t => t.Version == lenient.Version && t.Reason.StartsWith("interim"));
    }

    [Fact]
    public async Task Setting_a_target_needs_the_strategy_role_and_a_reason()
    {
        var request = new SetTargetRequest { CouncilCode = Council, Measure = "ascof_2b1", FinancialYear = "2025/26", Target = 90 };
        var denied = await Assert.ThrowsAsync<RpcException>(() => Performance.SetTargetAsync(request, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var invalid = await Assert.ThrowsAsync<RpcException>(() => Performance.SetTargetAsync(request, Key(StrategyKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("reason", invalid.Status.Detail);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Performance.GetPerformanceAsync(
            new PerformanceRequest { CouncilCode = Council, Measures = { "no_such_measure" } }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
    }

    [Fact]
    public async Task The_scorecard_covers_every_measure_with_data_and_a_stock_measure_can_be_forecast_like_a_flow()
    {
        var report = await Performance.GetPerformanceAsync(new PerformanceRequest { CouncilCode = Council, MonthsElapsed = 9 }, Key(CommissionerKey));
        Assert.Equal("2024/25", report.FinancialYear);
        Assert.Equal(Forecasting.Store.Analytics.MeasureCatalog.All.Count, report.Measures.Count);

        var forecasts = new ForecastService.ForecastServiceClient(factory.Channel());
        var run = await forecasts.ForecastAsync(new ForecastRequest
        {
            Selector = new SeriesSelector { Metric = "care_home_residents", CouncilCode = Council, Filters = { new Filter { Dimension = "age_group", Values = { "65+" } } } },
            UntilFy = "2025/26",
        }, Key(CommissionerKey));
        var series = Assert.Single(run.Series);
        Assert.Equal(12, series.Points.Count);
        var measure = await Performance.GetMeasureSeriesAsync(new MeasureSeriesRequest
        {
            Measure = "care_home_residents", CouncilCode = Council, Filters = { new Filter { Dimension = "age_group", Values = { "65+" } } },
        }, Key(CommissionerKey));
        Assert.Equal(measure.Groups[0].Points.Select(p => p.Value), series.History.Select(p => p.Value));
    }
}
