using SmartChain.Core.Crypto;

namespace SmartChain.Core.Tests.Crypto;

public class MerkleLevelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(1025)]
    public void Proofs_and_root_match_the_one_at_a_time_tree(int n)
    {
        Hash256[] hashes = [.. Enumerable.Range(0, n).Select(i => MerkleTree.HashLeaf(BitConverter.GetBytes(i * 31)))];
        MerkleLevels levels = MerkleLevels.Build(hashes);

        Assert.Equal(MerkleTree.ComputeRootFromLeafHashes(hashes), levels.Root);
        foreach (int i in new[] { 0, n / 2, n - 1 })
        {
            MerkleProof expected = MerkleTree.CreateProof(hashes, i);
            MerkleProof proof = levels.Prove(i);
            Assert.Equal(expected.Path, proof.Path);
            Assert.True(proof.VerifyLeafHash(hashes[i], levels.Root));
        }
    }

    [Fact]
    public void Empty_tree_has_the_empty_root_and_no_proofs()
    {
        MerkleLevels levels = MerkleLevels.Build([]);
        Assert.Equal(MerkleTree.EmptyRoot, levels.Root);
        Assert.Throws<ArgumentOutOfRangeException>(() => levels.Prove(0));
    }

    [Fact]
    public void Every_leafs_proof_matches_the_one_at_a_time_tree_for_small_trees()
    {
        for (int n = 1; n <= 20; n++)
        {
            Hash256[] hashes = [.. Enumerable.Range(0, n).Select(i => MerkleTree.HashLeaf(BitConverter.GetBytes(i)))];
            MerkleLevels levels = MerkleLevels.Build(hashes);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(MerkleTree.CreateProof(hashes, i).Path, levels.Prove(i).Path);
            }
        }
    }
}
