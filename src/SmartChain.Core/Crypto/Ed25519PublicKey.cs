using SmartChain.Core.Encoding;

namespace SmartChain.Core.Crypto;

/// <summary>
/// An Ed25519 public key as its 32 raw bytes (RFC 8032 encoding): a client's identity, a replica's key in a
/// view, a minter. A value type so it can key dictionaries and be compared without allocation.
/// </summary>
public readonly struct Ed25519PublicKey : IEquatable<Ed25519PublicKey>, IComparable<Ed25519PublicKey>
{
    /// <summary>Size of a public key in bytes.</summary>
    public const int Size = 32;

    private readonly Bytes32 _bytes;

    /// <summary>Wraps 32 raw key bytes.</summary>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public Ed25519PublicKey(ReadOnlySpan<byte> bytes) => _bytes = new Bytes32(bytes);

    private Ed25519PublicKey(Bytes32 bytes) => _bytes = bytes;

    /// <summary>Copies the 32 bytes into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination) => _bytes.CopyTo(destination);

    /// <summary>The 32 bytes as a new array.</summary>
    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>Writes the 32 bytes with no prefix.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        writer.WriteFixed(bytes);
    }

    /// <summary>Reads 32 bytes written by <see cref="WriteTo"/>.</summary>
    public static Ed25519PublicKey ReadFrom(ref CanonicalReader reader) => new(reader.ReadFixed(Size));

    /// <summary>Parses 64 hex digits.</summary>
    public static bool TryParse(string? hex, out Ed25519PublicKey key)
    {
        bool ok = Bytes32.TryParseHex(hex, out Bytes32 bytes);
        key = new Ed25519PublicKey(bytes);
        return ok;
    }

    /// <summary>Parses 64 hex digits.</summary>
    /// <exception cref="FormatException">Not 64 hex digits.</exception>
    public static Ed25519PublicKey Parse(string hex) =>
        TryParse(hex, out Ed25519PublicKey key) ? key : throw new FormatException("an Ed25519 public key is 64 hex digits");

    /// <inheritdoc />
    public bool Equals(Ed25519PublicKey other) => _bytes.Equals(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Ed25519PublicKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bytes.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(Ed25519PublicKey other) => _bytes.CompareTo(other._bytes);

    /// <summary>Lower-case hex, the form used in genesis.json and on the command line.</summary>
    public override string ToString() => _bytes.ToHex();

    /// <summary>Equality.</summary>
    public static bool operator ==(Ed25519PublicKey left, Ed25519PublicKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Ed25519PublicKey left, Ed25519PublicKey right) => !left.Equals(right);

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator <(Ed25519PublicKey left, Ed25519PublicKey right) => left.CompareTo(right) < 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator >(Ed25519PublicKey left, Ed25519PublicKey right) => left.CompareTo(right) > 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator <=(Ed25519PublicKey left, Ed25519PublicKey right) => left.CompareTo(right) <= 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator >=(Ed25519PublicKey left, Ed25519PublicKey right) => left.CompareTo(right) >= 0;
}
