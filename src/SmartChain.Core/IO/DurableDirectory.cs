using System.Runtime.InteropServices;

namespace SmartChain.Core.IO;

/// <summary>
/// fsync of a folder. Creating, renaming or removing a file changes its folder, not the file: until the folder is
/// fsynced, a crash may forget the new name even though the file's data was fsynced (ext4 and XFS can). So every place
/// that creates or renames a durable file (segments, the vote log, key files, snapshots) calls <see cref="Sync"/> on
/// the folder afterwards.
/// </summary>
public static class DurableDirectory
{
    private const int EBADF = 9;
    private const int EINVAL = 22;

    /// <summary>
    /// Raised after each successful folder fsync with the folder's full path. For tests, which can see that the real
    /// code paths sync the right folder (not that the disk kept it: only a power cut shows that).
    /// </summary>
    public static event Action<string>? Synced;

    /// <summary>fsyncs the folder <paramref name="directory"/> (no-op on Windows, where folders cannot be opened so).</summary>
    /// <exception cref="IOException">The folder cannot be opened or fsynced.</exception>
    public static void Sync(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string full = Path.GetFullPath(directory);
        byte[] path = [.. System.Text.Encoding.UTF8.GetBytes(full), 0];
        int fd = Open(path, 0 /* O_RDONLY: enough to fsync, and a folder can be opened no other way */);
        if (fd < 0)
        {
            throw new IOException($"cannot open the folder {full} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            // Some file systems cannot fsync a folder at all and say so with EINVAL or EBADF; their folders are then
            // as durable as they get (PostgreSQL treats these the same way).
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is int errno && errno != EINVAL && errno != EBADF)
            {
                throw new IOException($"fsync of the folder {full} failed (errno {errno})");
            }
        }
        finally
        {
            _ = Close(fd);
        }

        Synced?.Invoke(full);
    }

    /// <summary>fsyncs the folder that holds <paramref name="file"/>.</summary>
    /// <exception cref="IOException">The folder cannot be opened or fsynced.</exception>
    public static void SyncParentOf(string file) => Sync(Path.GetDirectoryName(Path.GetFullPath(file)) ?? "/");

    // DllImport, not LibraryImport: that would need unsafe code in this assembly; all arguments here are blittable.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
