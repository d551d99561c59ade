namespace Forecasting.Cld.Measures;

/// <summary>One slice of a measure (an age band, a gender, "Total"): its own numerator, denominator and value.</summary>
public sealed record CldMeasureRow(string Slice, long Numerator, long Denominator, decimal Value);

/// <summary>A count in a breakdown: the keys name the cell (age band, outcome, ...), in the order of the table's columns.</summary>
public sealed record CldCount(IReadOnlyList<string> Keys, long Count);

/// <summary>
/// A national measure computed from CLD: the headline numerator, denominator and value (rounded half away from
/// zero as the national code does), the slices, the period, the framework year whose definition it follows and the
/// judgement calls the local reading made.
/// </summary>
public sealed record CldMeasureResult(
    string Code,
    string Title,
    string FrameworkYear,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    long Numerator,
    long Denominator,
    decimal Value,
    IReadOnlyList<CldMeasureRow> Rows,
    IReadOnlyList<string> Notes)
{
    /// <summary>Counts behind the headline, e.g. 2A clusters by age band, sequel step and final outcome.</summary>
    public IReadOnlyList<CldCount> Breakdown { get; init; } = [];

    public CldMeasureRow Row(string slice) =>
        Rows.FirstOrDefault(r => r.Slice == slice) ?? throw new KeyNotFoundException($"{Code} has no slice '{slice}'");
}

/// <summary>A SALT-style table of headcounts: one row per cell, keyed by <see cref="Columns"/>.</summary>
public sealed record CldTable(
    string Code,
    string Title,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    IReadOnlyList<string> Columns,
    IReadOnlyList<CldCount> Rows,
    IReadOnlyList<string> Notes)
{
    public long Total => Rows.Sum(r => r.Count);

    /// <summary>The sum of the cells matching every given key; a null key matches any value in its column.</summary>
    public long Sum(params string?[] keys)
    {
        if (keys.Length > Columns.Count) throw new ArgumentException($"{Code} has {Columns.Count} columns, {keys.Length} keys given");
        return Rows.Where(r => keys.Select((k, i) => k is null || r.Keys[i] == k).All(x => x)).Sum(r => r.Count);
    }
}

/// <summary>A council's population of one financial year in the two ASCOF adult bands.</summary>
public sealed record CldPopulation(int FinancialYear, long Aged18To64, long Aged65AndOver);

/// <summary>Rounding and ratios as the national code outputs them.</summary>
public static class CldRatio
{
    /// <summary>numerator / denominator x scale, rounded half away from zero (T-SQL ROUND); 0 when the denominator is 0, as DHSC outputs it.</summary>
    public static decimal Of(long numerator, long denominator, decimal scale, int decimals) =>
        denominator == 0 ? 0m : Math.Round(numerator * scale / denominator, decimals, MidpointRounding.AwayFromZero);

    public static CldMeasureRow Percent(string slice, long numerator, long denominator, int decimals) =>
        new(slice, numerator, denominator, Of(numerator, denominator, 100m, decimals));
}
