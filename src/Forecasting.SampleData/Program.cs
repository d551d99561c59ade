using System.Globalization;
using Forecasting.SampleData;
using Forecasting.SampleData.Bad;

string? outDir = null;
string? badOutDir = null;
string? cldOutDir = null;
var seed = SampleDataGenerator.DefaultSeed;

for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--out": outDir = Value(); break;
        case "--bad-out": badOutDir = Value(); break;
        case "--cld-out": cldOutDir = Value(); break;
        case "--seed": seed = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
        case "-h" or "--help": return Usage(0);
        default:
            Console.Error.WriteLine($"unknown argument: {args[i]}");
            return Usage(2);
    }
}

if (outDir is null && badOutDir is null && cldOutDir is null) return Usage(2);

if (outDir is not null)
{
    var files = SampleDataGenerator.WriteGoodSample(outDir, seed);
    Console.WriteLine($"wrote {files.Count} files to {outDir} (seed {seed})");
}
if (badOutDir is not null)
{
    var files = BadSamples.Write(badOutDir);
    Console.WriteLine($"wrote {files.Count} files to {badOutDir}");
}
if (cldOutDir is not null)
{
    var files = SampleDataGenerator.WriteCldSample(cldOutDir, seed);
    Console.WriteLine($"wrote {files.Count} CLD files to {cldOutDir} (seed {seed})");
}
return 0;

static int Usage(int code)
{
    Console.Error.WriteLine("usage: Forecasting.SampleData [--out DIR] [--bad-out DIR] [--cld-out DIR] [--seed N]");
    Console.Error.WriteLine("  --out DIR      write the Harbridge sample (one CSV per store table)");
    Console.Error.WriteLine("  --bad-out DIR  write the invalid and suspicious samples for importer tests");
    Console.Error.WriteLine("  --cld-out DIR  write the Harbridge sample as national Client Level Data submissions");
    Console.Error.WriteLine($"  --seed N       random seed of the good sample (default {SampleDataGenerator.DefaultSeed})");
    return code;
}
