using Forecasting.Cld.Model;

namespace Forecasting.Cld.Measures;

/// <summary>One financial year of the national measures of one council, computed from its cleaned CLD.</summary>
public sealed record NationalMeasuresReport(
    int FinancialYear,
    DateOnly DataStart,
    DateOnly DataEnd,
    IReadOnlyList<CldMeasureResult> Measures,
    IReadOnlyList<CldTable> Tables,
    WaitingTimesResult WaitingTimes,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Every national measure of one year, each by its own documented chain of steps (one type per measure): ASCOF 2A,
/// 2B and 2C (with the population of the year), 2D (the local variant, its period as <see cref="Ascof2DLocal.ReportingPeriod"/>
/// gives it), 2E with its learning-disability variant, 3D, SALT LTS001a and LTS001b, STS001, LTS003 and the waiting times.
/// </summary>
public static class NationalMeasures
{
    public static NationalMeasuresReport Compute(IReadOnlyList<CldEvent> events, IReadOnlyDictionary<string, CldPerson> people, int financialYear,
        CldPopulation? population, DateOnly? reportingEnd = null, CancellationToken ct = default)
    {
        if (events.Count == 0) throw new ArgumentException("no CLD events", nameof(events));
        var dataStart = events.Min(e => e.StartDate);
        // The submissions' reporting end when known; else the latest date any event carries.
        var dataEnd = reportingEnd ?? events.Max(e => e.EndDate is { } end && end > e.StartDate ? end : e.StartDate);
        var warnings = new List<string>();
        var measures = new List<CldMeasureResult> { Ascof2A.Compute(events, people, financialYear) };
        if (population is { } p)
        {
            var (b, c) = Ascof2B2C.Compute(events, people, financialYear, p);
            measures.Add(b);
            measures.Add(c);
        }
        else warnings.Add($"ASCOF 2B and 2C not computed: no population aged 18-64 and 65+ for {Forecasting.Domain.FinancialYear.Label(financialYear)}");
        ct.ThrowIfCancellationRequested();
        var (from, to) = Ascof2DLocal.ReportingPeriod(financialYear, dataEnd);
        var (part1, part2) = Ascof2DLocal.Compute(events, people, from, to);
        measures.Add(part1);
        measures.Add(part2);
        ct.ThrowIfCancellationRequested();
        measures.AddRange(Ascof2E.Compute(events, people, financialYear, learningDisability: false));
        measures.AddRange(Ascof2E.Compute(events, people, financialYear, learningDisability: true));
        ct.ThrowIfCancellationRequested();
        measures.AddRange(Ascof3D.Compute(events, people, financialYear));
        ct.ThrowIfCancellationRequested();
        var tables = new List<CldTable>
        {
            SaltLts001.DuringYear(events, financialYear),
            SaltLts001.AtYearEnd(events, financialYear),
            SaltSts001.Compute(events, financialYear),
            SaltLts003.Compute(events, financialYear),
        };
        var (yearStart, yearEnd) = CldTerms.Year(financialYear);
        if (yearStart < dataStart || yearEnd > dataEnd)
            warnings.Add($"the CLD data run from {dataStart:yyyy-MM-dd} to {dataEnd:yyyy-MM-dd}: {Forecasting.Domain.FinancialYear.Label(financialYear)} is not wholly inside them, so its figures are partial");
        return new NationalMeasuresReport(financialYear, dataStart, dataEnd, measures, tables, WaitingTimes.Compute(events, people, financialYear), warnings);
    }
}
