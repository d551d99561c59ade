namespace Forecasting.Engine.Tests;

[Trait("Category", "unit")]
public class AccuracyTests
{
    [Fact]
    public void Msis_is_the_M4_interval_score_scaled_by_the_in_sample_naive_mae()
    {
        // Naive MAE of 1, 2, 4, 3: (1 + 2 + 1) / 3 = 4/3. At 80% (2/a = 10): step 1 inside, width 3;
        // step 2 below a width-1 interval by 1: 1 + 10 x 1 = 11. Mean 7, scaled 7 / (4/3) = 5.25.
        Assert.Equal(5.25, Accuracy.Msis([1, 2, 4, 3], 1, [5, 2], [3, 3], [6, 4], 80), 12);
        // Above the interval at 95% (2/a = 40), seasonal scale: lag-2 differences of 1, 2, 4, 3 are 3 and 1, MAE 2.
        // (1 + 40 x 0.5) / 2 = 10.5.
        Assert.Equal(10.5, Accuracy.Msis([1, 2, 4, 3], 2, [6.5], [5], [6], 95), 12);
    }
}
