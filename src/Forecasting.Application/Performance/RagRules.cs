using Forecasting.Store.Analytics;

namespace Forecasting.Application.Performance;

/// <summary>A red/amber/green status; the values match the contract's RagStatus (0 = no status).</summary>
public enum Rag
{
    /// <summary>No status: no target, or no value to judge.</summary>
    Unspecified = 0,
    /// <summary>Meets the target.</summary>
    Green = 1,
    /// <summary>Misses it by no more than the amber margin.</summary>
    Amber = 2,
    /// <summary>Misses it by more.</summary>
    Red = 3,
}

/// <summary>
/// The RAG status of a value against a target, and the probability of meeting a target from a distribution.
/// <list type="bullet">
/// <item>Higher is better: green when value &gt;= target; amber when value &gt;= target - margin; otherwise red.</item>
/// <item>Lower is better (the mirror): green when value &lt;= target; amber when value &lt;= target + margin; otherwise red.</item>
/// <item>Neutral (a context measure with no better direction, so the target is a planned level): green when
/// |value - target| &lt;= margin; amber when |value - target| &lt;= 2 x margin; otherwise red.</item>
/// </list>
/// A value exactly on a boundary takes the better status. A NaN value or target has no status.
/// The year-end status of a measure with an estimated distribution is <see cref="YearEndStatus"/>: the chance of meeting
/// the target decides, so a status never says "on track" on a coin toss.
/// </summary>
public static class RagRules
{
    /// <summary>Green needs at least this chance of meeting the target.</summary>
    public const double GreenChance = 0.70;

    /// <summary>Below this chance of meeting the target the status is red; from it up to <see cref="GreenChance"/>, amber.</summary>
    public const double RedChance = 0.30;

    /// <summary>
    /// The status of a year-end estimate: green when the chance of meeting the target is at least 70%, amber from 30% up
    /// to 70%, red below 30% (a chance exactly on a boundary takes the better status). Without a chance (NaN: the
    /// estimate has no distribution, or the caller passes NaN for a year already complete, whose chance is 0 or 1) the
    /// estimate itself is judged by <see cref="Status"/>.
    /// </summary>
    public static Rag YearEndStatus(double estimate, double probability, double target, double amberMargin, Polarity polarity)
    {
        if (double.IsNaN(probability)) return Status(estimate, target, amberMargin, polarity);
        if (double.IsNaN(target)) return Rag.Unspecified;
        if (probability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probability), probability, "a chance lies between 0 and 1");
        return probability >= GreenChance ? Rag.Green : probability >= RedChance ? Rag.Amber : Rag.Red;
    }

    public static Rag Status(double value, double target, double amberMargin, Polarity polarity)
    {
        CheckMargin(amberMargin);
        if (double.IsNaN(value) || double.IsNaN(target)) return Rag.Unspecified;
        return polarity switch
        {
            Polarity.HigherIsBetter => value >= target ? Rag.Green : value >= target - amberMargin ? Rag.Amber : Rag.Red,
            Polarity.LowerIsBetter => value <= target ? Rag.Green : value <= target + amberMargin ? Rag.Amber : Rag.Red,
            Polarity.Neutral => Math.Abs(value - target) is var distance && distance <= amberMargin ? Rag.Green
                : distance <= 2 * amberMargin ? Rag.Amber : Rag.Red,
            _ => throw new ArgumentOutOfRangeException(nameof(polarity), polarity, "unknown polarity"),
        };
    }

    /// <summary>
    /// The probability that a quantity with cumulative distribution <paramref name="cdf"/> meets the target (is green):
    /// higher is better, P(X &gt;= target) = 1 - cdf(target); lower is better, P(X &lt;= target) = cdf(target);
    /// neutral, P(|X - target| &lt;= margin) = cdf(target + margin) - cdf(target - margin). The distribution is taken as
    /// continuous (no mass exactly at the target). <paramref name="amberMargin"/> is used by neutral measures only.
    /// NaN when the target is NaN.
    /// </summary>
    public static double ProbabilityOfMeeting(Func<double, double> cdf, double target, Polarity polarity, double amberMargin = 0)
    {
        ArgumentNullException.ThrowIfNull(cdf);
        CheckMargin(amberMargin);
        if (double.IsNaN(target)) return double.NaN;
        var p = polarity switch
        {
            Polarity.HigherIsBetter => 1 - cdf(target),
            Polarity.LowerIsBetter => cdf(target),
            Polarity.Neutral => cdf(target + amberMargin) - cdf(target - amberMargin),
            _ => throw new ArgumentOutOfRangeException(nameof(polarity), polarity, "unknown polarity"),
        };
        return double.IsNaN(p) ? p : Math.Clamp(p, 0, 1);
    }

    private static void CheckMargin(double amberMargin)
    {
        if (!(amberMargin >= 0) || double.IsInfinity(amberMargin))
            throw new ArgumentOutOfRangeException(nameof(amberMargin), amberMargin, "the amber margin must be finite and not negative");
    }
}
