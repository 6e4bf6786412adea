using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SmartChain.Core.Crypto;

/// <summary>
/// 32 bytes held as four words: equality and hashing without arrays or allocation. Shared by the value types
/// that are 32 bytes on the wire (hashes, public keys).
/// </summary>
internal readonly struct Bytes32 : IEquatable<Bytes32>, IComparable<Bytes32>
{
    public const int Length = 32;

    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    public Bytes32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"expected {Length} bytes, got {bytes.Length}", nameof(bytes));
        }

        // Big-endian words make word order equal to byte order, so CompareTo is lexicographic on the bytes.
        _w0 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _w1 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _w2 = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _w3 = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    public byte[] ToArray()
    {
        byte[] bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    public ulong Prefix => _w0;

    public bool Equals(Bytes32 other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override bool Equals(object? obj) => obj is Bytes32 other && Equals(other);

    // All 32 bytes through Marvin, the runtime's string hash, whose seed is random per process. Clients choose
    // these bytes freely (an output's owner key is any 32 bytes, digests can be ground), so a hash of a fixed part
    // or an unseeded one lets them put any number of keys in one bucket and make every replica's lookups O(n).
    // Not HashCode.Combine: it folds each ulong to 32 bits and its xxHash32 rounds pass additive differences
    // through, so both give collisions that hold for every seed (KeyHashCodeTests builds them). The code differs
    // between processes and must never reach anything replicas agree on (docs/architecture.md).
    public override int GetHashCode() => string.GetHashCode(MemoryMarshal.Cast<Bytes32, char>(new ReadOnlySpan<Bytes32>(in this)));

    public int CompareTo(Bytes32 other)
    {
        int c = _w0.CompareTo(other._w0);
        if (c != 0)
        {
            return c;
        }

        c = _w1.CompareTo(other._w1);
        if (c != 0)
        {
            return c;
        }

        c = _w2.CompareTo(other._w2);
        return c != 0 ? c : _w3.CompareTo(other._w3);
    }

    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool TryParseHex(string? hex, out Bytes32 value)
    {
        value = default;
        if (hex is null || hex.Length != Length * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            return false;
        }

        value = new Bytes32(bytes);
        return true;
    }
}
