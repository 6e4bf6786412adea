using SmartChain.Consensus.Messages;
using SmartChain.Core.Requests;

namespace SmartChain.Node;

/// <summary>
/// One input of the consensus loop; the loop handles them one at a time. Ticks and state transfer come in arrival order
/// on the main channel; peers' messages wait in one bounded queue per peer (<see cref="PeerInputQueues"/>), taken
/// round-robin; both go ahead of client requests, which wait in their own bounded queue (<see cref="ClientInputQueue"/>)
/// and are taken in bounded turns.
/// </summary>
internal abstract record NodeInput
{
    /// <summary>A peer's consensus message; <paramref name="Bytes"/> of its frame count against the peer's inbound budget until taken.</summary>
    public sealed record PeerMessage(int From, ConsensusMessage Message, int Bytes) : NodeInput;

    /// <summary>
    /// A client's request. <paramref name="DoorRefusal"/>: why the door filter refused it, judged on the executed state;
    /// the consensus loop answers it as decided if its sequence already is (a retransmission), else with that reason.
    /// </summary>
    public sealed record ClientRequest(SignedRequest Request, ClientSession Session, string? DoorRefusal = null) : NodeInput;

    public sealed record Tick : NodeInput;

    /// <summary>A leader's held proposal has waited long enough for its batch to fill (<see cref="Ordering.ProposalPatience"/>); never reaches the core.</summary>
    public sealed record ProposalDue : NodeInput
    {
        public static ProposalDue Instance { get; } = new();
    }

    /// <summary>Wakes the loop when peer messages or client requests wait in their own queues; never reaches the core.</summary>
    public sealed record InputsWaiting : NodeInput
    {
        public static InputsWaiting Instance { get; } = new();
    }

    /// <summary>
    /// Every queue is empty and the loop is about to wait: the driver acts once on everything it took since it last
    /// acted (one vote-log fsync, one round of sends, one proposal). Never reaches the core.
    /// </summary>
    public sealed record Drained : NodeInput
    {
        public static Drained Instance { get; } = new();
    }

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
