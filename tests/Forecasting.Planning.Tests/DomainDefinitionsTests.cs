using Forecasting.Domain;

namespace Forecasting.Planning.Tests;

/// <summary>Definitions declared once and rendered to SQL give the same answers in DuckDB as in C#.</summary>
[Trait("Category", "integration")]
public class DomainDefinitionsTests
{
    [Fact]
    public void Financial_year_in_sql_matches_csharp_across_the_year_boundary()
    {
        using var conn = TestStore.Open();
        DateOnly[] dates = [new(2024, 3, 31), new(2024, 4, 1), new(2024, 12, 31), new(2025, 1, 1), new(2025, 3, 31), new(2025, 4, 1), new(2000, 2, 29)];
        foreach (var date in dates)
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT {FinancialYear.Sql("DATE '" + date.ToString("yyyy-MM-dd") + "'")}, {FinancialYear.SqlStart("DATE '" + date.ToString("yyyy-MM-dd") + "'")}";
            using var reader = cmd.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(FinancialYear.Of(date), Convert.ToInt32(reader.GetValue(0)));
            var start = reader.GetValue(1);
            Assert.Equal(FinancialYear.Start(FinancialYear.Of(date)), start is DateOnly d ? d : DateOnly.FromDateTime(Convert.ToDateTime(start)));
        }
        Assert.Equal("2024/25", FinancialYear.Label(2024));
        Assert.Equal("2099/00", FinancialYear.Label(2099));
        Assert.True(FinancialYear.TryParseLabel("2024/25", out var fy) && fy == 2024);
        Assert.False(FinancialYear.TryParseLabel("2024/26", out _));
        Assert.Equal(4, FinancialYear.QuarterOf(new DateOnly(2025, 3, 1)));
        Assert.Equal(1, FinancialYear.QuarterOf(new DateOnly(2025, 4, 30)));
    }

    [Fact]
    public void Primary_need_mapping_in_sql_matches_csharp_and_unknown_needs_map_to_nothing()
    {
        using var conn = TestStore.Open();
        foreach (var need in Vocabulary.PrimaryNeeds.Append("something_else"))
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT {ClientGroupMapping.PrimaryNeedSql("x")} FROM (SELECT '{need}' AS x)";
            var value = cmd.ExecuteScalar();
            Assert.Equal(ClientGroupMapping.FromPrimaryNeed(need), value is DBNull or null ? null : (string)value);
        }
        Assert.Equal("ld_autism", ClientGroups.FromPrimaryNeed("autism"));
        Assert.Equal("physical_sensory", ClientGroups.FromPrimaryNeed("physical"));
        Assert.Null(ClientGroups.FromPrimaryNeed("something_else"));
        Assert.All(Vocabulary.PrimaryNeeds, n => Assert.NotNull(ClientGroupMapping.FromPrimaryNeed(n)));
    }
}
