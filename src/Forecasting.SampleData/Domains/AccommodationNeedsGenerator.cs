using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// Demand cohorts beyond the waiting list, identified from April 2022: people in inpatient or
/// assessment units needing a community placement, people in temporary accommodation, and people
/// 55+ awaiting extra care. Older needs are more often met already; the rest are still open.
/// </summary>
public sealed class AccommodationNeedsGenerator
{
    private static readonly (string Cohort, string Prefix, int Count, Weighted<string> Groups, int MinMonths, int MaxMonths)[] Cohorts =
    {
        ("inpatient", "IP", 16, new Weighted<string>(("ld_autism", 55), ("mental_health", 30), ("complex_needs", 15)), 3, 12),
        ("temporary_accommodation", "TA", 24, new Weighted<string>(("mental_health", 50), ("physical_sensory", 25), ("ld_autism", 25)), 2, 9),
        ("older_awaiting_extra_care", "EC", 38, new Weighted<string>(("older_dementia", 70), ("physical_sensory", 30)), 6, 24),
    };

    private readonly int _seed;

    public AccommodationNeedsGenerator(int seed) => _seed = seed;

    public CsvTable Generate()
    {
        var rng = Rng.For(_seed, "accommodation-needs");
        var table = new CsvTable("accommodation_needs.csv", "council_code", "person_id", "cohort", "client_group", "date_identified",
            "needed_by", "date_met");
        foreach (var c in Cohorts)
        {
            var rows = new List<(DateOnly Identified, string Group, DateOnly NeededBy, DateOnly? Met)>();
            for (var i = 0; i < c.Count; i++)
            {
                var identified = rng.DateBetween(new DateOnly(2022, 4, 1), new DateOnly(2025, 3, 20));
                var neededBy = identified.AddMonths(rng.Next(c.MinMonths, c.MaxMonths + 1));
                var metAfter = identified.AddDays((int)(rng.Exponential(1.2) * (neededBy.DayNumber - identified.DayNumber)) + 14);
                DateOnly? met = metAfter <= Calendar.HistoryEnd && rng.Chance(0.7) ? metAfter : null;
                rows.Add((identified, c.Groups.Pick(rng), neededBy, met));
            }
            var n = 1;
            foreach (var r in rows.OrderBy(r => r.Identified))
                table.Add(Council.Code, $"{c.Prefix}{n++:0000}", c.Cohort, r.Group, Fmt.D(r.Identified), Fmt.D(r.NeededBy), Fmt.D(r.Met));
        }
        return table;
    }
}
