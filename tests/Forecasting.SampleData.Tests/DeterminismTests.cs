using Forecasting.SampleData.Bad;

namespace Forecasting.SampleData.Tests;

[Trait("Category", "slow")]
public sealed class DeterminismTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "sample-data-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_temp)) Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public void Good_sample_regenerates_byte_identical_to_the_committed_files()
    {
        var output = Path.Combine(_temp, "harbridge");
        SampleDataGenerator.WriteGoodSample(output, SampleDataGenerator.DefaultSeed);
        AssertSameTree(SampleFiles.Harbridge, output, "*.csv");
    }

    [Fact]
    public void Bad_samples_regenerate_byte_identical_to_the_committed_files()
    {
        var output = Path.Combine(_temp, "bad");
        BadSamples.Write(output);
        AssertSameTree(SampleFiles.Bad, output, "*");
    }

    [Fact]
    public void A_different_seed_gives_different_data_and_the_same_seed_the_same_data()
    {
        var localities = new Domains.Localities();
        string Contacts(int seed) => new Domains.ContactGenerator(seed, localities).Generate().ToCsv();
        Assert.NotEqual(Contacts(1), Contacts(2));
        Assert.Equal(Contacts(1), Contacts(1));
    }

    private static void AssertSameTree(string committed, string generated, string pattern)
    {
        static string[] Files(string root, string pattern) => Directory.GetFiles(root, pattern, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();

        var expected = Files(committed, pattern);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Files(generated, pattern));
        foreach (var file in expected)
        {
            var same = File.ReadAllBytes(Path.Combine(committed, file)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(generated, file)));
            Assert.True(same, $"{file} differs from the committed sample; regenerate data-samples (see data-samples/README.md)");
        }
    }
}
