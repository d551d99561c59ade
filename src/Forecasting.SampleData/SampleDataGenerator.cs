using Forecasting.SampleData.Domains;
using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData;

/// <summary>Builds every table of the Harbridge sample from one seed and writes one CSV per store table.</summary>
public static class SampleDataGenerator
{
    public const int DefaultSeed = 20250331;

    public static IReadOnlyList<CsvTable> BuildGoodSample(int seed = DefaultSeed)
    {
        var localities = new Localities();
        var population = new PopulationGenerator(seed);

        var admissions = new AdmissionGenerator(seed, localities, population);
        admissions.Generate();

        var supply = new SupplyGenerator(seed, localities);
        supply.Generate();
        supply.HouseResidentialLeavers(admissions.Leavers);
        supply.AssignTenantIds();

        var waitingList = new WaitingListGenerator(seed);
        waitingList.Generate(supply.Tenancies);

        // Performance domains: derived from the admissions and tenancies above, never changing them.
        var services = new ServiceGenerator(seed, localities);
        services.Generate(admissions.Admissions, admissions.Leavers, supply.Tenancies);
        var reablement = new ReablementGenerator(seed);
        reablement.Generate();
        var safeguarding = new SafeguardingGenerator(seed);

        return new[]
        {
            Council.Table(),
            localities.Table(),
            new ContactGenerator(seed, localities).Generate(),
            admissions.AdmissionsTable(),
            admissions.LeaversTable(),
            new TransitionGenerator(seed, localities).Generate(),
            supply.SchemesTable(),
            supply.UnitsTable(),
            supply.UnitStatusTable(),
            supply.TenanciesTable(),
            PipelineGenerator.Table(),
            waitingList.Table(),
            new AccommodationNeedsGenerator(seed).Generate(),
            population.Table(),
            StrategyGenerator.StrategiesTable(),
            StrategyGenerator.PhasesTable(),
            services.Table(),
            new AssessmentGenerator(seed).Generate(),
            new ReviewGenerator(seed).Generate(services.Episodes),
            reablement.ReablementTable(),
            reablement.DischargesTable(admissions.Admissions),
            safeguarding.DolsTable(),
            safeguarding.SafeguardingTable(),
            new FinanceGenerator(seed).Generate(services.Episodes, reablement.Episodes),
            BenchmarkGenerator.BenchmarksTable(seed),
            BenchmarkGenerator.TargetsTable(),
            PrevalenceGenerator.RatesTable(),
            PrevalenceGenerator.BenchmarksTable(),
            CostAssumptionsGenerator.Table(),
        }.Concat(PublishedDataGenerator.Tables(population, BenchmarkGenerator.BenchmarksTable(seed))).ToList();
    }

    /// <summary>Writes the Harbridge sample in the national CLD layout (data-samples/harbridge-cld); returns the written paths.</summary>
    public static IReadOnlyList<string> WriteCldSample(string directory, int seed = DefaultSeed) =>
        new CldSampleGenerator(seed).Build().Select(t => t.WriteTo(directory)).ToList();

    /// <summary>Writes the good sample into <paramref name="directory"/>; returns the written paths.</summary>
    public static IReadOnlyList<string> WriteGoodSample(string directory, int seed = DefaultSeed) =>
        BuildGoodSample(seed).Select(t => t.WriteTo(directory)).ToList();
}
