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
        var seen = new HashSet<int>();
        foreach (AcceptVote vote in Votes)
        {
            if (!view.TryGetMember(vote.ReplicaId, out ReplicaMember? member) || member is null)
            {
                return $"vote from replica {vote.ReplicaId}, which is not in {view}";
            }

            if (!seen.Add(vote.ReplicaId))
            {
                return $"two votes from replica {vote.ReplicaId}";
            }

            if (!AcceptStatement.Verify(member.PublicKey, vote.Signature.Span, chainId, view.Id, instance, regency, batchHash))
            {
                return $"the signature of replica {vote.ReplicaId} does not verify";
            }
        }

        return seen.Count >= view.Q ? null : $"{seen.Count} valid votes; a quorum of {view} needs {view.Q}";
    }
}
