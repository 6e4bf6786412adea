using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Messages;

/// <summary>PROPOSE(i, r, batch): only the leader of regency r may send it, once per (i, r).</summary>
public sealed record Propose(long ViewId, long Instance, int Regency, IReadOnlyList<SignedRequest> Batch)
    : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.Propose;
}
