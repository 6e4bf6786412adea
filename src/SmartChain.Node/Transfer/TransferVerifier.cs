using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Reconfiguration;

namespace SmartChain.Node.Transfer;

/// <summary>
/// What a replica checks in everything state transfer hands it, before it applies any of it (SPEC §6): a tip is a
/// header with a certificate of Q members of the view that certifies it (a later view is first proven, view by view, from
/// one this replica knows); a block has the expected number, links to the block before, its body matches both roots, its
/// certificate verifies against the view in force at it, for this chain, its decision proof (outside every hash) is Q
/// ACCEPTs of that view for its instance, regency and batch, a checkpoint block is well formed, and a
/// reconfiguration block installs exactly the next view, which then certifies the blocks after it. A block from another
/// chain fails its certificate: signatures cover the chain id.
/// </summary>
internal sealed class TransferVerifier(GenesisDocument genesis, ViewHistory views)
{
    private readonly Hash256 _genesisHash = Block.Genesis(genesis).Hash;

    /// <summary>
    /// Null if <paramref name="header"/> is a certified block of this chain. <paramref name="proofs"/> prove the views after
    /// the newest one this replica knows; each one proven is remembered.
    /// </summary>
    public string? CheckTip(BlockHeader header, BlockCertificate? certificate, IReadOnlyList<TransactionReceipt> proofs)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(proofs);
        if (header.Number == 0)
        {
            return header.Hash() == _genesisHash ? null : "a block 0 that is not this chain's genesis block";
        }

        if (certificate is null)
        {
            return $"block {header.Number} without a certificate";
        }

        View current = views.Latest.View;
        foreach (TransactionReceipt proof in proofs)
        {
            if (views.InstalledBy(proof.Header.Number) is not null)
            {
                continue; // proven already (another peer's tip carried it)
            }

            if (ViewChain.Step(current, genesis.ChainId, proof, out View? next) is { } badProof)
            {
                return $"block {header.Number} with a view proof that does not hold: {badProof}";
            }

            views.Add(proof.Header.Number, next!);
            current = next!;
        }

        if (views.CertifyingView(header, out string? unknown) is not { } view)
        {
            return unknown;
        }

        return certificate.Verify(view, genesis.ChainId, header.Hash()) is { } bad
            ? $"block {header.Number} with a certificate that does not verify for chain {genesis.ChainId} in {view}: {bad}"
            : null;
    }

    /// <summary>
    /// Null unless <paramref name="block"/> is a checkpoint block whose consensus id is not
    /// <paramref name="previousInstance"/>, the instance of the block before it (null: not known here). A checkpoint block's
    /// consensus id is outside every hash and has no proof to bind it, so it must repeat the block before; for the first
    /// block of a transfer that is this replica's own head.
    /// </summary>
    public static string? CheckCheckpointInstance(Block block, long? previousInstance)
    {
        ArgumentNullException.ThrowIfNull(block);
        return block.Body.DecisionProof.IsEmpty && previousInstance is { } before && block.Body.ConsensusId != before
            ? $"checkpoint block {block.Header.Number} names consensus id {block.Body.ConsensusId}; the block before it is of instance {before}"
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

        if (CheckTip(block.Header, block.Certificate, []) is { } bad)
        {
            return bad;
        }

        bool checkpoint = CheckpointBlock.IsCheckpoint(number, genesis.CheckpointPeriod);
        if (checkpoint && CheckpointBlock.Check(block, genesis.CheckpointPeriod, out _) is { } malformed)
        {
            return $"checkpoint block {number}: {malformed}";
        }

        if (!checkpoint && CheckProof(block) is { } unproven)
        {
            return $"block {number}: {unproven}";
        }

        return ReconfigurationBlock.Installs(block.Header) ? LearnView(block) : null;
    }

    // The decision proof and the consensus id are outside every hash, so the certificate vouches for neither: a source
    // can send any bytes there. Proven here, against the view in force at the block, before its regency is adopted,
    // it is stored (and later served to FETCH, or read by recovery) or the core is handed it.
    private string? CheckProof(Block block)
    {
        View view = views.CertifyingView(block.Header, out _)!; // the certificate check found it
        var batch = new SignedRequest[block.Body.Entries.Count];
        int regency;
        Consensus.DecisionProof proof;
        try
        {
            for (int j = 0; j < batch.Length; j++)
            {
                batch[j] = SignedRequest.Decode(block.Body.Entries[j]);
            }

            (regency, proof) = Consensus.DecisionProof.DecodeFromBlock(block.Body.DecisionProof.Span);
        }
        catch (EncodingException e)
        {
            return $"a decision proof that does not decode, or an entry that is not a request: {e.Message}";
        }

        long instance = block.Body.ConsensusId;
        return proof.Verify(view, genesis.ChainId, instance, regency, Consensus.BatchHash.Compute(batch)) is { } bad
            ? $"a decision proof that does not verify for instance {instance}, regency {regency} in {view}: {bad}"
            : null;
    }

    // A certified reconfiguration block: the view it installs certifies what follows.
    private string? LearnView(Block block)
    {
        View certifying = views.CertifyingView(block.Header, out _)!;
        if (ReconfigurationBlock.ReadInstalledView(block, certifying, out View? next, out _) is { } bad)
        {
            return $"reconfiguration block {block.Header.Number}: {bad}";
        }

        if (views.InstalledBy(block.Header.Number) is { } known && !known.Encode().AsSpan().SequenceEqual(next!.Encode()))
        {
            return $"reconfiguration block {block.Header.Number} installs another {next} than the one proven for it";
        }

        views.Add(block.Header.Number, next!);
        return null;
    }
}
