using System.Globalization;
using Forecasting.Domain;

namespace Forecasting.Web.Dashboard;

/// <summary>The store's codes in the words a report uses.</summary>
public static class Words
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

    public static string Year(int fy) => FinancialYear.Label(fy);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateTime date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Number(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Percent(double share, int decimals = 1) => (share * 100).ToString("N" + decimals, CultureInfo.InvariantCulture) + "%";
}
