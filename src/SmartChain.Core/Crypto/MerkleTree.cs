using System.Buffers;

namespace SmartChain.Core.Crypto;

/// <summary>
/// Merkle trees as in RFC 6962/9162 (Certificate Transparency): leaf hash = SHA-256(0x00 ‖ leaf), inner node =
/// SHA-256(0x01 ‖ left ‖ right). The prefixes keep a leaf from passing as an inner node (second-preimage
/// attacks). A level with an odd number of nodes promotes its last node unchanged instead of duplicating it,
/// so two different lists never share a root (Bitcoin's CVE-2012-2459). The root of an empty list is
/// SHA-256 of the empty string, e3b0c442…b855, as in RFC 6962.
/// </summary>
public static class MerkleTree
{
    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>Root of the empty list: SHA-256("").</summary>
    public static Hash256 EmptyRoot { get; } = Hash256.Compute([]);

    /// <summary>SHA-256(0x00 ‖ <paramref name="leaf"/>).</summary>
    public static Hash256 HashLeaf(ReadOnlySpan<byte> leaf)
    {
        // One-shot hashing over a prefixed copy beats an IncrementalHash object per leaf; leaves are small.
        const int StackLimit = 1024;
        int length = leaf.Length + 1;
        byte[]? rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> input = rented is null ? stackalloc byte[StackLimit] : rented;
        try
        {
            input[0] = LeafPrefix;
            leaf.CopyTo(input[1..]);
            return Hash256.Compute(input[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>SHA-256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>).</summary>
    public static Hash256 HashNode(Hash256 left, Hash256 right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * Hash256.Size)];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Hash256.Size)..]);
        return Hash256.Compute(input);
    }

    /// <summary>Root over the given leaves (the leaves' bytes, not their hashes).</summary>
    public static Hash256 ComputeRoot(IReadOnlyList<ReadOnlyMemory<byte>> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            return EmptyRoot;
        }

        Hash256[] level = ArrayPool<Hash256>.Shared.Rent(leaves.Count);
        try
        {
            for (int i = 0; i < leaves.Count; i++)
            {
                level[i] = HashLeaf(leaves[i].Span);
            }

            return ReduceInPlace(level.AsSpan(0, leaves.Count));
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(level);
        }
    }

    /// <summary>Root over leaves that are already leaf hashes (from <see cref="HashLeaf"/>).</summary>
    public static Hash256 ComputeRootFromLeafHashes(ReadOnlySpan<Hash256> leafHashes)
    {
        if (leafHashes.IsEmpty)
        {
            return EmptyRoot;
        }

        Hash256[] level = ArrayPool<Hash256>.Shared.Rent(leafHashes.Length);
        try
        {
            leafHashes.CopyTo(level);
            return ReduceInPlace(level.AsSpan(0, leafHashes.Length));
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(level);
        }
    }

    /// <summary>
    /// Proof that leaf <paramref name="index"/> is in the tree over <paramref name="leafHashes"/>: the sibling of
    /// the path's node at each level where it has one, bottom-up.
    /// </summary>
    public static MerkleProof CreateProof(ReadOnlySpan<Hash256> leafHashes, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leafHashes.Length);

        var path = new List<Hash256>();
        Hash256[] level = ArrayPool<Hash256>.Shared.Rent(leafHashes.Length);
        try
        {
            leafHashes.CopyTo(level);
            int count = leafHashes.Length;
            int position = index;
            while (count > 1)
            {
                int sibling = position ^ 1;
                if (sibling < count)
                {
                    path.Add(level[sibling]);
                }

                count = ReduceLevel(level.AsSpan(0, count));
                position >>= 1;
            }
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(level);
        }

        return new MerkleProof(index, leafHashes.Length, path.ToArray());
    }

    private static Hash256 ReduceInPlace(Span<Hash256> level)
    {
        int count = level.Length;
        while (count > 1)
        {
            count = ReduceLevel(level[..count]);
        }

        return level[0];
    }

    // Pairs neighbours into the first half of the span; an odd last node moves up as it is.
    private static int ReduceLevel(Span<Hash256> level)
    {
        int next = 0;
        for (int i = 0; i + 1 < level.Length; i += 2)
        {
            level[next++] = HashNode(level[i], level[i + 1]);
        }

        if ((level.Length & 1) == 1)
        {
            level[next++] = level[^1];
        }

        return next;
    }
}
