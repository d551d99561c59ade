using Forecasting.Planning;
using Forecasting.Store.Planning;

namespace Forecasting.Planning.Tests;

[Trait("Category", "integration")]
public class LoaderTests
{
    private static readonly DateOnly AsOf = new(2025, 3, 31);

    [Fact]
    public void Loads_the_baseline_computed_by_hand()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        var b = new PlanningDataLoader(conn).Load(TestStore.Council, AsOf);

        Assert.Equal("snap-new", b.SnapshotId);
        // W1 open; W2 removed before; W3 added after; W4 removed after the as-of date; W5 another council.
        Assert.Equal(new Dictionary<string, int> { ["ld_autism"] = 1, ["mental_health"] = 1 }, b.WaitingList);
        // A1 (LD) in care; A2 left; A3 (no PSR, 70) -> older_dementia; A6 admitted later.
        Assert.Equal(new Dictionary<string, int> { ["ld_autism"] = 1, ["older_dementia"] = 1 }, b.StepDownCandidates);
        Assert.Equal(new Dictionary<string, double> { ["mental_health"] = 1 / 3.0 }, b.ResidentialMovesPerYear);
        // Residential admissions in the 12 months to the as-of date: A3 and A5 (A4 is nursing).
        Assert.Equal(new Dictionary<string, double> { ["older_dementia"] = 1, ["ld_autism"] = 1 }, b.ResidentialAdmissionsPerYear);
        Assert.Equal(["T1"], b.Transitions.Select(t => t.YoungPersonId));
        Assert.Equal(0.8, b.Transitions[0].Likelihood);
        Assert.Equal(
            [new AccommodationNeed("inpatient", "mental_health", new(2025, 3, 1), 1), new AccommodationNeed("inpatient", "mental_health", new(2025, 6, 1), 1)],
            b.AccommodationNeeds);

        var s1 = b.Schemes.Single(s => s.SchemeId == "S1");
        Assert.Equal((1, 1, 1, 1), (s1.Occupied, s1.Void, s1.Offline, s1.NoStatus));
        var s2 = b.Schemes.Single(s => s.SchemeId == "S2");
        Assert.False(s2.InArea);
        Assert.Equal(new DateOnly(2026, 6, 30), s2.DecommissionDate);
        Assert.Equal(1, s2.Occupied);

        Assert.Equal(2, b.Pipeline.Count);
        var working2025 = b.Population.Single(p => p.Year == 2025 && p.AgeGroup == PopulationAgeGroup.WorkingAge);
        Assert.Equal(1000, working2025.Population);
        Assert.Equal(20, b.Population.Single(p => p.Year == 2025 && p.AgeGroup == PopulationAgeGroup.Aged85Plus).Population);
        Assert.Equal(1100, b.Population.Single(p => p.Year == 2030).Population);

        // Flows: 60 months April 2020 - March 2025.
        var ldStarts = b.NewTenancies["ld_autism"];
        Assert.Equal(new DateOnly(2020, 4, 1), ldStarts.FirstMonth);
        Assert.Equal(60, ldStarts.Values.Length);
        Assert.Equal(1, ldStarts.Values.Sum());
        Assert.Equal(1, ldStarts.Values[58]);
        Assert.Equal(1, b.TenancyEnds["ld_autism"].Values[58]);
        Assert.Equal(1, b.TenancyEnds["ld_autism"].Values[59]);
        Assert.Equal(1, b.NewTenancies["mental_health"].Values[47]);
        Assert.Equal(0, b.NewTenancies["older_dementia"].Values.Sum());

        // Need arising: waiting-list additions W1 (Jan 2024), W2 (Jun 2024), W4 (Jan 2023) and the direct placements of
        // P1 (Feb 2025) and P3 (Mar 2024), who were never on the list nor in residential care.
        Assert.Equal([45, 50, 58], Months(b.NeedArising["ld_autism"]));
        Assert.Equal([33, 47], Months(b.NeedArising["mental_health"]));
        Assert.Equal(0, b.WaitingRemovals.Values.Sum(s => s.Values.Sum()));
        // Tenancies open on the first of each month: TN2 and TN4 until February 2025, TN2 and TN1 in March.
        Assert.All(b.HousedAtMonthStart["ld_autism"].Values, v => Assert.Equal(2, v));
        Assert.Equal(Enumerable.Repeat(0.0, 48).Concat(Enumerable.Repeat(1.0, 12)), b.HousedAtMonthStart["mental_health"].Values);
        // W1 from February 2024, W2 from July 2024 until January 2025.
        Assert.Equal(Enumerable.Repeat(0.0, 46).Concat(Enumerable.Repeat(1.0, 5)).Concat(Enumerable.Repeat(2.0, 7)).Concat(Enumerable.Repeat(1.0, 2)),
            b.WaitingAtMonthStart["ld_autism"].Values);
        // Two ends (TN4, TN2) over 36 months of two tenants.
        Assert.Equal(2 / 72.0, b.ExitRate("ld_autism"), 12);
        Assert.Equal(0, b.WaitingRemovalRate("ld_autism"));

