using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

public sealed class ServiceEpisode
{
    public string ServiceId { get; set; } = "";
    public required string PersonId { get; init; }
    public required string Type { get; init; }
    public required DateOnly Start { get; init; }
    public DateOnly? End { get; init; }
    public double? HoursPerWeek { get; init; }
    public required double WeeklyCost { get; init; }
    public required string Funding { get; init; }
    public string? Psr { get; init; }
    public required string AgeBand { get; init; }
    public string? AccommodationStatus { get; init; }
    public string? Locality { get; init; }

    public bool CareHome => Type is "residential" or "nursing";

    public bool OpenOn(DateOnly date) => Start <= date && (End is null || End > date);
}

/// <summary>
/// Long-term support episodes (services.csv). Three sources, so the table reconciles with the rest of the sample:
/// every permanent admission is a residential or nursing episode of the same person from its admission date to its
/// leave date; every supported-living, shared-house and extra-care tenancy is a supported_living or extra_care episode
/// of its tenant; and community services (home care, direct payments, day care, shared lives, other) are simulated
/// for an opening stock of people already supported on 1 April 2015 and about 470-560 new people a year. Durations
/// depend on the group (older people a few years, working-age adults longer, people with a learning disability
/// decades), which with the care-home and supported-living stock gives a caseload near 5,000. Learning-disability
/// starts rise from 2021/22 (transitions), so that caseload grows. Home care starts rise through 2024/25 ("home
/// first") with a winter peak, so the hours delivered grow from Q2 to Q3. Costs are the rate of the year the episode
/// started: home care 11.90 GBP an hour in 2015/16 rising to 13.50 in 2023/24 and 14.30 in 2024/25.
/// </summary>
public sealed class ServiceGenerator
{
    /// <summary>Home care rate per hour by financial year of the package start (before 2015/16: the 2015/16 rate).</summary>
    public static readonly IReadOnlyDictionary<int, double> HomeCareRate = new Dictionary<int, double>
    {
        [2015] = 11.90, [2016] = 12.10, [2017] = 12.35, [2018] = 12.60, [2019] = 12.80,
        [2020] = 13.00, [2021] = 13.20, [2022] = 13.35, [2023] = 13.50, [2024] = 14.30,
    };

    // April..March: winter peak of new home care packages (hospital discharges).
    private static readonly double[] HomeCareSeasonal = { 0.90, 0.90, 0.92, 0.95, 0.92, 0.96, 1.06, 1.10, 1.12, 1.10, 1.05, 1.02 };

    private enum Group { Older, WorkingAge, LearningDisability }

    private static readonly Weighted<string?> OlderPsr = new(("physical_support", 50), ("memory_and_cognition", 25), ("sensory_support", 5),
        ("social_support", 5), ("mental_health", 8), (null, 7));
    private static readonly Weighted<string?> WorkingAgePsr = new(("physical_support", 44), ("mental_health", 38), ("sensory_support", 7),
        ("social_support", 7), (null, 4));

    private static readonly Weighted<string> OlderType = new(("home_care", 50), ("direct_payment", 17), ("day_care", 15), ("other_community", 18));
    private static readonly Weighted<string> WorkingAgeType = new(("home_care", 30), ("direct_payment", 40), ("day_care", 8), ("other_community", 20));
    private static readonly Weighted<string> LearningDisabilityType = new(("direct_payment", 34), ("day_care", 24), ("shared_lives", 10),
        ("home_care", 12), ("other_community", 20));

    private readonly int _seed;
    private readonly Localities _localities;

    public ServiceGenerator(int seed, Localities localities)
    {
        _seed = seed;
        _localities = localities;
    }

    public List<ServiceEpisode> Episodes { get; } = new();

    public void Generate(IReadOnlyList<Admission> admissions, IReadOnlyList<Leaver> leavers, IReadOnlyList<Tenancy> tenancies)
    {
        var drafts = new List<ServiceEpisode>();
        AddCareHomes(drafts, admissions, leavers);
        AddTenancies(drafts, admissions, tenancies);
        AddCommunity(drafts);

        var ordered = drafts.Select((e, i) => (e, i)).OrderBy(x => x.e.Start).ThenBy(x => x.i).Select(x => x.e).ToList();
        for (var i = 0; i < ordered.Count; i++) ordered[i].ServiceId = $"SV{i + 1:000000}";
        Episodes.AddRange(ordered);
    }

    public static string AgeBand(int age) => age switch
    {
        < 25 => "18-24",
        < 65 => "25-64",
        < 75 => "65-74",
        < 85 => "75-84",
        _ => "85+",
    };

    public static bool WorkingAgeBand(string band) => band is "18-24" or "25-64";

    /// <summary>Weekly price of a service type for an episode starting in the given financial year, before the episode's own variation.</summary>
    private static double Inflate(double price2024, DateOnly start) =>
        price2024 * Math.Pow(1.035, Math.Max(Calendar.FirstFy, Math.Min(Calendar.LastFy, Calendar.FyOf(start))) - Calendar.LastFy);

