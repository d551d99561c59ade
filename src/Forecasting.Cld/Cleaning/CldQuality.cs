namespace Forecasting.Cld.Cleaning;

/// <summary>A row that shows a finding: where it is and the value concerned (null when the finding is a blank).</summary>
public sealed record CldExample(string File, long Row, string? Value);

/// <summary>
/// One line of the data-quality report: how many rows (or people) one finding covers, with the first few examples.
/// Section says what kind of finding it is (<see cref="CldQualitySections"/>); Field names the CLD column, or "" for a whole row.
/// </summary>
public sealed record CldQualityLine(string Section, string Field, string Category, long Count, IReadOnlyList<CldExample> Examples);

/// <summary>The report a council reads after an import, in the order the lines were first met (field values first, by column).</summary>
public sealed record CldQualityReport(long RowsRead, long RowsDropped, long RowsReplaced, long DuplicatesRemoved, long Events, long People,
    IReadOnlyList<CldQualityLine> Lines)
{
    public CldQualityLine? Find(string section, string field, string category) =>
        Lines.FirstOrDefault(l => l.Section == section && l.Field == field && l.Category == category);

    public long Count(string section, string field, string category) => Find(section, field, category)?.Count ?? 0;
}

public static class CldQualitySections
{
    /// <summary>Per coded column: valid, mapped from Release 1, invalid, missing.</summary>
    public const string FieldValues = "Field values";
    /// <summary>Rows the national rules leave out (no event type, no start date, died before the event, no identifier).</summary>
    public const string Dropped = "Rows dropped";
    /// <summary>Rows of an earlier submission inside a later submission's period (and services it no longer has, ended before it).</summary>
    public const string Replaced = "Replaced by a later submission";
    /// <summary>Rows that repeat a national unique event and lost to the record kept.</summary>
    public const string Duplicates = "Duplicates removed";
    /// <summary>Which identifier the national person id came from.</summary>
    public const string PersonId = "Person identifier";
    /// <summary>Latest person details: conflicts set to Unknown, accommodation inferred from services.</summary>
    public const string PersonDetails = "Person details";
    /// <summary>Rows kept as submitted that a council will want to correct.</summary>
    public const string Checks = "Checks";
}

public static class CldQualityCategories
{
    public const string Valid = "Valid";
    public const string Mapped = "Mapped from Release 1";
    public const string Invalid = "Invalid and not mapped";
    public const string Missing = "Missing";

    public const string NoEventType = "No event type";
    public const string NoStartDate = "No event start date";
    public const string DiedBeforeEvent = "Date of death before the event start";
    public const string NoIdentifier = "No traced NHS number, NHS number or council person id";

    public const string ExactDuplicate = "Exact duplicate";
    public const string CaseOnlyDuplicate = "Differs only in letter case or trailing blanks";
    public const string AnotherOutcome = "Resubmitted with another outcome";
    public const string OtherDetails = "Same event with other details (end date, cost, units, ...)";

    public const string ReplacedByLater = "Event ends (or is open) inside a later submission's period";
    public const string CroppedService = "Service the later submission no longer has: ended the day before its period";

    public const string TracedNhsNumber = "Traced NHS number";
    public const string NhsNumber = "NHS number (not traced)";
    public const string CouncilId = "Council person id (no NHS number)";

    public const string Conflict = "Conflicting latest values, set to Unknown";
    public const string InferredFromServices = "Unknown, inferred from services";

    public const string EndBeforeStart = "Event end date before its start date";
    public const string NoRecordId = "No Der_Unique_Record_ID (file order breaks ties)";
}

/// <summary>Counts findings and keeps the first <see cref="MaxExamples"/> examples of each.</summary>
internal sealed class CldQualityTally
{
    public const int MaxExamples = 5;

    private readonly Dictionary<(string, string, string), (long Count, List<CldExample> Examples)> _lines = [];
    private readonly List<(string, string, string)> _order = [];

    public void Add(string section, string field, string category, string file, long row, string? value)
    {
        var key = (section, field, category);
        if (!_lines.TryGetValue(key, out var line))
        {
            line = (0, []);
            _order.Add(key);
        }
        if (line.Examples.Count < MaxExamples) line.Examples.Add(new CldExample(file, row, value));
        _lines[key] = (line.Count + 1, line.Examples);
    }

    /// <summary>A finding counted elsewhere (the per-column tallies, which are too hot for a keyed lookup per cell).</summary>
    public void AddCounted(string section, string field, string category, long count, List<CldExample> examples)
    {
        if (count == 0) return;
        var key = (section, field, category);
        _order.Add(key);
        _lines[key] = (count, examples);
    }

    public List<CldQualityLine> Lines()
    {
        // Field values first, in layout order and valid/mapped/invalid/missing order, then the other findings as met.
        static int CategoryOrder(string c) => c switch
        {
            CldQualityCategories.Valid => 0,
            CldQualityCategories.Mapped => 1,
            CldQualityCategories.Invalid => 2,
            _ => 3,
        };
        var fields = _order.Where(k => k.Item1 == CldQualitySections.FieldValues)
            .OrderBy(k => Reading.CldColumns.Names.ToList().IndexOf(k.Item2)).ThenBy(k => CategoryOrder(k.Item3));
        var others = _order.Where(k => k.Item1 != CldQualitySections.FieldValues);
        return fields.Concat(others).Select(k => new CldQualityLine(k.Item1, k.Item2, k.Item3, _lines[k].Count, _lines[k].Examples)).ToList();
    }
}
