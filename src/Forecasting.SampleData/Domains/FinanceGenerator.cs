using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// Budget and outturn by service line, 2015/16 to 2025/26 (budgets.csv). The outturn of a closed year is the spend
/// of the sample's own records: each service episode's weekly cost for the days it was open in the year (service
/// type direct_payment is the direct_payments line, other_community the other line), reablement at 480 GBP per
/// episode week; staffing and other lines grow steadily. Each year's budget is set from the previous year's outturn
/// with an uplift; the 2024/25 budgets of the commissioned care lines assumed savings (an 8% cut) that were not
/// delivered while home care grew, so 2024/25 shows a multi-million overspend on commissioned care. The open year
/// 2025/26 has a forecast outturn (the weekly cost of the services open at 31 March 2025 for a year, plus growth)
/// and no outturn.
/// </summary>
public sealed class FinanceGenerator
{
    public const int OpenFy = Calendar.LastFy + 1;

    private static readonly string[] CommissionedLines = { "home_care", "residential", "nursing", "supported_living" };

    private readonly int _seed;

    public FinanceGenerator(int seed) => _seed = seed;

    public static string LineOf(string serviceType) => serviceType switch
    {
        "direct_payment" => "direct_payments",
        "other_community" => "other",
        _ => serviceType,
    };

    /// <summary>Days of [start, end) (end exclusive; open to the end of the history) that fall in the financial year.</summary>
    public static int DaysInFy(DateOnly start, DateOnly? end, int fy)
    {
        var from = Calendar.Max(start, Calendar.FyStart(fy));
        var to = Calendar.Min(end ?? Calendar.HistoryEnd.AddDays(1), Calendar.FyEnd(fy).AddDays(1));
        return Math.Max(0, to.DayNumber - from.DayNumber);
    }

    public CsvTable Generate(IReadOnlyList<ServiceEpisode> services, IReadOnlyList<ReablementEpisode> reablement)
    {
        var rng = Rng.For(_seed, "budgets");
        var outturn = new Dictionary<(int Fy, string Line), double>();
        void Add(int fy, string line, double value) => outturn[(fy, line)] = outturn.GetValueOrDefault((fy, line)) + value;

        for (var fy = Calendar.FirstFy; fy <= Calendar.LastFy; fy++)
        {
            foreach (var e in services)
            {
                var days = DaysInFy(e.Start, e.End, fy);
                if (days > 0) Add(fy, LineOf(e.Type), e.WeeklyCost * days / 7.0);
            }
            foreach (var r in reablement)
            {
                var days = DaysInFy(r.Start, r.End, fy);
                if (days > 0) Add(fy, "reablement", 480.0 * days / 7.0);
            }
            Add(fy, "staffing", 14_200_000 * Math.Pow(1.032, fy - Calendar.FirstFy) * (1 + 0.01 * rng.Normal()));
            Add(fy, "other", 3_100_000 * Math.Pow(1.02, fy - Calendar.FirstFy) * (1 + 0.03 * rng.Normal()));
        }

        // Open year: a year of the weekly cost of the services open at the end of the history, plus growth.
        var forecast = new Dictionary<string, double>();
        foreach (var e in services.Where(e => e.OpenOn(Calendar.HistoryEnd)))
            forecast[LineOf(e.Type)] = forecast.GetValueOrDefault(LineOf(e.Type)) + e.WeeklyCost * 365 / 7.0 * 1.03;

        var table = new CsvTable("budgets.csv", "council_code", "fy", "service_line", "budget", "outturn", "forecast_outturn");
        string Money(double value) => Fmt.F2(Math.Round(value / 1_000) * 1_000);
        foreach (var line in new[] { "home_care", "residential", "nursing", "supported_living", "extra_care", "shared_lives", "day_care",
                     "direct_payments", "reablement", "staffing", "other" })
        {
            for (var fy = Calendar.FirstFy; fy <= OpenFy; fy++)
            {
                var previous = fy == Calendar.FirstFy ? outturn[(fy, line)] / 1.035 : outturn[(fy - 1, line)];
                var uplift = 1.035 + 0.012 * rng.Normal();
                if (fy == Calendar.LastFy && CommissionedLines.Contains(line)) uplift -= 0.08;
                var budget = previous * uplift;
                if (fy < OpenFy)
                    table.Add(Council.Code, Calendar.FyLabel(fy), line, Money(budget), Money(outturn[(fy, line)]), null);
                else
                {
                    var expected = forecast.TryGetValue(line, out var f) ? f : outturn[(fy - 1, line)] * (1.03 + 0.01 * rng.Normal());
                    table.Add(Council.Code, Calendar.FyLabel(fy), line, Money(budget), null, Money(expected));
                }
            }
        }
        return table;
    }
}
