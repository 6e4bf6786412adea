namespace SmartChain.Consensus;

/// <summary>
/// What the core asks the driver to do, in this order (etcd-io/raft's Ready): persist <see cref="Persist"/> (fsync),
/// then send <see cref="Messages"/>, then deliver <see cref="Decisions"/> to execution, in order.
/// </summary>
public sealed record Ready(IReadOnlyList<VoteRecord> Persist, IReadOnlyList<OutboundMessage> Messages,
    IReadOnlyList<Decision> Decisions, IReadOnlyList<ConsensusEvent> Events)
{
    /// <summary>True when there is nothing to do.</summary>
    public bool IsEmpty => Persist.Count == 0 && Messages.Count == 0 && Decisions.Count == 0 && Events.Count == 0;
}
