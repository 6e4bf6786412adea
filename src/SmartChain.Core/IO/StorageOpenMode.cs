namespace SmartChain.Core.IO;

/// <summary>How <see cref="IStorage.Open"/> opens a file.</summary>
public enum StorageOpenMode
{
    /// <summary>An existing file, for reading; others may go on writing, renaming or deleting it.</summary>
    Read,

    /// <summary>An existing file, for writing at any position.</summary>
    Write,

    /// <summary>The file, created empty if missing, for reading and writing.</summary>
    OpenOrCreate,

    /// <summary>A new file, which must not exist, for writing.</summary>
    CreateNew,

    /// <summary>The file, created empty if missing, for writing at its end.</summary>
    Append,
}
