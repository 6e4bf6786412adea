using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;

namespace SmartChain.Node.Transfer;

/// <summary>
/// What a replica checks in everything state transfer hands it, before it applies any of it (SPEC §6): a tip is a
/// header with a certificate of Q members of the view; a block has the expected number, links to the block before,
/// its body matches both roots, its certificate verifies against the view in force for this chain, and a checkpoint
/// block is well formed. A block from another chain fails its certificate: signatures cover the chain id.
/// </summary>
internal sealed class TransferVerifier(GenesisDocument genesis)
{
    private readonly Hash256 _genesisHash = Block.Genesis(genesis).Hash;

    /// <summary>Null if <paramref name="header"/> is a certified block of this chain.</summary>
    public string? CheckTip(BlockHeader header, BlockCertificate? certificate)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Number == 0)
        {
            return header.Hash() == _genesisHash ? null : "a block 0 that is not this chain's genesis block";
        }

        if (certificate is null)
        {
            return $"block {header.Number} without a certificate";
        }

        return certificate.Verify(genesis.InitialView, genesis.ChainId, header.Hash()) is { } bad
            ? $"block {header.Number} with a certificate that does not verify for chain {genesis.ChainId}: {bad}"
            : null;
    }

    /// <summary>Null if <paramref name="block"/> is block <paramref name="number"/> of this chain, linked to <paramref name="previous"/>.</summary>
    public string? CheckNext(Block block, long number, Hash256 previous)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Header.Number != number)
        {
            return $"sent block {block.Header.Number} where block {number} belongs";
        }

        if (block.Header.HashLastBlock != previous)
        {
            return $"block {number}: hashLastBlock does not link to block {number - 1}";
        }

        return CheckAlone(block);
    }

    /// <summary>Null if <paramref name="block"/> is a certified, well-formed block of this chain (its link is not checked).</summary>
    public string? CheckAlone(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        long number = block.Header.Number;
        if (block.Body.Entries.Count != block.Body.Results.Count)
        {
            return $"block {number}: {block.Body.Entries.Count} entries but {block.Body.Results.Count} results";
        }

        if (BlockMerkle.Root(block.Body.Entries) != block.Header.HashTransactions)
        {
            return $"block {number}: hashTransactions does not match the entries";
        }

        if (BlockMerkle.Root(block.Body.Results) != block.Header.HashResults)
        {
            return $"block {number}: hashResults does not match the results";
        }

        if (CheckTip(block.Header, block.Certificate) is { } bad)
        {
            return bad;
        }

        return CheckpointBlock.IsCheckpoint(number, genesis.CheckpointPeriod) && CheckpointBlock.Check(block, genesis.CheckpointPeriod, out _) is { } malformed
            ? $"checkpoint block {number}: {malformed}"
            : null;
    }
}
