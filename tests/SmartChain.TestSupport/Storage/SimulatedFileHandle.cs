using SmartChain.Core.IO;

namespace SmartChain.TestSupport.Storage;

/// <summary>An open file of the <see cref="SimulatedDisk"/>. Writes go straight to the page cache; <see cref="Sync"/> may fail.</summary>
internal sealed class SimulatedFileHandle(SimulatedDisk disk, SimulatedFile file, string path, bool canWrite, long generation) : IStorageFile
{
    public long Length => Live.Length;

    public long Position { get; set; }

    private SimulatedFile Live =>
        disk.Generation == generation ? file : throw new IOException($"{path}: the simulated process crashed; this handle is gone");

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (!canWrite)
        {
            throw new NotSupportedException($"{path} was opened for reading");
        }

        Live.WriteAt(Position, bytes);
        Position += bytes.Length;
    }

    public void ReadExactly(Span<byte> buffer)
    {
        SimulatedFile live = Live;
        if (Position + buffer.Length > live.Length)
        {
            throw new EndOfStreamException($"{path}: {buffer.Length} bytes asked at {Position} of {live.Length}");
        }

        live.Data.Slice((int)Position, buffer.Length).CopyTo(buffer);
        disk.MaybeCorrupt(path, Position, buffer);
        Position += buffer.Length;
    }

    public void Flush() => _ = Live;

    public void Sync()
    {
        SimulatedFile live = Live;
        disk.MaybeFailSync(path);
        live.Sync();
    }

    public void SetLength(long length) => Live.SetLength(length);

    public void Dispose()
    {
    }
}
