using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// A decided instance, delivered in instance order. <see cref="Fresh"/>[j] is false for a request whose client
/// already had that sequence (or a higher one) decided: it stays in the batch, which the proof covers, but must not
/// be executed again (SPEC §3 replay protection).
/// </summary>
public sealed record Decision(long Instance, int Regency, IReadOnlyList<SignedRequest> Batch, Hash256 BatchHash,
    DecisionProof Proof, IReadOnlyList<bool> Fresh)
{
    /// <summary>The view that decided it (its proof verifies against that view).</summary>
    public long ViewId { get; init; }

    /// <summary>
    /// True if a fresh request of the batch may change the view: the core orders nothing more until the driver has
    /// executed it and called <see cref="ReplicaCore.ResumeAfter"/> with the view in force after it.
    /// </summary>
    public bool AwaitsView { get; init; }
}
