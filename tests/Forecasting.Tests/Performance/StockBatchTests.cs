using Forecasting.Application.Performance;
using Forecasting.Engine;
using Forecasting.Store.Analytics;

namespace Forecasting.Tests.Performance;

/// <summary>
/// The scorecard forecasts its stock measures as one engine batch: each measure's year-end estimate is the one it gets
/// alone (the orchestrator fits every series on its own), and a complete year is its own value.
/// </summary>
[Trait("Category", "unit")]
public sealed class StockBatchTests
{
    /// <summary>Five years of month ends and <paramref name="months"/> of 2024/25: a level, a trend and a seasonal swing.</summary>
    private static List<MeasureValue> Months(double level, double trend, double swing, int months)
    {
        var start = new DateOnly(2019, 4, 1);
        return Enumerable.Range(0, 60 + months).Select(i =>
        {
            var value = Math.Round(level + trend * i + swing * Math.Sin(2 * Math.PI * i / 12) + (i * 7919 % 13) - 6);
            var from = start.AddMonths(i);
            return new MeasureValue(from, from.AddMonths(1).AddDays(-1), from.ToString("yyyy-MM"), value, 1, value, value, 1, value);
        }).ToList();
    }

    [Fact]
    public void A_batch_of_stocks_gives_each_the_estimate_it_gets_alone()
    {
        var yearEnd = new MeasureYearEnd(new ForecastOrchestrator());
        var stock = MeasureCatalog.Find("waiting_for_assessment");
        Assert.Equal(MeasureShape.Stock, stock.Shape);
        var requests = new[]
        {
            new YearEndRequest(stock, Months(400, 0.5, 30, 6), 2024, 6),
            new YearEndRequest(stock, Months(120, -0.3, 8, 6), 2024, 6),
            new YearEndRequest(stock, Months(900, 2, 60, 6), 2024, 6),
            new YearEndRequest(stock, Months(50, 0, 5, 12), 2024, 12),
        };
        double[] levels = [80, 95];
        var batch = yearEnd.EstimateMany(requests, levels);
        for (var i = 0; i < requests.Length; i++)
        {
            var alone = yearEnd.Estimate(requests[i].Measure, requests[i].Monthly, requests[i].Fy, requests[i].Months, levels);
            Assert.Equal(alone.Estimate, batch[i].Estimate, 9);
            Assert.Equal(alone.Method, batch[i].Method);
            Assert.Equal(alone.Intervals.Select(b => (b.Lower, b.Upper)), batch[i].Intervals.Select(b => (b.Lower, b.Upper)));
        }
        // The complete year is the March value (month 12 of 2024/25), not a forecast.
        Assert.Equal(requests[3].Monthly[^1].YtdValue, batch[3].Estimate);
        Assert.Contains("forecast of the month-end values", batch[0].Method);
    }
}
