namespace SmartChain.Core.IO;

/// <summary>The real disk: <see cref="FileStream"/> and fsync, as the replica has always used them.</summary>
public sealed class FileSystemStorage : IStorage
{
    private FileSystemStorage()
    {
    }

    /// <summary>The one instance.</summary>
    public static FileSystemStorage Instance { get; } = new();

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public bool DirectoryExists(string path) => Directory.Exists(path);

    /// <inheritdoc />
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string folder, string pattern)
    {
        string[] files = Directory.GetFiles(folder, pattern);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <inheritdoc />
    public long FileLength(string path) => new FileInfo(path).Length;

    /// <inheritdoc />
    public byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);

    /// <inheritdoc />
    public IStorageFile Open(string path, StorageOpenMode mode, int bufferSize = 4096)
    {
        // Readers let the writer go on appending, renaming or deleting (segments are read while the ledger loop
        // appends; the API follows a running replica's store); writers let others read.
        FileStream stream = mode switch
        {
            StorageOpenMode.Read => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize),
            StorageOpenMode.Write => new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize),
            StorageOpenMode.OpenOrCreate => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize),
            StorageOpenMode.CreateNew => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize),
            StorageOpenMode.Append => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        return new FileSystemStorageFile(stream);
    }

    /// <inheritdoc />
    public void Move(string source, string destination, bool overwrite) => File.Move(source, destination, overwrite);

    /// <inheritdoc />
    public void Delete(string path) => File.Delete(path);

    /// <inheritdoc />
    public void SyncDirectory(string folder) => DurableDirectory.Sync(folder);
}
