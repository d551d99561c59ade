using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// Requests for a Care Act assessment (assessments.csv) from April 2021, when the sample's case records start:
/// about 4,300 a year with a winter peak. Urgent requests are assessed within a week and high-priority ones within a
/// couple of weeks; standard requests wait a skewed time whose median follows the team's capacity: it lengthens
/// through 2023/24 (about 460 people waiting at 31 March 2024), falls after extra assessors join in spring 2024
/// (about 330 at 30 September 2024) and rises again in the winter (about 390 at 31 December 2024). Requests not
/// completed by 31 March 2025 are still open (no completion date, no outcome). A request is allocated to a named worker
/// part of the way to its start (urgent ones the day they arrive), and an eligible person's support begins about ten
/// days after the assessment.
/// </summary>
public sealed class AssessmentGenerator
{
    public static readonly DateOnly FirstRequest = new(2021, 4, 1);

    private const double RequestsPerYear = 4_300;

    // April..March.
    private static readonly double[] Seasonal = { 0.92, 0.94, 0.95, 0.98, 0.92, 0.98, 1.04, 1.06, 0.98, 1.10, 1.06, 1.07 };

    /// <summary>Median wait in days of a standard-priority request, by date received (linear between the points).</summary>
    private static readonly (DateOnly Date, double Median)[] StandardMedian =
    {
        (new(2021, 4, 1), 23), (new(2022, 4, 1), 26), (new(2023, 4, 1), 31), (new(2023, 12, 1), 37), (new(2024, 3, 1), 31),
        (new(2024, 5, 15), 22), (new(2024, 8, 15), 26), (new(2024, 11, 15), 32), (new(2025, 3, 31), 27),
    };

    private static readonly Weighted<string> Priority = new(("urgent", 10), ("high", 25), ("standard", 65));
    private static readonly Weighted<string> Outcome = new(("eligible", 60), ("not_eligible", 31), ("withdrawn", 9));
    private static readonly Weighted<string?> AgeBand = new(("18-24", 4), ("25-64", 26), ("65-74", 17), ("75-84", 25), ("85+", 25), (null, 3));
    private static readonly Weighted<string?> Psr = new(("physical_support", 46), ("memory_and_cognition", 18), ("mental_health", 12),
        ("learning_disability", 5), ("sensory_support", 4), ("social_support", 7), (null, 8));

    private readonly int _seed;

    public AssessmentGenerator(int seed) => _seed = seed;

    public static double MedianWait(DateOnly received)
    {
        if (received <= StandardMedian[0].Date) return StandardMedian[0].Median;
        for (var i = 1; i < StandardMedian.Length; i++)
        {
            var (d1, m1) = StandardMedian[i];
            if (received > d1) continue;
            var (d0, m0) = StandardMedian[i - 1];
            return m0 + (m1 - m0) * (received.DayNumber - d0.DayNumber) / (double)(d1.DayNumber - d0.DayNumber);
        }
        return StandardMedian[^1].Median;
    }

    public CsvTable Generate()
    {
        var rng = Rng.For(_seed, "assessments");
        // Allocation and the start of support come from a stream of their own, so the other columns keep their values.
        var follow = Rng.For(_seed, "assessment-allocation");
        var table = new CsvTable("assessments.csv", "council_code", "assessment_id", "person_id", "received_date", "allocated_date", "start_date",
            "completed_date", "outcome", "support_start_date", "priority", "age_band", "psr");
        var n = 1;
        foreach (var month in Calendar.HistoryMonths().Where(m => m >= FirstRequest))
        {
            var count = rng.Poisson(RequestsPerYear / 12.0 * Seasonal[(month.Month + 8) % 12]);
            var received = Enumerable.Range(0, count).Select(_ => month.AddDays(rng.Next(0, DateTime.DaysInMonth(month.Year, month.Month))))
                .Order().ToList();
            foreach (var day in received)
            {
                var priority = Priority.Pick(rng);
                var wait = priority switch
                {
                    "urgent" => rng.Next(0, 8),
                    "high" => 1 + (int)rng.Exponential(11),
                    _ => Math.Max(1, (int)Math.Round(MedianWait(day) * Math.Exp(0.9 * rng.Normal()))),
                };
                var completed = day.AddDays(wait);
                var started = day.AddDays((int)(wait * rng.Uniform(0.15, 0.85)));
                var done = completed <= Calendar.HistoryEnd;
                var outcome = done ? Outcome.Pick(rng) : null;
                // Allocated to a named worker part of the way to the assessment's start: the same day when urgent.
                var allocated = priority == "urgent" ? day : day.AddDays((int)Math.Round((started.DayNumber - day.DayNumber) * follow.Uniform(0.3, 0.9)));
                // An eligible person's support begins about ten days after the assessment (brokering a package).
                var support = completed.AddDays(1 + (int)follow.Exponential(9));
                table.Add(Council.Code, $"AS{n:000000}", $"AP{n:000000}", Fmt.D(day), allocated <= Calendar.HistoryEnd ? Fmt.D(allocated) : null,
                    started <= Calendar.HistoryEnd ? Fmt.D(started) : null, done ? Fmt.D(completed) : null, outcome,
                    outcome == "eligible" && support <= Calendar.HistoryEnd ? Fmt.D(support) : null, priority, AgeBand.Pick(rng), Psr.Pick(rng));
                n++;
            }
        }
        return table;
    }
}
