using SmartChain.Consensus.Messages;
using SmartChain.Core.Requests;

namespace SmartChain.Node;

/// <summary>One input of the consensus loop; the loop handles them one at a time, in arrival order.</summary>
internal abstract record NodeInput
{
    public sealed record PeerMessage(int From, ConsensusMessage Message) : NodeInput;

    public sealed record ClientRequest(SignedRequest Request, ClientSession Session) : NodeInput;

    public sealed record Tick : NodeInput;

    /// <summary>State transfer: take no votes or decisions from peers; answer with the head once execution has caught up.</summary>
    public sealed record HoldDecisions(TaskCompletionSource<(long Number, Core.Crypto.Hash256 Hash)> Executed) : NodeInput;

    /// <summary>State transfer ended: take votes and decisions from peers again.</summary>
    public sealed record ReleaseDecisions : NodeInput;

    /// <summary>State transfer: jump the core over the instances a verified snapshot holds.</summary>
    public sealed record Jump(Ledger.Block At, Ledger.Checkpoints.ReplicaSnapshot Snapshot, Ledger.Checkpoints.CheckpointRecord Record, int Regency,
        Reconfiguration.State.ReconfigurationState Reconfiguration) : NodeInput;

    /// <summary>State transfer: a decided instance from a verified certified block.</summary>
    public sealed record Transferred(DecisionMessage Decision) : NodeInput;

    /// <summary>Execution ran an instance the core waits for (it may change the view): <paramref name="View"/> is in force after it.</summary>
    public sealed record ViewResolved(long Instance, Core.Views.View View) : NodeInput;
}
