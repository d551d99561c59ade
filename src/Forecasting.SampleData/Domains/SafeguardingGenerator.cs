using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// Safeguarding concerns (safeguarding.csv) and Deprivation of Liberty Safeguards applications (dols.csv) from
/// April 2021.
/// Safeguarding: about 5,700 concerns in 2021/22 rising to about 6,900 in 2024/25 (5,151 by Q3 is the reference),
/// about 15% of them about a person with an earlier concern; about 30% lead to a section 42 enquiry that starts
/// within days and lasts weeks to months, ending with the risk removed, reduced or remaining.
/// DoLS: about 2,600 applications a year rising to about 2,950, mostly for people aged 65 and over. Allocation to a
/// best interests assessor takes months, so a backlog of several hundred applications waits at any date; about 72%
/// are authorised (in months from receipt), some not granted and about a fifth withdrawn (the person moved or died),
/// often before allocation.
/// </summary>
public sealed class SafeguardingGenerator
{
    public static readonly DateOnly FirstRecord = new(2021, 4, 1);

    private static readonly double[] Seasonal = { 0.96, 1.00, 0.99, 1.03, 0.95, 1.00, 1.04, 1.02, 0.92, 1.03, 1.00, 1.06 };
    private static readonly Weighted<string?> ConcernAge = new(("18-24", 6), ("25-64", 34), ("65-74", 14), ("75-84", 20), ("85+", 22), (null, 4));
    private static readonly Weighted<string> RiskOutcome = new(("removed", 25), ("reduced", 61), ("remains", 14));
    private static readonly Weighted<string?> DolsAge = new(("18-24", 2), ("25-64", 12), ("65-74", 14), ("75-84", 32), ("85+", 38), (null, 2));

    private readonly int _seed;

    public SafeguardingGenerator(int seed) => _seed = seed;

    private static IEnumerable<(DateOnly Month, int Fy, double Seasonal)> Months() =>
        Calendar.HistoryMonths().Where(m => m >= FirstRecord).Select(m => (m, Calendar.FyOf(m), Seasonal[(m.Month + 8) % 12]));

    private static List<DateOnly> DaysIn(DateOnly month, int count, Rng rng) =>
        Enumerable.Range(0, count).Select(_ => month.AddDays(rng.Next(0, DateTime.DaysInMonth(month.Year, month.Month)))).Order().ToList();

    public CsvTable SafeguardingTable()
    {
        var rng = Rng.For(_seed, "safeguarding");
        var table = new CsvTable("safeguarding.csv", "council_code", "concern_id", "person_id", "concern_date", "enquiry_start_date",
            "enquiry_end_date", "risk_outcome", "age_band");
        var people = new List<(string Id, string? Band)>();
        var n = 1;
        foreach (var (month, fy, seasonal) in Months())
        {
            var perYear = fy switch { 2021 => 5_700.0, 2022 => 6_150, 2023 => 6_550, _ => 6_900 };
            foreach (var day in DaysIn(month, rng.Poisson(perYear / 12.0 * seasonal), rng))
            {
                (string Id, string? Band) person;
                if (people.Count > 0 && rng.Chance(0.15)) person = people[rng.Next(Math.Max(0, people.Count - 2_000), people.Count)];
                else
                {
                    person = ($"SP{people.Count + 1:000000}", ConcernAge.Pick(rng));
                    people.Add(person);
                }
                var enquiryShare = person.Band is "85+" or "75-84" ? 0.33 : 0.28;
                DateOnly? start = null, end = null;
                string? risk = null;
                if (rng.Chance(enquiryShare))
                {
                    var s = day.AddDays((int)rng.Exponential(4));
                    if (s <= Calendar.HistoryEnd)
                    {
                        start = s;
                        var e = s.AddDays(10 + (int)rng.Exponential(45));
                        if (e <= Calendar.HistoryEnd)
                        {
                            end = e;
                            risk = RiskOutcome.Pick(rng);
                        }
                    }
                }
                table.Add(Council.Code, $"SG{n++:000000}", person.Id, Fmt.D(day), Fmt.D(start), Fmt.D(end), risk, person.Band);
            }
        }
        return table;
    }

    public CsvTable DolsTable()
    {
        var rng = Rng.For(_seed, "dols");
        var table = new CsvTable("dols.csv", "council_code", "application_id", "person_id", "received_date", "allocated_date", "completed_date",
            "outcome", "age_band");
        var n = 1;
        foreach (var (month, fy, seasonal) in Months())
        {
            var perYear = 2_600 * Math.Pow(1.045, fy - 2021);
            foreach (var day in DaysIn(month, rng.Poisson(perYear / 12.0 * seasonal), rng))
            {
                DateOnly? allocated = null, completed = null;
                string? outcome;
                if (rng.Chance(0.12))
                {
                    // Withdrawn while waiting: the person moved, recovered capacity or died.
                    completed = day.AddDays(5 + (int)rng.Exponential(70));
                    outcome = "withdrawn";
                }
                else
                {
                    allocated = day.AddDays(3 + (int)rng.Exponential(85));
                    completed = allocated.Value.AddDays(5 + (int)rng.Exponential(25));
                    var u = rng.NextDouble();
                    outcome = u < 0.82 ? "authorised" : u < 0.89 ? "not_granted" : "withdrawn";
                }
                if (allocated > Calendar.HistoryEnd) allocated = null;
                if (completed > Calendar.HistoryEnd)
                {
                    completed = null;
                    outcome = null;
                }
                table.Add(Council.Code, $"DL{n:000000}", $"DP{n:000000}", Fmt.D(day), Fmt.D(allocated), Fmt.D(completed), outcome, DolsAge.Pick(rng));
                n++;
            }
        }
        return table;
    }
}
