using Forecasting.Store;
using Forecasting.Store.Import;

namespace Forecasting.Tests.Performance;

/// <summary>
/// A store holding a small extract of the performance tables, written here as CSV so every expected figure in the
/// tests can be worked out by hand from these rows.
/// </summary>
public sealed class PerformanceStore : IDisposable
{
    public const string Council = "E06000001";
    public const string OtherCouncil = "E06000002";
    public const string EmptyCouncil = "E06000003";

    public const string Councils = """
        council_code,name,region
        E06000001,Alderby,East Midlands
        E06000002,Brookfield,East Midlands
        E06000003,Cranmoor,East Midlands

        """;

    // Spend per line and year is worked out in BudgetQueriesTests.
    public const string Services = """
        council_code,service_id,person_id,service_type,start_date,end_date,planned_hours_per_week,weekly_cost,funding,psr,age_band,accommodation_status,locality
        E06000001,S1,P1,home_care,2023-01-01,2023-07-01,10,350.00,council_managed,physical_support,75-84,,
        E06000001,S2,P2,home_care,2023-10-15,,7,245.00,council_managed,physical_support,85+,,
        E06000001,S3,P3,residential,2022-06-01,2024-06-01,,700.00,council_managed,memory_and_cognition,85+,,
        E06000001,S5,P5,direct_payment,2024-09-01,2025-01-01,,140.00,direct_payment,physical_support,25-64,,
        E06000001,S6,P6,other_community,2025-02-01,,,70.00,council_managed,mental_health,25-64,,
        E06000002,S7,P7,home_care,2023-04-01,,5,1000.00,council_managed,physical_support,65-74,,

        """;

    public const string Budgets = """
        council_code,fy,service_line,budget,outturn,forecast_outturn
        E06000001,2023/24,home_care,1000000,1100000,
        E06000001,2023/24,residential,2000000,1900000,
        E06000001,2023/24,reablement,300000,310000,
        E06000001,2024/25,home_care,1200000,,1250000
        E06000001,2024/25,direct_payments,500000,,480000
        E06000001,2024/25,staffing,0,,0
        E06000001,2024/25,other,100000,,
        E06000002,2023/24,home_care,50,60,

        """;

    public const string Benchmarks = """
        council_code,measure,fy,comparator_type,comparator_code,comparator_name,value,source
        E06000001,ascof_1g,2022/23,council,E06000010,Alpha,70,ASCOF 2022/23
        E06000001,ascof_1g,2023/24,council,E06000011,Beta,75,ASCOF 2023/24
        E06000001,ascof_1g,2023/24,council,E06000010,Alpha,71,ASCOF 2023/24
        E06000001,ascof_1g,2023/24,quartile,median,Median,73,ASCOF 2023/24
        E06000001,ascof_1g,2023/24,england,england,England,76.1,ASCOF 2023/24
        E06000001,ascof_1g,2023/24,region,E12000004,East Midlands,74.5,ASCOF 2023/24
        E06000001,ascof_1g,2023/24,council,E06000001,Alderby,99,ASCOF 2023/24
        E06000001,ascof_2a2,2024/25,council,E06000010,Alpha,600,ASCOF 2024/25
        E06000002,ascof_1g,2024/25,council,E06000010,Alpha,80,ASCOF 2024/25

        """;

    public const string MeasureTargets = """
        council_code,measure,fy,version,target,amber_margin,created_at,author,reason
        E06000001,ascof_2a2,2024/25,1,653.2,20,2024-03-15 10:00:00,finance,Set with the 2024/25 budget
        E06000001,ascof_2a2,2023/24,1,700,25,2023-03-10 09:30:00,finance,Set with the 2023/24 budget
        E06000001,ascof_2b1,2024/25,1,90,2,2024-03-15 10:00:00,performance,ASCOF 2B(1) ambition
        E06000001,ascof_2b1,2024/25,3,88,2,2024-09-01 12:00:00,performance,Re-based after Q1
        E06000002,ascof_2a2,2024/25,1,500,10,2024-03-15 10:00:00,finance,Another council

        """;

    public PerformanceStore()
    {
        Directory = RepoPaths.TempDirectory();
        var extract = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "extract")).FullName;
        File.WriteAllText(Path.Combine(extract, "councils.csv"), Councils);
        File.WriteAllText(Path.Combine(extract, "services.csv"), Services);
        File.WriteAllText(Path.Combine(extract, "budgets.csv"), Budgets);
        File.WriteAllText(Path.Combine(extract, "benchmarks.csv"), Benchmarks);
        File.WriteAllText(Path.Combine(extract, "measure_targets.csv"), MeasureTargets);
        Extract = extract;
        Store = new ForecastingStore(new StoreOptions { Path = Path.Combine(Directory, "performance.duckdb") });
        Report = new DataImporter(Store).ImportDirectory(extract);
        if (!Report.Succeeded)
            throw new InvalidOperationException("fixture import failed: " + string.Join("; ", Report.Issues.Take(5)));
    }

    public string Directory { get; }
    public string Extract { get; }
    public ForecastingStore Store { get; }
    public ImportReport Report { get; }

    public void Dispose()
    {
        Store.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
