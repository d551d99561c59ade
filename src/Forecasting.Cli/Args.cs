using System.Globalization;

namespace Forecasting.Cli;

/// <summary>A mistake in the command line: exit code 2.</summary>
public sealed class UsageException(string message, string? command = null) : Exception(message)
{
    public string? Command { get; } = command;
}

/// <summary>Positional arguments and --options of one command line.</summary>
public sealed class ParsedArgs
{
    public List<string> Positionals { get; } = new();
    public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Splits tokens. <paramref name="valueOptions"/> take a value (--name value or --name=value);
    /// <paramref name="flagOptions"/> take none; any other --option is a usage error.
    /// </summary>
    public static ParsedArgs Parse(IEnumerable<string> tokens, ISet<string> valueOptions, ISet<string> flagOptions, string? command)
    {
        var result = new ParsedArgs();
        using var e = tokens.GetEnumerator();
        var onlyPositionals = false;
        while (e.MoveNext())
        {
            var token = e.Current;
            if (onlyPositionals || !token.StartsWith("--", StringComparison.Ordinal) || token == "-")
            {
                if (!onlyPositionals && token == "-h") { result.Flags.Add("help"); continue; }
                result.Positionals.Add(token);
                continue;
            }

            if (token == "--") { onlyPositionals = true; continue; }

            var name = token[2..];
            string? inline = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }

            if (flagOptions.Contains(name))
            {
                if (inline is not null) throw new UsageException($"Option --{name} takes no value.", command);
                result.Flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                string value;
                if (inline is not null) value = inline;
                else if (e.MoveNext()) value = e.Current;
                else throw new UsageException($"Option --{name} needs a value.", command);
                if (!result.Values.TryGetValue(name, out var list)) result.Values[name] = list = new List<string>();
                list.Add(value);
            }
            else
            {
                var known = valueOptions.Concat(flagOptions).OrderBy(x => x).Select(x => "--" + x);
                throw new UsageException($"Unknown option --{name}. Options here: {string.Join(", ", known)}.", command);
            }
        }

        return result;
    }

    public bool Has(string flag) => Flags.Contains(flag);

    public string? Get(string name) => Values.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> All(string name) => Values.TryGetValue(name, out var v) ? v : Array.Empty<string>();

    /// <summary>All values of a repeatable option, also split on commas.</summary>
    public IReadOnlyList<string> AllSplit(string name) =>
        All(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    public int? GetInt(string name, string? command)
    {
        var v = Get(name);
        if (v is null) return null;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
            throw new UsageException($"--{name} must be a whole number, got '{v}'.", command);
        return i;
    }

    public long? GetLong(string name, string? command)
    {
        var v = Get(name);
        if (v is null) return null;
        if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
            throw new UsageException($"--{name} must be a whole number, got '{v}'.", command);
        return i;
    }

    public double? GetDouble(string name, string? command)
    {
        var v = Get(name);
        if (v is null) return null;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            throw new UsageException($"--{name} must be a number, got '{v}'.", command);
        return d;
    }

    public IReadOnlyList<double> GetDoubles(string name, string? command) =>
        AllSplit(name).Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new UsageException($"--{name} takes numbers such as 80,95; got '{v}'.", command)).ToList();

    public DateOnly? GetDate(string name, string? command)
    {
        var v = Get(name);
        if (v is null) return null;
        if (!DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw new UsageException($"--{name} must be an ISO date like 2024-04-01, got '{v}'.", command);
        return d;
    }

    /// <summary>--filter dimension=value1,value2 (repeatable).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> GetFilters(string? command)
    {
        var filters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var f in All("filter"))
        {
            var eq = f.IndexOf('=');
            if (eq <= 0 || eq == f.Length - 1)
                throw new UsageException($"--filter takes dimension=value[,value...], e.g. --filter age_group=65+; got '{f}'.", command);
            var dim = f[..eq].Trim();
            if (!filters.TryGetValue(dim, out var values)) filters[dim] = values = new List<string>();
            values.AddRange(f[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return filters.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value);
    }
}
