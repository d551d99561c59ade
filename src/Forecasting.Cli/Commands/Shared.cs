using System.CommandLine;
using System.Globalization;
using Forecasting.Client;
using Forecasting.Contracts.V1;

namespace Forecasting.Cli.Commands;

/// <summary>The series selector (--period, --from, --to, --filter, --by) and table helpers the command groups share.</summary>
internal sealed class Selector
{
    public Option<Period?> Period { get; } = Opt.Period();
    public Option<DateOnly?> From { get; } = Opt.Date("--from", "first day, ISO date, inclusive");
    public Option<DateOnly?> To { get; } = Opt.Date("--to", "last day, ISO date, inclusive");
    public Option<Dictionary<string, IReadOnlyList<string>>> Filter { get; } = Opt.Filters();
    public Option<string[]> By { get; } = Breakdown();

    public Symbol[] Options => new Symbol[] { Period, From, To, Filter, By };

    public static Option<string[]> Breakdown() => Opt.List("--by", "break down by dimensions (repeatable)", "DIM[,DIM]");

    public SeriesSelector Query(CliContext ctx, ParseResult p, string metric) => Proto.Selector(
        metric, ctx.Council, p.GetValue(Period) ?? Contracts.V1.Period.Unspecified, p.GetValue(From), p.GetValue(To), p.GetValue(Filter), p.GetValue(By));
}

internal static class Cells
{
    /// <summary>The preferred names first, then the other names of the keys in order.</summary>
    public static List<string> KeyColumns<T>(IEnumerable<IDictionary<string, T>> keys, IEnumerable<string>? preferred = null)
    {
        var cols = new List<string>(preferred ?? []);
        foreach (var k in keys)
            foreach (var name in k.Keys.Order(StringComparer.Ordinal))
                if (!cols.Contains(name)) cols.Add(name);
        return cols;
    }

    public static string Cell(IDictionary<string, string> key, string col) => key.TryGetValue(col, out var v) ? v : "";

    public static string Level(double level) => level.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A calendar year as it is; nothing for 0.</summary>
    public static string Year(int startYear) => startYear <= 0 ? "" : startYear.ToString(CultureInfo.InvariantCulture);

    /// <summary>A financial year by its starting calendar year, as 2024/25.</summary>
    public static string FinancialYear(int startYear) => startYear <= 0 ? "" : $"{startYear}/{(startYear + 1) % 100:00}";
}
