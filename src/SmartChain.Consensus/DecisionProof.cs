using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Consensus;

/// <summary>
/// The proof of a decision: signed ACCEPTs of (view, instance, regency, batch hash) from at least Q distinct
/// members of the view, sorted by replica id.
/// </summary>
public sealed record DecisionProof(IReadOnlyList<AcceptVote> Votes)
{
    /// <summary>
    /// Null if the proof shows that <paramref name="batchHash"/> was decided in (<paramref name="instance"/>,
    /// <paramref name="regency"/>) of <paramref name="view"/>; otherwise why not.
    /// </summary>
    public string? Verify(View view, string chainId, long instance, int regency, Hash256 batchHash)
    {
        ArgumentNullException.ThrowIfNull(view);
        string? problem = QuorumSignatures.Verify(view, AcceptStatement.Encode(chainId, view.Id, instance, regency, batchHash),
            Votes.Select(v => (v.ReplicaId, v.Signature)));
        return problem?.Replace("signature", "vote", StringComparison.Ordinal);
    }
}
