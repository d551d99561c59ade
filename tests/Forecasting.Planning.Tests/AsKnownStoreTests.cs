using Forecasting.Planning;
using Forecasting.Store.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>The loader's baseline at an earlier as-of date uses only what was recorded by then (hand-made store).</summary>
[Trait("Category", "integration")]
public class AsKnownStoreTests
{
    [Fact]
    public void A_list_entry_made_after_the_as_of_date_does_not_turn_a_direct_placement_into_a_listed_one()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        // P1 was housed on 10 February 2025 without being on the list; a list entry recorded in April came later.
        TestStore.Exec(conn, "INSERT INTO waiting_list VALUES ('E00000001', 'P1', '2025-04-20', 'ld_autism', 'shared', '25-64', NULL, NULL)");
        var b = new PlanningDataLoader(conn).Load(TestStore.Council, new DateOnly(2025, 3, 31));
        var arising = b.NeedArising[ClientGroups.LdAutism];
        // No list additions in February 2025, one direct placement (TN1).
        Assert.Equal(1, arising.Values[MonthIndex.Of(2025, 2) - arising.FirstMonthIndex]);
    }

    [Fact]
    public void Before_its_status_date_a_pipeline_scheme_has_the_lead_time_status_named_in_the_substitutions()
    {
        using var conn = TestStore.Open();
        TestStore.Seed(conn);
        var loader = new PlanningDataLoader(conn);
        // PL1 (confirmed on 2025-01-01, expected June 2026): 18 months ahead on 31 December 2024, so in_procurement then.
        var early = loader.Load(TestStore.Council, new DateOnly(2024, 12, 31));
        Assert.Equal(PipelineStatuses.InProcurement, early.Pipeline.Single(p => p.PipelineId == "PL1").Status);
        Assert.Contains(early.Substitutions, s => s.Contains("(PL1 in_procurement)"));
        var now = loader.Load(TestStore.Council, new DateOnly(2025, 3, 31));
        Assert.Equal(PipelineStatuses.Confirmed, now.Pipeline.Single(p => p.PipelineId == "PL1").Status);
        Assert.Equal(new DateOnly(2025, 1, 1), now.Pipeline.Single(p => p.PipelineId == "PL1").StatusDate);
        Assert.DoesNotContain(now.Substitutions, s => s.Contains("pipeline status"));
        // Tenancies from June 2019, the waiting list from January 2023: records start with the later.
        Assert.Equal(new DateOnly(2023, 1, 1), now.RecordsStartMonth);
    }
}
