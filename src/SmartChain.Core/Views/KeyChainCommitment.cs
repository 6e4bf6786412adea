using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Views;

/// <summary>
/// What a replica's identity commits to about its per-view signing keys (SPEC §5): the Merkle root over the public
/// keys of its forward-secure key chain, the chain's length, and the view its first key belongs to. Key <c>i</c> is
/// the key of view <see cref="FirstView"/> + i; leaf i of the tree is <c>u32-LE i ‖ 32 B key</c> (the index in the leaf
/// pins the position, since a root does not fix the tree size). Encoding: <c>32 B root · i32 length · i64 first view</c>.
/// </summary>
public sealed record KeyChainCommitment(Hash256 Root, int Length, long FirstView)
{
    /// <summary>Longest key chain: a member takes part in at most this many views before it must rejoin with a new one.</summary>
    public const int MaxLength = 1024;

    /// <summary>Size of the encoding.</summary>
    public const int EncodedSize = Hash256.Size + 4 + 8;

    /// <summary>The commitment to <paramref name="keys"/>, whose first key belongs to view <paramref name="firstView"/>.</summary>
    /// <exception cref="ArgumentException">No keys, or more than <see cref="MaxLength"/>.</exception>
    public static KeyChainCommitment Create(IReadOnlyList<Ed25519PublicKey> keys, long firstView)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfNegative(firstView);
        CheckLength(keys.Count);
        return new KeyChainCommitment(MerkleTree.ComputeRootFromLeafHashes(LeafHashes(keys)), keys.Count, firstView);
    }

    /// <summary>The key of view <paramref name="viewId"/> out of <paramref name="keys"/>, with its Merkle path.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The chain has no key for that view.</exception>
    public ViewKey Prove(IReadOnlyList<Ed25519PublicKey> keys, long viewId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count != Length || IndexOf(viewId) is not int index)
        {
            throw new ArgumentOutOfRangeException(nameof(viewId), $"a key chain of {Length} keys from view {FirstView} has no key for view {viewId}");
        }

        return new ViewKey(keys[index], MerkleTree.CreateProof(LeafHashes(keys), index));
    }

    /// <summary>Position of view <paramref name="viewId"/>'s key in the chain; null if the chain does not cover it.</summary>
    public int? IndexOf(long viewId) => viewId >= FirstView && viewId - FirstView < Length ? (int)(viewId - FirstView) : null;

    /// <summary>Null if <paramref name="key"/> is this chain's key of view <paramref name="viewId"/>; otherwise why not.</summary>
    public string? Check(ViewKey key, long viewId)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (IndexOf(viewId) is not int index)
        {
            return $"its key chain ({Length} keys from view {FirstView}) has no key for view {viewId}";
        }

        return key.Path.LeafIndex != index || key.Path.TreeSize != Length || !key.Path.VerifyLeafHash(LeafHash(index, key.Key), Root)
            ? $"its key for view {viewId} is not leaf {index} of its key chain"
            : null;
    }

    /// <summary>Writes the canonical bytes.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        Root.WriteTo(ref writer);
        writer.WriteInt32(Length);
        writer.WriteInt64(FirstView);
    }

    /// <summary>Reads a commitment written by <see cref="WriteTo"/>.</summary>
    public static KeyChainCommitment ReadFrom(ref CanonicalReader reader)
    {
        Hash256 root = Hash256.ReadFrom(ref reader);
        int at = reader.Position;
        int length = reader.ReadInt32();
        if (length < 1 || length > MaxLength)
        {
            throw new EncodingException(at, $"a key chain of {length} keys; chains hold 1..{MaxLength}");
        }

        return new KeyChainCommitment(root, length, reader.ReadInt64(0, long.MaxValue));
    }

    /// <summary>The hash of leaf <paramref name="index"/>: SHA-256(0x00 ‖ u32-LE index ‖ key).</summary>
    public static Hash256 LeafHash(int index, Ed25519PublicKey key)
    {
        Span<byte> leaf = stackalloc byte[4 + Ed25519PublicKey.Size];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(leaf, (uint)index);
        key.CopyTo(leaf[4..]);
        return MerkleTree.HashLeaf(leaf);
    }

    private static Hash256[] LeafHashes(IReadOnlyList<Ed25519PublicKey> keys)
    {
        var hashes = new Hash256[keys.Count];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = LeafHash(i, keys[i]);
        }

        return hashes;
    }

    private static void CheckLength(int length)
    {
        if (length < 1 || length > MaxLength)
        {
            throw new ArgumentException($"a key chain holds 1..{MaxLength} keys, got {length}");
        }
    }
}
