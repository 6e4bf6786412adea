using SmartChain.Consensus;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>Work for the execution loop, in order: decided batches, queries, and answers to repeated requests.</summary>
internal abstract record ExecutionItem
{
    public sealed record Decided(Decision Decision) : ExecutionItem;

    public sealed record Query(QueryMessage Message, ClientSession Session) : ExecutionItem;

    public sealed record Repeated(SignedRequest Request, ClientSession Session) : ExecutionItem;

    /// <summary>State transfer: a verified certified block that a snapshot covers, appended without executing it.</summary>
    public sealed record AppendCertified(Ledger.Block Block) : ExecutionItem;

    /// <summary>State transfer: a verified snapshot becomes the state after block <paramref name="At"/>, which is appended.</summary>
    public sealed record Restore(Ledger.Block At, Ledger.Checkpoints.ReplicaSnapshot Snapshot, Ledger.Checkpoints.CheckpointRecord Record,
        Reconfiguration.State.ReconfigurationState Reconfiguration) : ExecutionItem;

    /// <summary>Answers with the head once everything queued before it has executed.</summary>
    public sealed record Barrier(TaskCompletionSource<(long Number, Core.Crypto.Hash256 Hash)> Executed) : ExecutionItem;

    /// <summary>A request the pool would not take (full, or another request holds its sequence).</summary>
    public sealed record Refused(SignedRequest Request, ClientSession Session, string Reason) : ExecutionItem;
}
