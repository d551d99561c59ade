using System.Globalization;

namespace Forecasting.Cld.Reading;

/// <summary>Turns the text cells of one row into a <see cref="CldRow"/>, reporting every cell that is not what the layout says.</summary>
public static class CldRowParser
{
    /// <summary>Values are echoed in errors to help find the cell, not to copy the file: long ones are cut.</summary>
    private const int MaxEchoed = 60;

    /// <summary>The row, or null when a cell is unreadable (each such cell is reported to <paramref name="errors"/>).</summary>
    public static CldRow? Parse(string?[] raw, string file, long line, int submission, Action<CldReadError> errors)
    {
        var cells = new string?[CldColumns.Count];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = i < raw.Length && !string.IsNullOrWhiteSpace(raw[i]) ? raw[i] : null;
        var ok = true;

        DateOnly? Date(int column)
        {
            var text = cells[column]?.Trim();
            if (text is null) return null;
            if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return date;
            Fail(column, "not a real date in the form yyyy-mm-dd");
            return null;
        }

        decimal? Number(int column)
        {
            var text = cells[column]?.Trim();
            if (text is null) return null;
            if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                return value;
            Fail(column, "not a number (digits with an optional sign and decimal point)");
            return null;
        }

        long? Whole(int column, long min, long max)
        {
            var text = cells[column]?.Trim();
            if (text is null) return null;
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                return value;
            Fail(column, $"not a whole number from {min} to {max}");
            return null;
        }

        void Fail(int column, string reason)
        {
            ok = false;
            var value = cells[column];
            errors(new CldReadError(file, line, CldColumns.Names[column], reason, value is { Length: > MaxEchoed } ? value[..MaxEchoed] + "..." : value));
        }

        if (cells[CldColumns.LaCode] is null) Fail(CldColumns.LaCode, "required: the council's ONS code");

        var row = new CldRow
        {
            File = file,
            Line = line,
            Submission = submission,
            Cells = cells,
            PeriodStart = Date(CldColumns.PeriodStart),
            PeriodEnd = Date(CldColumns.PeriodEnd),
            RecordId = Whole(CldColumns.RecordId, long.MinValue, long.MaxValue),
            DateOfBirth = Date(CldColumns.DateOfBirth),
            BirthYear = (int?)Whole(CldColumns.BirthYear, 1850, 2200),
            BirthMonth = (int?)Whole(CldColumns.BirthMonth, 1, 12),
            DateOfDeath = Date(CldColumns.DateOfDeath),
            EventStart = Date(CldColumns.EventStart),
            EventEnd = Date(CldColumns.EventEnd),
            UnitCost = Number(CldColumns.UnitCost),
            PlannedUnits = Number(CldColumns.PlannedUnits),
            AdultsCaredFor = (int?)Whole(CldColumns.AdultsCaredFor, 0, 1000),
        };
        return ok ? row : null;
    }
}
