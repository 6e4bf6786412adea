namespace SmartChain.Consensus;

/// <summary>
/// What the core asks the driver to do, in this order (etcd-io/raft's Ready): persist <see cref="Persist"/> (fsync),
/// then send <see cref="Messages"/>, then deliver <see cref="Decisions"/> to execution, in order.
/// </summary>
public sealed record Ready(IReadOnlyList<VoteRecord> Persist, IReadOnlyList<OutboundMessage> Messages,
    IReadOnlyList<Decision> Decisions, IReadOnlyList<ConsensusEvent> Events)
{
    /// <summary>True when there is nothing to do.</summary>
    /// <summary>
    /// FETCHes for decided instances older than the core remembers: the driver answers them from its ledger, so a
    /// replica back from a long absence can still catch up.
    /// </summary>
    public IReadOnlyList<(int From, long Instance)> FetchesToServe { get; init; } = [];

    /// <summary>True if there is nothing to do.</summary>
    public bool IsEmpty => Persist.Count == 0 && Messages.Count == 0 && Decisions.Count == 0 && Events.Count == 0 && FetchesToServe.Count == 0;
}