    private static double RateFor(DateOnly start) => HomeCareRate[Math.Max(Calendar.FirstFy, Math.Min(Calendar.LastFy, Calendar.FyOf(start)))];

    private static string? LdStatus(string? psr, string status) => psr == "learning_disability" ? status : null;

    private void AddCareHomes(List<ServiceEpisode> drafts, IReadOnlyList<Admission> admissions, IReadOnlyList<Leaver> leavers)
    {
        var rng = Rng.For(_seed, "services-care-homes");
        var left = leavers.ToDictionary(l => l.AdmissionId, l => l.LeaveDate);
        foreach (var a in admissions)
        {
            var nursing = a.Setting == "nursing";
            var specialist = a.Psr is "learning_disability" or "mental_health" && a.Age < 65;
            var price = nursing ? rng.Uniform(960, 1_090) : specialist ? rng.Uniform(820, 900) : rng.Uniform(720, 860);
            drafts.Add(new ServiceEpisode
            {
                PersonId = a.PersonId, Type = a.Setting, Start = a.Date, End = left.TryGetValue(a.AdmissionId, out var l) ? l : null,
                WeeklyCost = Math.Round(Inflate(price, a.Date), 2),
                Funding = nursing && rng.Chance(0.12) ? "joint_nhs" : "council_managed",
                Psr = a.Psr, AgeBand = AgeBand(a.Age), AccommodationStatus = LdStatus(a.Psr, "residential"), Locality = a.Locality,
            });
        }
    }

    private void AddTenancies(List<ServiceEpisode> drafts, IReadOnlyList<Admission> admissions, IReadOnlyList<Tenancy> tenancies)
    {
        var rng = Rng.For(_seed, "services-tenancies");
        var fromCare = admissions.ToDictionary(a => a.PersonId);
        foreach (var t in tenancies)
        {
            var extraCare = t.Scheme.Category == "extra_care";
            string? psr;
            int age;
            if (fromCare.TryGetValue(t.PersonId, out var a))
            {
                psr = a.Psr;
                age = a.Age + (t.Start.DayNumber - a.Date.DayNumber) / 365;
            }
            else
            {
                psr = t.Scheme.ClientGroup switch
                {
                    "ld_autism" => "learning_disability",
                    "mental_health" => "mental_health",
                    "complex_needs" => rng.Chance(0.7) ? "learning_disability" : "mental_health",
                    "physical_sensory" => rng.Chance(0.8) ? "physical_support" : "sensory_support",
                    _ => rng.Chance(0.6) ? "memory_and_cognition" : "physical_support",
                };
                age = extraCare ? rng.Next(65, 96) : rng.Chance(0.16) ? rng.Next(18, 25) : rng.Next(25, 63);
            }
            var price = extraCare ? rng.Uniform(380, 620) : t.Scheme.Category == "shared_house" ? rng.Uniform(1_150, 1_500) : rng.Uniform(1_250, 1_800);
            var funding = extraCare ? "council_managed"
                : rng.Chance(0.30) ? "direct_payment" : rng.Chance(0.12) ? "individual_service_fund" : "council_managed";
            drafts.Add(new ServiceEpisode
            {
                PersonId = t.PersonId, Type = extraCare ? "extra_care" : "supported_living", Start = t.Start, End = t.End,
                WeeklyCost = Math.Round(Inflate(price, t.Start), 2), Funding = funding, Psr = psr, AgeBand = AgeBand(age),
                AccommodationStatus = LdStatus(psr, "supported_living"), Locality = t.Scheme.Locality,
            });
        }
    }

    private sealed record Person(Group Group, DateOnly Start, DateOnly? End, int Age, Rng Rng);

