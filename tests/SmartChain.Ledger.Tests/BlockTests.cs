using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Ledger.Tests;

public sealed class BlockTests : IDisposable
{
    private readonly LedgerFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Genesis_block_is_derived_from_genesis_alone()
    {
        Block a = Block.Genesis(_f.Genesis);
        Block b = Block.Genesis(_f.Genesis);
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(0, a.Header.Number);
        Assert.Equal(Hash256.Zero, a.Header.HashLastBlock);
        Assert.Equal(_f.Genesis.Encode(), Assert.Single(a.Body.Entries).ToArray());
    }

    [Fact]
    public void Blocks_link_and_every_header_field_changes_the_id()
    {
        List<Block> chain = _f.Chainof(3);
        for (int n = 1; n < chain.Count; n++)
        {
            Assert.Equal(chain[n - 1].Hash, chain[n].Header.HashLastBlock);
            Assert.Equal(n, chain[n].Header.Number);
        }

        BlockHeader h = chain[2].Header;
        byte[] encoded = h.Encode();
        for (int i = 1; i < encoded.Length; i++)
        {
            byte[] changed = [.. encoded];
            changed[i] ^= 1;
            Assert.NotEqual(h.Hash(), Hash256.Compute(changed));
        }

        BlockHeader decoded = CanonicalEncoding.Decode(encoded, BlockHeader.ReadFrom);
        Assert.Equal(h, decoded);
    }

    [Fact]
    public void An_entry_and_its_result_are_proven_by_short_paths_bound_to_their_index()
    {
        Block block = _f.Chainof(1, perBlock: 11)[1];
        for (int j = 0; j < 11; j++)
        {
            MerkleProof entry = BlockMerkle.Prove(block.Body.Entries, j);
            MerkleProof result = BlockMerkle.Prove(block.Body.Results, j);
            Assert.True(BlockMerkle.Verify(entry, j, block.Body.Entries[j].Span, block.Header.HashTransactions));
            Assert.True(BlockMerkle.Verify(result, j, block.Body.Results[j].Span, block.Header.HashResults));
            Assert.True(entry.Path.Count <= 4);
        }

        MerkleProof p3 = BlockMerkle.Prove(block.Body.Results, 3);
        Assert.False(BlockMerkle.Verify(p3, 4, block.Body.Results[3].Span, block.Header.HashResults));
        Assert.False(BlockMerkle.Verify(new MerkleProof(4, 11, p3.Path), 4, block.Body.Results[3].Span, block.Header.HashResults));
        Assert.False(BlockMerkle.Verify(p3, 3, block.Body.Results[4].Span, block.Header.HashResults));
    }

    [Fact]
    public void A_certificate_needs_Q_distinct_members_signing_this_header()
    {
        Block block = _f.Chainof(1)[1];
        Assert.Null(_f.Certify(block, 0, 2, 3).Verify(_f.View, LedgerFixture.Chain, block.Hash));
        Assert.Contains("needs 3", _f.Certify(block, 0, 1).Verify(_f.View, LedgerFixture.Chain, block.Hash), StringComparison.Ordinal);
        Assert.Contains("two signatures from replica 1", _f.Certify(block, 0, 1, 1).Verify(_f.View, LedgerFixture.Chain, block.Hash), StringComparison.Ordinal);

        var outsider = new BlockCertificate([.. _f.Certify(block).Signatures, (9, new byte[64])]);
        Assert.Contains("not in view", outsider.Verify(_f.View, LedgerFixture.Chain, block.Hash), StringComparison.Ordinal);

        Block other = _f.Chainof(2)[2];
        Assert.Contains("does not verify", _f.Certify(block).Verify(_f.View, LedgerFixture.Chain, other.Hash), StringComparison.Ordinal);
        Assert.Contains("does not verify", _f.Certify(block).Verify(_f.View, "other-chain", block.Hash), StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_and_results_must_pair_up()
    {
        Block genesis = Block.Genesis(_f.Genesis);
        Assert.Throws<ArgumentException>(() => Block.Next(genesis.Header, 1, [new byte[] { 1 }], [], ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void The_tree_over_small_and_large_items_is_the_one_over_their_indexed_leaves()
    {
        // Leaves are hashed from a stack buffer up to 1 KiB and from a rented array above: both must hash Leaf(i, item).
        ReadOnlyMemory<byte>[] items = [.. new[] { 0, 1, 300, 1020, 1021, 5000, 70 }.Select(n => (ReadOnlyMemory<byte>)Enumerable.Range(0, n).Select(b => (byte)(b * 7)).ToArray())];
        Hash256[] leaves = [.. items.Select((item, i) => MerkleTree.HashLeaf(BlockMerkle.Leaf(i, item.Span)))];
        Assert.Equal(MerkleTree.ComputeRootFromLeafHashes(leaves), BlockMerkle.Root(items));
        Assert.Equal(BlockMerkle.Root(items), BlockMerkle.Tree(items).Root);
        for (int i = 0; i < items.Length; i++)
        {
            Assert.True(BlockMerkle.Verify(BlockMerkle.Tree(items).Prove(i), i, items[i].Span, BlockMerkle.Root(items)));
        }
    }
}
