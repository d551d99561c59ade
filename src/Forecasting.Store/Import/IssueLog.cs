namespace Forecasting.Store.Import;

/// <summary>
/// The issues of one import, bounded: each rule contributes at most the rows it was given (the
/// importer reads the first <see cref="DataImporter.MaxIssuesPerRule"/>) plus an exact count.
/// </summary>
internal sealed class IssueLog
{
    private readonly List<(ValidationIssue Issue, int Rule)> _listed = [];
    private readonly List<IssueSummary> _summaries = [];

    public long ErrorCount { get; private set; }
    public long WarningCount { get; private set; }
    public bool HasErrors => ErrorCount > 0;

    /// <summary>Issues recorded so far, counted (not only listed).</summary>
    public long Count => ErrorCount + WarningCount;

    public List<TableChange> Changes { get; set; } = [];

    /// <summary>Per rule, with Listed counting only issues that survive the report's overall cap.</summary>
    public IReadOnlyList<IssueSummary> Summaries(int max)
    {
        var kept = Ordered().Take(max).GroupBy(x => x.Rule).ToDictionary(g => g.Key, g => g.Count());
        return _summaries.Select((s, i) => s with { Listed = kept.GetValueOrDefault(i) }).ToList();
    }

    public void Add(ValidationIssue issue) => AddRule(issue.Severity, issue.File, issue.Column, issue.Reason, [issue], 1);

    public void AddRule(IssueSeverity severity, string file, string column, string rule, IReadOnlyList<ValidationIssue> listed, long count)
    {
        if (count <= 0) return;
        if (severity == IssueSeverity.Error) ErrorCount += count; else WarningCount += count;
        var index = _summaries.FindIndex(s => s.Severity == severity && s.File == file && s.Column == column && s.Rule == rule);
        if (index >= 0)
            _summaries[index] = _summaries[index] with { Count = _summaries[index].Count + count };
        else
        {
            index = _summaries.Count;
            _summaries.Add(new IssueSummary(severity, file, column, rule, count, 0));
        }
        _listed.AddRange(listed.Select(i => (i, index)));
    }

    /// <summary>Errors first, then by file and line, at most <paramref name="max"/>.</summary>
    public List<ValidationIssue> Listed(int max) => Ordered().Take(max).Select(x => x.Issue).ToList();

    private IEnumerable<(ValidationIssue Issue, int Rule)> Ordered() =>
        _listed.OrderBy(x => x.Issue.Severity).ThenBy(x => x.Issue.File, StringComparer.Ordinal).ThenBy(x => x.Issue.Row);
}
