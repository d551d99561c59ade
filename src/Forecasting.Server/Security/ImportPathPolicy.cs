using System.Runtime.InteropServices;
using Forecasting.Store.Analytics;
using Forecasting.Domain;
using Forecasting.Server.Infrastructure;
using Grpc.Core;

namespace Forecasting.Server.Security;

public sealed class ImportOptions
{
    public const string SectionName = "Import";
    /// <summary>Server directories a server-side import may read from; relative ones are found from the working or application directory upwards.</summary>
    public List<string> Directories { get; set; } = [];
}

/// <summary>
/// Server-side imports read only files under the configured import directories. Paths are made canonical
/// (every symbolic link resolved) before the check, so a link cannot lead out; a path outside is refused before
/// anything is said about whether it exists.
/// </summary>
public sealed class ImportPathPolicy
{
    private readonly List<string> _roots;

    public ImportPathPolicy(IEnumerable<string> roots)
    {
        _roots = roots.Select(Canonical).Where(r => r is not null).Select(r => r!.TrimEnd(Path.DirectorySeparatorChar)).Distinct().ToList();
    }

    public static ImportPathPolicy FromOptions(ImportOptions options) =>
        new(options.Directories.Select(ServerPaths.FindDirectory).OfType<string>());

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>The canonical path of a file or directory inside an import directory; a relative path is taken from the first directory.</summary>
    public string Resolve(string requested, string field)
    {
        if (_roots.Count == 0)
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                "server-side import is not configured (Import:Directories is empty); upload the files instead"));
        if (requested.IndexOf('\0') >= 0) throw new InvalidArgumentException(field, "the path contains a NUL character");
        var full = Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Combine(_roots[0], requested));
        if (!Inside(full)) throw Outside(field);
        // The deepest part that exists must also be inside once links are followed.
        var existing = full;
        while (!File.Exists(existing) && !Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null || parent == existing) throw Outside(field);
            existing = parent;
        }
        var canonical = Canonical(existing) ?? throw Outside(field);
        if (!Inside(canonical)) throw Outside(field);
        return existing == full ? canonical : Path.Combine(canonical, Path.GetRelativePath(existing, full));
    }

    /// <summary>A path as callers may see it: relative to its import directory, never the server's own layout.</summary>
    public string Display(string canonicalPath)
    {
        foreach (var root in _roots)
            if (IsUnder(canonicalPath, root)) return Path.GetRelativePath(root, canonicalPath);
        return Path.GetFileName(canonicalPath);
    }

    private bool Inside(string path) => _roots.Any(root => IsUnder(path, root));

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static RpcException Outside(string field) =>
        new(new Status(StatusCode.PermissionDenied, $"{field}: the path is outside the server's import directories"));

    /// <summary>realpath(3): the absolute path with every link resolved, or null when it does not exist.</summary>
    private static string? Canonical(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            var info = new FileInfo(Path.GetFullPath(path));
            return (info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName) is var p && (File.Exists(p) || Directory.Exists(p)) ? p : null;
        }
        var resolved = RealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { Free(resolved); }
    }

    [DllImport("libc", EntryPoint = "realpath")]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);
}
