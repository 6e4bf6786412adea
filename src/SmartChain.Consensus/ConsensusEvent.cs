namespace SmartChain.Consensus;

/// <summary>Something the driver should log: a rejected message and why, or evidence against a replica.</summary>
/// <param name="From">The replica that sent the offending message.</param>
/// <param name="Kind">Short category, e.g. "out-of-turn", "conflicting-write", "bad-signature".</param>
/// <param name="Detail">A sentence for the log.</param>
/// <param name="IsEvidence">True when the message proves misbehaviour by <paramref name="From"/> (kept as evidence).</param>
public sealed record ConsensusEvent(int From, string Kind, string Detail, bool IsEvidence);
