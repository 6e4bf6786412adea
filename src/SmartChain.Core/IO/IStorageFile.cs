namespace SmartChain.Core.IO;

/// <summary>
/// One open file of an <see cref="IStorage"/>. Writes may stay buffered (in the process or in the operating system)
/// until <see cref="Sync"/> returns; only then are they durable. Single user: not thread-safe.
/// </summary>
public interface IStorageFile : IDisposable
{
    /// <summary>Length of the file, writes not yet flushed included.</summary>
    long Length { get; }

    /// <summary>Where the next read or write starts.</summary>
    long Position { get; set; }

    /// <summary>Writes <paramref name="bytes"/> at <see cref="Position"/> and moves past them.</summary>
    void Write(ReadOnlySpan<byte> bytes);

    /// <summary>Fills <paramref name="buffer"/> from <see cref="Position"/> and moves past it.</summary>
    /// <exception cref="EndOfStreamException">The file ends first.</exception>
    void ReadExactly(Span<byte> buffer);

    /// <summary>Hands buffered writes to the operating system (readers see them; a power cut may still lose them).</summary>
    void Flush();

    /// <summary>fsync: everything written so far is durable once this returns.</summary>
    /// <exception cref="IOException">The disk did not confirm it; nothing written since the last successful sync may be assumed durable.</exception>
    void Sync();

    /// <summary>Cuts or extends the file to <paramref name="length"/> bytes (durable only after <see cref="Sync"/>).</summary>
    void SetLength(long length);
}
