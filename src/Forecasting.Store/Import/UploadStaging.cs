namespace Forecasting.Store.Import;

/// <summary>
/// Where uploaded files wait for their import: one directory per upload under a single root, each
/// guarded by a lock file held while the upload runs. A killed server leaves its directory behind;
/// <see cref="CleanLeftovers"/> at start-up removes every directory whose lock nobody holds.
/// </summary>
public static class UploadStaging
{
    public static string DefaultRoot => Path.Combine(Path.GetTempPath(), "forecasting-uploads");

    public sealed class Lease : IDisposable
    {
        private readonly FileStream _lock;
        private readonly string _lockPath;

        internal Lease(string directory, string lockPath, FileStream lockStream)
        {
            Directory = directory;
            _lockPath = lockPath;
            _lock = lockStream;
        }

        public string Directory { get; }

        public void Dispose()
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (DirectoryNotFoundException) { }
            _lock.Dispose();
            try { File.Delete(_lockPath); } catch (IOException) { }
        }
    }

    /// <summary>A fresh upload directory; the lock is taken before the directory exists, so a concurrent clean-up never sees it unlocked.</summary>
    public static Lease Create(string? root = null)
    {
        root ??= DefaultRoot;
        Directory.CreateDirectory(root);
        var name = "upload-" + Guid.NewGuid().ToString("N");
        var lockPath = Path.Combine(root, name + ".lock");
        // FileShare.None takes an exclusive advisory lock (flock on Unix) that other processes' clean-ups see.
        var lockStream = new FileStream(lockPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        return new Lease(directory, lockPath, lockStream);
    }

    /// <summary>Deletes upload directories (and lock files) no running upload holds; returns how many directories went.</summary>
    public static int CleanLeftovers(string? root = null)
    {
        root ??= DefaultRoot;
        if (!Directory.Exists(root)) return 0;
        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(root, "upload-*"))
        {
            var lockPath = directory + ".lock";
            FileStream? held = null;
            try
            {
                if (File.Exists(lockPath)) held = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                Directory.Delete(directory, recursive: true);
                removed++;
            }
            catch (IOException)
            {
                continue; // locked: an upload in progress
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            finally
            {
                held?.Dispose();
            }
            try { File.Delete(lockPath); } catch (IOException) { }
        }
        foreach (var lockPath in Directory.EnumerateFiles(root, "upload-*.lock"))
        {
            if (Directory.Exists(lockPath[..^".lock".Length])) continue;
            try
            {
                using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                File.Delete(lockPath);
            }
            catch (IOException) { }
        }
        return removed;
    }
}
