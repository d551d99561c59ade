using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Measures;
using Forecasting.Domain;
using Forecasting.Store.Analytics;
using Forecasting.Store.Import.Cld;
using Forecasting.Store.Performance;

namespace Forecasting.Application.Performance;

/// <param name="PopulationSource">Where the 2B/2C denominators came from (null when the store has no population for the year).</param>
public sealed record NationalMeasuresAnswer(string CouncilCode, NationalMeasuresReport Report, string? PopulationSource, string? SnapshotId);

/// <summary>
/// The national measures of a council's imported Client Level Data (see <see cref="NationalMeasures"/>) and its
/// data-quality report.
/// </summary>
public sealed class NationalMeasuresUseCases(CldStore cld, AscofPopulation population, AnalyticsQueries analytics)
{
    /// <param name="financialYear">A label like 2024/25; null = the latest financial year the CLD reaches.</param>
    public NationalMeasuresAnswer Measures(string council, string? financialYear, CancellationToken ct)
    {
        var fy = FinancialYear.ParseOptional(financialYear, "financial_year");
        var data = cld.Load(council);
        if (data.Events.Count == 0)
            throw new NoDataException($"council {council} has no Client Level Data: import a CLD submission (cld_*.csv or .parquet) first");
        ct.ThrowIfCancellationRequested();
        var year = fy ?? FinancialYear.Of(data.Events.Max(e => e.StartDate));
        var pop = population.For(council, year);
        var report = NationalMeasures.Compute(data.Events, data.People, year, pop?.Population, ct: ct);
        return new NationalMeasuresAnswer(council, report, pop?.Source, analytics.CurrentSnapshotId());
    }

    public IReadOnlyList<CldQualityLine> Quality(string council)
    {
        var lines = cld.Quality(council);
        return lines.Count > 0 ? lines : throw new NoDataException($"council {council} has no Client Level Data quality report: import a CLD submission first");
    }
}