        var strategy = Assert.Single(b.Strategies);
        Assert.Equal(551, strategy.TotalTarget);
        Assert.Equal(3, strategy.Phases.Count);
    }

    private static int[] Months(MonthlySeries s) =>
        s.Values.Select((v, i) => (v, i)).Where(x => x.v > 0).SelectMany(x => Enumerable.Repeat(x.i, (int)x.v)).ToArray();

    [Fact]
    public void Default_as_of_is_the_snapshots_stated_date_never_the_latest_row()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        // The latest rows are W3 (added 2025-04-05) and A6 (2025-06-01), but the current snapshot states 2025-03-31.
        var loader = new PlanningDataLoader(conn);
        Assert.Equal(new DateOnly(2025, 3, 31), loader.DefaultAsOf(TestStore.Council));
        // A stated date within a month: the end of the last complete month before it.
        TestStore.Exec(conn, "INSERT INTO snapshots (snapshot_id, created_at, source, table_counts, as_of_date) VALUES ('snap-mid', '2025-05-20 00:00:00', 'csv', '{}', '2025-05-15')");
        Assert.Equal(new DateOnly(2025, 4, 30), loader.DefaultAsOf(TestStore.Council));
    }
}

[Trait("Category", "integration")]
public class RepositoryTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = new(2025, 4, 1, 9, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now = Now.AddMinutes(1);
    }

    [Fact]
    public void Create_update_revisions_list_and_soft_delete()
    {
        using var conn = TestStore.Open();
        var repo = new ScenarioRepository(conn, new Clock());
        var a = repo.Create("E1", "Move 30 a year", new ScenarioLevers { ResidentialToSlMovesPerYear = 30 }, "lead", "paper annex");
        var other = repo.Create("E1", "Slip extra care", new ScenarioLevers { Slippage = [new SchemeSlippage("PL1", 12)] }, "analyst");
        repo.Create("E2", "Other council", ScenarioLevers.Baseline, "analyst");
        Assert.Equal(1, a.Revision);

        var a2 = repo.Update(a.ScenarioId, new ScenarioLevers { ResidentialToSlMovesPerYear = 20 }, "lead2");
        Assert.Equal(2, a2.Revision);
        Assert.Equal("Move 30 a year", a2.Name);
        Assert.Equal("paper annex", a2.Description);
        Assert.Equal(20, repo.Get(a.ScenarioId)!.Levers.ResidentialToSlMovesPerYear);
        Assert.Equal(30, repo.Get(a.ScenarioId, 1)!.Levers.ResidentialToSlMovesPerYear);
        Assert.Equal("lead", repo.Get(a.ScenarioId, 1)!.Author);
        Assert.True(repo.Get(a.ScenarioId, 2)!.CreatedAt > repo.Get(a.ScenarioId, 1)!.CreatedAt);

        var list = repo.List("E1");
        Assert.Equal([a.ScenarioId, other.ScenarioId], list.Select(s => s.ScenarioId));
        Assert.Equal(2, list[0].Revision);

        Assert.True(repo.Delete(other.ScenarioId, "lead"));
        Assert.False(repo.Delete(other.ScenarioId, "lead"));
        Assert.Null(repo.Get(other.ScenarioId));
        Assert.True(repo.Get(other.ScenarioId, includeDeleted: true)!.Deleted);
        Assert.False(repo.Get(other.ScenarioId, 1)!.Deleted);
        Assert.Equal([a.ScenarioId], repo.List("E1").Select(s => s.ScenarioId));
        Assert.Equal(2, repo.List("E1", includeDeleted: true).Count);
        Assert.Equal(2, repo.Revisions(other.ScenarioId).Count);
        Assert.Throws<KeyNotFoundException>(() => repo.Update(other.ScenarioId, ScenarioLevers.Baseline, "lead"));
        Assert.Throws<ScenarioValidationException>(() => repo.Create("E1", " ", ScenarioLevers.Baseline, "lead"));
    }

    [Fact]
    public void Strategy_versions_are_added_and_earlier_ones_stay_readable()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        var repo = new StrategyRepository(conn, new Clock());
        var v2 = repo.CreateVersion(TestStore.Council, "sl-2021", "R. Okafor", "Re-based to 467 units for 2024-31",
            [new StrategyPhase("Refresh", 2024, 2030, 467)], startFy: 2024);
        Assert.Equal(2, v2.Version);
        var s = repo.Get(TestStore.Council, "sl-2021")!;
        Assert.Equal([1, 2], s.Versions.Select(v => v.Version));
        Assert.Equal(551, s.Get(1)!.TotalTarget);
        Assert.Equal(467, s.Latest.TotalTarget);
        Assert.Equal("Re-based to 467 units for 2024-31", s.Latest.Reason);
        Assert.Equal(2024, s.Latest.StartFy);
        var ex = Assert.Throws<ScenarioValidationException>(() => repo.CreateVersion(TestStore.Council, "sl-2021", "x", "", [new StrategyPhase("A", 2024, 2030, 1)]));
        Assert.Contains(ex.Errors, e => e.Field == "reason");
        Assert.Equal(2, repo.List(TestStore.Council).Count);
    }

    [Fact]
    public void Strategy_versions_with_group_targets_are_stored_and_read_back()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        var repo = new StrategyRepository(conn, new Clock());
        StrategyTarget[] targets =
        [
            new(ClientGroups.LdAutism, 2025, 40), new(ClientGroups.LdAutism, 2026, 60), new(ClientGroups.MentalHealth, null, 100),
        ];
        var ex = Assert.Throws<ScenarioValidationException>(() => repo.CreateVersion(TestStore.Council, "sl-2021", "R. Okafor", "per group",
            [], targets: [.. targets, new StrategyTarget("x", 2025, 1)]));
        Assert.Contains(ex.Errors, e => e.Field == "targets[3].client_group" && e.Reason == "unknown client group 'x'");

        var v2 = repo.CreateVersion(TestStore.Council, "sl-2021", "R. Okafor", "per group", [], targets: targets);
        var read = repo.Get(TestStore.Council, "sl-2021")!;
        Assert.Equal(targets.OrderBy(t => t.ClientGroup).ThenBy(t => t.Fy ?? 0), read.Get(2)!.Targets.OrderBy(t => t.ClientGroup).ThenBy(t => t.Fy ?? 0));
        Assert.Empty(read.Get(1)!.Targets);
        Assert.Equal(200, read.Latest.TotalTarget);
        // mental_health 100 over 2021/22-2030/31 is 10 a year: 50 by 2025/26; ld_autism 40 by then.
        Assert.Equal(90, read.Latest.CumulativeTargetDue(2025), 9);
        Assert.Equal(v2.Targets.ToHashSet(), repo.List(TestStore.Council).Single(v => v.Version == 2).Targets.ToHashSet());
    }
}

