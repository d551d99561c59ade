using System.Text.RegularExpressions;

namespace Forecasting.TestSupport;

/// <summary>
/// The policy each RPC declares, read from the text of protos/forecasting/v1 rather than from the generated
/// descriptors, so a test can check that the server and clients act on what the protos say.
/// </summary>
public static partial class ProtoPolicyText
{
    public sealed record Declared(string Service, string Method, string Role, bool Read, bool Heavy, string Audit)
    {
        public string Path => $"/forecasting.v1.{Service}/{Method}";
    }

    public static IReadOnlyList<Declared> All { get; } = Parse();

    private static List<Declared> Parse()
    {
        var result = new List<Declared>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "protos", "forecasting", "v1"), "*.proto"))
        {
            var text = File.ReadAllText(file);
            foreach (Match service in ServiceBlock().Matches(text))
                foreach (Match rpc in RpcBlock().Matches(service.Groups["body"].Value))
                {
                    var body = rpc.Groups["body"].Value;
                    string Field(string name) => Regex.Match(body, $@"\b{name}:\s*(\w+)").Groups[1].Value;
                    result.Add(new Declared(service.Groups["name"].Value, rpc.Groups["name"].Value, Field("role"),
                        Field("read") == "true", Field("heavy") == "true", Field("audit")));
                }
        }
        return result;
    }

    [GeneratedRegex(@"^service (?<name>\w+) \{(?<body>.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ServiceBlock();

    [GeneratedRegex(@"^  rpc (?<name>\w+)\(.*?\{(?<body>.*?)^  \}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex RpcBlock();
}
