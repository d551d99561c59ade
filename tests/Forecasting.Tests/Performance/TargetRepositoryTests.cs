using Forecasting.Domain;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Store.Performance;

namespace Forecasting.Tests.Performance;

/// <summary>Each test has its own store: adding a version changes it.</summary>
[Trait("Category", "integration")]
public sealed class TargetRepositoryTests : IDisposable
{
    private const string Council = PerformanceStore.Council;
    private static readonly DateTimeOffset Now = new DateTimeOffset(2024, 10, 7, 14, 30, 15, TimeSpan.Zero).AddTicks(1234567);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private readonly PerformanceStore _fixture = new();
    private TargetRepository Targets => new(_fixture.Store, new FixedClock(Now));

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void The_imported_version_is_current_until_the_api_adds_the_next()
    {
        var imported = Targets.Current(Council, "ascof_2a2", 2024);
        Assert.Equal(new TargetVersion(Council, "ascof_2a2", 2024, 1, 653.2, 20, new DateTimeOffset(2024, 3, 15, 10, 0, 0, TimeSpan.Zero),
            "finance", "Set with the 2024/25 budget"), imported);

        var added = Targets.Add(Council, "ascof_2a2", 2024, 641, null, "strategy.lead", "Re-based after the Q3 estimate of 641");

        Assert.Equal(2, added.Version);
        // Default amber margin: 5% of 641 = 32.05.
        Assert.Equal(32.05, added.AmberMargin, 12);
        // Stored to the microsecond: the version returned is the version read back.
        Assert.Equal(Now.AddTicks(-7), added.CreatedAt);
        Assert.Equal(added, Targets.Current(Council, "ascof_2a2", 2024));
        // The other year and the other council keep their targets.
        Assert.Equal(1, Targets.Current(Council, "ascof_2a2", 2023)!.Version);
        Assert.Equal(500, Targets.Current(PerformanceStore.OtherCouncil, "ascof_2a2", 2024)!.Target);
    }

    [Fact]
    public void The_next_version_is_one_above_the_highest_stored_whoever_made_it()
    {
        // ascof_2b1 2024/25 was imported as versions 1 and 3.
        Assert.Equal(3, Targets.Current(Council, "ascof_2b1", 2024)!.Version);
        Assert.Equal(4, Targets.Add(Council, "ascof_2b1", 2024, 89, 1.5, "a", "r").Version);
        Assert.Equal(5, Targets.Add(Council, "ascof_2b1", 2024, 89.5, 1.5, "a", "r").Version);
        // A year with no target starts at version 1.
        var first = Targets.Add(Council, "ascof_2b1", 2025, 91, 0, "a", "r");
        Assert.Equal((1, 0.0), (first.Version, first.AmberMargin));
    }

    [Fact]
    public void List_orders_by_measure_and_year_newest_version_first()
    {
        Targets.Add(Council, "ascof_2a2", 2024, 641, 30, "strategy.lead", "Re-based");

        var all = Targets.List(Council);
        Assert.Equal(
            new[] { ("ascof_2a2", 2023, 1), ("ascof_2a2", 2024, 2), ("ascof_2a2", 2024, 1), ("ascof_2b1", 2024, 3), ("ascof_2b1", 2024, 1) },
            all.Select(t => (t.Measure, t.FinancialYear, t.Version)));
        Assert.All(all, t => Assert.Equal(Council, t.CouncilCode));

        Assert.Equal(new[] { 3, 1 }, Targets.List(Council, "ascof_2b1").Select(t => t.Version));
        Assert.Empty(Targets.List(Council, "ascof_1g"));
        Assert.Empty(Targets.List(PerformanceStore.EmptyCouncil));
    }

    [Fact]
    public void The_default_margin_is_five_percent_of_the_size_of_the_target()
    {
        var negative = Targets.Add(Council, "spend", 2024, -4000, null, "a", "r");
        Assert.Equal(200, negative.AmberMargin, 12);
        var zero = Targets.Add(Council, "waiting_for_assessment", 2024, 0, null, "a", "r");
        Assert.Equal(0, zero.AmberMargin);
    }

