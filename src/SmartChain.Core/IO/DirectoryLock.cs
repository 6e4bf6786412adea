namespace SmartChain.Core.IO;

/// <summary>
/// An exclusive lock on a folder, held for the life of a process: the file <c>LOCK</c> in it, opened with
/// <see cref="FileShare.None"/>, which .NET on Linux turns into <c>flock(LOCK_EX | LOCK_NB)</c> (as RocksDB and etcd lock
/// their data folders). The kernel releases it when the process ends, however it ends, so a stale LOCK file never
/// blocks a restart. Advisory: it excludes every SmartChain process, not other programs (nor a .NET process started
/// with <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>).
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    /// <summary>The lock file's name in the locked folder.</summary>
    public const string FileName = "LOCK";

    private readonly FileStream _file;

    private DirectoryLock(string directory, FileStream file)
    {
        Directory = directory;
        _file = file;
    }

    /// <summary>The locked folder.</summary>
    public string Directory { get; }

    /// <summary>Takes the lock of <paramref name="directory"/> (which must exist) without waiting.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="holder">Tells who holds the lock when it is taken (e.g. a pid file's contents); null if unknown.</param>
    /// <exception cref="DirectoryLockedException">Another open of the LOCK file (in this or another process) holds it.</exception>
    /// <exception cref="IOException">The LOCK file cannot be created or opened.</exception>
    public static DirectoryLock Acquire(string directory, Func<string?>? holder = null)
    {
        string path = Path.Combine(directory, FileName);
        try
        {
            return new DirectoryLock(directory, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
        {
            throw new DirectoryLockedException(directory, holder?.Invoke(), e);
        }
    }

    /// <summary>True if some process (this one included) holds the lock of <paramref name="directory"/> now.</summary>
    public static bool IsHeld(string directory)
    {
        string path = Path.Combine(directory, FileName);
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _file.Dispose();
}
