using System.Buffers.Binary;
using SmartChain.Core.Crypto;

namespace SmartChain.Ledger;

/// <summary>
/// The two Merkle trees of a block. Leaf j is <c>u32-LE j ‖ bytes</c> for both entries and results: the root alone
/// does not pin a tree's size (see <see cref="MerkleProof"/>), so the index goes into the leaf, and a proof of result
/// j can only ever be a proof of result j.
/// </summary>
public static class BlockMerkle
{
    /// <summary>The indexed leaf for item <paramref name="index"/>.</summary>
    public static byte[] Leaf(int index, ReadOnlySpan<byte> item)
    {
        byte[] leaf = new byte[4 + item.Length];
        BinaryPrimitives.WriteInt32LittleEndian(leaf, index);
        item.CopyTo(leaf.AsSpan(4));
        return leaf;
    }

    /// <summary>The root over indexed leaves of <paramref name="items"/>.</summary>
    public static Hash256 Root(IReadOnlyList<ReadOnlyMemory<byte>> items) => MerkleTree.ComputeRootFromLeafHashes(LeafHashes(items));

    /// <summary>The proof that item <paramref name="index"/> is in <paramref name="items"/>.</summary>
    public static MerkleProof Prove(IReadOnlyList<ReadOnlyMemory<byte>> items, int index) => MerkleTree.CreateProof(LeafHashes(items), index);

    /// <summary>
    /// True if <paramref name="item"/> is item <paramref name="index"/> of the tree with <paramref name="root"/>.
    /// <paramref name="nodes"/> remembers inner nodes across proofs into the same trees (see <see cref="MerkleNodeMemo"/>).
    /// </summary>
    public static bool Verify(MerkleProof proof, int index, ReadOnlySpan<byte> item, Hash256 root, MerkleNodeMemo? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return proof.LeafIndex == index && proof.VerifyLeafHash(HashIndexedLeaf(index, item), root, nodes);
    }

    /// <summary>Every level of the tree over <paramref name="items"/>: the root and O(log n) proofs of any item.</summary>
    public static MerkleLevels Tree(IReadOnlyList<ReadOnlyMemory<byte>> items) => MerkleLevels.Build(LeafHashes(items));

    private static Hash256[] LeafHashes(IReadOnlyList<ReadOnlyMemory<byte>> items)
    {
        var hashes = new Hash256[items.Count];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = HashIndexedLeaf(i, items[i].Span);
        }

        return hashes;
    }

    // The hash of Leaf(index, item), with the leaf built on the stack (or in a rented array when large) instead of a
    // new array per entry and per result of every block.
    private static Hash256 HashIndexedLeaf(int index, ReadOnlySpan<byte> item)
    {
        const int StackLimit = 1024;
        int length = 4 + item.Length;
        byte[]? rented = length > StackLimit ? System.Buffers.ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> leaf = (rented is null ? stackalloc byte[StackLimit] : rented)[..length];
        try
        {
            BinaryPrimitives.WriteInt32LittleEndian(leaf, index);
            item.CopyTo(leaf[4..]);
            return MerkleTree.HashLeaf(leaf);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
