using Forecasting.Application.Forecasts;
using Forecasting.Store.Analytics;

namespace Forecasting.Tests.Forecasts;

/// <summary>
/// A series whose first values are cut off from the rest by two or more empty years and hold at most 1% of its total
/// (one contact mistyped as 1990 in data from 2015) is fitted from where its data really start.
/// </summary>
[Trait("Category", "unit")]
public sealed class IsolatedStartTests
{
    private static List<SeriesValue> Monthly(params double[] values) =>
        values.Select((v, i) => new SeriesValue(new DateOnly(2000, 1, 1).AddMonths(i), $"m{i}", v, 0)).ToList();

    private static double[] Data(double first, int emptyMonths, int months) =>
        [first, .. Enumerable.Repeat(0.0, emptyMonths), .. Enumerable.Range(0, months).Select(i => 100.0 + i)];

    [Fact]
    public void One_early_value_two_empty_years_before_the_data_is_left_out()
    {
        // 1 of 1 + (100 + ... + 159) = 7,771: 0.013%, after 24 empty months; the data start at index 25.
        Assert.Equal(25, SeriesForecaster.IsolatedStart(Monthly(Data(1, 24, 60)), 1));
        // Quarterly: 8 empty quarters are two years.
        Assert.Equal(9, SeriesForecaster.IsolatedStart(Monthly(Data(1, 8, 20)), 3));
    }

    [Fact]
    public void A_shorter_gap_a_larger_early_share_or_no_early_value_keeps_the_whole_series()
    {
        Assert.Null(SeriesForecaster.IsolatedStart(Monthly(Data(1, 23, 60)), 1));
        // 100 of 100 + 7,770: 1.27%, more than 1%: real early data, kept.
        Assert.Null(SeriesForecaster.IsolatedStart(Monthly(Data(100, 30, 60)), 1));
        Assert.Null(SeriesForecaster.IsolatedStart(Monthly(Data(0, 30, 60).Skip(31).ToArray()), 1));
        // An intermittent series with long empty spells and most of its total early is kept too.
        Assert.Null(SeriesForecaster.IsolatedStart(Monthly([5, 3, .. Enumerable.Repeat(0.0, 30), 1, 0, 0, 1]), 1));
        Assert.Null(SeriesForecaster.IsolatedStart(Monthly(new double[40]), 1));
    }
}
