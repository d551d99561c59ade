namespace Forecasting.Store.Import.Published;

/// <summary>
/// The issues found while reading published files, grouped by file, column and rule like the importer's own: every
/// issue is counted, the first <see cref="DataImporter.MaxIssuesPerRule"/> of each rule are listed.
/// </summary>
public sealed class PublishedIssues
{
    private readonly Dictionary<(IssueSeverity Severity, string File, string Column, string Rule), (List<ValidationIssue> Listed, long Count)> _rules = [];
    private readonly List<(IssueSeverity Severity, string File, string Column, string Rule)> _order = [];

    public bool HasErrors => ErrorCount > 0;

    public long ErrorCount => _rules.Where(r => r.Key.Severity == IssueSeverity.Error).Sum(r => r.Value.Count);

    public void Error(string file, long row, string column, string rule, string? value = null) =>
        Add(IssueSeverity.Error, file, row, column, rule, value);

    public void Warning(string file, long row, string column, string rule, string? value = null) =>
        Add(IssueSeverity.Warning, file, row, column, rule, value);

    private void Add(IssueSeverity severity, string file, long row, string column, string rule, string? value)
    {
        var key = (severity, file, column, rule);
        if (!_rules.TryGetValue(key, out var entry))
        {
            entry = ([], 0);
            _order.Add(key);
        }
        if (entry.Listed.Count < DataImporter.MaxIssuesPerRule)
            entry.Listed.Add(new ValidationIssue(severity, file, row, column, rule, value is { Length: > 200 } ? value[..200] + "..." : value));
        _rules[key] = (entry.Listed, entry.Count + 1);
    }

    /// <summary>Every issue, rule by rule in the order first seen.</summary>
    public IEnumerable<ValidationIssue> All => _order.SelectMany(k => _rules[k].Listed);

    internal void CopyTo(IssueLog log)
    {
        foreach (var key in _order)
        {
            var (listed, count) = _rules[key];
            log.AddRule(key.Severity, key.File, key.Column, key.Rule, listed, count);
        }
    }
}
