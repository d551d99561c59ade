using Forecasting.Application.Performance;
using Forecasting.Store.Analytics;
using MathNet.Numerics.Distributions;

namespace Forecasting.Tests.Performance;

/// <summary>Boundaries worked by hand; the margins are chosen so target +- margin is exact in binary floating point.</summary>
[Trait("Category", "unit")]
public sealed class RagRulesTests
{
    [Theory]
    // Target 90%, amber margin 2.5: green from 90, amber from 87.5, red below.
    [InlineData(95.0, Rag.Green)]
    [InlineData(90.0, Rag.Green)]
    [InlineData(89.99, Rag.Amber)]
    [InlineData(87.5, Rag.Amber)]
    [InlineData(87.49, Rag.Red)]
    [InlineData(0.0, Rag.Red)]
    public void Higher_is_better_is_green_at_or_above_the_target_and_amber_within_the_margin_below(double value, Rag expected) =>
        Assert.Equal(expected, RagRules.Status(value, 90, 2.5, Polarity.HigherIsBetter));

    [Theory]
    // Target 15.0 per 100,000, amber margin 0.75: green to 15, amber to 15.75, red above.
    [InlineData(10.7, Rag.Green)]
    [InlineData(15.0, Rag.Green)]
    [InlineData(15.01, Rag.Amber)]
    [InlineData(15.75, Rag.Amber)]
    [InlineData(15.76, Rag.Red)]
    public void Lower_is_better_mirrors_it(double value, Rag expected) =>
        Assert.Equal(expected, RagRules.Status(value, 15, 0.75, Polarity.LowerIsBetter));

    [Theory]
    // Planned level 100, margin 4: green within 4 either side, amber within 8, red beyond.
    [InlineData(100.0, Rag.Green)]
    [InlineData(104.0, Rag.Green)]
    [InlineData(96.0, Rag.Green)]
    [InlineData(104.5, Rag.Amber)]
    [InlineData(95.5, Rag.Amber)]
    [InlineData(108.0, Rag.Amber)]
    [InlineData(92.0, Rag.Amber)]
    [InlineData(108.5, Rag.Red)]
    [InlineData(91.5, Rag.Red)]
    public void Neutral_is_green_within_the_margin_either_side_and_amber_within_twice_it(double value, Rag expected) =>
        Assert.Equal(expected, RagRules.Status(value, 100, 4, Polarity.Neutral));

    [Fact]
    public void A_zero_margin_leaves_no_amber()
    {
        Assert.Equal(Rag.Green, RagRules.Status(10, 10, 0, Polarity.HigherIsBetter));
        Assert.Equal(Rag.Red, RagRules.Status(9.999, 10, 0, Polarity.HigherIsBetter));
        Assert.Equal(Rag.Red, RagRules.Status(10.001, 10, 0, Polarity.LowerIsBetter));
        Assert.Equal(Rag.Green, RagRules.Status(10, 10, 0, Polarity.Neutral));
        Assert.Equal(Rag.Red, RagRules.Status(10.001, 10, 0, Polarity.Neutral));
    }

    [Fact]
    public void No_value_or_no_target_has_no_status_and_a_negative_margin_is_refused()
    {
        foreach (var polarity in Enum.GetValues<Polarity>())
        {
            Assert.Equal(Rag.Unspecified, RagRules.Status(double.NaN, 10, 1, polarity));
            Assert.Equal(Rag.Unspecified, RagRules.Status(10, double.NaN, 1, polarity));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => RagRules.Status(10, 10, -1, Polarity.HigherIsBetter));
        Assert.Throws<ArgumentOutOfRangeException>(() => RagRules.Status(10, 10, double.NaN, Polarity.HigherIsBetter));
    }

    [Fact]
    public void The_values_match_the_contract()
    {
        Assert.Equal((int)Forecasting.Contracts.V1.RagStatus.RagUnspecified, (int)Rag.Unspecified);
        Assert.Equal((int)Forecasting.Contracts.V1.RagStatus.Green, (int)Rag.Green);
        Assert.Equal((int)Forecasting.Contracts.V1.RagStatus.Amber, (int)Rag.Amber);
        Assert.Equal((int)Forecasting.Contracts.V1.RagStatus.Red, (int)Rag.Red);
    }

