using CultureInfo = System.Globalization.CultureInfo;
using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// Published comparator values (benchmarks.csv) and the council's versioned targets (measure_targets.csv).
/// Benchmarks: for 2023/24 and 2024/25 and seven ASCOF measures, 15 invented comparator councils (codes E06009001
/// to E06009015), the East Midlands region, England and, for the measures whose national quartiles are published,
/// the lower quartile, median and upper quartile. Each measure's values scatter around an England level close to the
/// published national figure (2A(1) about 14.6 per 100,000, 2A(2) about 566, 2B(1) about 83.8%, 1G about 80%, 2D
/// about 77.5%, 1C(2) about 26%) with the spread between councils seen in the published tables.
/// Targets: version 1 for 2024/25 and 2025/26 from the council's business plan, with an amber margin of 5% of the
/// target; the 2024/25 waiting-for-assessment target has a version 2, raised at Q2 with its reason.
/// </summary>
public static class BenchmarkGenerator
{
    private sealed record Spec(string Measure, double England, double Spread, double Drift, bool Quartiles, double Min, double Max);

    private static readonly Spec[] Specs =
    {
        new("ascof_1c1", 41.0, 7.0, 0.8, false, 5, 95),
        new("ascof_1c2", 26.0, 6.0, 0.5, true, 5, 60),
        new("ascof_1g", 80.2, 5.5, 0.3, true, 50, 97),
        new("ascof_2a1", 14.6, 4.5, -0.3, true, 3, 40),
        new("ascof_2a2", 566.0, 125.0, -8.0, true, 250, 1_000),
        new("ascof_2b1", 83.8, 4.5, 0.4, true, 65, 97),
        new("ascof_2d", 77.5, 7.5, 0.5, false, 45, 97),
    };

    private static readonly string[] ComparatorNames =
    {
        "Ashworth City Council", "Brackenford City Council", "Castlemere Borough Council", "Dunholme City Council",
        "Eastwick Borough Council", "Fellbridge City Council", "Greyhaven City Council", "Holtby Borough Council",
        "Ironbridge Vale Council", "Kingsmoor City Council", "Lanchester City Council", "Millbrook Borough Council",
        "Northam City Council", "Oxendale Borough Council", "Redcastle City Council",
    };

    public const string RegionCode = "E12000004";
    public const string RegionName = "East Midlands";

    public static readonly int[] Years = { 2023, 2024 };

    private static string V(double value) => Math.Round(value, 1).ToString("0.0", CultureInfo.InvariantCulture);

    public static CsvTable BenchmarksTable(int seed)
    {
        var rng = Rng.For(seed, "benchmarks");
        var table = new CsvTable("benchmarks.csv", "council_code", "measure", "fy", "comparator_type", "comparator_code", "comparator_name",
            "value", "source");
        foreach (var spec in Specs)
        {
            // Each comparator council keeps its position relative to England from one year to the next, with some noise.
            var position = ComparatorNames.Select(_ => rng.Normal()).ToArray();
            foreach (var fy in Years)
            {
                var source = $"ASCOF {Calendar.FyLabel(fy)} (NHS England)";
                var england = spec.England + spec.Drift * (fy - Years[0]);
                double Clamp(double v) => Math.Clamp(v, spec.Min, spec.Max);
                var label = Calendar.FyLabel(fy);
                for (var i = 0; i < ComparatorNames.Length; i++)
                {
                    var value = Clamp(england + spec.Spread * (0.9 * position[i] + 0.35 * rng.Normal()));
                    table.Add(Council.Code, spec.Measure, label, "council", $"E06009{i + 1:000}", ComparatorNames[i], V(value), source);
                }
                table.Add(Council.Code, spec.Measure, label, "region", RegionCode, RegionName, V(Clamp(england + spec.Spread * 0.3 * rng.Normal())), source);
                table.Add(Council.Code, spec.Measure, label, "england", "england", "England", V(england), source);
                if (!spec.Quartiles) continue;
                var skew = spec.Spread * 0.05 * rng.Normal();
                table.Add(Council.Code, spec.Measure, label, "quartile", "lower_quartile", "Lower quartile (England)", V(Clamp(england - 0.674 * spec.Spread + skew)), source);
                table.Add(Council.Code, spec.Measure, label, "quartile", "median", "Median (England)", V(Clamp(england + skew)), source);
                table.Add(Council.Code, spec.Measure, label, "quartile", "upper_quartile", "Upper quartile (England)", V(Clamp(england + 0.674 * spec.Spread + skew)), source);
            }
        }
        return table;
    }

    private static readonly (string Measure, double Target2024, double Target2025)[] Targets =
    {
        ("ascof_2a1", 15.0, 15.0),
        ("ascof_2a2", 653.2, 640.0),
        ("ascof_2b1", 90.0, 90.0),
        ("ascof_1g", 78.0, 79.0),
        ("ascof_1c2", 28.0, 30.0),
        ("reviewed_this_year", 60.0, 65.0),
        ("waiting_for_assessment", 350.0, 330.0),
        ("care_home_residents_65", 530.0, 520.0),
    };

    public const string TargetAuthor = "Harbridge Adult Social Care Performance Board";

    public static CsvTable TargetsTable()
    {
        var table = new CsvTable("measure_targets.csv", "council_code", "measure", "fy", "version", "target", "amber_margin", "created_at", "author", "reason");
        string Number(double v) => v.ToString("0.0##", CultureInfo.InvariantCulture);
        foreach (var (measure, t2024, t2025) in Targets)
        {
            table.Add(Council.Code, measure, Calendar.FyLabel(2024), "1", Number(t2024), Number(Math.Round(t2024 * 0.05, 3)), "2024-03-12 09:30:00",
                TargetAuthor, "Business plan 2024/25 targets approved by the Adult Social Care Performance Board");
            table.Add(Council.Code, measure, Calendar.FyLabel(2025), "1", Number(t2025), Number(Math.Round(t2025 * 0.05, 3)), "2025-03-11 09:30:00",
                TargetAuthor, "Business plan 2025/26 targets approved by the Adult Social Care Performance Board");
        }
        table.Add(Council.Code, "waiting_for_assessment", Calendar.FyLabel(2024), "2", Number(400), Number(20), "2024-10-08 14:00:00", TargetAuthor,
            "Raised at Q2 from 350 to 400: assessment requests ran 8% above plan and two assessor posts stayed vacant until January");
        return table;
    }
}
