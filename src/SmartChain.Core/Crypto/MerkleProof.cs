using SmartChain.Core.Encoding;

namespace SmartChain.Core.Crypto;

/// <summary>
/// Inclusion proof for one leaf of a <see cref="MerkleTree"/>: the leaf's index, the tree's size and the sibling
/// hashes from the leaf up. Verified with the algorithm of RFC 9162 §2.1.3.2, which also pins the index: a proof
/// for leaf 3 does not verify as a proof for leaf 2 of the same size.
/// </summary>
/// <remarks>
/// The root does not commit to the tree size, and a path can have the same shape in trees of different sizes
/// (leaf 12 of 13 and leaf 3 of 4 both climb "left, left"). A verifier must therefore take
/// <see cref="TreeSize"/> from an authenticated source, such as the entry count of a certified block, or hash
/// the index into the leaf, before trusting <see cref="LeafIndex"/>.
/// </remarks>
public sealed class MerkleProof
{
    /// <summary>Most siblings a proof can have: enough for 2^62 leaves.</summary>
    public const int MaxPathLength = 62;

    /// <summary>Creates a proof; use <see cref="MerkleTree.CreateProof"/> to build one from a tree.</summary>
    public MerkleProof(long leafIndex, long treeSize, IReadOnlyList<Hash256> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        LeafIndex = leafIndex;
        TreeSize = treeSize;
        Path = path;
    }

    /// <summary>Position of the leaf, from 0.</summary>
    public long LeafIndex { get; }

    /// <summary>Number of leaves in the tree.</summary>
    public long TreeSize { get; }

    /// <summary>Sibling hashes, leaf level first.</summary>
    public IReadOnlyList<Hash256> Path { get; }

    /// <summary>True if the leaf's bytes sit at <see cref="LeafIndex"/> in the tree with <paramref name="root"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> leaf, Hash256 root) => VerifyLeafHash(MerkleTree.HashLeaf(leaf), root);

    /// <summary>
    /// Like <see cref="Verify"/>, for a leaf already hashed with <see cref="MerkleTree.HashLeaf"/>. With
    /// <paramref name="nodes"/>, inner nodes computed before (by this proof's siblings, say) are looked up instead of
    /// hashed again; the answer is the same.
    /// </summary>
    public bool VerifyLeafHash(Hash256 leafHash, Hash256 root, MerkleNodeMemo? nodes = null)
    {
        if (LeafIndex < 0 || LeafIndex >= TreeSize || Path.Count > MaxPathLength)
        {
            return false;
        }

        long fn = LeafIndex;
        long sn = TreeSize - 1;
        Hash256 r = leafHash;
        // With a memo: the nodes computed here (children, then node), remembered only if the path reaches the root.
        Span<Hash256> computed = nodes is null ? [] : stackalloc Hash256[3 * Path.Count];
        int count = 0;
        for (int i = 0; i < Path.Count; i++) // by index: foreach over the interface allocates an enumerator per proof
        {
            Hash256 p = Path[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = HashNode(p, r, nodes, computed, ref count);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = HashNode(r, p, nodes, computed, ref count);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0 || r != root)
        {
            return false;
        }

        for (int i = 0; i < count; i += 3)
        {
            nodes!.Remember(computed[i], computed[i + 1], computed[i + 2]);
        }

        return true;
    }

    private static Hash256 HashNode(Hash256 left, Hash256 right, MerkleNodeMemo? nodes, Span<Hash256> computed, ref int count)
    {
        if (nodes is null)
        {
            return MerkleTree.HashNode(left, right);
        }

        if (nodes.TryGet(left, right, out Hash256 known))
        {
            return known;
        }

        Hash256 node = MerkleTree.HashNode(left, right);
        computed[count] = left;
        computed[count + 1] = right;
        computed[count + 2] = node;
        count += 3;
        return node;
    }

    /// <summary>The length of <see cref="WriteTo"/>'s bytes.</summary>
    public int EncodedSize => 8 + 8 + 4 + (Path.Count * Hash256.Size);

    /// <summary>Canonical encoding: index, size, path count, path hashes.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        writer.WriteInt64(LeafIndex);
        writer.WriteInt64(TreeSize);
        writer.WriteCount(Path.Count, MaxPathLength);
        for (int i = 0; i < Path.Count; i++) // by index: foreach over the interface allocates an enumerator per proof
        {
            Path[i].WriteTo(ref writer);
        }
    }

    /// <summary>Reads a proof written by <see cref="WriteTo"/>.</summary>
    public static MerkleProof ReadFrom(ref CanonicalReader reader)
    {
        long index = reader.ReadInt64(0, long.MaxValue - 1);
        long size = reader.ReadInt64(1, long.MaxValue);
        int count = reader.ReadCount(MaxPathLength, Hash256.Size);
        var path = new Hash256[count];
        for (int i = 0; i < count; i++)
        {
            path[i] = Hash256.ReadFrom(ref reader);
        }

        return new MerkleProof(index, size, path);
    }
}
