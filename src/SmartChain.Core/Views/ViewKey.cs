using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Views;

/// <summary>
/// A member's signing key in one view, with the Merkle path that shows it is the right leaf of the key chain its
/// identity commits to (<see cref="KeyChainCommitment"/>). Encoding: <c>32 B key · Merkle proof</c>.
/// </summary>
public sealed record ViewKey(Ed25519PublicKey Key, MerkleProof Path)
{
    /// <summary>Writes the canonical bytes.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        Key.WriteTo(ref writer);
        Path.WriteTo(ref writer);
    }

    /// <summary>Reads a view key written by <see cref="WriteTo"/>.</summary>
    public static ViewKey ReadFrom(ref CanonicalReader reader) => new(Ed25519PublicKey.ReadFrom(ref reader), MerkleProof.ReadFrom(ref reader));

    /// <summary>Equal if the key and every part of the path are equal (the path is compared by value, not by reference).</summary>
    public bool Equals(ViewKey? other) =>
        other is not null && Key == other.Key && Path.LeafIndex == other.Path.LeafIndex && Path.TreeSize == other.Path.TreeSize &&
        Path.Path.SequenceEqual(other.Path.Path);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Path.LeafIndex, Path.TreeSize);

    /// <summary>Smallest encoding (an empty path).</summary>
    internal const int MinEncodedBytes = Ed25519PublicKey.Size + 8 + 8 + 4;
}
