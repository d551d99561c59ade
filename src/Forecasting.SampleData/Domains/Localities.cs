using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

public sealed record Locality(string Code, string Name, DateOnly ValidFrom, DateOnly? ValidTo, string? ReplacedBy, double Weight)
{
    public bool ValidOn(DateOnly date) => date >= ValidFrom && (ValidTo is null || date < ValidTo);
}

/// <summary>
/// Seven localities from the unitary council's creation in 1997; a ward review on 1 April 2020
/// merged Riverside and Abbey Park into one locality, so rows dated from then use HBC08.
/// </summary>
public sealed class Localities
{
    public static readonly DateOnly Created = new(1997, 4, 1);
    public static readonly DateOnly WardReview = new(2020, 4, 1);

    public IReadOnlyList<Locality> All { get; } = new[]
    {
        new Locality("HBC01", "Harbridge Central", Created, null, null, 0.18),
        new Locality("HBC02", "Northfield", Created, null, null, 0.16),
        new Locality("HBC03", "Eastgate", Created, null, null, 0.15),
        new Locality("HBC04", "Westbrook", Created, null, null, 0.14),
        new Locality("HBC05", "Southmere", Created, null, null, 0.15),
        new Locality("HBC06", "Riverside", Created, WardReview, "HBC08", 0.12),
        new Locality("HBC07", "Abbey Park", Created, WardReview, "HBC08", 0.10),
        new Locality("HBC08", "Riverside and Abbey Park", WardReview, null, null, 0.22),
    };

    private readonly Weighted<string> _before;
    private readonly Weighted<string> _after;

    public Localities()
    {
        _before = new Weighted<string>(All.Where(l => l.ValidOn(WardReview.AddDays(-1))).Select(l => (l.Code, l.Weight)).ToArray());
        _after = new Weighted<string>(All.Where(l => l.ValidOn(WardReview)).Select(l => (l.Code, l.Weight)).ToArray());
    }

    /// <summary>A locality code valid on the given date, weighted by the localities' size.</summary>
    public string At(DateOnly date, Rng rng) => (date < WardReview ? _before : _after).Pick(rng);

    /// <summary>The code in use today for a code that may have been retired.</summary>
    public string Current(string code) => All.First(l => l.Code == code).ReplacedBy ?? code;

    public CsvTable Table()
    {
        var table = new CsvTable("localities.csv", "council_code", "locality_code", "name", "valid_from", "valid_to", "replaced_by");
        foreach (var l in All) table.Add(Council.Code, l.Code, l.Name, Fmt.D(l.ValidFrom), Fmt.D(l.ValidTo), l.ReplacedBy);
        return table;
    }
}
