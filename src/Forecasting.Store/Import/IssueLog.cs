namespace Forecasting.Store.Import;

/// <summary>
/// The issues of one import, bounded: each rule contributes at most the rows it was given (the
/// importer reads the first <see cref="DataImporter.MaxIssuesPerRule"/>) plus an exact count.
/// </summary>
internal sealed class IssueLog
{
    private readonly List<ValidationIssue> _listed = [];
    private readonly List<IssueSummary> _summaries = [];

    public long ErrorCount { get; private set; }
    public long WarningCount { get; private set; }
    public bool HasErrors => ErrorCount > 0;

    /// <summary>Issues recorded so far, counted (not only listed).</summary>
    public long Count => ErrorCount + WarningCount;

    public List<TableChange> Changes { get; set; } = [];

    public IReadOnlyList<IssueSummary> Summaries => _summaries;

    public void Add(ValidationIssue issue) => AddRule(issue.Severity, issue.File, issue.Column, issue.Reason, [issue], 1);

    public void AddRule(IssueSeverity severity, string file, string column, string rule, IReadOnlyList<ValidationIssue> listed, long count)
    {
        if (count <= 0) return;
        _listed.AddRange(listed);
        if (severity == IssueSeverity.Error) ErrorCount += count; else WarningCount += count;
        var existing = _summaries.FindIndex(s => s.Severity == severity && s.File == file && s.Column == column && s.Rule == rule);
        if (existing >= 0)
            _summaries[existing] = _summaries[existing] with { Count = _summaries[existing].Count + count, Listed = _summaries[existing].Listed + listed.Count };
        else
            _summaries.Add(new IssueSummary(severity, file, column, rule, count, listed.Count));
    }

    /// <summary>Errors first, then by file and line, at most <paramref name="max"/>.</summary>
    public List<ValidationIssue> Listed(int max) =>
        _listed.OrderBy(i => i.Severity).ThenBy(i => i.File, StringComparer.Ordinal).ThenBy(i => i.Row).Take(max).ToList();
}
