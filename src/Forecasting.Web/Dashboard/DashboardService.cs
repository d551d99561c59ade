using System.Globalization;
using Forecasting.Store.Analytics;
using Forecasting.Application.Forecasts;
using Forecasting.Domain;
using Forecasting.Store;
using Forecasting.Web.Security;

namespace Forecasting.Web.Dashboard;

/// <summary>The council a page is about, its name, and the data snapshot every figure on the page comes from.</summary>
public sealed record DataContext(
    string CouncilCode,
    string CouncilName,
    IReadOnlyList<CouncilRecord> Councils,
    string SnapshotId,
    DateTime SnapshotCreated,
    DateOnly? DataTo)
{
    public string DataToText => DataTo is { } d ? Words.Date(d) : "unknown";
}

/// <summary>A rate per 100,000 in the latest financial year and the one before.</summary>
public sealed record RateComparison(string Name, string AgeGroup, IReadOnlyList<RateValue> Points, string Denominator)
{
    public RateValue? ThisYear => Points.Count > 0 ? Points[^1] : null;
    public RateValue? LastYear => Points.Count > 1 ? Points[^2] : null;
}

/// <summary>The figures of the council overview, each from the query or use case the gRPC API answers the same question with.</summary>
public sealed record Overview(
    DataContext Context,
    YearEndAnswer Contacts,
    RateComparison WorkingAge,
    RateComparison OlderPeople,
    TableRow? Units,
    DateOnly? UnitsAsOf,
    TableRow? WaitingList,
    int TransitionsFromFy,
    int TransitionsToFy,
    DataTable UnitsTable,
    DataTable RatesTable,
    DataTable TransitionsTable);

/// <summary>One of the council's pipeline schemes, as the scenario form offers it.</summary>
public sealed record SchemeChoice(string PipelineId, string Name, string Category, string Status, string ClientGroup, double Units, string DueYear)
{
    /// <summary>As members know it: "Northfield Extra Care (extra care, 75 units) for older people and dementia, in procurement, due 2026/27".</summary>
    public string Describe() =>
        $"{Name} ({Words.Category(Category)}, {Words.Number(Units)} units) for {Words.ClientGroup(ClientGroup).ToLowerInvariant()}, {Words.Status(Status)}, due {DueYear}";

    /// <summary>A scheme still to come can open late or be cancelled; one delivered or failed cannot.</summary>
    public bool CanSlip => Status is not (Forecasting.Planning.PipelineStatuses.Delivered or Forecasting.Planning.PipelineStatuses.Failed);
}

/// <summary>Thrown when the store holds no data the signed-in key may see.</summary>
public sealed class NoCouncilException() : Exception("no council's data is available to this key");

/// <summary>
/// Reads the overview's figures through <see cref="AnalyticsQueries"/> and <see cref="ForecastUseCases"/>, called
/// as the gRPC services call them (same arguments, same defaults), limited to the signed-in key's councils.
/// </summary>
public sealed class DashboardService(AnalyticsQueries analytics, ForecastUseCases forecasts, IStoreStatus status)
{
    /// <summary>The council to show: the one asked for (if the key may see it), else the first the key may see.</summary>
    public DataContext Context(WebUser user, string? council)
    {
        var report = status.Read(user.Councils);
        var councils = report.Councils.Where(c => user.CanSee(c.CouncilCode)).OrderBy(c => c.CouncilCode, StringComparer.Ordinal).ToList();
        if (!string.IsNullOrEmpty(council) && councils.All(c => c.CouncilCode != council)) throw new KeyNotFoundException($"no council '{council}'");
        if (report.Snapshot is null || councils.Count == 0) throw new NoCouncilException();
        var chosen = string.IsNullOrEmpty(council) ? councils[0] : councils.First(c => c.CouncilCode == council);
        var contacts = report.Tables.FirstOrDefault(t => t.Table == "contacts")?.MaxDate;
        DateOnly? dataTo = DateOnly.TryParse(contacts, CultureInfo.InvariantCulture, out var d) ? d : null;
        return new DataContext(chosen.CouncilCode, chosen.Name, councils, report.Snapshot.SnapshotId, report.Snapshot.CreatedAt, dataTo);
    }

