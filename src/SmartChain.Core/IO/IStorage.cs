namespace SmartChain.Core.IO;

/// <summary>
/// Where a replica keeps its durable state (block store, vote log, snapshot files): the few file-system operations
/// that code uses, so a simulated disk can stand in for the real one in tests (tests/SmartChain.Storage.Simulation,
/// which tears writes, drops unsynced data on a crash, fails an fsync and corrupts a read).
/// <see cref="FileSystemStorage.Instance"/> is the real disk and the default everywhere.
/// A created, renamed or deleted name is durable only after <see cref="SyncDirectory"/> of its folder.
/// </summary>
public interface IStorage
{
    /// <summary>True if <paramref name="path"/> is a file.</summary>
    bool FileExists(string path);

    /// <summary>True if <paramref name="path"/> is a folder.</summary>
    bool DirectoryExists(string path);

    /// <summary>Creates the folder <paramref name="path"/> and its parents if missing.</summary>
    void CreateDirectory(string path);

    /// <summary>Full paths of the files in <paramref name="folder"/> matching <paramref name="pattern"/> (* and ?), in ordinal order.</summary>
    IReadOnlyList<string> ListFiles(string folder, string pattern);

    /// <summary>Length of the file <paramref name="path"/>.</summary>
    long FileLength(string path);

    /// <summary>The whole file.</summary>
    byte[] ReadAllBytes(string path);

    /// <summary>Opens <paramref name="path"/>; <paramref name="bufferSize"/> is a hint for the process-side write buffer.</summary>
    IStorageFile Open(string path, StorageOpenMode mode, int bufferSize = 4096);

    /// <summary>Renames <paramref name="source"/> to <paramref name="destination"/>, atomically replacing it if <paramref name="overwrite"/>.</summary>
    void Move(string source, string destination, bool overwrite);

    /// <summary>Removes the file <paramref name="path"/>; nothing happens if there is none.</summary>
    void Delete(string path);

    /// <summary>fsyncs the folder, making the names created, renamed or removed in it durable.</summary>
    /// <exception cref="IOException">The folder cannot be opened or fsynced.</exception>
    void SyncDirectory(string folder);
}
