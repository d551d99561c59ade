using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// ONS-style mid-year estimates 2015-2024 and 2022-based projections (low, principal, high)
/// 2022-2035. Working age is about 224,000 and 65+ about 41,000 around 2019, the older bands
/// growing fastest; the 85+ band dips in 2020 and 2021.
/// </summary>
public sealed class PopulationGenerator
{
    public const string EstimateSource = "ONS MYE 2024";
    public const string ProjectionSource = "ONS 2022-based SNPP";
    public static readonly string[] Bands = { "0-17", "18-24", "25-64", "65-74", "75-84", "85+" };

    private static readonly double[] Base2015 = { 71_800, 43_500, 174_600, 20_600, 12_700, 5_050 };
    private static readonly double[] Growth = { 0.006, 0.003, 0.0055, 0.011, 0.019, 0.024 };
    private static readonly double[] VariantSpread = { 0.004, 0.0035, 0.0035, 0.005, 0.005, 0.006 };

    private readonly Dictionary<(int Year, string Band), int> _estimates = new();
    private readonly List<(int Year, string Band, string Variant, string Source, int Value)> _rows = new();

    public PopulationGenerator(int seed)
    {
        var rng = Rng.For(seed, "population");
        for (var year = 2015; year <= 2024; year++)
        {
            for (var b = 0; b < Bands.Length; b++)
            {
                var value = Base2015[b] * Math.Pow(1 + Growth[b], year - 2015) * (1 + 0.002 * rng.Normal());
                if (Bands[b] == "85+" && year == 2020) value *= 0.975;
                if (Bands[b] == "85+" && year >= 2021) value *= 0.96;
                var rounded = (int)Math.Round(value);
                _estimates[(year, Bands[b])] = rounded;
                _rows.Add((year, Bands[b], "estimate", EstimateSource, rounded));
            }
        }

        foreach (var (variant, sign) in new[] { ("low", -1), ("principal", 0), ("high", 1) })
        {
            for (var b = 0; b < Bands.Length; b++)
            {
                double value = _estimates[(2022, Bands[b])];
                for (var year = 2022; year <= 2035; year++)
                {
                    if (year > 2022) value *= 1 + Growth[b] + sign * VariantSpread[b];
                    _rows.Add((year, Bands[b], variant, ProjectionSource, (int)Math.Round(value)));
                }
            }
        }
    }

    /// <summary>Every row of population.csv: year, band, variant, source and count.</summary>
    public IReadOnlyList<(int Year, string Band, string Variant, string Source, int Value)> Rows => _rows;

    public int Estimate(int year, string band) => _estimates[(year, band)];

    public int WorkingAge(int year) => Estimate(year, "18-24") + Estimate(year, "25-64");

    public int Older(int year) => Estimate(year, "65-74") + Estimate(year, "75-84") + Estimate(year, "85+");

    public CsvTable Table()
    {
        var table = new CsvTable("population.csv", "council_code", "year", "age_band", "variant", "source", "population");
        var variantOrder = new[] { "estimate", "low", "principal", "high" };
        foreach (var r in _rows.OrderBy(r => Array.IndexOf(variantOrder, r.Variant)).ThenBy(r => r.Year).ThenBy(r => Array.IndexOf(Bands, r.Band)))
            table.Add(Council.Code, Fmt.I(r.Year), r.Band, r.Variant, r.Source, Fmt.I(r.Value));
        return table;
    }
}
