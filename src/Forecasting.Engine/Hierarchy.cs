using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.Engine;

/// <summary>
/// A cross-sectional hierarchy of series (council -> client group -> locality): every node is the path of dimension
/// values from the top (the empty path is the total), and the summing matrix S maps the bottom series to every node.
/// Nodes are ordered level by level from the total down, each level in the order its values first appear.
/// </summary>
public sealed class Hierarchy
{
    /// <summary>Every node's path from the top; node 0 is the total (empty path), the last <see cref="BottomCount"/> are the bottom series.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Nodes { get; }
    /// <summary>Number of bottom series (columns of <see cref="Summing"/>).</summary>
    public int BottomCount { get; }
    /// <summary>Summing matrix S (nodes x bottom series): row i has a 1 for every bottom series under node i.</summary>
    public Matrix<double> Summing { get; }

    private Hierarchy(IReadOnlyList<IReadOnlyList<string>> nodes, int bottomCount, Matrix<double> summing)
    {
        Nodes = nodes;
        BottomCount = bottomCount;
        Summing = summing;
    }

    /// <summary>Index of the node with this path, or -1.</summary>
    public int IndexOf(IReadOnlyList<string> path)
    {
        for (var i = 0; i < Nodes.Count; i++)
            if (Nodes[i].SequenceEqual(path, StringComparer.Ordinal)) return i;
        return -1;
    }

    /// <summary>
    /// The hierarchy whose bottom series have these paths (e.g. [client group, locality]). Every path has the same
    /// number of levels (at least one) and no path repeats; the total and every intermediate node are added above them.
    /// </summary>
    public static Hierarchy FromBottomPaths(IReadOnlyList<IReadOnlyList<string>> bottomPaths)
    {
        ArgumentNullException.ThrowIfNull(bottomPaths);
        if (bottomPaths.Count < 2) throw new ArgumentException("a hierarchy needs at least two bottom series", nameof(bottomPaths));
        var depth = bottomPaths[0].Count;
        if (depth < 1) throw new ArgumentException("bottom paths need at least one level", nameof(bottomPaths));
        if (bottomPaths.Any(p => p.Count != depth)) throw new ArgumentException("every bottom path must have the same number of levels", nameof(bottomPaths));
        var keys = bottomPaths.Select(Key).ToList();
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count) throw new ArgumentException("a bottom path appears twice", nameof(bottomPaths));

        var nodes = new List<IReadOnlyList<string>>();
        for (var level = 0; level < depth; level++)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in bottomPaths)
            {
                var prefix = path.Take(level).ToArray();
                if (seen.Add(Key(prefix))) nodes.Add(prefix);
            }
        }
        nodes.AddRange(bottomPaths.Select(p => (IReadOnlyList<string>)p.ToArray()));
        var s = Matrix<double>.Build.Dense(nodes.Count, bottomPaths.Count);
        for (var i = 0; i < nodes.Count; i++)
            for (var j = 0; j < bottomPaths.Count; j++)
                if (bottomPaths[j].Take(nodes[i].Count).SequenceEqual(nodes[i], StringComparer.Ordinal)) s[i, j] = 1;
        return new Hierarchy(nodes, bottomPaths.Count, s);
    }

    /// <summary>
    /// A temporal hierarchy over one block of <paramref name="periodsPerYear"/> periods (e.g. 12 months): the year, then
    /// every aggregation in <paramref name="aggregations"/> (e.g. 3 for quarters), then the single periods as the bottom.
    /// Node paths are ["k=3", "1"] etc.; each aggregation must divide the block.
    /// </summary>
    public static Hierarchy Temporal(int periodsPerYear, params int[] aggregations)
    {
        if (periodsPerYear < 2) throw new ArgumentException("a temporal hierarchy needs at least two periods per year", nameof(periodsPerYear));
        var levels = aggregations.Where(k => k > 1 && k < periodsPerYear).Distinct().OrderByDescending(k => k).ToList();
        if (levels.Any(k => periodsPerYear % k != 0)) throw new ArgumentException("every aggregation must divide the periods per year", nameof(aggregations));
        var nodes = new List<IReadOnlyList<string>> { Array.Empty<string>() };
        var rows = new List<int[]> { Enumerable.Range(0, periodsPerYear).ToArray() };
        foreach (var k in levels)
            for (var b = 0; b < periodsPerYear / k; b++)
            {
                nodes.Add(new[] { $"k={k}", (b + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
                rows.Add(Enumerable.Range(b * k, k).ToArray());
            }
        for (var t = 0; t < periodsPerYear; t++)
        {
            nodes.Add(new[] { "k=1", (t + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            rows.Add(new[] { t });
        }
        var s = Matrix<double>.Build.Dense(nodes.Count, periodsPerYear);
        for (var i = 0; i < rows.Count; i++)
            foreach (var j in rows[i]) s[i, j] = 1;
        return new Hierarchy(nodes, periodsPerYear, s);
    }

    private static string Key(IReadOnlyList<string> path) => string.Join("\u001f", path);
}