    /// <summary>
    /// The council's pipeline schemes, from the query the API's GetPipeline answers with (broken down per scheme): its
    /// status and client group, then its name and category (a query takes at most four breakdowns).
    /// </summary>
    public IReadOnlyList<SchemeChoice> PipelineSchemes(WebUser user, string council, CancellationToken ct)
    {
        var names = analytics.Pipeline(council, null, ["pipeline_id", "name", "category"], user.Councils, ct).Rows
            .GroupBy(r => r.Dimensions["pipeline_id"]).ToDictionary(g => g.Key, g => (Name: g.First().Dimensions["name"], Category: g.First().Dimensions["category"]));
        return analytics.Pipeline(council, null, ["pipeline_id", "status", "client_group"], user.Councils, ct).Rows
            .Select(r =>
            {
                var id = r.Dimensions["pipeline_id"];
                var (name, category) = names.TryGetValue(id, out var n) ? n : (id, "");
                return new SchemeChoice(id, name, category, r.Dimensions["status"], r.Dimensions["client_group"], r.Measures["units"], r.Dimensions["financial_year"]);
            })
            .OrderBy(s => s.PipelineId, StringComparer.Ordinal)
            .ToList();
    }

    public Overview Overview(WebUser user, string? council, CancellationToken ct)
    {
        var context = Context(user, council);
        var code = context.CouncilCode;
        // EstimateYearEnd with no year, months or levels, as the API's EstimateYearEnd with an empty request.
        var contacts = forecasts.EstimateYearEnd(new SeriesQuery("contacts", code), null, 0, null, ct);
        var workingAge = Rate("ASCOF 2A(1): permanent admissions of people aged 18 to 64", "18-64", code, ct);
        var older = Rate("ASCOF 2A(2): permanent admissions of people aged 65 and over", "65+", code, ct);

        var units = analytics.StockSnapshot("units", code, null, null, null, null, ct);
        var unitsByGroup = analytics.StockSnapshot("units", code, null, null, ["client_group"], null, ct);
        var waiting = analytics.StockSnapshot("waiting_list", code, null, null, null, null, ct);
        var waitingByGroup = analytics.StockSnapshot("waiting_list", code, null, null, ["client_group"], null, ct);

        var lastFy = FinancialYear.Of(units.AsOf ?? context.DataTo ?? DateOnly.FromDateTime(DateTime.UtcNow));
        var transitions = analytics.TransitionsCohort(code, lastFy + 1, lastFy + 4, null, null, null, ct);

        var source = $"snapshot {context.SnapshotId}";
        var on = units.AsOf is { } day ? " on " + Words.Date(day) : "";
        var unitsTable = DataTable.Build("units", $"Supported-living units and waiting list on {(units.AsOf is { } a ? Words.Date(a) : "the data date")}",
            source,
            [new("Client group"), new("Units", 0), new("Occupied", 0), new("Void", 0), new("Offline", 0), new("Occupancy (%)", 1), new($"Void rate{on} (%)", 1),
             new("People waiting", 0)],
            unitsByGroup.Rows.Select(r => new object?[]
            {
                Words.ClientGroup(r.Dimensions["client_group"]), r.Measures["units"], r.Measures["occupied"], r.Measures["void"], r.Measures["offline"],
                r.Measures["occupancy_rate"] * 100, r.Measures["void_rate"] * 100,
                waitingByGroup.Rows.FirstOrDefault(w => w.Dimensions["client_group"] == r.Dimensions["client_group"])?.Measures["people"] ?? 0,
            }).Append(units.Rows.Count == 0 ? [] :
            [
                Words.ClientGroup("all"), units.Rows[0].Measures["units"], units.Rows[0].Measures["occupied"], units.Rows[0].Measures["void"],
                units.Rows[0].Measures["offline"], units.Rows[0].Measures["occupancy_rate"] * 100, units.Rows[0].Measures["void_rate"] * 100,
                waiting.Rows.Count == 0 ? 0 : waiting.Rows[0].Measures["people"],
            ]).Where(r => r.Length > 0));

        var ratesTable = DataTable.Build("admission-rates", "Permanent admissions to residential and nursing care per 100,000 people", source,
            [new("Financial year"), new("Measure"), new("Admissions", 0), new("Population", 0), new("Rate per 100,000", 1)],
            new[] { workingAge, older }.SelectMany(rate => rate.Points.Select(p => new object?[]
            {
                p.Label, rate.AgeGroup == "65+" ? "ASCOF 2A(2), aged 65 and over" : "ASCOF 2A(1), aged 18 to 64", p.Count, p.Population, p.RatePer100k,
            })));

        var transitionsTable = DataTable.Build("transitions", "Young people reaching 18, by financial year of their 18th birthday", source,
            [new("Financial year"), new("Young people", 0), new("Expected adult clients", 1) { Shown = 0 }, new("Living out of area", 0)],
            transitions.Rows.Select(r => new object?[]
            {
                r.Dimensions["financial_year"], r.Measures["young_people"], r.Measures["expected_clients"], r.Measures["out_of_area"],
            }));

        return new Overview(context, contacts, workingAge, older, units.Rows.FirstOrDefault(), units.AsOf, waiting.Rows.FirstOrDefault(),
            lastFy + 1, lastFy + 4, unitsTable, ratesTable, transitionsTable);
    }

