using SmartChain.Core.Crypto;

namespace SmartChain.Ledger;

/// <summary>
/// A block just built from a decided batch, with both Merkle trees kept: the replica hashes each tree once and then
/// cuts every receipt's paths from it in O(log n).
/// </summary>
public sealed class BuiltBlock
{
    private BuiltBlock(Block block, MerkleLevels entries, MerkleLevels results)
    {
        Block = block;
        Entries = entries;
        Results = results;
    }

    /// <summary>The block (no certificate yet).</summary>
    public Block Block { get; }

    /// <summary>The tree over the indexed entries.</summary>
    public MerkleLevels Entries { get; }

    /// <summary>The tree over the indexed results.</summary>
    public MerkleLevels Results { get; }

    /// <summary>
    /// Builds block <paramref name="previous"/>.Number + 1 over a decided batch: Merkle roots over the indexed entries and
    /// results, linked to the previous header. <paramref name="installsView"/>: executing the batch installed a view, so
    /// the block is a reconfiguration block and its lastReconfig is its own number.
    /// </summary>
    public static BuiltBlock Next(BlockHeader previous, long consensusId, IReadOnlyList<ReadOnlyMemory<byte>> entries,
        IReadOnlyList<ReadOnlyMemory<byte>> results, ReadOnlyMemory<byte> decisionProof, bool installsView = false)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(results);
        if (entries.Count != results.Count)
        {
            throw new ArgumentException($"{entries.Count} entries but {results.Count} results; every entry has one result");
        }

        MerkleLevels entryTree = BlockMerkle.Tree(entries);
        MerkleLevels resultTree = BlockMerkle.Tree(results);
        long number = previous.Number + 1;
        var header = new BlockHeader(number, installsView ? number : previous.LastReconfig, previous.LastCheckpoint, entryTree.Root, resultTree.Root, previous.Hash());
        return new BuiltBlock(new Block(header, new BlockBody(consensusId, entries, results, decisionProof), null), entryTree, resultTree);
    }

    /// <summary>The trees of a block read back from a store (a restarted replica cutting receipts for it).</summary>
    public static BuiltBlock From(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return new BuiltBlock(block, BlockMerkle.Tree(block.Body.Entries), BlockMerkle.Tree(block.Body.Results));
    }

    /// <summary>The same block with <paramref name="certificate"/> (one received by state transfer); the trees are shared.</summary>
    public BuiltBlock WithCertificate(BlockCertificate certificate) => new(Block with { Certificate = certificate }, Entries, Results);

    /// <summary>The receipt of entry <paramref name="index"/> under <paramref name="certificate"/>.</summary>
    public TransactionReceipt Receipt(int index, BlockCertificate certificate) =>
        new(Block.Header, certificate, index, Block.Body.Entries[index], Block.Body.Results[index], Entries.Prove(index), Results.Prove(index));
}