    [Theory]
    [InlineData("", "ascof_2a2", 600.0, 10.0, "why", "council_code")]
    [InlineData(Council, "no_such_measure", 600.0, 10.0, "why", "measure")]
    [InlineData(Council, "", 600.0, 10.0, "why", "measure")]
    [InlineData(Council, "ascof_2a2", double.NaN, 10.0, "why", "target")]
    [InlineData(Council, "ascof_2a2", double.PositiveInfinity, 10.0, "why", "target")]
    [InlineData(Council, "ascof_2a2", 600.0, -0.5, "why", "amber_margin")]
    [InlineData(Council, "ascof_2a2", 600.0, double.NaN, "why", "amber_margin")]
    [InlineData(Council, "ascof_2a2", 600.0, 10.0, "", "reason")]
    [InlineData(Council, "ascof_2a2", 600.0, 10.0, "   ", "reason")]
    public void Invalid_input_names_the_field_and_writes_nothing(string council, string measure, double target, double margin, string reason, string field)
    {
        var before = Targets.List(Council).Count;
        var error = Assert.ThrowsAny<InvalidArgumentException>(() => Targets.Add(council, measure, 2024, target, margin, "a", reason));
        Assert.Equal(field, error.Field);
        Assert.Equal(before, Targets.List(Council).Count);
    }

    [Fact]
    public void A_reason_may_have_2000_characters_but_not_more_and_the_year_and_author_are_checked()
    {
        Assert.Equal(2000, Targets.Add(Council, "ascof_2a2", 2024, 600, 10, "a", new string('x', 2000)).Reason.Length);
        Assert.Equal("reason", Assert.ThrowsAny<InvalidArgumentException>(
            () => Targets.Add(Council, "ascof_2a2", 2024, 600, 10, "a", new string('x', 2001))).Field);
        Assert.Equal("financial_year", Assert.ThrowsAny<InvalidArgumentException>(
            () => Targets.Add(Council, "ascof_2a2", 24, 600, 10, "a", "r")).Field);
        // ASCOF 1G follows the 2023/24 definition: no target before that year.
        Assert.Equal("financial_year", Assert.ThrowsAny<InvalidArgumentException>(
            () => Targets.Add(Council, "ascof_1g", 2022, 75, 2, "a", "r")).Field);
        Assert.Equal(1, Targets.Add(Council, "ascof_1g", 2023, 75, 2, "a", "r").Version);
        Assert.Equal("author", Assert.ThrowsAny<InvalidArgumentException>(
            () => Targets.Add(Council, "ascof_2a2", 2024, 600, 10, "", "r")).Field);
        Assert.Equal("measure", Assert.ThrowsAny<InvalidArgumentException>(() => Targets.List(Council, "no_such_measure")).Field);
    }

    [Fact]
    public void An_unknown_council_is_not_found_and_gets_no_row()
    {
        Assert.Throws<KeyNotFoundException>(() => Targets.Add("E09999999", "ascof_2a2", 2024, 600, 10, "a", "r"));
        Assert.Throws<KeyNotFoundException>(() => Targets.List("E09999999"));
        Assert.Throws<KeyNotFoundException>(() => Targets.Current("E09999999", "ascof_2a2", 2024));
        using var connection = _fixture.Store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM measure_targets WHERE council_code = 'E09999999'";
        Assert.Equal(0L, Convert.ToInt64(cmd.ExecuteScalar()));
    }

    [Fact]
    public void A_version_added_through_the_api_survives_a_reimport_of_the_targets_file()
    {
        var added = Targets.Add(Council, "ascof_2a2", 2024, 641, 30, "strategy.lead", "Re-based");
        Assert.True(new DataImporter(_fixture.Store).ImportDirectory(_fixture.Extract).Succeeded);
        Assert.Equal(added, Targets.Current(Council, "ascof_2a2", 2024));
        Assert.Equal(1, Targets.List(Council, "ascof_2a2").Single(t => t.FinancialYear == 2024 && t.Version == 1).Version);
    }

    [Fact]
    public void A_version_added_through_the_api_survives_reopening_the_store()
    {
        var added = Targets.Add(Council, "ascof_2a2", 2024, 641, 30, "strategy.lead", "Re-based");
        var path = _fixture.Store.DatabasePath;
        _fixture.Store.Dispose();
        using var reopened = new ForecastingStore(new StoreOptions { Path = path });
        Assert.Equal(added, new TargetRepository(reopened).Current(Council, "ascof_2a2", 2024));
    }
}
