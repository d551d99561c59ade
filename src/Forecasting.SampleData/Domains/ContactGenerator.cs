using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// Front-door contacts, one row each: about 18,000-19,500 a year with a mild upward trend,
/// winter (Jan-Mar) the busiest quarter, a dip in spring 2020, online contacts growing, and the
/// route and outcome mixes of Domain/docs/calibration.md ("Planning domains"). About 15% of contacts have no PSR recorded.
/// </summary>
public sealed class ContactGenerator
{
    private const double ContactsFy2015 = 17_900;
    private const double AnnualTrend = 0.008;
    private const double PsrNotSpecified = 0.155;

    // April..March; Q4 (Jan-Mar) busiest.
    private static readonly double[] Seasonal = { 0.89, 0.91, 0.92, 0.96, 0.92, 1.00, 1.05, 1.06, 0.97, 1.13, 1.09, 1.10 };

    private static readonly Weighted<string> Route = new(
        ("community", 81.87), ("hospital_discharge", 17.7), ("transition", 0.3), ("hospital_diversion", 0.1), ("prison", 0.03));

    private static readonly Dictionary<string, Weighted<string>> OutcomeByRoute = new()
    {
        ["community"] = new(("information_advice", 37.2), ("no_further_action", 33.6), ("ongoing_low_level", 12.9),
            ("short_term_support", 10.0), ("long_term_support", 4.8), ("nhs_funded", 0.7), ("deceased", 0.85)),
        ["hospital_discharge"] = new(("information_advice", 8), ("no_further_action", 15), ("ongoing_low_level", 10),
            ("short_term_support", 45), ("long_term_support", 12), ("nhs_funded", 6), ("deceased", 4)),
        ["transition"] = new(("information_advice", 20), ("no_further_action", 10), ("ongoing_low_level", 25),
            ("short_term_support", 15), ("long_term_support", 30)),
        ["hospital_diversion"] = new(("information_advice", 10), ("no_further_action", 10), ("ongoing_low_level", 15),
            ("short_term_support", 50), ("long_term_support", 15)),
        ["prison"] = new(("information_advice", 40), ("no_further_action", 30), ("ongoing_low_level", 15),
            ("short_term_support", 5), ("long_term_support", 10)),
    };

    private static readonly Weighted<string?> CommunityAge = new(
        ("18-24", 5), ("25-64", 36), ("65-74", 15), ("75-84", 21.5), ("85+", 21), (null, 1.5));
    private static readonly Weighted<string?> HospitalAge = new(
        ("18-24", 1), ("25-64", 14), ("65-74", 18), ("75-84", 31.5), ("85+", 34), (null, 1.5));
    private static readonly Weighted<string?> PrisonAge = new(("18-24", 20), ("25-64", 75), ("65-74", 5));

    private readonly int _seed;
    private readonly Localities _localities;

    public ContactGenerator(int seed, Localities localities)
    {
        _seed = seed;
        _localities = localities;
    }

    public CsvTable Generate()
    {
        var rng = Rng.For(_seed, "contacts");
        var table = new CsvTable("contacts.csv", "council_code", "contact_id", "contact_date", "route", "channel",
            "age_band", "psr", "locality", "outcome", "repeat_within_12m");
        var next = 1;
        foreach (var month in Calendar.HistoryMonths())
        {
            var fy = Calendar.FyOf(month);
            var monthIndex = (month.Month + 8) % 12; // April = 0
            var expected = ContactsFy2015 * Math.Pow(1 + AnnualTrend, fy - Calendar.FirstFy) / 12.0
                           * Seasonal[monthIndex] * PandemicFactor(month) * (1 + 0.025 * rng.Normal());
            var count = (int)Math.Round(expected);
            var days = Enumerable.Range(0, count).Select(_ => WorkingDayWeightedDate(month, rng)).OrderBy(d => d).ToList();
            foreach (var date in days)
            {
                var route = Route.Pick(rng);
                var ageBand = AgeBand(route, rng);
                var psr = Psr(ageBand, date, rng);
                var channel = Channel(route, date, rng);
                var locality = rng.Chance(0.01) ? null : _localities.At(date, rng);
                var outcome = OutcomeByRoute[route].Pick(rng);
                var repeat = rng.Chance(route == "hospital_discharge" ? 0.14 : 0.092);
                table.Add(Council.Code, $"C{next++:0000000}", Fmt.D(date), route, channel, ageBand, psr, locality, outcome, Fmt.B(repeat));
            }
        }
        return table;
    }

    private static double PandemicFactor(DateOnly month) => (month.Year, month.Month) switch
    {
        (2020, 4) => 0.70,
        (2020, 5) => 0.78,
        (2020, 6) => 0.88,
        _ => 1.0,
    };

    private static DateOnly WorkingDayWeightedDate(DateOnly month, Rng rng)
    {
        var daysInMonth = DateTime.DaysInMonth(month.Year, month.Month);
        while (true)
        {
            var date = month.AddDays(rng.Next(0, daysInMonth));
            var weight = date.DayOfWeek switch { DayOfWeek.Saturday => 0.15, DayOfWeek.Sunday => 0.10, _ => 1.0 };
            if (rng.NextDouble() < weight) return date;
        }
    }

    private static string? AgeBand(string route, Rng rng) => route switch
    {
        "transition" => "18-24",
        "prison" => PrisonAge.Pick(rng),
        "hospital_discharge" or "hospital_diversion" => HospitalAge.Pick(rng),
        _ => CommunityAge.Pick(rng),
    };

    private static string? Psr(string? ageBand, DateOnly date, Rng rng)
    {
        if (ageBand is null) return rng.Chance(0.6) ? null : "physical_support";
        if (rng.Chance(PsrNotSpecified)) return null;
        // Learning disability contacts grow faster than the rest (about 5% a year).
        var ld = 1 + 0.05 * (date.Year - 2015);
        var weights = ageBand switch
        {
            "18-24" => new Weighted<string>(("learning_disability", 35 * ld), ("mental_health", 30), ("physical_support", 15),
                ("social_support", 12), ("sensory_support", 4), ("memory_and_cognition", 4)),
            "25-64" => new Weighted<string>(("physical_support", 35), ("mental_health", 30), ("learning_disability", 10 * ld),
                ("social_support", 15), ("sensory_support", 5), ("memory_and_cognition", 5)),
            _ => new Weighted<string>(("physical_support", 60), ("memory_and_cognition", 20), ("sensory_support", 8),
                ("social_support", 7), ("mental_health", 5), ("learning_disability", 0.5 * ld)),
        };
        return weights.Pick(rng);
    }

    private static string Channel(string route, DateOnly date, Rng rng)
    {
        if (route is "hospital_discharge" or "hospital_diversion" or "prison" or "transition")
            return rng.Chance(0.8) ? "professional_referral" : "phone";
        var years = (date.DayNumber - Calendar.HistoryStart.DayNumber) / 365.25;
        var online = 10 + 1.9 * years;
        return new Weighted<string>(("phone", 52 - 1.5 * years), ("online", online), ("email", 13 - 0.4 * years),
            ("professional_referral", 25)).Pick(rng);
    }
}
