using System.Collections.Concurrent;

namespace Forecasting.Client.Tests;

/// <summary>The rows of the sample CSVs (data-samples/harbridge), each file read once per test run; tests only read them.</summary>
internal static class SampleRows
{
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<Dictionary<string, string>>>> Files = new();

    public static IReadOnlyList<Dictionary<string, string>> Of(string file) =>
        Files.GetOrAdd(file, f => new Lazy<IReadOnlyList<Dictionary<string, string>>>(() => SampleCsv.Read(Path.Combine(RepoPaths.Samples, f)))).Value;
}
