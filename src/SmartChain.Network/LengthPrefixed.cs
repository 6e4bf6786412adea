using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace SmartChain.Network;

/// <summary>Reads and writes <c>u32 length · bytes</c> units on a pipe; the length is checked before any byte is buffered for it.</summary>
internal static class LengthPrefixed
{
    /// <summary>The next unit, or null if the stream ended cleanly between units.</summary>
    public static async ValueTask<byte[]?> ReadAsync(PipeReader reader, int maxLength, string what, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                uint length = ReadPrefix(buffer);
                if (length > (uint)maxLength)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new LinkException($"{what} of {length} bytes exceeds the limit of {maxLength}");
                }

                if (buffer.Length >= 4 + length)
                {
                    byte[] unit = buffer.Slice(4, length).ToArray();
                    reader.AdvanceTo(buffer.GetPosition(4 + length));
                    return unit;
                }
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return buffer.IsEmpty ? null : throw new LinkException($"connection closed in the middle of a {what}");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static uint ReadPrefix(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        return BinaryPrimitives.ReadUInt32LittleEndian(prefix);
    }

    public static async ValueTask WriteAsync(PipeWriter writer, ReadOnlyMemory<byte> unit, CancellationToken cancellationToken)
    {
        Span<byte> span = writer.GetSpan(4 + unit.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)unit.Length);
        unit.Span.CopyTo(span[4..]);
        writer.Advance(4 + unit.Length);
        await writer.FlushAsync(cancellationToken);
    }
}
