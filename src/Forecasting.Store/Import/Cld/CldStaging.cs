using DuckDB.NET.Data;
using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Reading;

namespace Forecasting.Store.Import.Cld;

/// <summary>What staging the CLD submissions of one import produced (counts only: the cleaned rows are in the staging tables).</summary>
internal sealed record CldStaged(long RowsRead, IReadOnlyList<string> Councils, long People, long QualityLines, long QualityExamples);

/// <summary>
/// The CLD part of an import: reads the submission files as one stream (the latest submission winning where periods
/// overlap), cleans them as the national code does, and loads the cleaned events, person details and quality report
/// into the staging tables stg_cld_*, from which the importer's one transaction swaps them in with every other table.
/// Unreadable input is an error (file, row, column, reason) and stages nothing; rows the national rules drop are not
/// errors: the quality report counts them, and the import's warnings list the invalid values and dropped rows.
/// </summary>
internal static class CldStaging
{
    public static CldStaged? Stage(DuckDBConnection connection, IReadOnlyList<ImportFileSpec> files, IssueLog issues, IReadOnlyCollection<string>? councils)
    {
        var errors = new Dictionary<(string File, string Column, string Reason), (long Count, List<ValidationIssue> Listed)>();
        void Error(CldReadError e)
        {
            var key = (e.File, e.Column, e.Reason);
            var entry = errors.TryGetValue(key, out var found) ? found : (0L, new List<ValidationIssue>());
            if (entry.Item2.Count < DataImporter.MaxIssuesPerRule) entry.Item2.Add(new ValidationIssue(IssueSeverity.Error, e.File, e.Row, e.Column, e.Reason, e.Value));
            errors[key] = (entry.Item1 + 1, entry.Item2);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        long read = 0;
        IEnumerable<CldRow> Scoped(IEnumerable<CldRow> rows)
        {
            foreach (var row in rows)
            {
                read++;
                var council = row[CldColumns.LaCode]!.Trim();
                if (councils is not null && !councils.Contains(council))
                {
                    Error(new CldReadError(row.File, row.Line, "LA_Code", $"not a council this key may import; it may import: {string.Join(", ", councils)}", council));
                    continue;
                }
                seen.Add(council);
                yield return row;
            }
        }

        CldCleanResult result;
        try
        {
            var (periods, rows) = CldSubmissions.Open(files.Select(f => new CldFile(f.Path, f.Name)).ToList(), Error);
            result = CldPipeline.Clean(Scoped(rows), periods);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or NotSupportedException)
        {
            // A file that is not CSV or Parquet at all: the reader's words can name internals, so the report says what failed.
            issues.Add(new ValidationIssue(IssueSeverity.Error, files.Count == 1 ? files[0].Name : "", 0, "", "cannot read the CLD file: it is not a readable CSV or Parquet file in the CLD layout", null));
            return null;
        }
        foreach (var ((file, column, reason), (count, listed)) in errors) issues.AddRule(IssueSeverity.Error, file, column, reason, listed, count);
        if (errors.Count > 0) return null;
        if (read == 0)
            issues.Add(new ValidationIssue(IssueSeverity.Warning, files[0].Name, 0, "", "the CLD files have no rows: they replace nothing, since rows are replaced per council found in the files", null));

        // Cleaning leaves its working set (the unique-event map, the sort) as garbage: hand it back before DuckDB
        // stages the events, so the peak is the result plus DuckDB's cap rather than the cleaning's garbage as well.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Warn(result.Quality, issues);
        var councilsFound = seen.Order(StringComparer.Ordinal).ToList();
        Load(connection, result, councilsFound);
        var staged = new CldStaged(read, councilsFound, result.PeopleList.Count, result.Quality.Lines.Count * (long)councilsFound.Count,
            result.Quality.Lines.Sum(l => l.Examples.Count) * (long)councilsFound.Count);
        result = null!;
        // The cleaned events (about 0.7 KB each) are in DuckDB now: hand their memory back before DuckDB derives,
        // swaps and copies within its own cap, so the two do not add up in the import's peak.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return staged;
    }

    /// <summary>The findings a council acts on become the import's warnings, with their first rows.</summary>
    private static void Warn(CldQualityReport quality, IssueLog issues)
    {
        foreach (var line in quality.Lines)
        {
            var reason = line.Section switch
            {
                CldQualitySections.FieldValues when line.Category == CldQualityCategories.Invalid => "not a Release 1 or Release 2 value: kept as 'Invalid and not mapped'",
                CldQualitySections.Dropped => $"row left out by the national rules: {line.Category}",
                CldQualitySections.Checks => line.Category,
                _ => null,
            };
            if (reason is null) continue;
            var listed = line.Examples.Select(e => new ValidationIssue(IssueSeverity.Warning, e.File, e.Row, line.Field, reason, e.Value)).ToList();
            issues.AddRule(IssueSeverity.Warning, listed.FirstOrDefault()?.File ?? "", line.Field, reason, listed, line.Count);
        }
    }

    private static void Load(DuckDBConnection connection, CldCleanResult result, IReadOnlyList<string> councils)
    {
        foreach (var table in CldTables.Names)
            ForecastingStore.Execute(connection, $"CREATE OR REPLACE TEMP TABLE stg_{table} AS SELECT * FROM main.{table} LIMIT 0");

        using (var appender = connection.CreateAppender("temp", "main", "stg_" + CldTables.Events))
        {
            for (var i = 0; i < result.Events.Count; i++)
            {
                var e = result.Events[i];
                var linked = e.LinkedPersonIds;
                appender.CreateRow()
                    .AppendValue(e.CouncilCode).AppendValue(result.EventKeys[i]).AppendValue(e.RecordId).AppendValue(e.PersonId).AppendValue(e.LaPersonId)
                    .AppendValue(e.ClientType).AppendValue(e.EventType).AppendValue(e.StartDate).AppendValue(e.EndDate).AppendValue(e.EventOutcome)
                    .AppendValue(e.OutcomeHierarchy).AppendValue(e.RouteOfAccess).AppendValue(e.AssessmentType).AppendValue(e.EligibleNeedsIdentified)
                    .AppendValue(e.ServiceType).AppendValue(e.ServiceComponent).AppendValue(e.DeliveryMechanism).AppendValue((double?)e.UnitCost)
                    .AppendValue(e.CostFrequencyUnitType).AppendValue((double?)e.PlannedUnitsPerWeek).AppendValue(e.ReviewReason)
                    .AppendValue(e.ReviewOutcomesAchieved).AppendValue(e.TotalHoursCaringPerWeek)
                    .AppendValue(linked.Count > 0 ? linked[0] : null).AppendValue(linked.Count > 1 ? linked[1] : null).AppendValue(linked.Count > 2 ? linked[2] : null)
                    .AppendValue(e.BirthYear).AppendValue(e.BirthMonth).AppendValue(e.DateOfDeath).AppendValue(e.Gender).AppendValue(e.PrimarySupportReason)
                    .AppendValue(e.AccommodationStatus)
                    .EndRow();
            }
        }
        using (var appender = connection.CreateAppender("temp", "main", "stg_" + CldTables.People))
        {
            foreach (var p in result.PeopleList)
                appender.CreateRow()
                    .AppendValue(p.CouncilCode).AppendValue(p.PersonId).AppendValue(p.LaPersonId).AppendValue(p.BirthDate).AppendValue(p.DateOfDeath)
                    .AppendValue(p.Gender).AppendValue(p.PrimarySupportReason).AppendValue(p.AccommodationStatus).AppendValue(p.HasUnpaidCarer)
                    .AppendValue(p.ClientType)
                    .EndRow();
        }
        // The report covers the whole import; each council found in the files gets it as its latest report.
        using (var lines = connection.CreateAppender("temp", "main", "stg_" + CldTables.Quality))
        using (var examples = connection.CreateAppender("temp", "main", "stg_" + CldTables.QualityExamples))
        {
            foreach (var council in councils)
                for (var n = 0; n < result.Quality.Lines.Count; n++)
                {
                    var line = result.Quality.Lines[n];
                    lines.CreateRow().AppendValue(council).AppendValue(n + 1).AppendValue(line.Section).AppendValue(line.Field).AppendValue(line.Category)
                        .AppendValue(line.Count).EndRow();
                    for (var x = 0; x < line.Examples.Count; x++)
                        examples.CreateRow().AppendValue(council).AppendValue(n + 1).AppendValue(x + 1).AppendValue(line.Examples[x].File)
                            .AppendValue(line.Examples[x].Row).AppendValue(line.Examples[x].Value).EndRow();
                }
        }
    }

    /// <summary>Rows read per derived table, for the import report.</summary>
    public static IEnumerable<(string Table, long Rows)> Counts(CldStaged staged) =>
    [
        (CldTables.Events, staged.RowsRead),
        (CldTables.People, staged.People),
        (CldTables.Quality, staged.QualityLines),
        (CldTables.QualityExamples, staged.QualityExamples),
    ];
}
