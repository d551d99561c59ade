using System.CommandLine;
using System.Globalization;
using Forecasting.Client;

namespace Forecasting.Cli.Commands;

/// <summary>The series selector (--period, --from, --to, --filter, --by) and table helpers the command groups share.</summary>
internal sealed class Selector
{
    public Option<TimeGrain?> Period { get; } = Opt.Period();
    public Option<DateOnly?> From { get; } = Opt.Date("--from", "first day, ISO date, inclusive");
    public Option<DateOnly?> To { get; } = Opt.Date("--to", "last day, ISO date, inclusive");
    public Option<Dictionary<string, IReadOnlyList<string>>> Filter { get; } = Opt.Filters();
    public Option<string[]> By { get; } = Breakdown();

    public Symbol[] Options => new Symbol[] { Period, From, To, Filter, By };

    public static Option<string[]> Breakdown() => Opt.List("--by", "break down by dimensions (repeatable)", "DIM[,DIM]");

    public SeriesQuery Query(CliContext ctx, ParseResult p, string metric) => new(metric)
    {
        CouncilCode = ctx.Council,
        Grain = p.GetValue(Period),
        From = p.GetValue(From),
        To = p.GetValue(To),
        Filters = p.GetValue(Filter) ?? new(),
        Breakdown = p.GetValue(By) ?? [],
    };
}

internal static class Cells
{
    public static List<string> KeyColumns(IEnumerable<IReadOnlyDictionary<string, string>> keys, IReadOnlyList<string>? preferred = null)
    {
        var cols = new List<string>(preferred ?? Array.Empty<string>());
        foreach (var k in keys)
            foreach (var name in k.Keys)
                if (!cols.Contains(name)) cols.Add(name);
        return cols;
    }

    public static string Cell(IReadOnlyDictionary<string, string> key, string col) => key.TryGetValue(col, out var v) ? v : "";

    public static string Level(double level) => level.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A calendar year as it is; nothing for 0.</summary>
    public static string Year(int startYear) => startYear <= 0 ? "" : startYear.ToString(CultureInfo.InvariantCulture);

    /// <summary>A financial year by its starting calendar year, as 2024/25.</summary>
    public static string FinancialYear(int startYear) => startYear <= 0 ? "" : $"{startYear}/{(startYear + 1) % 100:00}";
}