    /// <summary>
    /// Two void figures that differ and are easily confused, side by side per client group: the void rate on the result's
    /// as-of date (void units over units not offline, the overview's figure, from the query behind GetStockSnapshot) and
    /// the planning model's void allowance for turnover (the long-run share empty while re-let, from exit rates and re-let times).
    /// </summary>
    public DataTable VoidRates(WebUser user, string council, Forecasting.Planning.CountingBasis basis, CancellationToken ct)
    {
        var byGroup = analytics.StockSnapshot("units", council, basis.AsOf, null, ["client_group"], user.Councils, ct);
        var all = analytics.StockSnapshot("units", council, basis.AsOf, null, null, user.Councils, ct);
        var date = Words.Date(basis.AsOf);
        return DataTable.Build("void-rates", $"Void rate on {date} and the model's void allowance for turnover, per client group",
            $"units on {basis.AsOf:yyyy-MM-dd} (as GetStockSnapshot) and the result's counting basis",
            [new("Client group"), new($"Void units on {date}", 0), new($"Units not offline on {date}", 0), new($"Void rate on {date} (%)", 1),
             new(basis.VoidRateIsTarget ? "Void allowance for turnover, with the scenario's target (%)" : "Void allowance for turnover (%)", 1)],
            byGroup.Rows.Select(r => new object?[]
            {
                Words.ClientGroup(r.Dimensions["client_group"]), r.Measures["void"], r.Measures["units"] - r.Measures["offline"], r.Measures["void_rate"] * 100,
                basis.VoidRates.TryGetValue(r.Dimensions["client_group"], out var allowance) ? allowance * 100 : null,
            }).Concat(all.Rows.Take(1).Select(r => new object?[]
            {
                Words.ClientGroup("all"), r.Measures["void"], r.Measures["units"] - r.Measures["offline"], r.Measures["void_rate"] * 100, null,
            })));
    }

    private RateComparison Rate(string name, string ageGroup, string council, CancellationToken ct)
    {
        var result = analytics.Rates(new SeriesQuery("admissions", council, Period.FinancialYear), ageGroup, null, ct);
        var points = result.Groups.SingleOrDefault()?.Points ?? [];
        return new RateComparison(name, ageGroup, points, result.Denominator);
    }
}
