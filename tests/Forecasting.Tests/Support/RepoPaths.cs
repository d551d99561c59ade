namespace Forecasting.Tests.Support;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "data-samples", "harbridge");

    public static string Bad(string name) => Path.Combine(Root, "data-samples", "bad", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Forecasting.sln"))) return dir.FullName;
        throw new InvalidOperationException("Forecasting.sln not found above " + AppContext.BaseDirectory);
    }

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "forecasting-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
