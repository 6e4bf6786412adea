namespace SmartChain.Core.IO;

/// <summary>A <see cref="FileStream"/> behind <see cref="IStorageFile"/>; <see cref="Sync"/> is <c>Flush(flushToDisk: true)</c>.</summary>
internal sealed class FileSystemStorageFile(FileStream stream) : IStorageFile
{
    public long Length => stream.Length;

    public long Position
    {
        get => stream.Position;
        set => stream.Position = value;
    }

    public void Write(ReadOnlySpan<byte> bytes) => stream.Write(bytes);

    public void ReadExactly(Span<byte> buffer) => stream.ReadExactly(buffer);

    public void Flush() => stream.Flush();

    public void Sync() => stream.Flush(flushToDisk: true);

    public void SetLength(long length) => stream.SetLength(length);

    public void Dispose() => stream.Dispose();
}
