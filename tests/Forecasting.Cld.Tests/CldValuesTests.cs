using Forecasting.Cld.Model;

namespace Forecasting.Cld.Tests;

[Trait("Category", "unit")]
public class CldValuesTests
{
    [Theory]
    // Born May 1960 (first of the month 1960-05-01): 65 on 2025-05-01 is 23,741 days = 64.999 years of 365.25 days.
    [InlineData(1960, 5, 17, 2025, 5, 1, 64)]
    [InlineData(1960, 5, 17, 2025, 5, 2, 65)]
    [InlineData(2000, 1, 31, 2018, 1, 1, 18)]
    public void Age_counts_whole_years_of_365_25_days_from_the_first_of_the_birth_month(int by, int bm, int bd, int y, int m, int d, int expected) =>
        Assert.Equal(expected, CldValues.Age(new DateOnly(by, bm, bd), new DateOnly(y, m, d)));

    [Fact]
    public void Values_compare_without_case_or_trailing_blanks()
    {
        Assert.True(CldValues.Same("SERVICE USER  ", "Service user"));
        Assert.False(CldValues.Same("Community / Other route", "Community or other route"));
        Assert.False(CldValues.Same(null, null));
    }
}
