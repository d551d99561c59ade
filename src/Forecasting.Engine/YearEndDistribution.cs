using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Forecasting.Engine;

/// <summary>The distribution of a year-end value: what an estimate's intervals come from, and the probability of reaching a value.</summary>
public abstract record YearEndDistribution
{
    /// <summary>P(value &lt;= x).</summary>
    public abstract double Cdf(double x);

    /// <summary>The smallest value whose cumulative probability reaches p.</summary>
    public abstract double Quantile(double p);

    /// <summary>The central interval at each level (percent): the quantiles at (1 - level) / 2 and (1 + level) / 2.</summary>
    public IReadOnlyList<YearEndInterval> Intervals(IEnumerable<double> levels) =>
        levels.Select(l => new YearEndInterval(l, Quantile(0.5 - l / 200), Quantile(0.5 + l / 200))).ToList();

    /// <summary>This distribution with its values multiplied by a positive factor (a count turned into a rate).</summary>
    public abstract YearEndDistribution Scaled(double factor);
}

/// <summary>A known value: the year is complete.</summary>
public sealed record PointDistribution(double Value) : YearEndDistribution
{
    public override double Cdf(double x) => x >= Value ? 1 : 0;

    public override double Quantile(double p) => Value;

    public override YearEndDistribution Scaled(double factor) => new PointDistribution(Value * factor);
}

/// <summary>
/// Location + Scale x Student-t(Df), on the log scale when <paramref name="LogScale"/>, with everything below
/// <paramref name="Floor"/> (the year to date, which the year-end total cannot fall below) gathered at the floor.
/// Df = infinity is the normal distribution.
/// </summary>
public sealed record ShiftedTDistribution(double Location, double Scale, double Df, bool LogScale, double Floor) : YearEndDistribution
{
    public override double Cdf(double x)
    {
        if (x < Floor) return 0;
        if (LogScale && x <= 0) return 0;
        var z = ((LogScale ? Math.Log(x) : x) - Location) / Scale;
        return double.IsPositiveInfinity(Df) ? Normal.CDF(0, 1, z) : StudentT.CDF(0, 1, Df, z);
    }

    public override double Quantile(double p)
    {
        var z = double.IsPositiveInfinity(Df) ? Normal.InvCDF(0, 1, p) : StudentT.InvCDF(0, 1, Df, p);
        var v = Location + z * Scale;
        return Math.Max(Floor, LogScale ? Math.Exp(v) : v);
    }

    public override YearEndDistribution Scaled(double factor) => LogScale
        ? this with { Location = Location + Math.Log(factor), Floor = Floor * factor }
        : this with { Location = Location * factor, Scale = Scale * factor, Floor = Floor * factor };
}

/// <summary>A distribution on finitely many values (ascending) with their cumulative probabilities.</summary>
public sealed record DiscreteDistribution(double[] Values, double[] Cumulative) : YearEndDistribution
{
    public override double Cdf(double x)
    {
        var i = Array.BinarySearch(Values, x);
        if (i < 0) i = ~i - 1;
        return i < 0 ? 0 : Math.Min(1, Cumulative[i]);
    }

    public override double Quantile(double p)
    {
        for (var i = 0; i < Values.Length; i++) if (Cumulative[i] >= p - 1e-12) return Values[i];
        return Values[^1];
    }

    public double Mean()
    {
        double mean = 0, previous = 0;
        for (var i = 0; i < Values.Length; i++) { mean += Values[i] * (Cumulative[i] - previous); previous = Cumulative[i]; }
        return mean;
    }

    public override YearEndDistribution Scaled(double factor) => new DiscreteDistribution(Values.Select(v => v * factor).ToArray(), Cumulative);
}

/// <summary>
/// The year-end value of a proportion (ASCOF 2B(1), reviews, assessments on time) from its year to date:
/// <c>a</c> of <c>n</c> so far and about <c>m</c> more cases to come this year. The rate of the remaining cases is
/// uncertain as the Jeffreys posterior Beta(a + 1/2, n - a + 1/2) says, so the remaining successes follow the
/// beta-binomial distribution and the year's value is (a + X) / (n + m). The number of remaining cases is taken as
/// known.
/// </summary>
public static class ProportionYearEnd
{
    public const int MaxRemaining = 1_000_000;

    public static (DiscreteDistribution Distribution, double Mean) Estimate(long successes, long trials, long remaining)
    {
        if (trials < 0 || successes < 0 || successes > trials) throw new ArgumentException($"successes {successes} must lie between 0 and trials {trials}.");
        if (remaining < 0 || remaining > MaxRemaining) throw new ArgumentException($"remaining cases {remaining} must lie between 0 and {MaxRemaining}.");
        var total = trials + remaining;
        if (total == 0) throw new ArgumentException("no cases this year and none expected: the proportion is undefined.");
        double alpha = successes + 0.5, beta = trials - successes + 0.5;
        var values = new double[remaining + 1];
        var cumulative = new double[remaining + 1];
        double running = 0, logBeta = SpecialFunctions.BetaLn(alpha, beta);
        for (long x = 0; x <= remaining; x++)
        {
            var logP = SpecialFunctions.BinomialLn((int)remaining, (int)x) + SpecialFunctions.BetaLn(x + alpha, remaining - x + beta) - logBeta;
            running += Math.Exp(logP);
            values[x] = (double)(successes + x) / total;
            cumulative[x] = running;
        }
        var mean = (successes + remaining * alpha / (alpha + beta)) / total;
        return (new DiscreteDistribution(values, cumulative), mean);
    }
}
