using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Forecasting.Contracts.V1;

namespace Forecasting.Cli;

/// <summary>A mistake in the command line found while running a command: exit code 2.</summary>
public sealed class UsageException(string message, string? command = null) : Exception(message)
{
    public string? Command { get; } = command;
}

/// <summary>Options and arguments with the parsing and error messages the commands share.</summary>
internal static class Opt
{
    private const NumberStyles Whole = NumberStyles.Integer;

    public static Option<string?> Text(string name, string description, string helpName = "TEXT") =>
        new(name) { Description = description, HelpName = helpName };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>A repeatable option (--name a --name b).</summary>
    public static Option<string[]> Many(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };

    /// <summary>A repeatable option whose values may also be comma-separated (--by a,b --by c).</summary>
    public static Option<string[]> List(string name, string description, string helpName) =>
        Values(name, description, helpName, (_, v) => v);

    public static Option<int?> Int(string name, string description, string helpName = "N") =>
        Single<int>(name, description, helpName,
            v => int.TryParse(v, Whole, CultureInfo.InvariantCulture, out var i) ? i : null,
            v => $"{name} must be a whole number, got '{v}'.");

    public static Option<long?> Long(string name, string description, string helpName = "N") =>
        Single<long>(name, description, helpName,
            v => long.TryParse(v, Whole, CultureInfo.InvariantCulture, out var i) ? i : null,
            v => $"{name} must be a whole number, got '{v}'.");

    public static Option<DateOnly?> Date(string name, string description, string helpName = "DATE") =>
        Single<DateOnly>(name, description, helpName, ParseDate, v => $"{name} must be an ISO date like 2024-04-01, got '{v}'.");

    /// <summary>Financial years such as 2025/26, as their starting year.</summary>
    public static Option<int?> FinancialYear(string name, string description) =>
        Single<int>(name, description, "FY", ParseFinancialYear, v => $"{name}: '{v}' is not a financial year like 2025/26.");

    /// <summary>Numbers such as 80,95 (repeatable, comma-separated).</summary>
    public static Option<double[]> Doubles(string name, string description, string helpName = "L[,L]") =>
        Values(name, description, helpName, (r, parts) => parts.Select(v =>
        {
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            r.AddError($"{name} takes numbers such as 80,95; got '{v}'.");
            return 0;
        }).ToArray());

    /// <summary>--filter dimension=value1,value2 (repeatable).</summary>
    public static Option<Dictionary<string, IReadOnlyList<string>>> Filters() => new("--filter")
    {
        Description = "keep only these values of a dimension (repeatable), e.g. --filter age_group=65+",
        HelpName = "DIM=V1[,V2]",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r =>
        {
            var filters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var f in r.Tokens.Select(t => t.Value))
            {
                var eq = f.IndexOf('=');
                if (eq <= 0 || eq == f.Length - 1)
                {
                    r.AddError($"--filter takes dimension=value[,value...], e.g. --filter age_group=65+; got '{f}'.");
                    continue;
                }

                var dim = f[..eq].Trim();
                if (!filters.TryGetValue(dim, out var values)) filters[dim] = values = new List<string>();
                values.AddRange(f[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }

            return filters.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value);
        },
    };

    public static Option<Period?> Period() => Single<Period>("--period",
        "time grain: month, quarter or year (year = financial year, April to March)", "month|quarter|year",
        v => v.ToLowerInvariant() switch
        {
            "month" or "monthly" or "m" => Contracts.V1.Period.Month,
            "quarter" or "quarterly" or "q" => Contracts.V1.Period.Quarter,
            "year" or "fy" or "financial_year" or "financial-year" or "yearly" => Contracts.V1.Period.FinancialYear,
            _ => null,
        },
        v => $"--period must be month, quarter or year; got '{v}'.");

    /// <summary>A value option whose text is parsed by <paramref name="parse"/>; null from it is a usage error.</summary>
    public static Option<T?> Single<T>(string name, string description, string helpName, Func<string, T?> parse, Func<string, string> error)
        where T : struct => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return null;
                var text = r.Tokens[^1].Value;
                var value = parse(text);
                if (value is null) r.AddError(error(text));
                return value;
            },
        };

    /// <summary>A repeatable option whose values are split on commas, then converted.</summary>
    public static Option<T[]> Values<T>(string name, string description, string helpName, Func<ArgumentResult, string[], T[]> convert) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r => convert(r, r.Tokens
            .SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()),
    };

    public static Argument<string> One(string name, string description) => new(name) { Description = description };

    public static Argument<string?> Optional(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    public static DateOnly? ParseDate(string v) =>
        DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>"2025/26" to 2025: two consecutive years, as everywhere else in the service.</summary>
    public static int? ParseFinancialYear(string label)
    {
        var parts = label.Split('/');
        if (parts.Length == 2 && parts[0].Length == 4 && parts[1].Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var next)
            && (year + 1) % 100 == next)
            return year;
        return null;
    }
}