[Trait("Category", "integration")]
public class RunnerTests
{
    [Fact]
    public void Baseline_result_is_stored_and_reloads_equal_and_an_empty_scenario_matches_it()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        var runner = TestStore.Runner(conn, new FlatProjector(0.2));
        var options = new RunOptions(Draws: 500, Seed: 7, AsOf: new DateOnly(2025, 3, 31));
        var baseline = runner.RunBaseline(TestStore.Council, options);
        Assert.Equal("snap-new", baseline.SnapshotId);
        Assert.StartsWith("fr-", baseline.ForecastRunId);
        Assert.Equal(7, baseline.Seed);
        Assert.Equal("sl-2021", baseline.Projection.StrategyId);
        Assert.Equal(new ProjectionPeriod(2025, 2030), baseline.Projection.Period);

        var stored = runner.Repository.GetResult(baseline.ResultId)!;
        Assert.Equal(ScenarioJson.Serialize(baseline), ScenarioJson.Serialize(stored));
        Assert.Equal(baseline.Projection.Shortfall, stored.Projection.Shortfall);
        Assert.Equal(baseline.Simulation!.Rows, stored.Simulation!.Rows);

        var empty = runner.Repository.Create(TestStore.Council, "nothing changed", ScenarioLevers.Baseline, "lead");
        var again = runner.Run(empty, options);
        Assert.Equal(baseline.Projection.Shortfall, again.Projection.Shortfall);
        Assert.Equal(baseline.Simulation.Rows, again.Simulation!.Rows);
        Assert.Equal(empty.ScenarioId, again.ScenarioId);
        Assert.Equal(1, again.ScenarioRevision);
        Assert.Single(runner.Repository.ListResults(empty.ScenarioId));
        Assert.Single(runner.Repository.ListResults(null, TestStore.Council));
    }

    [Fact]
    public void Compare_reports_per_year_deltas_against_the_baseline()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        var runner = TestStore.Runner(conn, new FlatProjector(0.2));
        var repo = runner.Repository;
        var build = repo.Create(TestStore.Council, "build 10", new ScenarioLevers
        {
            NewSchemes = [new NewScheme("Extra", 10, "supported_living", ClientGroups.LdAutism, new(2026, 1, 15))],
        }, "lead");
        var moves = repo.Create(TestStore.Council, "move 2 a year", new ScenarioLevers { ResidentialToSlMovesPerYear = 2 }, "lead");
        var cmp = runner.Compare(TestStore.Council, [build, moves], new RunOptions(Draws: 400, Seed: 3, AsOf: new DateOnly(2025, 3, 31)));
        Assert.Equal(2, cmp.Results.Count);
        // New scheme, confirmed (0.95), in 2025/26: 9.5 units less the ld void allowance add to supply; the people it houses leave at the exit rate instead of waiting (no one leaves the list
        // here), so demand falls a little too and the shortfall falls by a little more than that.
        var b2026 = cmp.Rows.Single(r => r.Fy == 2026 && r.ClientGroup == ClientGroups.LdAutism && r.ScenarioId is null);
        var build2026 = cmp.Rows.Single(r => r.Fy == 2026 && r.ClientGroup == ClientGroups.LdAutism && r.ScenarioId == build.ScenarioId);
        Assert.Equal(0, b2026.DeltaVsBaseline);
        // 400 draws of a 0.95 delivery: 9.5 x (1 - the group's void allowance) within four standard errors (10 x sqrt(0.95 x 0.05 / 400) = 0.11).
        var kept = 1 - cmp.Results[0].Projection.Basis.VoidRates[ClientGroups.LdAutism];
        Assert.InRange(build2026.Supply - b2026.Supply, 9.5 * kept - 0.44, 9.5 * kept + 0.44);
        Assert.InRange(build2026.DeltaVsBaseline, -(build2026.Supply - b2026.Supply) - 0.5, -(build2026.Supply - b2026.Supply) + 1e-9);
        Assert.Equal(build2026.ShortfallCumulative - b2026.ShortfallCumulative, build2026.DeltaVsBaseline, 9);
        // Two moves a year split by the observed pace (the one observed move is mental_health's): 2 a year to mental
        // health, none to ld_autism. Mental health has no units in area, so by March 2028 six have arrived and wait
        // (fewer only if some die while waiting or out-of-area units are let to some of them).
        var moves2027 = cmp.Rows.Single(r => r.Fy == 2027 && r.ClientGroup == ClientGroups.MentalHealth && r.ScenarioId == moves.ScenarioId);
        Assert.InRange(moves2027.DeltaVsBaseline, 4.5, 6 + 1e-9);
        Assert.NotNull(moves2027.ShortfallP50);
        Assert.Equal(0, cmp.Rows.Single(r => r.Fy == 2027 && r.ClientGroup == ClientGroups.LdAutism && r.ScenarioId == moves.ScenarioId).DeltaVsBaseline, 9);
    }

    [Fact]
    public void Invalid_levers_fail_the_run_with_named_errors()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        var runner = TestStore.Runner(conn, new FlatProjector());
        var levers = new ScenarioLevers { StrategyId = "sl-2021", StrategyVersion = 9, CancelledSchemes = ["nope"] };
        var errors = runner.Validate(TestStore.Council, levers, new DateOnly(2025, 3, 31));
        Assert.Contains(errors, e => e.Field == "strategy_version");
        Assert.Contains(errors, e => e.Field == "cancelled_schemes[0]");
        var ex = Assert.Throws<ScenarioValidationException>(() =>
            runner.Run(TestStore.Council, levers, "bad", null, null, new RunOptions(Draws: 10, AsOf: new DateOnly(2025, 3, 31))));
        Assert.Contains(ex.Errors, e => e.Field == "strategy_version");
    }
}
