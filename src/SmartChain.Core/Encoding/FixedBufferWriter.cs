using System.Buffers;

namespace SmartChain.Core.Encoding;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over an array whose final size is known in advance: encodes in place with
/// no growth and no copy. Asking for more room than is left is a bug in the size computation and throws.
/// </summary>
public sealed class FixedBufferWriter : IBufferWriter<byte>
{
    private readonly byte[] _buffer;
    private int _written;

    /// <summary>Writes into <paramref name="buffer"/> from its start.</summary>
    public FixedBufferWriter(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        _buffer = buffer;
    }

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(_written, Room(sizeHint));

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(_written, Room(sizeHint));

    private int Room(int sizeHint)
    {
        int left = _buffer.Length - _written;
        if (sizeHint > left)
        {
            throw new InvalidOperationException($"fixed buffer of {_buffer.Length} bytes has {left} left, {sizeHint} requested");
        }

        return left;
    }
}
