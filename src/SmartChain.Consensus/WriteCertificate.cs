using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Consensus;

/// <summary>
/// Q signed WRITEs of one batch in one (instance, regency): proof that a quorum wrote it, which no set of f replicas
/// can forge. A replica forms one when it ACCEPTs. If a batch was decided, any Q replicas include a correct one
/// holding a certificate for it, and no certificate of a higher regency names another batch: that is how a new
/// leader finds the batch that may have been decided.
/// </summary>
public sealed record WriteCertificate(long Instance, int Regency, Hash256 BatchHash, IReadOnlyList<SignedRequest> Batch,
    IReadOnlyList<(int ReplicaId, ReadOnlyMemory<byte> Signature)> Writes)
{
    /// <summary>Null if the certificate holds in <paramref name="view"/>: the batch hashes to the hash, and Q distinct members signed the WRITE.</summary>
    public string? Verify(View view, string chainId)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (SmartChain.Consensus.BatchHash.Compute(Batch) != BatchHash)
        {
            return "the certified batch does not hash to the certified hash";
        }

        return QuorumSignatures.Verify(view, WriteStatement.Encode(chainId, view.Id, Instance, Regency, BatchHash), Writes);
    }
}
