using Forecasting.Cld.Measures;
using Forecasting.Domain;
using static Forecasting.Cld.Tests.Measures.Cld;

namespace Forecasting.Cld.Tests.Measures;

[Trait("Category", "unit")]
public class CldMeasureCatalogueTests
{
    [Theory]
    [InlineData("1C(2A)", "2020-06-01", "3D(2a)")]
    [InlineData("2A(2)", "2022-06-01", "2C")]
    [InlineData("2D", "2020-06-01", "2A")] // before 2023-24, 2D was the short-term services outcome
    [InlineData("2D(1)", "2024-06-01", "2D(1)")]
    [InlineData("1G", "2019-06-01", "2E LD")]
    [InlineData("3d(1b)", "2024-06-01", "3D(1b)")]
    public void Old_codes_resolve_to_the_new_measure_while_they_were_in_use(string code, string on, string expected) =>
        Assert.Equal(expected, CldMeasureCatalogue.Resolve(code, D(on)).Code);

    [Theory]
    [InlineData("1C(2A)", "2024-06-01")] // retired with the 2023-24 framework
    [InlineData("2B", "2020-06-01")] // 2B then meant reablement, not admissions
    [InlineData("9Z", "2024-06-01")]
    public void Codes_outside_their_dates_or_unknown_are_refused(string code, string on) =>
        Assert.Throws<InvalidArgumentException>(() => CldMeasureCatalogue.Resolve(code, D(on)));

    [Fact]
    public void Codes_are_unique_and_percentages_say_which_way_is_better()
    {
        var codes = CldMeasureCatalogue.All.Select(m => m.Code).Concat(CldMeasureCatalogue.All.SelectMany(m => m.Aliases).Select(a => a.Code)).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(CldMeasureCatalogue.All.Where(m => m.Unit == CldUnit.Percent), m => Assert.NotNull(m.HigherIsBetter));
    }
}
