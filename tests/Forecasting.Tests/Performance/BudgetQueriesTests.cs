using Forecasting.Domain;
using Forecasting.Store.Analytics;
using Forecasting.Store.Performance;

namespace Forecasting.Tests.Performance;

/// <summary>
/// Every expected figure is worked by hand from the rows of <see cref="PerformanceStore"/>. Services spend is
/// weekly cost x days open within the year / 7, an episode covering start_date to the day before end_date:
/// <list type="bullet">
/// <item>S1 home care 350/week, 2023-01-01 to 2023-07-01: 2023/24 has 1 Apr - 30 Jun = 30 + 31 + 30 = 91 days, 350 x 91 / 7 = 4,550.</item>
/// <item>S2 home care 245/week from 2023-10-15, open: 2023/24 has 17 + 30 + 31 + 31 + 29 (Feb 2024) + 31 = 169 days,
/// 35 x 169 = 5,915; 2024/25 the whole 365 days, 35 x 365 = 12,775.</item>
/// <item>S3 residential 700/week, 2022-06-01 to 2024-06-01: 2023/24 the whole 366 days, 100 x 366 = 36,600 (2024/25 has no residential line).</item>
/// <item>S5 direct payment 140/week, 2024-09-01 to 2025-01-01: 30 + 31 + 30 + 31 = 122 days, 20 x 122 = 2,440 (line direct_payments).</item>
/// <item>S6 other community 70/week from 2025-02-01, open: 28 + 31 = 59 days to 31 March 2025, 10 x 59 = 590 (line other).</item>
/// <item>S7 belongs to another council and is not counted.</item>
/// </list>
/// </summary>
[Trait("Category", "integration")]
public sealed class BudgetQueriesTests(PerformanceStore fixture) : IClassFixture<PerformanceStore>
{
    private BudgetQueries Queries => new(fixture.Store);

    private static void AssertRow(TableRow row, string fy, string line, double budget, double outturn, double forecast, double variance,
        double percent, double services)
    {
        Assert.Equal(fy, row.Dimensions["financial_year"]);
        Assert.Equal(line, row.Dimensions["service_line"]);
        var m = row.Measures;
        Assert.Equal(budget, m["budget"], 6);
        Assert.Equal(outturn, m["outturn"], 6);
        Assert.Equal(forecast, m["forecast_outturn"], 6);
        Assert.Equal(variance, m["variance"], 6);
        Assert.Equal(percent, m["variance_percent"], 9);
        Assert.Equal(services, m["services_spend"], 6);
    }

    private const double NaN = double.NaN;

    [Fact]
    public void Every_year_by_line_with_totals()
    {
        var table = Queries.BudgetOutturn(PerformanceStore.Council);
        Assert.Equal(["financial_year", "service_line"], table.DimensionNames);
        Assert.Equal(["budget", "outturn", "forecast_outturn", "variance", "variance_percent", "services_spend"], table.MeasureNames);
        Assert.Contains("sums its lines", table.Title);
        Assert.Equal(fixture.Report.SnapshotId, table.SnapshotId);
        Assert.Equal(9, table.Rows.Count);
        var r = table.Rows;

        // 2023/24, closed: variance = outturn - budget.
        AssertRow(r[0], "2023/24", "home_care", 1_000_000, 1_100_000, NaN, 100_000, 10, 4_550 + 5_915);
        AssertRow(r[1], "2023/24", "residential", 2_000_000, 1_900_000, NaN, -100_000, -5, 36_600);
        AssertRow(r[2], "2023/24", "reablement", 300_000, 310_000, NaN, 10_000, 10_000 / 300_000.0 * 100, NaN);
        AssertRow(r[3], "2023/24", "total", 3_300_000, 3_310_000, NaN, 10_000, 10_000 / 3_300_000.0 * 100, 10_465 + 36_600);

        // 2024/25, open: variance = forecast outturn - budget. Staffing's budget is 0 (no percentage); other has no forecast yet,
        // so the year's total has no forecast outturn or variance.
        AssertRow(r[4], "2024/25", "home_care", 1_200_000, NaN, 1_250_000, 50_000, 50_000 / 1_200_000.0 * 100, 12_775);
        AssertRow(r[5], "2024/25", "direct_payments", 500_000, NaN, 480_000, -20_000, -4, 2_440);
        AssertRow(r[6], "2024/25", "staffing", 0, NaN, 0, 0, NaN, NaN);
        AssertRow(r[7], "2024/25", "other", 100_000, NaN, NaN, NaN, NaN, 590);
        AssertRow(r[8], "2024/25", "total", 1_800_000, NaN, NaN, NaN, NaN, 12_775 + 2_440 + 590);
    }

    [Fact]
    public void One_year()
    {
        var table = Queries.BudgetOutturn(PerformanceStore.Council, 2023);
        Assert.Equal(4, table.Rows.Count);
        Assert.All(table.Rows, row => Assert.Equal("2023/24", row.Dimensions["financial_year"]));
        AssertRow(table.Rows[3], "2023/24", "total", 3_300_000, 3_310_000, NaN, 10_000, 10_000 / 3_300_000.0 * 100, 47_065);

        Assert.Empty(Queries.BudgetOutturn(PerformanceStore.Council, 2019).Rows);
    }

    [Fact]
    public void Another_council_sees_only_its_own_lines()
    {
        var row = Assert.Single(Queries.BudgetOutturn(PerformanceStore.OtherCouncil).Rows, r => r.Dimensions["service_line"] == "home_care");
        // S7 1000/week from 2023-04-01: 366 days in 2023/24, 1000 x 366 / 7.
        AssertRow(row, "2023/24", "home_care", 50, 60, NaN, 10, 20, 1000 * 366 / 7.0);
        Assert.Empty(Queries.BudgetOutturn(PerformanceStore.EmptyCouncil).Rows);
    }

    [Fact]
    public void The_council_is_required_and_must_exist()
    {
        Assert.Equal("council_code", Assert.ThrowsAny<InvalidArgumentException>(() => Queries.BudgetOutturn("")).Field);
        Assert.Throws<KeyNotFoundException>(() => Queries.BudgetOutturn("E09999999"));
        Assert.Equal("financial_year", Assert.ThrowsAny<InvalidArgumentException>(() => Queries.BudgetOutturn(PerformanceStore.Council, 24)).Field);
    }

    [Fact]
    public void A_cancelled_token_stops_the_query()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Queries.BudgetOutturn(PerformanceStore.Council, ct: cts.Token));
    }
}
