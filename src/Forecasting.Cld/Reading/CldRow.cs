namespace Forecasting.Cld.Reading;

/// <summary>
/// One row of a CLD submission as read: every cell as submitted (null when empty or blank; letter case and inner
/// spacing kept, since the national unique event compares raw values), the dates and numbers parsed, and where it came from.
/// </summary>
public sealed class CldRow
{
    public required string File { get; init; }
    /// <summary>Line of the file (header = 1) for CSV; for Parquet the row number + 1, so the first data row is 2 either way.</summary>
    public required long Line { get; init; }
    /// <summary>Position of the file among the submissions of one import (0 = first given).</summary>
    public required int Submission { get; init; }
    /// <summary>Cells in <see cref="CldColumns"/> order.</summary>
    public required string?[] Cells { get; init; }

    public DateOnly? PeriodStart { get; init; }
    public DateOnly? PeriodEnd { get; init; }
    public long? RecordId { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public int? BirthYear { get; init; }
    public int? BirthMonth { get; init; }
    public DateOnly? DateOfDeath { get; init; }
    public DateOnly? EventStart { get; init; }
    public DateOnly? EventEnd { get; init; }
    public decimal? UnitCost { get; init; }
    public decimal? PlannedUnits { get; init; }
    public int? AdultsCaredFor { get; init; }

    public string? this[int column] => Cells[column];
}

/// <summary>A cell or file that cannot be read: the import stops with these (a dropped row is not an error, see the quality report).</summary>
public sealed record CldReadError(string File, long Row, string Column, string Reason, string? Value);
