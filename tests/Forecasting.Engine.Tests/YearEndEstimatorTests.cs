namespace Forecasting.Engine.Tests;

[Trait("Category", "unit")]
public class YearEndEstimatorTests
{
    [Fact]
    public void Estimate_matches_hand_computation()
    {
        // Two past years (April first). Year 1 total 120 with 30 in Apr-Jun; year 2 total 240 with 48 in Apr-Jun.
        var y1 = new double[] { 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10 };
        var y2 = new double[] { 16, 16, 16, 16, 16, 16, 24, 24, 24, 24, 24, 24 };
        var hist = y1.Concat(y2).ToArray();
        var r = YearEndEstimator.Estimate(hist, 3, new double[] { 20, 22, 18 }, new double[] { 80 });
        // Shares: 30/120 = 0.25 and 48/240 = 0.2; mean 0.225; YTD 60; estimate 60 / 0.225 = 266.67.
        Assert.Equal(60, r.YearToDate);
        Assert.Equal(0.225, r.ProfileShare, 12);
        Assert.Equal(60 / 0.225, r.Estimate, 9);
        // log shares: ln .25, ln .2; sd = |ln .25 - ln .2| / sqrt 2; t(1, 0.9) = 3.0777; factor sqrt(1 + 1/2).
        double sd = Math.Abs(Math.Log(0.25) - Math.Log(0.2)) / Math.Sqrt(2);
        double half = 3.077683537 * sd * Math.Sqrt(1.5);
        Assert.Equal(60 / 0.225 * Math.Exp(half), r.Intervals[0].Upper, 6);
        Assert.Equal(Math.Max(60, 60 / 0.225 * Math.Exp(-half)), r.Intervals[0].Lower, 6);
        Assert.Contains("seasonal profile", r.Method);
    }

    [Fact]
    public void Without_history_it_is_pro_rata_and_says_so()
    {
        var r = YearEndEstimator.Estimate(Array.Empty<double>(), 4, new double[] { 5, 7, 6, 6 });
        Assert.Equal(24 * 3, r.Estimate, 12);
        Assert.StartsWith("pro rata", r.Method);
        Assert.Equal(2, r.Intervals.Count);
        Assert.True(r.Intervals[1].Upper > r.Intervals[0].Upper && r.Intervals[0].Upper > r.Estimate);
        Assert.Contains(r.Notes, n => n.Contains("no complete past years"));
    }

    [Fact]
    public void Complete_year_and_bad_inputs()
    {
        var full = Enumerable.Repeat(3.0, 12).ToArray();
        var r = YearEndEstimator.Estimate(full, 12, full);
        Assert.Equal(36, r.Estimate);
        Assert.All(r.Intervals, i => Assert.Equal(36, i.Upper));
        Assert.Throws<ArgumentException>(() => YearEndEstimator.Estimate(full, 3, new double[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => YearEndEstimator.Estimate(full, 13, full));
        var partial = YearEndEstimator.Estimate(full.Concat(new double[] { 1, 2 }).ToArray(), 2, new double[] { 3, 3 });
        Assert.Contains(partial.Notes, n => n.Contains("beyond complete years"));
    }
}
