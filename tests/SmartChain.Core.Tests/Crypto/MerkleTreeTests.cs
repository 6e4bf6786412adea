using CsCheck;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Tests.Crypto;

public class MerkleTreeTests
{
    private static byte[][] Leaves(int n) => [.. Enumerable.Range(0, n).Select(i => BitConverter.GetBytes(i * 7919))];

    private static Hash256[] LeafHashes(byte[][] leaves) => [.. leaves.Select(l => MerkleTree.HashLeaf(l))];

    private static Hash256 Root(byte[][] leaves) => MerkleTree.ComputeRoot([.. leaves.Select(l => (ReadOnlyMemory<byte>)l)]);

    // RFC 6962 §2.1 written recursively, independent of the iterative implementation.
    private static Hash256 ReferenceRoot(ReadOnlySpan<byte[]> leaves)
    {
        if (leaves.Length == 0)
        {
            return Hash256.Compute([]);
        }

        if (leaves.Length == 1)
        {
            return Hash256.Compute([0x00, .. leaves[0]]);
        }

        int k = 1;
        while (k * 2 < leaves.Length)
        {
            k *= 2;
        }

        byte[] node = [0x01, .. ReferenceRoot(leaves[..k]).ToArray(), .. ReferenceRoot(leaves[k..]).ToArray()];
        return Hash256.Compute(node);
    }

    [Fact]
    public void The_empty_list_has_the_documented_root()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", MerkleTree.EmptyRoot.ToString());
        Assert.Equal(MerkleTree.EmptyRoot, MerkleTree.ComputeRoot([]));
    }

    [Fact]
    public void Roots_match_the_recursive_RFC_6962_definition()
    {
        Gen.Int[0, 300].Sample(n =>
        {
            byte[][] leaves = Leaves(n);
            return Root(leaves) == ReferenceRoot(leaves) && MerkleTree.ComputeRootFromLeafHashes(LeafHashes(leaves)) == Root(leaves);
        }, iter: 150);
    }

    [Fact]
    public void A_leaf_cannot_pass_as_an_inner_node()
    {
        byte[][] two = Leaves(2);
        Hash256 root = Root(two);
        byte[] forged = [.. MerkleTree.HashLeaf(two[0]).ToArray(), .. MerkleTree.HashLeaf(two[1]).ToArray()];
        Assert.NotEqual(root, Root([forged]));
    }

    [Fact]
    public void Repeating_the_last_leaf_changes_the_root()
    {
        byte[][] three = Leaves(3);
        Assert.NotEqual(Root(three), Root([.. three, three[2]]));
    }

    [Fact]
    public void Every_leaf_of_every_tree_size_has_a_proof_that_verifies()
    {
        for (int n = 1; n <= 70; n++)
        {
            byte[][] leaves = Leaves(n);
            Hash256[] hashes = LeafHashes(leaves);
            Hash256 root = Root(leaves);
            for (int i = 0; i < n; i++)
            {
                MerkleProof proof = MerkleTree.CreateProof(hashes, i);
                Assert.True(proof.Verify(leaves[i], root), $"leaf {i} of {n}");
                Assert.True(proof.Path.Count <= Math.Ceiling(Math.Log2(n)));
            }
        }
    }

    [Fact]
    public void A_tampered_leaf_fails()
    {
        byte[][] leaves = Leaves(13);
        MerkleProof proof = MerkleTree.CreateProof(LeafHashes(leaves), 5);
        byte[] tampered = [.. leaves[5]];
        tampered[0] ^= 1;
        Assert.False(proof.Verify(tampered, Root(leaves)));
    }

    [Fact]
    public void A_tampered_path_fails_at_every_position()
    {
        byte[][] leaves = Leaves(13);
        Hash256 root = Root(leaves);
        MerkleProof proof = MerkleTree.CreateProof(LeafHashes(leaves), 5);
        for (int p = 0; p < proof.Path.Count; p++)
        {
            Hash256[] path = [.. proof.Path];
            byte[] bytes = path[p].ToArray();
            bytes[31] ^= 0x80;
            path[p] = new Hash256(bytes);
            Assert.False(new MerkleProof(proof.LeafIndex, proof.TreeSize, path).Verify(leaves[5], root));
        }

        Assert.False(new MerkleProof(5, 13, proof.Path.Take(proof.Path.Count - 1).ToArray()).Verify(leaves[5], root));
        Assert.False(new MerkleProof(5, 13, [.. proof.Path, Hash256.Zero]).Verify(leaves[5], root));
    }

    [Fact]
    public void A_proof_does_not_verify_for_another_index_or_tree_size()
    {
        byte[][] leaves = Leaves(13);
        Hash256 root = Root(leaves);
        MerkleProof proof = MerkleTree.CreateProof(LeafHashes(leaves), 5);
        for (int other = 0; other < 13; other++)
        {
            if (other != 5)
            {
                Assert.False(new MerkleProof(other, 13, proof.Path).Verify(leaves[5], root), $"index {other}");
            }
        }

        // Sizes whose path shape differs fail; the root alone does not pin the size (see MerkleProof's remarks).
        Assert.False(new MerkleProof(5, 6, proof.Path).Verify(leaves[5], root));
        Assert.False(new MerkleProof(5, 8, proof.Path).Verify(leaves[5], root));
        Assert.False(new MerkleProof(5, 5, proof.Path).Verify(leaves[5], root));
        Assert.False(new MerkleProof(-1, 13, proof.Path).Verify(leaves[5], root));
        Assert.False(proof.Verify(leaves[5], Root(Leaves(14))));
    }

    [Fact]
    public void Proofs_round_trip_through_the_canonical_encoding()
    {
        byte[][] leaves = Leaves(40);
        MerkleProof proof = MerkleTree.CreateProof(LeafHashes(leaves), 33);
        byte[] encoded = CanonicalEncoding.ToArray(proof, static (ref CanonicalWriter w, MerkleProof p) => p.WriteTo(ref w));
        MerkleProof decoded = CanonicalEncoding.Decode(encoded, MerkleProof.ReadFrom);
        Assert.True(decoded.Verify(leaves[33], Root(leaves)));
        Assert.Equal(proof.Path, decoded.Path);
    }
}
