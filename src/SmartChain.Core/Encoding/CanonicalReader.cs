using System.Buffers.Binary;
using System.Text;

namespace SmartChain.Core.Encoding;

/// <summary>
/// Reads SmartChain's canonical binary encoding from a span without copying. Every length and count is checked
/// against a limit the caller passes and against the bytes that remain, before anything is allocated. The only
/// exception it throws is <see cref="EncodingException"/>, with the offset and the reason.
/// </summary>
public ref struct CanonicalReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _input;
    private int _position;

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    public CanonicalReader(ReadOnlySpan<byte> input)
    {
        _input = input;
        _position = 0;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _input.Length - _position;

    /// <summary>The bytes read so far: useful to hash or verify the prefix of a message.</summary>
    public readonly ReadOnlySpan<byte> Consumed => _input[.._position];

    /// <summary>Reads one byte.</summary>
    public byte ReadUInt8() => Take(1)[0];

    /// <summary>Reads a boolean; any byte other than 0 or 1 is rejected, so the encoding stays unique.</summary>
    public bool ReadBool()
    {
        int at = _position;
        byte value = ReadUInt8();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new EncodingException(at, $"boolean byte must be 0 or 1, found {value}"),
        };
    }

    /// <summary>Reads a 16-bit unsigned little-endian integer.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    /// <summary>Reads a 32-bit unsigned little-endian integer.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    /// <summary>Reads a 32-bit signed little-endian integer.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>Reads a 64-bit unsigned little-endian integer.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads a 64-bit signed little-endian integer.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Reads a 64-bit signed integer that must lie in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public long ReadInt64(long min, long max)
    {
        int at = _position;
        long value = ReadInt64();
        if (value < min || value > max)
        {
            throw new EncodingException(at, $"value {value} outside {min}..{max}");
        }

        return value;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes with no prefix.</summary>
    public ReadOnlySpan<byte> ReadFixed(int length) => Take(length);

    /// <summary>Reads a length-prefixed byte string of at most <paramref name="maxLength"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int maxLength)
    {
        int at = _position;
        uint length = ReadUInt32();
        if (length > (uint)maxLength)
        {
            throw new EncodingException(at, $"byte string length {length} exceeds the limit of {maxLength}");
        }

        return Take((int)length);
    }

    /// <summary>Reads a length-prefixed byte string into a new array.</summary>
    public byte[] ReadBytesToArray(int maxLength) => ReadBytes(maxLength).ToArray();

    /// <summary>Reads a length-prefixed UTF-8 string; invalid UTF-8 is rejected.</summary>
    public string ReadString(int maxBytes)
    {
        int at = _position;
        ReadOnlySpan<byte> bytes = ReadBytes(maxBytes);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new EncodingException(at, "string is not valid UTF-8");
        }
    }

    /// <summary>
    /// Reads the element count of an array. The count must not exceed <paramref name="maxCount"/>, and
    /// <paramref name="minElementBytes"/> times the count must fit in what remains, so a forged count can never
    /// make the caller allocate more than the input could fill.
    /// </summary>
    public int ReadCount(int maxCount, int minElementBytes)
    {
        int at = _position;
        uint count = ReadUInt32();
        if (count > (uint)maxCount)
        {
            throw new EncodingException(at, $"count {count} exceeds the limit of {maxCount}");
        }

        if ((long)count * Math.Max(minElementBytes, 0) > Remaining)
        {
            throw new EncodingException(at, $"count {count} needs at least {(long)count * minElementBytes} bytes, {Remaining} remain");
        }

        return (int)count;
    }

    /// <summary>Fails unless every byte has been read: trailing bytes would make two encodings of one value.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _input.Length)
        {
            throw new EncodingException(_position, $"{Remaining} trailing bytes after the value");
        }
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || length > Remaining)
        {
            throw new EncodingException(_position, $"truncated input: needed {length} bytes, {Remaining} remain");
        }

        ReadOnlySpan<byte> slice = _input.Slice(_position, length);
        _position += length;
        return slice;
    }
}
