using MathNet.Numerics.Statistics;
using Forecasting.Store.Analytics;
using Forecasting.Store.Performance;

namespace Forecasting.Application.Performance;

/// <summary>The quartile boundaries of a comparator group in the measure's unit: 25th, 50th and 75th percentiles (lowest value first).</summary>
public sealed record QuartileBoundaries(double Lower, double Median, double Upper);

/// <summary>
/// Where a council stands among its comparators. <see cref="Rank"/> is 1 for the best by the measure's polarity
/// among the comparator councils and this council (<see cref="Of"/> of them); <see cref="Quartile"/> 1 is the best
/// quarter. <see cref="NextQuartileBoundary"/> is the boundary of the next better quartile and
/// <see cref="ChangeToNextQuartile"/> = that boundary - the council's value, in the measure's unit (positive = an
/// increase is needed); both NaN in the best quartile or when the council is not ranked (rank and quartile 0).
/// <see cref="Comparators"/> holds every row given (councils, region, England and quartile boundaries);
/// the region and England are shown, not ranked.
/// </summary>
public sealed record BenchmarkPlacement(
    double CouncilValue,
    int Rank,
    int Of,
    int Quartile,
    double NextQuartileBoundary,
    double ChangeToNextQuartile,
    string QuartileMethod,
    QuartileBoundaries? Boundaries,
    IReadOnlyList<BenchmarkComparatorRow> Comparators,
    string Source);

/// <summary>
/// Ranks a council's value among its comparator councils and places it in a quartile.
/// <list type="bullet">
/// <item>Rank: 1 + the number of comparator councils strictly better (higher when higher is better, lower when lower
/// is better), so ties share the better rank; <c>of</c> counts the comparator councils and this council.</item>
/// <item>Quartile boundaries: the published lower_quartile, median and upper_quartile rows when all three are given
/// (taken in ascending order of value); otherwise the R type-7 quantiles (0.25, 0.5, 0.75) of the comparator
/// councils' values with this council's value included.</item>
/// <item>Quartile, higher is better: 1 when value &gt;= upper, 2 when &gt;= median, 3 when &gt;= lower, else 4.
/// Lower is better mirrors it: 1 when value &lt;= lower, 2 when &lt;= median, 3 when &lt;= upper, else 4. A value on a
/// boundary is in the better quartile, so reaching the next boundary is reaching the next quartile.</item>
/// <item>A neutral measure has no better direction and a council without a value (NaN) no place: neither is ranked
/// (rank and quartile 0, NaN boundary and change), though the boundaries are still given.</item>
/// </list>
/// </summary>
public static class BenchmarkPositioning
{
    public const string PublishedMethod = "published quartile boundaries";
    public const string ComputedMethod = "computed from the comparator councils and this council (R type 7 quantiles)";

    public static BenchmarkPlacement Position(double councilValue, IReadOnlyList<BenchmarkComparatorRow> comparators, Polarity polarity)
    {
        ArgumentNullException.ThrowIfNull(comparators);
        var councils = comparators.Where(c => c.ComparatorType == "council").Select(c => c.Value).ToList();
        var quartileRows = comparators.Where(c => c.ComparatorType == "quartile").ToList();
        var published = new[] { "lower_quartile", "median", "upper_quartile" }
            .Select(code => quartileRows.FirstOrDefault(q => q.ComparatorCode == code)?.Value)
            .ToList();
        var source = string.Join("; ", comparators.Select(c => c.Source).Distinct());
        var hasValue = !double.IsNaN(councilValue);

        QuartileBoundaries? boundaries;
        string method;
        if (published.All(v => v is not null))
        {
            var sorted = published.Select(v => v!.Value).Order().ToArray();
            boundaries = new QuartileBoundaries(sorted[0], sorted[1], sorted[2]);
            method = PublishedMethod;
        }
        else
        {
            var values = hasValue ? [.. councils, councilValue] : councils.ToArray();
            boundaries = values.Length == 0
                ? null
                : new QuartileBoundaries(Statistics.QuantileCustom(values, 0.25, QuantileDefinition.R7),
                    Statistics.QuantileCustom(values, 0.5, QuantileDefinition.R7),
                    Statistics.QuantileCustom(values, 0.75, QuantileDefinition.R7));
            method = hasValue
                ? ComputedMethod
                : "computed from the comparator councils (R type 7 quantiles); this council has no value";
        }

        var of = councils.Count + 1;
        if (!hasValue || polarity == Polarity.Neutral || boundaries is null)
        {
            var why = !hasValue ? "not ranked: the council has no value for the year"
                : polarity == Polarity.Neutral ? "not ranked: the measure has no better direction"
                : "not ranked: no comparator values";
            return new BenchmarkPlacement(councilValue, 0, of, 0, double.NaN, double.NaN, $"{method}; {why}", boundaries, comparators, source);
        }

        var higher = polarity == Polarity.HigherIsBetter;
        var rank = 1 + councils.Count(v => higher ? v > councilValue : v < councilValue);
        var b = boundaries;
        // Boundaries from the best quarter to the worst: the value needed to be in quartile 1, 2 and 3.
        var ordered = higher ? new[] { b.Upper, b.Median, b.Lower } : [b.Lower, b.Median, b.Upper];
        var quartile = 4;
        for (var q = 0; q < ordered.Length; q++)
            if (higher ? councilValue >= ordered[q] : councilValue <= ordered[q])
            {
                quartile = q + 1;
                break;
            }
        var next = quartile == 1 ? double.NaN : ordered[quartile - 2];
        return new BenchmarkPlacement(councilValue, rank, of, quartile, next, next - councilValue, method, boundaries, comparators, source);
    }
}
