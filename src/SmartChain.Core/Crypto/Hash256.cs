using System.Security.Cryptography;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Crypto;

/// <summary>A SHA-256 digest: a block id, a transaction id, a Merkle root. Compared byte by byte.</summary>
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    /// <summary>Size of a digest in bytes.</summary>
    public const int Size = 32;

    private readonly Bytes32 _bytes;

    /// <summary>Wraps a 32-byte digest.</summary>
    /// <exception cref="ArgumentException"><paramref name="digest"/> is not 32 bytes.</exception>
    public Hash256(ReadOnlySpan<byte> digest) => _bytes = new Bytes32(digest);

    private Hash256(Bytes32 bytes) => _bytes = bytes;

    /// <summary>All zero bytes; used where "no previous block" must still be 32 bytes.</summary>
    public static Hash256 Zero => default;

    /// <summary>True if every byte is zero.</summary>
    public bool IsZero => _bytes.IsZero;

    /// <summary>
    /// The first 8 bytes as a big-endian number: prefixes order as the hashes do, so its top bits cut hashes into
    /// ranges in hash order (the coin table's shards). No allocation, no copy.
    /// </summary>
    public ulong Prefix => _bytes.Prefix;

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Hash256 Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return new Hash256(digest);
    }

    /// <summary>Copies the digest into <paramref name="destination"/> (at least 32 bytes).</summary>
    public void CopyTo(Span<byte> destination) => _bytes.CopyTo(destination);

    /// <summary>The digest as a new array.</summary>
    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>Writes the 32 bytes with no prefix.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        writer.WriteFixed(bytes);
    }

    /// <summary>Reads 32 bytes written by <see cref="WriteTo"/>.</summary>
    public static Hash256 ReadFrom(ref CanonicalReader reader) => new(reader.ReadFixed(Size));

    /// <summary>Parses 64 hex digits.</summary>
    public static bool TryParse(string? hex, out Hash256 hash)
    {
        bool ok = Bytes32.TryParseHex(hex, out Bytes32 bytes);
        hash = new Hash256(bytes);
        return ok;
    }

    /// <summary>Parses 64 hex digits.</summary>
    /// <exception cref="FormatException">Not 64 hex digits.</exception>
    public static Hash256 Parse(string hex) =>
        TryParse(hex, out Hash256 hash) ? hash : throw new FormatException("a SHA-256 hash is 64 hex digits");

    /// <inheritdoc />
    public bool Equals(Hash256 other) => _bytes.Equals(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bytes.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(Hash256 other) => _bytes.CompareTo(other._bytes);

    /// <summary>Lower-case hex.</summary>
    public override string ToString() => _bytes.ToHex();

    /// <summary>Equality.</summary>
    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;
}
