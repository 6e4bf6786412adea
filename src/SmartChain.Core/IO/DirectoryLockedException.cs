namespace SmartChain.Core.IO;

/// <summary>A folder is locked by another holder (see <see cref="DirectoryLock"/>); the message names both.</summary>
public sealed class DirectoryLockedException : IOException
{
    /// <summary>Creates the exception for <paramref name="directory"/>, held by <paramref name="holder"/> if known.</summary>
    public DirectoryLockedException(string directory, string? holder, Exception? inner = null)
        : base($"{directory} is in use by {(holder is null ? "another process" : holder)}, which holds {Path.Combine(directory, DirectoryLock.FileName)}; " +
               "stop it first", inner)
    {
        Directory = directory;
        Holder = holder;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public DirectoryLockedException()
        : base("the folder is locked by another process")
    {
        Directory = "";
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public DirectoryLockedException(string message)
        : base(message)
    {
        Directory = "";
    }

    /// <summary>Creates the exception with a message of its own and its cause.</summary>
    public DirectoryLockedException(string message, Exception inner)
        : base(message, inner)
    {
        Directory = "";
    }

    /// <summary>The locked folder.</summary>
    public string Directory { get; }

    /// <summary>Who holds it, if known.</summary>
    public string? Holder { get; }
}
