using DuckDB.NET.Data;
using Forecasting.Planning;

namespace Forecasting.Store.Planning;

/// <summary>What the prevalence cross-check of one result reads: rates, ratios and population, and the schemes and pipeline the run counted.</summary>
public sealed record PrevalenceInputs(PrevalenceData Data, IReadOnlyList<SchemeStock> Schemes, IReadOnlyList<PipelineScheme> Pipeline, string? SnapshotId);

/// <summary>Reads the prevalence cross-check's data for one council: rates, planning ratios and the population by adult age band.</summary>
public sealed class PrevalenceDataLoader(ForecastingStore store)
{
    /// <summary>Everything the check of a result needs, on one connection (one snapshot); the schemes and pipeline as of <paramref name="asOf"/>.</summary>
    public PrevalenceInputs Load(string councilCode, DateOnly asOf)
    {
        using var connection = store.Open();
        var data = Read(connection, councilCode);
        // The same schemes and pipeline the run counted: the baseline's, as of the result's date.
        var baseline = new PlanningDataLoader(connection).Load(councilCode, asOf);
        return new PrevalenceInputs(data, baseline.Schemes, baseline.Pipeline, ForecastingStore.CurrentSnapshotId(connection));
    }

    private static PrevalenceData Read(DuckDBConnection connection, string councilCode)
    {
        var c = ("c", (object?)councilCode);
        var rates = Db.Query(connection, """
            SELECT client_group, condition, age_band, rate, unit, source FROM prevalence_rates
            WHERE council_code = $c ORDER BY client_group, condition, age_band
            """, r => new PrevalenceRate(r.GetString(0), r.GetString(1), r.GetString(2), Db.Double(r, 3), r.GetString(4), r.GetString(5)), c);
        var benchmarks = Db.Query(connection, """
            SELECT measure, client_group, value, source FROM accommodation_benchmarks
            WHERE council_code = $c ORDER BY measure, client_group
            """, r => new AccommodationBenchmark(r.GetString(0), Db.NullableString(r, 1), Db.Double(r, 2), r.GetString(3)), c);
        var bands = string.Join(", ", PrevalenceCheck.AgeBands.Select(b => $"'{b}'"));
        var population = Db.Query(connection, $"""
            SELECT variant, source, year, age_band, population FROM population
            WHERE council_code = $c AND age_band IN ({bands}) ORDER BY variant, source, year, age_band
            """, r => new BandPopulation(r.GetString(0), r.GetString(1), (int)Db.Long(r, 2), r.GetString(3), Db.Double(r, 4)), c);
        return new PrevalenceData(rates, benchmarks, population);
    }
}
