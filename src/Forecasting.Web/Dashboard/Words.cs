using System.Globalization;
using Forecasting.Domain;

namespace Forecasting.Web.Dashboard;

/// <summary>The store's codes in the words a report uses.</summary>
public static partial class Words
{
    public static string ClientGroup(string code) => code switch
    {
        "ld_autism" => "Learning disability and autism",
        "mental_health" => "Mental health",
        "physical_sensory" => "Physical and sensory",
        "older_dementia" => "Older people and dementia",
        "complex_needs" => "Complex needs",
        "all" => "All client groups",
        _ => code.Replace('_', ' '),
    };

    /// <summary>A pipeline status: "in procurement", "reasonable confidence".</summary>
    public static string Status(string code) => code.Replace('_', ' ');

    /// <summary>A scheme category: "supported living", "extra care".</summary>
    public static string Category(string code) => code.Replace('_', ' ');

    /// <summary>
    /// A sentence from the model with its client-group and status codes put in words ("ld_autism 6.8%" reads
    /// "learning disability and autism 6.8%").
    /// </summary>
    public static string Plain(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        foreach (var code in new[] { "ld_autism", "mental_health", "physical_sensory", "older_dementia", "complex_needs" })
            text = System.Text.RegularExpressions.Regex.Replace(text, $"\\b{code}\\b", ClientGroup(code).ToLowerInvariant());
        foreach (var status in Forecasting.Planning.PipelineStatuses.Ordered.Where(s => s.Contains('_')))
            text = System.Text.RegularExpressions.Regex.Replace(text, $"\\b{status}\\b", Status(status));
        // The model's mean counts of people, tenants and units read whole ("120.1 people arrive" reads "120 people arrive");
        // a ratio ("25.0 units per 1,000") keeps its decimals.
        return WholeCounts().Replace(text, m => Number(double.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture)));
    }

    public static string Year(int fy) => FinancialYear.Label(fy);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateTime date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Number(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Percent(double share, int decimals = 1) => (share * 100).ToString("N" + decimals, CultureInfo.InvariantCulture) + "%";

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\d.])(\d[\d,]*\.\d+)(?= (?:people|tenants|units)\b(?! per\b))")]
    private static partial System.Text.RegularExpressions.Regex WholeCounts();
}
