namespace SmartChain.Core.IO;

/// <summary>Writing files that must survive a crash once the call returns.</summary>
public static class DurableFile
{
    /// <summary>
    /// Creates <paramref name="path"/> (which must not exist), writes <paramref name="contents"/> and fsyncs it and its folder.
    /// On Unix the file is created with <paramref name="unixMode"/> from the start, so a secret is never
    /// readable by others, not even briefly.
    /// </summary>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    public static void WriteNew(string path, ReadOnlySpan<byte> contents, UnixFileMode unixMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        DurableDirectory.SyncParentOf(path); // the new name, not only the data
    }
}
