using SmartChain.Core.Crypto;

namespace SmartChain.Core.Views;

/// <summary>
/// The check behind every quorum certificate (decision proofs, block certificates, join certificates): signatures by at
/// least Q distinct members of a view over the same statement, each one valid for the member's key of that view.
/// </summary>
public static class QuorumSignatures
{
    /// <summary>Null if <paramref name="signatures"/> holds ≥ Q valid signatures of distinct members over <paramref name="statement"/>; else why not.</summary>
    public static string? Verify(View view, ReadOnlySpan<byte> statement, IEnumerable<(int ReplicaId, ReadOnlyMemory<byte> Signature)> signatures)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(signatures);
        var seen = new HashSet<int>();
        foreach ((int replicaId, ReadOnlyMemory<byte> signature) in signatures)
        {
            if (!view.TryGetMember(replicaId, out ReplicaMember? member) || member is null)
            {
                return $"signature of replica {replicaId}, which is not in {view}";
            }

            if (!seen.Add(replicaId))
            {
                return $"two signatures from replica {replicaId}";
            }

            if (!Ed25519.Verify(member.ViewKey.Key, statement, signature.Span))
            {
                return $"the signature of replica {replicaId} does not verify with its key of view {view.Id}";
            }
        }

        return seen.Count >= view.Q ? null : $"{seen.Count} valid signatures; a quorum of {view} needs {view.Q}";
    }
}
