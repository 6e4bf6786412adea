namespace SmartChain.Core.Crypto;

/// <summary>
/// Every level of a Merkle tree (same shape as <see cref="MerkleTree"/>), kept so that proofs of all leaves cost
/// O(n) to build once and O(log n) each, instead of O(n) per proof: a block's receipts need a proof for every entry.
/// </summary>
public sealed class MerkleLevels
{
    private readonly Hash256[][] _levels;

    private MerkleLevels(Hash256[][] levels) => _levels = levels;

    /// <summary>Number of leaves.</summary>
    public int Count => _levels[0].Length;

    /// <summary>The root (<see cref="MerkleTree.EmptyRoot"/> for no leaves).</summary>
    public Hash256 Root => Count == 0 ? MerkleTree.EmptyRoot : _levels[^1][0];

    /// <summary>Builds every level over leaf hashes (from <see cref="MerkleTree.HashLeaf"/>).</summary>
    public static MerkleLevels Build(Hash256[] leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        var levels = new List<Hash256[]> { leafHashes };
        Hash256[] level = leafHashes;
        while (level.Length > 1)
        {
            var next = new Hash256[(level.Length + 1) / 2];
            for (int i = 0; i < next.Length; i++)
            {
                int left = 2 * i;
                next[i] = left + 1 < level.Length ? MerkleTree.HashNode(level[left], level[left + 1]) : level[left];
            }

            levels.Add(next);
            level = next;
        }

        return new MerkleLevels([.. levels]);
    }

    /// <summary>The proof of leaf <paramref name="index"/>, identical to <see cref="MerkleTree.CreateProof"/>'s.</summary>
    public MerkleProof Prove(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        // Two passes, counting the siblings first: every strong receipt takes two proofs, so the path is built in its
        // exact-size array rather than in a list copied out.
        int length = 0;
        for (int k = 0, position = index; k < _levels.Length - 1; k++, position >>= 1)
        {
            if ((position ^ 1) < _levels[k].Length)
            {
                length++;
            }
        }

        var path = new Hash256[length];
        int at = 0;
        for (int k = 0, position = index; k < _levels.Length - 1; k++, position >>= 1)
        {
            int sibling = position ^ 1;
            if (sibling < _levels[k].Length)
            {
                path[at++] = _levels[k][sibling];
            }
        }

        return new MerkleProof(index, Count, path);
    }
}
