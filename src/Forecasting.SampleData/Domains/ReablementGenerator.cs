using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

public sealed record ReablementEpisode(string EpisodeId, string PersonId, DateOnly Start, DateOnly? End, string Source, string AgeBand,
    string? Outcome, string? Status91Days);

/// <summary>
/// Reablement episodes (reablement.csv) from April 2015 and hospital discharges with social care involvement
/// (discharges.csv) from April 2021.
/// Reablement: about 950 starts in 2015/16 growing 3% a year (about 1,230 in 2024/25), 62% straight from hospital,
/// up to six weeks long. What followed (outcome) is known when the episode has ended: about three in four needed
/// no further or only low-level support (ASCOF 2D). For people discharged from hospital into reablement the place
/// they were 91 days after the episode ended is recorded once those 91 days have passed by 31 March 2025: about
/// 85% at home (ASCOF 2B(1)), the rest in a care home, back in hospital or deceased.
/// Discharges: every hospital reablement episode from April 2021 is a pathway 1 discharge of the same person on its
/// start date, every permanent admission from hospital is a pathway 3 discharge on the admission date; pathway 0
/// (home without new support) and 2 (a rehabilitation bed) discharges are simulated. Decisions follow referrals by
/// a few days and discharges follow decisions by a delay that grows with the pathway.
/// </summary>
public sealed class ReablementGenerator
{
    public static readonly DateOnly FirstDischarge = new(2021, 4, 1);

    private static readonly double[] Seasonal = { 0.94, 0.95, 0.93, 0.96, 0.93, 0.97, 1.02, 1.06, 1.10, 1.12, 1.03, 1.00 };

    private static readonly Weighted<string> Outcome = new(("no_further_support", 47), ("ongoing_low_level", 28), ("long_term_community", 15),
        ("long_term_residential", 3), ("deceased", 3), ("other", 4));
    private static readonly Weighted<string> StatusAfter = new(("at_home", 90.5), ("hospital", 5), ("residential", 1.5), ("deceased", 3));
    private static readonly Weighted<string> OlderBand = new(("65-74", 22), ("75-84", 40), ("85+", 38));
    private static readonly Weighted<string> AnyBand = new(("18-24", 2), ("25-64", 28), ("65-74", 20), ("75-84", 27), ("85+", 23));

    private readonly int _seed;

    public ReablementGenerator(int seed) => _seed = seed;

    public List<ReablementEpisode> Episodes { get; } = new();

    public void Generate()
    {
        var rng = Rng.For(_seed, "reablement");
        var n = 1;
        foreach (var month in Calendar.HistoryMonths())
        {
            var fy = Calendar.FyOf(month);
            var perYear = 950 * Math.Pow(1.03, fy - Calendar.FirstFy) * (fy == 2020 ? 0.85 : 1.0);
            var count = rng.Poisson(perYear / 12.0 * Seasonal[(month.Month + 8) % 12]);
            var starts = Enumerable.Range(0, count).Select(_ => month.AddDays(rng.Next(0, DateTime.DaysInMonth(month.Year, month.Month)))).Order().ToList();
            foreach (var start in starts)
            {
                var hospital = rng.Chance(0.62);
                var band = rng.Chance(hospital ? 0.88 : 0.74) ? OlderBand.Pick(rng) : rng.Chance(0.05) ? "18-24" : "25-64";
                var end = start.AddDays(7 + (int)Math.Min(35, rng.Exponential(20)));
                string? outcome = null;
                string? status = null;
                if (end <= Calendar.HistoryEnd)
                {
                    outcome = Outcome.Pick(rng);
                    if (hospital && end.AddDays(91) <= Calendar.HistoryEnd)
                        status = outcome switch
                        {
                            "deceased" => "deceased",
                            "long_term_residential" => "residential",
                            _ => StatusAfter.Pick(rng),
                        };
                }
                Episodes.Add(new ReablementEpisode($"RE{n:000000}", $"H{n:000000}", start, end <= Calendar.HistoryEnd ? end : null,
                    hospital ? "hospital_discharge" : "community", band, outcome, status));
                n++;
            }
        }
    }

    public CsvTable ReablementTable()
    {
        var table = new CsvTable("reablement.csv", "council_code", "episode_id", "person_id", "start_date", "end_date", "source", "age_band",
            "outcome", "status_91_days");
        foreach (var e in Episodes)
            table.Add(Council.Code, e.EpisodeId, e.PersonId, Fmt.D(e.Start), Fmt.D(e.End), e.Source, e.AgeBand, e.Outcome, e.Status91Days);
        return table;
    }

    private sealed record Discharge(string PersonId, DateOnly Referral, DateOnly Decision, DateOnly? Discharged, int Pathway, string AgeBand);

    public CsvTable DischargesTable(IReadOnlyList<Admission> admissions)
    {
        var rng = Rng.For(_seed, "discharges");
        var list = new List<Discharge>();

        int Delay(int pathway) => (int)rng.Exponential(pathway switch { 0 => 1.0, 1 => 3.0, 2 => 5.0, _ => 7.0 });

        Discharge Known(string personId, DateOnly discharged, int pathway, string band)
        {
            var decision = discharged.AddDays(-Delay(pathway));
            return new Discharge(personId, decision.AddDays(-rng.Next(0, 6)), decision, discharged, pathway, band);
        }

        foreach (var e in Episodes.Where(e => e.Source == "hospital_discharge" && e.Start >= FirstDischarge))
            list.Add(Known(e.PersonId, e.Start, 1, e.AgeBand));
        foreach (var a in admissions.Where(a => a.Source == "hospital" && a.Date >= FirstDischarge))
            list.Add(Known(a.PersonId, a.Date, 3, ServiceGenerator.AgeBand(a.Age)));

        var next = 1;
        foreach (var month in Calendar.HistoryMonths().Where(m => m >= FirstDischarge))
        {
            var seasonal = Seasonal[(month.Month + 8) % 12];
            foreach (var (pathway, perYear) in new[] { (0, 1_350.0), (2, 170.0) })
            {
                for (var k = rng.Poisson(perYear / 12.0 * seasonal); k > 0; k--)
                {
                    var referral = month.AddDays(rng.Next(0, DateTime.DaysInMonth(month.Year, month.Month)));
                    var decision = referral.AddDays(rng.Next(0, 6));
                    var discharged = decision.AddDays(Delay(pathway));
                    if (decision > Calendar.HistoryEnd) decision = Calendar.HistoryEnd;
                    list.Add(new Discharge($"D{next++:000000}", referral, decision, discharged <= Calendar.HistoryEnd ? discharged : null,
                        pathway, AnyBand.Pick(rng)));
                }
            }
        }

        var table = new CsvTable("discharges.csv", "council_code", "discharge_id", "person_id", "referral_date", "decision_date", "discharge_date",
            "pathway", "age_band");
        var n = 1;
        foreach (var d in list.OrderBy(d => d.Decision).ThenBy(d => d.PersonId, StringComparer.Ordinal))
            table.Add(Council.Code, $"DC{n++:000000}", d.PersonId, Fmt.D(d.Referral), Fmt.D(d.Decision), Fmt.D(d.Discharged), Fmt.I(d.Pathway), d.AgeBand);
        return table;
    }
}
