using Forecasting.Cld.Measures;
using Forecasting.Cld.Model;
using static Forecasting.Cld.Measures.CldTerms;

namespace Forecasting.Cld.Tests.Measures;

/// <summary>Every measure on random small files: proportions stay proportions, and 2B/2C agree with a naive recount.</summary>
[Trait("Category", "unit")]
public class RandomInputPropertyTests
{
    static readonly string[] ServiceTypes = [LongTermCommunity, LongTermResidential, LongTermNursing, LongTermPrison, StMax, OngoingLowLevel, OtherShortTerm, CarerDirect];
    static readonly string?[] Components = [null, "Long term residential care", "Long term nursing care", "Short term residential care", "Reablement", "Direct payment", "Equipment", "Home support or domiciliary care"];
    static readonly string?[] Mechanisms = [null, DirectPayment, ManagedPersonalBudget, CommissionedSupport, CldValues.Invalid];
    static readonly string?[] Outcomes = [null, .. OutcomeHierarchy, CldValues.Invalid];
    static readonly string?[] Routes = [null, DischargeFromHospital, "Community or other route"];
    static readonly string?[] Accommodation = [null, "Owner occupier or shared ownership scheme", "Registered care home", "Unknown"];
    static readonly DateOnly First = new(2022, 4, 1);

    static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    static (List<CldEvent> Events, Dictionary<string, CldPerson> People) RandomFile(int seed)
    {
        var r = new Random(seed);
        var events = new List<CldEvent>();
        var people = new Dictionary<string, CldPerson>();
        for (var p = 0; p < 6; p++)
        {
            var id = $"p{p}";
            DateOnly? born = r.Next(8) == 0 ? null : new DateOnly(1925 + r.Next(85), 1 + r.Next(12), 1);
            DateOnly? died = r.Next(6) == 0 ? First.AddDays(r.Next(1400)) : null;
            people[id] = new CldPerson
            {
                PersonId = id, BirthDate = born, DateOfDeath = died, Gender = Pick(r, new[] { "Male", "Female", "Unknown" }),
                AccommodationStatus = Pick(r, Accommodation), PrimarySupportReason = Pick(r, new[] { "Learning disability support", "Mental health support", null }),
            };
            for (var e = 0; e < 8; e++)
            {
                var start = First.AddDays(r.Next(1400));
                DateOnly? end = r.Next(5) == 0 ? null : start.AddDays(r.Next(-2, 120));
                var type = Pick(r, new[] { CldValues.Request, CldValues.Assessment, CldValues.Service, CldValues.Service, CldValues.Review });
                var serviceType = type == CldValues.Service ? Pick(r, ServiceTypes) : null;
                events.Add(new CldEvent
                {
                    RecordId = events.Count + 1, PersonId = id, CouncilCode = "E06009999",
                    ClientType = serviceType == CarerDirect || r.Next(10) == 0 ? CldValues.UnpaidCarer : CldValues.ServiceUser,
                    EventType = type, StartDate = start, EndDate = end, EventOutcome = Pick(r, Outcomes),
                    RouteOfAccess = type == CldValues.Request ? Pick(r, Routes) : null,
                    AssessmentType = type == CldValues.Assessment ? "Long term assessment" : null,
                    ServiceType = serviceType, ServiceComponent = serviceType is null ? null : Pick(r, Components),
                    DeliveryMechanism = serviceType is null ? null : Pick(r, Mechanisms),
                    BirthYear = born?.Year, BirthMonth = born?.Month, DateOfDeath = died, PrimarySupportReason = people[id].PrimarySupportReason,
                });
            }
        }
        return (events, people);
    }

    /// <summary>2B/2C people recounted literally from the definition: nested loops over the flat event list, no grouping.</summary>
    static Dictionary<string, string> NaiveNewAdmitters(List<CldEvent> events, Dictionary<string, CldPerson> people, int fy)
    {
        var (from, to) = Year(fy);
        bool CareHome(CldEvent e)
        {
            var p = people[e.PersonId];
            var c = e.ServiceComponent?.ToLowerInvariant();
            return e.EventType == CldValues.Service && e.ClientType == CldValues.ServiceUser
                && (e.ServiceType == LongTermResidential || e.ServiceType == LongTermNursing)
                && p.BirthDate is not null && (p.DateOfDeath is null || p.DateOfDeath >= from)
                && c is not null && (c.Contains("residential") || c.Contains("nursing")) && !c.Contains("short");
        }
        var band = new Dictionary<string, string>();
        foreach (var a in events)
        {
            if (!CareHome(a) || a.StartDate < from || a.StartDate > to || a.EventOutcome == SelfFunded) continue;
            var isNew = true;
            foreach (var b in events)
                if (b.PersonId == a.PersonId && CareHome(b) && b.StartDate < a.StartDate && (b.EndDate is null || a.StartDate.DayNumber - b.EndDate.Value.DayNumber < 365))
                    isNew = false;
            var age = CldValues.Age(people[a.PersonId].BirthDate!.Value, a.StartDate);
            if (!isNew || age < 18) continue;
            var mine = age <= 64 ? Aged18To64 : Aged65AndOver;
            band[a.PersonId] = band.TryGetValue(a.PersonId, out var had) && had == Aged18To64 ? had : mine;
        }
        return band;
    }

    [Fact]
    public void Numerators_never_exceed_denominators_and_2B_2C_match_a_naive_recount()
    {
        long admitters = 0, episodes = 0, clients = 0;
        for (var seed = 1; seed <= 150; seed++)
        {
            var (events, people) = RandomFile(seed);
            foreach (var fy in new[] { 2023, 2024, 2025 })
            {
                var results = new List<CldMeasureResult> { Ascof2A.Compute(events, people, fy) };
                results.AddRange(Ascof2E.Compute(events, people, fy, false));
                results.AddRange(Ascof2E.Compute(events, people, fy, true));
                results.AddRange(Ascof3D.Compute(events, people, fy));
                var (from, to) = Ascof2DLocal.ReportingPeriod(fy, new DateOnly(2026, 3, 31));
                var (part1, part2) = Ascof2DLocal.Compute(events, people, from, to);
                results.Add(part1);
                results.Add(part2);
                foreach (var row in results.SelectMany(r => r.Rows.Select(x => (r.Code, Row: x))))
                {
                    Assert.True(row.Row.Numerator <= row.Row.Denominator, $"seed {seed} {fy} {row.Code} {row.Row}");
                    Assert.InRange(row.Row.Value, 0m, 100m);
                }

                var naive = NaiveNewAdmitters(events, people, fy);
                var (b, c) = Ascof2B2C.Compute(events, people, fy, new CldPopulation(fy, 100_000, 100_000));
                Assert.Equal(naive.Count, b.Numerator + c.Numerator);
                Assert.Equal(naive.Count(x => x.Value == Aged18To64), b.Numerator);
                admitters += naive.Count;
                episodes += results[0].Denominator;
                clients += results.Where(r => r.Code == Ascof3D.Code1A).Sum(r => r.Denominator);
            }
        }
        // The random files must reach every branch that matters: admissions, counted 2A episodes, community clients.
        Assert.True(admitters > 20 && episodes > 20 && clients > 20, $"admitters {admitters}, episodes {episodes}, clients {clients}");
    }
}
