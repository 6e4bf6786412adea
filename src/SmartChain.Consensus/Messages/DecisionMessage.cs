using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Messages;

/// <summary>
/// A decided batch and its proof, for a replica that missed the instance. Trusted only if the proof verifies
/// against the view, so one Byzantine sender cannot inject a decision.
/// </summary>
public sealed record DecisionMessage(long ViewId, long Instance, int Regency, IReadOnlyList<SignedRequest> Batch, DecisionProof Proof)
    : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.Decision;
}
