namespace Forecasting.TestSupport;

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

    /// <summary>The folder every test's temporary directory is made in; test servers may import from it.</summary>
    public static string TempRoot { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "forecasting-tests")).FullName;

    public static string TempDirectory()
    {
        var path = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
