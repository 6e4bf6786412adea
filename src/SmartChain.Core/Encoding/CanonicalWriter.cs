using System.Buffers;
using System.Buffers.Binary;

namespace SmartChain.Core.Encoding;

/// <summary>
/// Writes SmartChain's canonical binary encoding: fixed-width little-endian integers, and byte strings, strings
/// and arrays prefixed by a 32-bit little-endian length or count. Every value has exactly one encoding, which is
/// what hashes and signatures cover. Limits are checked on the way out too, so the writer never produces bytes
/// that <see cref="CanonicalReader"/> would refuse with the same limits.
/// </summary>
public ref struct CanonicalWriter
{
    private readonly IBufferWriter<byte> _output;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public CanonicalWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Written = 0;
    }

    /// <summary>Bytes written by this writer so far.</summary>
    public int Written { get; private set; }

    /// <summary>Writes one byte.</summary>
    public void WriteUInt8(byte value)
    {
        Span<byte> span = _output.GetSpan(1);
        span[0] = value;
        Advance(1);
    }

    /// <summary>Writes a boolean as one byte, 0 or 1.</summary>
    public void WriteBool(bool value) => WriteUInt8(value ? (byte)1 : (byte)0);

    /// <summary>Writes a 16-bit unsigned integer, little-endian.</summary>
    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    /// <summary>Writes a 32-bit unsigned integer, little-endian.</summary>
    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    /// <summary>Writes a 32-bit signed integer, little-endian two's complement.</summary>
    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    /// <summary>Writes a 64-bit unsigned integer, little-endian.</summary>
    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    /// <summary>Writes a 64-bit signed integer, little-endian two's complement.</summary>
    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    /// <summary>Writes bytes as they are, with no length prefix: for fields whose size the format fixes.</summary>
    public void WriteFixed(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(_output.GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>Writes a byte string: its length as a 32-bit count, then the bytes.</summary>
    /// <exception cref="EncodingException">The string is longer than <paramref name="maxLength"/>.</exception>
    public void WriteBytes(scoped ReadOnlySpan<byte> bytes, int maxLength)
    {
        if (bytes.Length > maxLength)
        {
            throw new EncodingException(Written, $"byte string of {bytes.Length} bytes exceeds the limit of {maxLength}");
        }

        WriteUInt32((uint)bytes.Length);
        WriteFixed(bytes);
    }

    /// <summary>Writes a string as a length-prefixed UTF-8 byte string.</summary>
    /// <exception cref="EncodingException">The UTF-8 form is longer than <paramref name="maxBytes"/>.</exception>
    public void WriteString(string value, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        if (length > maxBytes)
        {
            throw new EncodingException(Written, $"string of {length} UTF-8 bytes exceeds the limit of {maxBytes}");
        }

        WriteUInt32((uint)length);
        if (length > 0)
        {
            int written = System.Text.Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
            Advance(written);
        }
    }

    /// <summary>Writes the element count of an array that follows.</summary>
    /// <exception cref="EncodingException">The count is negative or above <paramref name="maxCount"/>.</exception>
    public void WriteCount(int count, int maxCount)
    {
        if (count < 0 || count > maxCount)
        {
            throw new EncodingException(Written, $"count {count} outside 0..{maxCount}");
        }

        WriteUInt32((uint)count);
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        Written += count;
    }
}
