using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

public sealed record Admission(string AdmissionId, string PersonId, DateOnly Date, string Setting, int Age, string? Psr,
    string? Locality, string Funding, string Source, bool StepDownCandidate);

public sealed class Leaver
{
    public required string AdmissionId { get; init; }
    public required string PersonId { get; init; }
    public required string? Psr { get; init; }
    public required DateOnly AdmissionDate { get; init; }
    public required DateOnly LeaveDate { get; set; }
    public required string Reason { get; init; }
}

/// <summary>
/// Permanent admissions to residential and nursing care and the leavers from it.
/// Rows dated before April 2015 are the opening stock of residents still in care on 1 April 2015.
/// New admissions: 65+ at about 650-690 per 100,000 a year with a winter peak and a dip in 2020/21;
/// 18-64 at about 16 per 100,000 (a few a month). Lengths of stay depend on the PSR: learning
/// disability and mental health residents stay for years, so their stock stays near 175 and 150.
/// </summary>
public sealed class AdmissionGenerator
{
    // April..March: winter peak.
    private static readonly double[] WinterSeasonal = { 0.96, 0.93, 0.91, 0.92, 0.86, 0.90, 0.97, 1.01, 1.06, 1.25, 1.13, 1.10 };

    private static readonly Weighted<string?> OlderPsr = new(("physical_support", 44), ("memory_and_cognition", 41),
        ("sensory_support", 3), ("social_support", 2), ("mental_health", 2), ("learning_disability", 1), (null, 3));
    private static readonly Weighted<string?> WorkingAgePsr = new(("learning_disability", 22), ("mental_health", 25),
        ("physical_support", 38), ("sensory_support", 4), ("social_support", 4), ("memory_and_cognition", 4), (null, 3));
    private static readonly Weighted<string?> OpeningOlderPsr = new(("physical_support", 46), ("memory_and_cognition", 44),
        ("sensory_support", 3), ("social_support", 3), (null, 4));
    private static readonly Weighted<string?> OpeningWorkingAgePsr = new(("physical_support", 80), ("sensory_support", 8),
        ("social_support", 8), (null, 4));

    private static readonly Weighted<string> LongStayReason = new(("deceased", 40), ("moved_to_supported_living", 38),
        ("community_support", 14), ("nhs_funded", 5), ("self_funding", 3));
    private static readonly Weighted<string> WorkingAgeReason = new(("deceased", 60), ("community_support", 15),
        ("nhs_funded", 15), ("moved_to_supported_living", 5), ("self_funding", 5));
    private static readonly Weighted<string> OlderReason = new(("deceased", 70), ("nhs_funded", 10), ("self_funding", 9),
        ("community_support", 9), ("moved_to_supported_living", 2));

    private readonly int _seed;
    private readonly Localities _localities;
    private readonly PopulationGenerator _population;

    public AdmissionGenerator(int seed, Localities localities, PopulationGenerator population)
    {
        _seed = seed;
        _localities = localities;
        _population = population;
    }

    public List<Admission> Admissions { get; } = new();
    public List<Leaver> Leavers { get; } = new();

    private sealed record Draft(DateOnly Date, bool Older, string? Psr, DateOnly? LeaveDate, string? LeaveReason);

    public void Generate()
    {
        var drafts = new List<Draft>();
        AddOpeningStock(drafts);
        AddHistory(Rng.For(_seed, "admissions-older"), Rng.For(_seed, "admissions-working-age"), drafts);

        var ordered = drafts.Select((d, i) => (d, i)).OrderBy(x => x.d.Date).ThenBy(x => x.i).Select(x => x.d).ToList();
        var detail = Rng.For(_seed, "admission-detail");
        for (var n = 0; n < ordered.Count; n++)
        {
            var d = ordered[n];
            var admissionId = $"A{n + 1:000000}";
            var personId = $"R{n + 1:000000}";
            Admissions.Add(Describe(admissionId, personId, d, detail));
            if (d.LeaveDate is { } leave && leave <= Calendar.HistoryEnd)
                Leavers.Add(new Leaver
                {
                    AdmissionId = admissionId, PersonId = personId, Psr = d.Psr, AdmissionDate = d.Date,
                    LeaveDate = leave, Reason = d.LeaveReason!,
                });
        }
    }

    private void AddOpeningStock(List<Draft> drafts)
    {
        // Each group has its own random stream, so resizing one group does not reshuffle another.
        void Add(string group, int count, bool older, Func<Rng, string?> psr, Func<Rng, double> elapsedYears,
            double remainingMeanYears, Weighted<string> reasons)
        {
            var rng = Rng.For(_seed, "opening-stock-" + group);
            for (var i = 0; i < count; i++)
            {
                var elapsed = (int)Math.Max(1, elapsedYears(rng) * 365.25);
                var date = Calendar.Max(Localities.Created, Calendar.HistoryStart.AddDays(-elapsed));
                var leave = Calendar.HistoryStart.AddDays((int)(rng.Exponential(remainingMeanYears) * 365.25));
                drafts.Add(new Draft(date, older, psr(rng), leave, reasons.Pick(rng)));
            }
        }

        Add("learning-disability", 188, false, _ => "learning_disability", r => r.Uniform(0, 18), 16.5, LongStayReason);
        Add("mental-health", 164, false, _ => "mental_health", r => r.Uniform(0, 15), 13, LongStayReason);
        Add("working-age", 42, false, r => OpeningWorkingAgePsr.Pick(r), r => r.Exponential(4), 4, WorkingAgeReason);
        Add("older", 520, true, r => OpeningOlderPsr.Pick(r), r => Math.Min(12, r.Exponential(2.2)), 2.6, OlderReason);
    }

