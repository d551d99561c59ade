namespace Forecasting.Server.Infrastructure;

public static class ServerPaths
{
    /// <summary>
    /// A configured directory: an absolute path as it is; a relative one is tried from the working directory
    /// and from the application's folder, then from each parent, so the repository's samples are found
    /// wherever the server is started from. Null when it does not exist.
    /// </summary>
    public static string? FindDirectory(string path)
    {
        if (Path.IsPathRooted(path)) return Directory.Exists(path) ? path : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, path);
                if (Directory.Exists(candidate)) return candidate;
            }
        return null;
    }
}
