using SmartChain.Core.Crypto;

namespace SmartChain.Core.Tests.Crypto;

/// <summary>
/// <see cref="MerkleNodeMemo"/>: proofs verified through it give the answers they give without it (a forged proof still
/// fails after the genuine proofs of its tree filled the memo), and the proofs of one tree hash each inner node once.
/// </summary>
public sealed class MerkleNodeMemoTests
{
    private static byte[][] Leaves(int n, int salt = 0) => [.. Enumerable.Range(0, n).Select(i => BitConverter.GetBytes((i * 7919) + salt))];

    private static Hash256[] LeafHashes(byte[][] leaves) => [.. leaves.Select(l => MerkleTree.HashLeaf(l))];

    [Fact]
    public void Every_proof_of_a_tree_hashes_each_inner_node_once_and_verifies()
    {
        for (int n = 1; n <= 70; n++)
        {
            var memo = new MerkleNodeMemo(1 << 16);
            Hash256[] hashes = LeafHashes(Leaves(n));
            Hash256 root = MerkleTree.ComputeRootFromLeafHashes(hashes);
            int steps = 0;
            for (int i = 0; i < n; i++)
            {
                MerkleProof proof = MerkleTree.CreateProof(hashes, i);
                steps += proof.Path.Count;
                Assert.True(proof.VerifyLeafHash(hashes[i], root, memo), $"leaf {i} of {n}");
            }

            // Each step of a path is one inner node; a tree of n leaves has n - 1 of them, and only those are hashed.
            Assert.Equal(steps - (n - 1), memo.Hits);
        }
    }

    [Fact]
    public void A_forged_proof_fails_through_a_memo_that_holds_its_tree()
    {
        byte[][] leaves = Leaves(13);
        Hash256[] hashes = LeafHashes(leaves);
        Hash256 root = MerkleTree.ComputeRootFromLeafHashes(hashes);
        var memo = new MerkleNodeMemo(1 << 16);
        for (int i = 0; i < 13; i++)
        {
            Assert.True(MerkleTree.CreateProof(hashes, i).VerifyLeafHash(hashes[i], root, memo));
        }

        MerkleProof proof = MerkleTree.CreateProof(hashes, 5);
        byte[] tampered = [.. leaves[5]];
        tampered[0] ^= 1;
        Assert.False(proof.VerifyLeafHash(MerkleTree.HashLeaf(tampered), root, memo));
        Assert.False(proof.VerifyLeafHash(hashes[6], root, memo), "another leaf of the same tree, at leaf 5's place");
        for (int p = 0; p < proof.Path.Count; p++)
        {
            Hash256[] path = [.. proof.Path];
            byte[] bytes = path[p].ToArray();
            bytes[31] ^= 0x80;
            path[p] = new Hash256(bytes);
            Assert.False(new MerkleProof(5, 13, path).VerifyLeafHash(hashes[5], root, memo), $"sibling {p} changed");
        }

        // A path that stops short, or goes on past the root, fails even though every node on it is remembered.
        Assert.False(new MerkleProof(5, 13, proof.Path.Take(proof.Path.Count - 1).ToArray()).VerifyLeafHash(hashes[5], root, memo));
        Assert.False(new MerkleProof(5, 13, [.. proof.Path, Hash256.Zero]).VerifyLeafHash(hashes[5], root, memo));
        Assert.False(new MerkleProof(4, 13, proof.Path).VerifyLeafHash(hashes[5], root, memo));
        Assert.False(proof.VerifyLeafHash(hashes[5], MerkleTree.ComputeRootFromLeafHashes(LeafHashes(Leaves(13, salt: 1))), memo));
    }

    [Fact]
    public void A_path_that_does_not_reach_its_root_leaves_nothing_in_the_memo()
    {
        // A Byzantine replica's junk paths must not fill (and so churn) the memo a client shares between its checks.
        Hash256[] hashes = LeafHashes(Leaves(40));
        Hash256 root = MerkleTree.ComputeRootFromLeafHashes(hashes);
        var memo = new MerkleNodeMemo(1 << 16);
        for (int i = 0; i < hashes.Length; i++)
        {
            MerkleProof proof = MerkleTree.CreateProof(hashes, i);
            Hash256[] path = [.. proof.Path];
            path[^1] = Hash256.Zero; // the top sibling forged: every node below it is a genuine node of the tree
            Assert.False(new MerkleProof(i, hashes.Length, path).VerifyLeafHash(hashes[i], root, memo));
        }

        Assert.Equal(0, memo.Hits); // neighbouring leaves share their lower nodes: any remembered one would have been hit
        Assert.True(MerkleTree.CreateProof(hashes, 0).VerifyLeafHash(hashes[0], root, memo));
        Assert.True(MerkleTree.CreateProof(hashes, 1).VerifyLeafHash(hashes[1], root, memo));
        Assert.True(memo.Hits > 0, "a genuine path's nodes were not remembered");
    }

    [Fact]
    public void A_full_memo_starts_over_and_still_answers_right()
    {
        var memo = new MerkleNodeMemo(3);
        for (int salt = 0; salt < 3; salt++)
        {
            Hash256[] hashes = LeafHashes(Leaves(21, salt));
            Hash256 root = MerkleTree.ComputeRootFromLeafHashes(hashes);
            for (int i = 0; i < hashes.Length; i++)
            {
                MerkleProof proof = MerkleTree.CreateProof(hashes, i);
                Assert.True(proof.VerifyLeafHash(hashes[i], root, memo));
                Assert.False(proof.VerifyLeafHash(hashes[(i + 1) % hashes.Length], root, memo));
            }
        }
    }
}
