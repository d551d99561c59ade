using System.Text.RegularExpressions;

namespace Forecasting.Tests;

/// <summary>
/// Every test class declares one category (README, "Tests"), so the fast command's filter leaves out exactly the slow
/// and browser tests: unit, integration, slow or browser, as a class-level <c>[Trait("Category", ...)]</c>.
/// </summary>
[Trait("Category", "unit")]
public sealed partial class TestCategoryTests
{
    public static readonly IReadOnlyList<string> Categories = ["unit", "integration", "slow", "browser"];

    [GeneratedRegex(@"^[ \t]*(?:(?:public|internal|sealed|static|partial)\s+)*class\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"\[(?:Fact|Theory|SkippableFact|SkippableTheory)\b")]
    private static partial Regex TestAttribute();

    [GeneratedRegex(@"(?:^[ \t]*\[[^\n]*\][ \t]*\n)+\z", RegexOptions.Multiline)]
    private static partial Regex AttributeLinesAtEnd();

    [GeneratedRegex(@"\[Trait\(""Category"", ""(?<category>[^""]*)""\)\]")]
    private static partial Regex CategoryTrait();

    /// <summary>The classes of one source file that hold tests, each with what is wrong with its category (null when right).</summary>
    public static IEnumerable<(string Class, string? Problem)> Check(string source)
    {
        var declarations = ClassDeclaration().Matches(source);
        for (var i = 0; i < declarations.Count; i++)
        {
            var start = declarations[i].Index;
            var end = i + 1 < declarations.Count ? declarations[i + 1].Index : source.Length;
            if (!TestAttribute().IsMatch(source[start..end])) continue;
            var attributes = AttributeLinesAtEnd().Match(source[..start]);
            var categories = attributes.Success ? CategoryTrait().Matches(attributes.Value).Select(m => m.Groups["category"].Value).ToList() : [];
            var name = declarations[i].Groups["name"].Value;
            yield return categories switch
            {
                [] => (name, "declares no [Trait(\"Category\", ...)]"),
                [var one] when Categories.Contains(one) => (name, null),
                [var one] => (name, $"category '{one}' is not one of {string.Join(", ", Categories)}"),
                _ => (name, "declares more than one category"),
            };
        }
    }

    [Fact]
    public void Every_test_class_of_every_test_project_declares_one_category()
    {
        var tests = Path.Combine(RepoPaths.Root, "tests");
        var sep = Path.DirectorySeparatorChar;
        var problems = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}bin{sep}") && !f.Contains($"{sep}obj{sep}"))
            .SelectMany(f => Check(File.ReadAllText(f)).Where(c => c.Problem is not null)
                .Select(c => $"{Path.GetRelativePath(RepoPaths.Root, f)}: {c.Class} {c.Problem}"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_CI_script_runs_the_README_s_command_for_every_test()
    {
        // The README's "Run every test" block and .ci/run's last line are the same command, so CI runs what the README says.
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var block = Regex.Match(readme, @"Run every test[^\n]*\n+```sh\n(?<command>[^\n]+)\n```");
        Assert.True(block.Success, "README.md has no \"Run every test\" block");
        var ci = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".ci", "run")).Last(l => l.Trim().Length > 0);
        Assert.Equal(block.Groups["command"].Value, ci);
    }

    [Fact]
    public void The_check_finds_a_class_without_a_category_and_one_with_an_unknown_category()
    {
        const string source = """
            [Trait("Category", "unit")]
            public sealed klass Kept { [Fact] public void A() { } }

            [Collection("x")]
            public sealed klass Missing { [Fact] public void B() { } }

            [Trait("Category", "fast")]
            public klass Unknown { [Theory] public void C(int x) { } }

            public static klass Helpers { public static int D() => 1; }
            """;
        // Written "klass" so that the check of this file does not read the sample as classes of its own.
        var found = Check(source.Replace("klass", "class", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Kept", "Missing", "Unknown"], found.Select(c => c.Class));
        Assert.Null(found[0].Problem);
        Assert.Contains("no [Trait", found[1].Problem);
        Assert.Contains("'fast'", found[2].Problem);
    }
}
