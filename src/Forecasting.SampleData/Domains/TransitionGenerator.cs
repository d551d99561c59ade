using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// Young people known to children's services or SEND teams as at March 2025, by the financial year
/// of their 18th birthday from 2025/26 to 2034/35: 70 in the next four years, fewer known further
/// out. An unusually high share have complex needs (PMLD); about one in eight is placed out of area.
/// </summary>
public sealed class TransitionGenerator
{
    // Young people per FY of 18th birthday, 2025/26 .. 2034/35.
    private static readonly int[] PerFy = { 19, 18, 17, 16, 13, 11, 9, 7, 5, 4 };
    public const int FirstBirthdayFy = 2025;

    private static readonly Weighted<string> Need = new(("learning_disability", 35), ("autism", 30), ("pmld", 12),
        ("mental_health", 13), ("physical", 10));

    private readonly int _seed;
    private readonly Localities _localities;

    public TransitionGenerator(int seed, Localities localities)
    {
        _seed = seed;
        _localities = localities;
    }

    public CsvTable Generate()
    {
        var rng = Rng.For(_seed, "transitions");
        var rows = new List<(DateOnly Dob, string Need, string Setting, string? Locality, bool OutOfArea, double Likelihood, DateOnly Recorded)>();
        for (var i = 0; i < PerFy.Length; i++)
        {
            var fy = FirstBirthdayFy + i;
            for (var k = 0; k < PerFy[i]; k++)
            {
                var birthday18 = rng.DateBetween(Calendar.FyStart(fy), Calendar.FyEnd(fy));
                var dob = birthday18.AddYears(-18);
                var need = Need.Pick(rng);
                var (setting, likelihood) = need switch
                {
                    "pmld" => (rng.Chance(0.5) ? "residential" : rng.Chance(0.6) ? "family_home" : "supported_living", rng.Uniform(0.93, 1.0)),
                    "learning_disability" => (Pick(rng, 40, 35, 8, 17), rng.Uniform(0.75, 0.96)),
                    "autism" => (Pick(rng, 45, 35, 8, 12), rng.Uniform(0.5, 0.88)),
                    "mental_health" => (Pick(rng, 50, 35, 10, 5), rng.Uniform(0.4, 0.78)),
                    _ => (Pick(rng, 60, 25, 5, 10), rng.Uniform(0.5, 0.85)),
                };
                var outOfArea = rng.Chance(need == "pmld" ? 0.3 : 0.1);
                var recorded = rng.DateBetween(new DateOnly(2024, 9, 2), new DateOnly(2025, 3, 28));
                rows.Add((dob, need, setting, _localities.At(Calendar.HistoryEnd, rng), outOfArea, likelihood, recorded));
            }
        }

        var table = new CsvTable("transitions.csv", "council_code", "young_person_id", "date_of_birth", "primary_need", "predicted_setting",
            "locality", "out_of_area", "likelihood", "recorded_date");
        var n = 1;
        foreach (var r in rows.OrderBy(r => r.Dob))
            table.Add(Council.Code, $"YP{n++:0000}", Fmt.D(r.Dob), r.Need, r.Setting, r.Locality, Fmt.B(r.OutOfArea),
                Fmt.F2(Math.Min(1.0, r.Likelihood)), Fmt.D(r.Recorded));
        return table;
    }

    private static string Pick(Rng rng, double familyHome, double supportedLiving, double residential, double sharedLives) =>
        new Weighted<string>(("family_home", familyHome), ("supported_living", supportedLiving), ("residential", residential),
            ("shared_lives", sharedLives)).Pick(rng);
}