    private void AddHistory(Rng olderRng, Rng workingRng, List<Draft> drafts)
    {
        for (var fy = Calendar.FirstFy; fy <= Calendar.LastFy; fy++)
        {
            var months = Enumerable.Range(0, 12).Select(i => Calendar.FyStart(fy).AddMonths(i)).ToArray();

            // Older people: a Poisson count each month around 660 per 100,000 a year, with a winter
            // peak and fewer admissions during the pandemic year.
            const double olderRate = 660;
            var covid = fy == 2020 ? 0.82 : 1.0;
            for (var m = 0; m < 12; m++)
            {
                var lambda = olderRate * _population.Older(fy) / 100_000.0 / 12.0 * WinterSeasonal[m] * covid;
                for (var k = olderRng.Poisson(lambda); k > 0; k--)
                    drafts.Add(NewAdmission(DayIn(months[m], olderRng), true, OlderPsr.Pick(olderRng), olderRng));
            }

            // Working age: about 16 per 100,000 a year, few and lumpy, so months differ a lot and
            // some have none.
            var total = (int)Math.Round(16.0 * _population.WorkingAge(fy) / 100_000.0 * (1 + 0.05 * workingRng.Normal()));
            var monthWeights = new Weighted<int>(Enumerable.Range(0, 12).Select(m => (m, workingRng.Uniform(0.1, 1.9))).ToArray());
            for (var k = 0; k < total; k++)
                drafts.Add(NewAdmission(DayIn(months[monthWeights.Pick(workingRng)], workingRng), false, WorkingAgePsr.Pick(workingRng), workingRng));
        }
    }

    private static DateOnly DayIn(DateOnly month, Rng rng) => month.AddDays(rng.Next(0, DateTime.DaysInMonth(month.Year, month.Month)));

    private static Draft NewAdmission(DateOnly date, bool older, string? psr, Rng rng)
    {
        double stayYears;
        Weighted<string> reasons;
        switch (psr)
        {
            case "learning_disability":
                stayYears = rng.Exponential(older ? 8 : 16.5);
                reasons = LongStayReason;
                break;
            case "mental_health":
                stayYears = rng.Exponential(older ? 6 : 10.5);
                reasons = LongStayReason;
                break;
            default:
                if (older && rng.Chance(0.25))
                {
                    var shortStay = rng.Next(3, 91);
                    return new Draft(date, older, psr, date.AddDays(shortStay), "deceased");
                }
                stayYears = rng.Exponential(older ? 2.6 : 4);
                reasons = older ? OlderReason : WorkingAgeReason;
                break;
        }
        var leave = date.AddDays(Math.Max(1, (int)(stayYears * 365.25)));
        return new Draft(date, older, psr, leave, reasons.Pick(rng));
    }

    private Admission Describe(string admissionId, string personId, Draft d, Rng rng)
    {
        int age;
        if (d.Older)
        {
            var band = rng.NextDouble();
            age = band < 0.15 ? rng.Next(65, 75) : band < 0.53 ? rng.Next(75, 85) : 85 + (int)Math.Min(19, rng.Exponential(4.5));
            // Nobody is still in care past 104.
            var lastDay = d.LeaveDate is { } l && l < Calendar.HistoryEnd ? l : Calendar.HistoryEnd;
            var yearsInCare = (lastDay.DayNumber - d.Date.DayNumber) / 365.25;
            age = Math.Max(65, Math.Min(age, 104 - (int)Math.Ceiling(yearsInCare)));
        }
        else
        {
            age = d.Psr == "learning_disability" ? rng.Next(18, 60) : rng.Next(30, 65);
        }
        var setting = rng.Chance(d.Older ? 0.40 : 0.15) ? "nursing" : "residential";
        var funding = rng.Chance(d.Older ? 0.22 : 0.01) ? "former_self_funder" : "council";
        var source = rng.Chance(d.Older ? 0.55 : 0.30) ? "hospital" : "community";
        var stepDown = d.Psr is "learning_disability" or "mental_health" && rng.Chance(0.18);
        var locality = rng.Chance(0.01) ? null : _localities.At(d.Date, rng);
        return new Admission(admissionId, personId, d.Date, setting, age, d.Psr, locality, funding, source, stepDown);
    }

    public CsvTable AdmissionsTable()
    {
        var table = new CsvTable("admissions.csv", "council_code", "admission_id", "person_id", "admission_date", "setting",
            "age_at_admission", "psr", "locality", "funding", "source", "step_down_candidate");
        foreach (var a in Admissions)
            table.Add(Council.Code, a.AdmissionId, a.PersonId, Fmt.D(a.Date), a.Setting, Fmt.I(a.Age), a.Psr, a.Locality,
                a.Funding, a.Source, Fmt.B(a.StepDownCandidate));
        return table;
    }

    public CsvTable LeaversTable()
    {
        var table = new CsvTable("leavers.csv", "council_code", "admission_id", "leave_date", "reason");
        foreach (var l in Leavers.OrderBy(l => l.LeaveDate).ThenBy(l => l.AdmissionId, StringComparer.Ordinal))
            table.Add(Council.Code, l.AdmissionId, Fmt.D(l.LeaveDate), l.Reason);
        return table;
    }
}
