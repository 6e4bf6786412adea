using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Messages;

/// <summary>
/// FORWARD: pending requests a replica has waited on for half its request timeout, sent to every replica, so a
/// leader that never received a client's copy (or a replica the client could not reach) gets it before anyone
/// suspects the leader.
/// </summary>
public sealed record Forward(long ViewId, long Instance, int Regency, IReadOnlyList<SignedRequest> Batch) : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.Forward;
}
