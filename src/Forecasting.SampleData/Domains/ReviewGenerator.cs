using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// Annual reviews of people on long-term support (reviews.csv), from April 2020 (the review records the sample
/// holds) to the reviews due by the end of June 2025. A person's support is the union of their service episodes
/// (gaps under 31 days bridged); the first review falls due eight weeks after it starts and the next ones on each
/// anniversary of the start. About 91% of due reviews are completed, most within weeks of the due date, some
/// early; about 20% of those due from April to December are left to the year-end push in January to March, so about
/// half of the people on support at Q3 have been reviewed since April while about four in five have been reviewed
/// within 12 months. None is completed after the person's support ended or after 31 March 2025.
/// </summary>
public sealed class ReviewGenerator
{
    public static readonly DateOnly FirstDue = new(2020, 4, 1);
    public static readonly DateOnly LastDue = new(2025, 6, 30);

    private const double CompletionRate = 0.91;
    private const double YearEndPush = 0.18;

    private readonly int _seed;

    public ReviewGenerator(int seed) => _seed = seed;

    public CsvTable Generate(IReadOnlyList<ServiceEpisode> episodes)
    {
        var rng = Rng.For(_seed, "reviews");
        var rows = new List<(DateOnly Due, string PersonId, DateOnly? Completed)>();
        foreach (var person in episodes.GroupBy(e => e.PersonId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var (start, end) in Spans(person))
            {
                // A first review eight weeks after support starts, then one on each anniversary.
                var due = start.AddDays(56);
                for (var k = 1; due <= LastDue && (end is null || due < end); due = start.AddYears(k++))
                {
                    DateOnly? completed = null;
                    if (rng.Chance(CompletionRate))
                    {
                        var day = due.AddDays(rng.Chance(0.2) ? -rng.Next(0, 31) : (int)rng.Exponential(25));
                        // Reviews falling due from April to December are often left to the year-end push (January to March).
                        if (due.Month >= 4 && rng.Chance(YearEndPush))
                            day = Calendar.Max(day, new DateOnly(due.Year + 1, 1, 1).AddDays(rng.Next(0, 90)));
                        if (day <= Calendar.HistoryEnd && (end is null || day < end)) completed = day;
                    }
                    if (due >= FirstDue) rows.Add((due, person.Key, completed));
                }
            }
        }

        var table = new CsvTable("reviews.csv", "council_code", "review_id", "person_id", "due_date", "completed_date");
        var n = 1;
        foreach (var r in rows.OrderBy(r => r.Due).ThenBy(r => r.PersonId, StringComparer.Ordinal))
            table.Add(Council.Code, $"RV{n++:000000}", r.PersonId, Fmt.D(r.Due), Fmt.D(r.Completed));
        return table;
    }

    /// <summary>Periods of continuous support of one person: episodes merged when the next starts within 30 days of the last end.</summary>
    private static IEnumerable<(DateOnly Start, DateOnly? End)> Spans(IEnumerable<ServiceEpisode> episodes)
    {
        DateOnly? start = null;
        DateOnly? end = null;
        var open = false;
        foreach (var e in episodes.OrderBy(e => e.Start))
        {
            if (start is null)
            {
                (start, end, open) = (e.Start, e.End, e.End is null);
                continue;
            }
            if (open || e.Start <= end!.Value.AddDays(30))
            {
                if (e.End is null) open = true;
                else if (!open && e.End > end) end = e.End;
                continue;
            }
            yield return (start.Value, end);
            (start, end, open) = (e.Start, e.End, e.End is null);
        }
        if (start is not null) yield return (start.Value, open ? null : end);
    }
}
