using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace SmartChain.Network;

/// <summary>Reads and writes <c>u32 length · bytes</c> units on a pipe; the length is checked before any byte is buffered for it.</summary>
internal static class LengthPrefixed
{
    /// <summary>The next unit, or null if the stream ended cleanly between units.</summary>
    public static ValueTask<byte[]?> ReadAsync(PipeReader reader, int maxLength, string what, CancellationToken cancellationToken) =>
        ReadAsync(reader, maxLength, what, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// The next unit, or null if the stream ended cleanly between units. With a <paramref name="deadline"/>, the wait
    /// for its first byte is bounded by <paramref name="idle"/>, and the time from its first byte to its last by
    /// <paramref name="frame"/>; the clock is armed only when the read has to wait, so a unit already buffered costs nothing.
    /// </summary>
    /// <exception cref="LinkException">Oversized, cut off, idle too long or too slow.</exception>
    public static async ValueTask<byte[]?> ReadAsync(PipeReader reader, int maxLength, string what, ReceiveDeadline? deadline,
        TimeSpan idle, TimeSpan frame, CancellationToken cancellationToken) =>
        (await ReadUnitAsync(reader, maxLength, what, deadline, idle, frame, pooled: false, cancellationToken)).Unit;

    /// <summary>
    /// Like <see cref="ReadAsync(PipeReader, int, string, ReceiveDeadline?, TimeSpan, TimeSpan, CancellationToken)"/>,
    /// but the unit is copied into an array rented from <see cref="ArrayPool{T}.Shared"/>, of at least
    /// <c>Length</c> bytes: the caller owns it and returns it to the pool exactly once, after its last use. For units that
    /// are consumed at once (a sealed frame is decrypted into its own array), so no array per unit is left to the GC.
    /// </summary>
    /// <exception cref="LinkException">Oversized, cut off, idle too long or too slow.</exception>
    public static ValueTask<(byte[]? Unit, int Length)> ReadPooledAsync(PipeReader reader, int maxLength, string what, ReceiveDeadline? deadline,
        TimeSpan idle, TimeSpan frame, CancellationToken cancellationToken) =>
        ReadUnitAsync(reader, maxLength, what, deadline, idle, frame, pooled: true, cancellationToken);

    // Pooled builder: a receive loop awaits one unit after another, and most reads wait for the socket, so a state
    // machine box per unit would otherwise be garbage.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(byte[]? Unit, int Length)> ReadUnitAsync(PipeReader reader, int maxLength, string what, ReceiveDeadline? deadline,
        TimeSpan idle, TimeSpan frame, bool pooled, CancellationToken cancellationToken)
    {
        bool started = false;
        bool armed = false;
        if (deadline is not null && idle != Timeout.InfiniteTimeSpan)
        {
            deadline.Arm(idle);
            armed = true;
        }

        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(cancellationToken);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (result.IsCanceled && deadline is not null && deadline.Expired)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new LinkException(started
                        ? $"{what} did not arrive within {frame.TotalSeconds:0.###} s of its first byte ({buffer.Length} bytes came)"
                        : $"idle for {idle.TotalSeconds:0.###} s");
                }

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
                        byte[] unit = pooled ? ArrayPool<byte>.Shared.Rent((int)length) : new byte[length];
                        buffer.Slice(4, length).CopyTo(unit);
                        reader.AdvanceTo(buffer.GetPosition(4 + length));
                        return (unit, (int)length);
                    }
                }

                if (result.IsCompleted)
                {
                    reader.AdvanceTo(buffer.End);
                    return buffer.IsEmpty ? (null, 0) : throw new LinkException($"connection closed in the middle of a {what}");
                }

                if (!started && !buffer.IsEmpty && deadline is not null && frame != Timeout.InfiniteTimeSpan)
                {
                    started = true;
                    deadline.Arm(frame);
                    armed = true;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            if (armed)
            {
                deadline!.Disarm();
            }
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