    private void AddCommunity(List<ServiceEpisode> drafts)
    {
        var people = new List<Person>();

        // Opening stock: people already on community support on 1 April 2015.
        var opening = Rng.For(_seed, "services-opening-stock");
        void Opening(Group group, int count, double elapsedMeanYears, double remainingMeanYears)
        {
            for (var i = 0; i < count; i++)
            {
                var start = Calendar.HistoryStart.AddDays(-Math.Max(1, (int)(opening.Exponential(elapsedMeanYears) * 365.25)));
                var end = Calendar.HistoryStart.AddDays(Math.Max(1, (int)(opening.Exponential(remainingMeanYears) * 365.25)));
                people.Add(new Person(group, Calendar.Max(start, Localities.Created), end, StartAge(group, opening), opening));
            }
        }
        Opening(Group.Older, 1_950, 4.0, 4.5);
        Opening(Group.WorkingAge, 990, 7.0, 9.0);
        Opening(Group.LearningDisability, 250, 12.0, 22.0);

        // New people each month of the history.
        var starts = Rng.For(_seed, "services-community-starts");
        foreach (var month in Calendar.HistoryMonths())
        {
            var fy = Calendar.FyOf(month);
            var m = (month.Month + 8) % 12;
            var homeFirst = fy < 2024 ? 1.0 : 1.15 + 0.045 * m;
            var covid = fy == 2020 ? 0.9 : 1.0;
            var ld = fy switch { < 2021 => 30.0, 2021 => 65, 2022 => 80, 2023 => 85, _ => 80 };
            void Add(Group group, double perYear, double meanYears)
            {
                for (var k = starts.Poisson(perYear / 12.0); k > 0; k--)
                {
                    var start = month.AddDays(starts.Next(0, DateTime.DaysInMonth(month.Year, month.Month)));
                    var stay = Math.Max(14, (int)(starts.Exponential(meanYears) * 365.25));
                    people.Add(new Person(group, start, start.AddDays(stay), StartAge(group, starts), starts));
                }
            }
            Add(Group.Older, 440 * HomeCareSeasonal[m] * homeFirst * covid, 4.5);
            Add(Group.WorkingAge, 110 * covid, 9.0);
            Add(Group.LearningDisability, ld, 22.0);
        }

        var detail = Rng.For(_seed, "services-community-detail");
        var next = 1;
        foreach (var p in people)
        {
            var personId = $"P{next++:000000}";
            var end = p.End is { } e && e <= Calendar.HistoryEnd ? e : (DateOnly?)null;
            var (psr, type) = p.Group switch
            {
                Group.Older => (OlderPsr.Pick(detail), OlderType.Pick(detail)),
                Group.WorkingAge => (WorkingAgePsr.Pick(detail), WorkingAgeType.Pick(detail)),
                _ => ("learning_disability", LearningDisabilityType.Pick(detail)),
            };
            // Home-first: more of the later older people's packages are home care.
            if (p.Group == Group.Older && Calendar.FyOf(p.Start) >= 2024 && type != "home_care" && detail.Chance(0.3)) type = "home_care";

            double? hours = null;
            double cost;
            string funding;
            switch (type)
            {
                case "home_care":
                    {
                        // Packages grow larger over the years (rising needs): a mean of about 10 hours in 2015/16, 14 in 2024/25.
                        var mean = 9.8 + 0.5 * (Math.Max(Calendar.FirstFy, Calendar.FyOf(p.Start)) - Calendar.FirstFy);
                        var h = Math.Round(Math.Clamp(mean * Math.Exp(0.45 * detail.Normal() - 0.1), 1.5, 56) * 2) / 2;
                        hours = h;
                        cost = h * RateFor(p.Start);
                        funding = detail.Chance(0.10) ? "individual_service_fund" : detail.Chance(0.03) ? "joint_nhs" : "council_managed";
                        break;
                    }
                case "direct_payment":
                    cost = Inflate(p.Group == Group.LearningDisability ? detail.Uniform(380, 900) : detail.Uniform(160, 520), p.Start);
                    funding = "direct_payment";
                    break;
                case "day_care":
                    cost = Inflate(detail.Uniform(120, 420), p.Start);
                    funding = detail.Chance(0.25) ? "individual_service_fund" : "council_managed";
                    break;
                case "shared_lives":
                    cost = Inflate(detail.Uniform(420, 650), p.Start);
                    funding = "council_managed";
                    break;
                default:
                    cost = Inflate(detail.Uniform(90, 380), p.Start);
                    funding = detail.Chance(0.18) ? "individual_service_fund" : detail.Chance(0.2) ? "direct_payment" : "council_managed";
                    break;
            }
            var status = p.Group == Group.LearningDisability ? (detail.Chance(0.11) ? "other" : "own_home_or_family") : null;
            drafts.Add(new ServiceEpisode
            {
                PersonId = personId, Type = type, Start = p.Start, End = end, HoursPerWeek = hours, WeeklyCost = Math.Round(cost, 2),
                Funding = funding, Psr = psr, AgeBand = AgeBand(p.Age), AccommodationStatus = status,
                Locality = detail.Chance(0.02) ? null : _localities.At(p.Start, detail),
            });
        }
    }

    private static int StartAge(Group group, Rng rng) => group switch
    {
        Group.Older => rng.Chance(0.22) ? rng.Next(65, 75) : rng.Chance(0.55) ? rng.Next(75, 85) : Math.Min(104, 85 + (int)rng.Exponential(4.5)),
        Group.WorkingAge => rng.Next(18, 65),
        _ => rng.Chance(0.35) ? rng.Next(18, 25) : rng.Next(25, 65),
    };

    public CsvTable Table()
    {
        var table = new CsvTable("services.csv", "council_code", "service_id", "person_id", "service_type", "start_date", "end_date",
            "planned_hours_per_week", "weekly_cost", "funding", "psr", "age_band", "accommodation_status", "locality");
        foreach (var e in Episodes)
            table.Add(Council.Code, e.ServiceId, e.PersonId, e.Type, Fmt.D(e.Start), Fmt.D(e.End),
                e.HoursPerWeek is { } h ? Fmt.F2(h) : null, Fmt.F2(e.WeeklyCost), e.Funding, e.Psr, e.AgeBand, e.AccommodationStatus, e.Locality);
        return table;
    }
}
