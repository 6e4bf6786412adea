using SmartChain.Ledger;
using SmartChain.Network;

namespace SmartChain.Node;

/// <summary>FETCH serving on the ledger loop: a decided instance read back from its block, with its decision proof.</summary>
public sealed partial class ReplicaHost
{
    private void ServeFetch(int from, long instance)
    {
        if (BlockOfInstance(instance) is not { } number)
        {
            return;
        }

        Block block = _store.Read(number);
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
            NodeLog.Storage(_log, $"not serving replica {from}'s FETCH of instance {instance}: block {number} here does not decode ({e.Message})");
            return;
        }

        var decision = new Consensus.Messages.DecisionMessage(_collector.ViewAt(number).Id, instance, regency, batch, proof);
        _network.Send(from, FrameType.Consensus, Consensus.Messages.MessageCodec.Encode(decision));
    }

    // Every decided instance has one block, and checkpoint block k·P sits between instances, so instance i is block
    // i + (i − 1) / (P − 1). Checked against the block read, with a binary search over consensus ids (which never
    // decrease along the chain) if a block ever breaks the rule.
    private long? BlockOfInstance(long instance)
    {
        long committed = _store.CommittedHeight;
        long period = _genesis.CheckpointPeriod;
        long guess = instance + ((instance - 1) / (period - 1));
        if (guess <= committed && _store.Read(guess).Body.ConsensusId == instance && !Ledger.Checkpoints.CheckpointBlock.IsCheckpoint(guess, period))
        {
            return guess;
        }

        long low = 1;
        long high = committed;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (_store.Read(middle).Body.ConsensusId < instance)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low <= committed && _store.Read(low).Body.ConsensusId == instance && !Ledger.Checkpoints.CheckpointBlock.IsCheckpoint(low, period) ? low : null;
    }
}
