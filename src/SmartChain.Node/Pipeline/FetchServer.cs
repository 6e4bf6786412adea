using Microsoft.Extensions.Logging;
using SmartChain.Ledger;
using SmartChain.Ledger.Certification;
using SmartChain.Ledger.Store;
using SmartChain.Network;

namespace SmartChain.Node.Pipeline;

/// <summary>
/// FETCH serving, on the ledger loop (which owns the store): a decided instance older than the consensus core remembers,
/// read back from its block with its decision proof.
/// </summary>
internal static class FetchServer
{
    /// <summary>Sends <paramref name="from"/> the decision of <paramref name="instance"/> if a durable block here holds it.</summary>
    public static void Serve(int from, long instance, BlockStore store, CertificateCollector collector, long checkpointPeriod, IReplicaLinks network, ILogger log)
    {
        long number;
        Block block;
        try
        {
            if (BlockOfInstance(instance, store, checkpointPeriod) is not { } found)
            {
                return;
            }

            number = found;
            block = store.Read(number);
        }
        catch (Exception e) when (e is LedgerCorruptException or IOException)
        {
            // A block that does not read back is reported, never sent; the ledger loop goes on.
            NodeLog.Storage(log, $"not serving replica {from}'s FETCH of instance {instance}: {e.Message}");
            return;
        }

        var batch = new Core.Requests.SignedRequest[block.Body.Entries.Count];
        int regency;
        Consensus.DecisionProof proof;
        try
        {
            for (int j = 0; j < batch.Length; j++)
            {
                batch[j] = Core.Requests.SignedRequest.Decode(block.Body.Entries[j]);
            }

            (regency, proof) = Consensus.DecisionProof.DecodeFromBlock(block.Body.DecisionProof.Span);
        }
        catch (Core.Encoding.EncodingException e)
        {
            // Never stored by this code (state transfer proves proofs first); a peer's FETCH must not end the ledger loop.
            NodeLog.Storage(log, $"not serving replica {from}'s FETCH of instance {instance}: block {number} here does not decode ({e.Message})");
            return;
        }

        var decision = new Consensus.Messages.DecisionMessage(collector.ViewAt(number).Id, instance, regency, batch, proof);
        network.Send(from, FrameType.Consensus, Consensus.Messages.MessageCodec.Encode(decision));
    }

    // Every decided instance has one block, and checkpoint block k·P sits between instances, so instance i is block
    // i + (i − 1) / (P − 1). Checked against the block read, with a binary search over consensus ids (which never
    // decrease along the chain) if a block ever breaks the rule.
    private static long? BlockOfInstance(long instance, BlockStore store, long period)
    {
        long committed = store.CommittedHeight;
        long guess = instance + ((instance - 1) / (period - 1));
        if (guess <= committed && store.Read(guess).Body.ConsensusId == instance && !Ledger.Checkpoints.CheckpointBlock.IsCheckpoint(guess, period))
        {
            return guess;
        }

        long low = 1;
        long high = committed;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (store.Read(middle).Body.ConsensusId < instance)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low <= committed && store.Read(low).Body.ConsensusId == instance && !Ledger.Checkpoints.CheckpointBlock.IsCheckpoint(low, period) ? low : null;
    }
}
