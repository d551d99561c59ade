using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

public sealed record PipelineScheme(string PipelineId, string Name, int Units, string Category, string ClientGroup, string Design,
    bool InArea, DateOnly ExpectedDate, string? StrategyPhase, string Status, DateOnly StatusDate);

/// <summary>
/// The supported-living development pipeline of Domain/docs/calibration.md ("Planning domains"): 56 units delivered under the
/// current strategy (they are also schemes in the stock), 14 supported-living units confirmed for
/// June 2025, 22 units on three developer sites confirmed for 2025/26, 21 core-and-cluster units in
/// procurement, 173 units in discussion of which 132 (including the 75-unit extra care scheme for
/// 2026/27) have reasonable confidence, two identified sites and a failed 155-unit two-site procurement.
/// </summary>
public static class PipelineGenerator
{
    private static readonly DateOnly Review = new(2025, 3, 14);

    public static IReadOnlyList<PipelineScheme> Schemes { get; } = new[]
    {
        new PipelineScheme("PL01", "Ashcombe Road", 12, "supported_living", "ld_autism", "self_contained", true, new(2021, 11, 1), "Phase 1", "delivered", new(2021, 11, 1)),
        new PipelineScheme("PL02", "Millbrook House", 16, "supported_living", "mental_health", "self_contained", true, new(2022, 9, 5), "Phase 2", "delivered", new(2022, 9, 5)),
        new PipelineScheme("PL03", "Kingfisher Close", 10, "supported_living", "complex_needs", "core_and_cluster", true, new(2023, 7, 3), "Phase 2", "delivered", new(2023, 7, 3)),
        new PipelineScheme("PL04", "Foundry Lane", 18, "supported_living", "ld_autism", "self_contained", true, new(2024, 5, 13), "Phase 2", "delivered", new(2024, 5, 13)),
        new PipelineScheme("PL05", "Carrow Street", 14, "supported_living", "ld_autism", "self_contained", true, new(2025, 6, 30), "Phase 2", "confirmed", Review),
        new PipelineScheme("PL06", "Wharf Road developer site", 8, "supported_living", "ld_autism", "self_contained", true, new(2025, 10, 31), "Phase 2", "confirmed", Review),
        new PipelineScheme("PL07", "Station Quarter developer site", 8, "supported_living", "mental_health", "self_contained", true, new(2026, 1, 30), "Phase 2", "confirmed", Review),
        new PipelineScheme("PL08", "Holloway Fields developer site", 6, "supported_living", "physical_sensory", "self_contained", true, new(2026, 3, 31), "Phase 2", "confirmed", Review),
        new PipelineScheme("PL09", "Northfield Extra Care", 75, "extra_care", "older_dementia", "self_contained", true, new(2026, 11, 30), "Phase 3", "reasonable_confidence", Review),
        new PipelineScheme("PL10", "Eastgate core and cluster", 21, "supported_living", "complex_needs", "core_and_cluster", true, new(2027, 3, 31), "Phase 3", "in_procurement", Review),
        new PipelineScheme("PL11", "Tanners Yard", 24, "supported_living", "ld_autism", "self_contained", true, new(2027, 9, 30), "Phase 3", "reasonable_confidence", Review),
        new PipelineScheme("PL12", "Southmere Gardens", 15, "shared_house", "ld_autism", "shared", true, new(2027, 12, 31), "Phase 3", "reasonable_confidence", Review),
        new PipelineScheme("PL13", "Old Library site", 18, "supported_living", "mental_health", "self_contained", true, new(2028, 3, 31), "Phase 3", "reasonable_confidence", Review),
        new PipelineScheme("PL14", "Westbrook Mill", 25, "supported_living", "ld_autism", "core_and_cluster", true, new(2028, 10, 31), "Phase 3", "in_discussion", Review),
        new PipelineScheme("PL15", "Riverside Quay", 16, "supported_living", "mental_health", "self_contained", true, new(2029, 6, 29), "Phase 3", "in_discussion", Review),
        new PipelineScheme("PL16", "Abbey Fields", 30, "extra_care", "older_dementia", "self_contained", true, new(2030, 3, 29), "Phase 3", "identified", Review),
        new PipelineScheme("PL17", "Chapel Street", 12, "shared_house", "complex_needs", "shared", false, new(2029, 9, 28), null, "identified", Review),
        new PipelineScheme("PL18", "Two-site procurement: Hollins Lane", 85, "supported_living", "ld_autism", "self_contained", true, new(2024, 9, 30), "Phase 2", "failed", new(2024, 2, 20)),
        new PipelineScheme("PL19", "Two-site procurement: Greaves Street", 70, "supported_living", "ld_autism", "self_contained", true, new(2025, 3, 31), "Phase 2", "failed", new(2024, 2, 20)),
    };

    public static IEnumerable<PipelineScheme> Delivered => Schemes.Where(s => s.Status == "delivered");

    public static CsvTable Table()
    {
        var table = new CsvTable("pipeline.csv", "council_code", "pipeline_id", "name", "units", "category", "client_group", "design",
            "in_area", "expected_date", "strategy_phase", "status", "status_date");
        foreach (var s in Schemes)
            table.Add(Council.Code, s.PipelineId, s.Name, Fmt.I(s.Units), s.Category, s.ClientGroup, s.Design, Fmt.B(s.InArea),
                Fmt.D(s.ExpectedDate), s.StrategyPhase, s.Status, Fmt.D(s.StatusDate));
        return table;
    }
}
