using Forecasting.Cld.Cleaning;

namespace Forecasting.Cld.Reading;

/// <summary>A CLD file to import: its path and the name reports give it.</summary>
public sealed record CldFile(string Path, string Name);

/// <summary>
/// Several quarterly submissions read as one stream of rows. Each file is one submission: its rows state one
/// reporting period (the first data row's), which says which submission is the latest where periods overlap.
/// </summary>
public static class CldSubmissions
{
    /// <summary>
    /// The period of every file (read from its first row) and the rows of all files in the order given. A file without
    /// a period, or a row stating another period than its file's first row, is an error.
    /// </summary>
    public static (IReadOnlyList<CldSubmissionPeriod> Periods, IEnumerable<CldRow> Rows) Open(IReadOnlyList<CldFile> files, Action<CldReadError> errors)
    {
        var periods = new List<CldSubmissionPeriod>();
        for (var i = 0; i < files.Count; i++)
        {
            // The full read below reports the file's errors; this peek only wants the first readable row.
            var first = CldFileReader.Read(files[i].Path, files[i].Name, i, _ => { }).FirstOrDefault();
            if (first is null) continue;
            if (first.PeriodStart is { } start && first.PeriodEnd is { } end && start <= end)
                periods.Add(new CldSubmissionPeriod(i, files[i].Name, start, end));
            else
                errors(new CldReadError(files[i].Name, first.Line, "Reporting_Period_Start_Date",
                    "required: the period the submission covers (start on or before end), which says which submission is the latest", null));
        }
        return (periods, Rows(files, periods, errors));
    }

    private static IEnumerable<CldRow> Rows(IReadOnlyList<CldFile> files, List<CldSubmissionPeriod> periods, Action<CldReadError> errors)
    {
        for (var i = 0; i < files.Count; i++)
        {
            var period = periods.FirstOrDefault(p => p.Submission == i);
            foreach (var row in CldFileReader.Read(files[i].Path, files[i].Name, i, errors))
            {
                if (period is not null && (row.PeriodStart != period.Start || row.PeriodEnd != period.End))
                {
                    errors(new CldReadError(files[i].Name, row.Line, row.PeriodStart != period.Start ? "Reporting_Period_Start_Date" : "Reporting_Period_End_Date",
                        $"the reporting period differs from the file's first row ({period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd}): a file is one submission",
                        $"{row.PeriodStart:yyyy-MM-dd} to {row.PeriodEnd:yyyy-MM-dd}"));
                    continue;
                }
                yield return row;
            }
        }
    }
}