    [Fact]
    public void Probability_of_meeting_a_target_from_a_normal_distribution()
    {
        // X ~ Normal(100, 10). Phi(1) = 0.841344746068543 and Phi(1.96) - Phi(-1.96) = 0.950004209703559 from tables (R: pnorm).
        Func<double, double> cdf = x => Normal.CDF(100, 10, x);
        // Higher is better, target 90 = mean - 1 sd: P(X >= 90) = Phi(1).
        Assert.Equal(0.841344746068543, RagRules.ProbabilityOfMeeting(cdf, 90, Polarity.HigherIsBetter), 12);
        // Lower is better, target 90: P(X <= 90) = Phi(-1) = 1 - Phi(1).
        Assert.Equal(1 - 0.841344746068543, RagRules.ProbabilityOfMeeting(cdf, 90, Polarity.LowerIsBetter), 12);
        // Neutral, target 100, margin 19.6 = 1.96 sd: P(|X - 100| <= 19.6).
        Assert.Equal(0.950004209703559, RagRules.ProbabilityOfMeeting(cdf, 100, Polarity.Neutral, 19.6), 12);
        // At the mean, either direction is a coin toss.
        Assert.Equal(0.5, RagRules.ProbabilityOfMeeting(cdf, 100, Polarity.HigherIsBetter), 12);
    }

    [Fact]
    public void Probability_of_meeting_a_target_from_a_uniform_distribution()
    {
        // X ~ Uniform(0, 10): cdf(x) = x / 10 on [0, 10].
        Func<double, double> cdf = x => Math.Clamp(x / 10, 0, 1);
        Assert.Equal(0.3, RagRules.ProbabilityOfMeeting(cdf, 7, Polarity.HigherIsBetter), 12);
        Assert.Equal(0.7, RagRules.ProbabilityOfMeeting(cdf, 7, Polarity.LowerIsBetter), 12);
        Assert.Equal(0.2, RagRules.ProbabilityOfMeeting(cdf, 7, Polarity.Neutral, 1), 12);
        Assert.Equal(0.0, RagRules.ProbabilityOfMeeting(cdf, 12, Polarity.HigherIsBetter), 12);
        Assert.True(double.IsNaN(RagRules.ProbabilityOfMeeting(cdf, double.NaN, Polarity.HigherIsBetter)));
    }

    [Theory]
    // The chance decides: green from 70%, amber from 30% to under 70%, red under 30%; a boundary takes the better status.
    [InlineData(1.0, Rag.Green)]
    [InlineData(0.70, Rag.Green)]
    [InlineData(0.6999, Rag.Amber)]
    [InlineData(0.54, Rag.Amber)]
    [InlineData(0.30, Rag.Amber)]
    [InlineData(0.2999, Rag.Red)]
    [InlineData(0.0, Rag.Red)]
    public void Year_end_status_follows_the_chance_of_meeting_the_target(double chance, Rag expected)
    {
        // The estimate (91) meets the target (90), so the value rule alone would say green at every chance.
        Assert.Equal(Rag.Green, RagRules.Status(91, 90, 2.5, Polarity.HigherIsBetter));
        Assert.Equal(expected, RagRules.YearEndStatus(91, chance, 90, 2.5, Polarity.HigherIsBetter));
    }

    [Fact]
    public void Year_end_status_of_an_estimate_just_above_its_target_is_not_on_track()
    {
        // X ~ Normal(100, 10), higher is better, target 98.5: P(X >= 98.5) = Phi(0.15) = 0.559617692370 (R: pnorm(0.15)),
        // about the 54% case: the estimate meets the target, yet the chance is near a coin toss, so amber.
        Func<double, double> cdf = x => Normal.CDF(100, 10, x);
        var chance = RagRules.ProbabilityOfMeeting(cdf, 98.5, Polarity.HigherIsBetter);
        Assert.Equal(0.559617692370, chance, 9);
        Assert.Equal(Rag.Amber, RagRules.YearEndStatus(100, chance, 98.5, 2.5, Polarity.HigherIsBetter));
        // Target 94.5 = mean - 0.55 sd: P = Phi(0.55) = 0.708840313 (R), at least 70%, so green.
        Assert.Equal(Rag.Green, RagRules.YearEndStatus(100, RagRules.ProbabilityOfMeeting(cdf, 94.5, Polarity.HigherIsBetter), 94.5, 2.5, Polarity.HigherIsBetter));
    }

    [Fact]
    public void Year_end_status_without_a_chance_judges_the_estimate()
    {
        Assert.Equal(Rag.Amber, RagRules.YearEndStatus(89, double.NaN, 90, 2.5, Polarity.HigherIsBetter));
        Assert.Equal(Rag.Green, RagRules.YearEndStatus(14, double.NaN, 15, 0.75, Polarity.LowerIsBetter));
        Assert.Equal(Rag.Unspecified, RagRules.YearEndStatus(14, 0.8, double.NaN, 0.75, Polarity.LowerIsBetter));
        Assert.Throws<ArgumentOutOfRangeException>(() => RagRules.YearEndStatus(14, 1.2, 15, 0.75, Polarity.LowerIsBetter));
    }
}
