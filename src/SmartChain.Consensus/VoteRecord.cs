using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// A vote this replica is about to send: it must be durable before the message leaves, so that after a crash the
/// replica never votes differently in the same instance and regency (leader change relies on it). A leader's
/// PROPOSE record carries the batch itself: after a whole-cluster crash the leader must propose the same batch
/// again, because replicas that wrote or accepted it will take no other in that instance and regency. An ACCEPT
/// record carries the write certificate the replica formed (Q signed WRITEs and the batch): after a whole-cluster
/// crash the next regency's STOPDATAs must still name the batch a quorum accepted, which may have been decided.
/// </summary>
public sealed record VoteRecord(MessageType Kind, long Instance, int Regency, Hash256 BatchHash, IReadOnlyList<SignedRequest>? Batch = null,
    WriteCertificate? Certificate = null)
{
    /// <summary>
    /// What a vote log keeps once every instance up to <paramref name="lastDecided"/> is in the ledger: the votes of
    /// later instances, and the STOP record of the highest regency whatever its instance. Without that one, a replica
    /// whose ledger had caught up would restart in regency 0 while a peer whose ledger lagged restarts in the regency
    /// they had installed together; after a whole-cluster crash that split can leave no regency with a quorum
    /// (simulator, --faults crash-all seed 740), and a restored write certificate could be of a regency above the
    /// replica's own (seed 639).
    /// </summary>
    public static List<VoteRecord> KeptAfter(IEnumerable<VoteRecord> votes, long lastDecided)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var kept = new List<VoteRecord>();
        VoteRecord? stop = null;
        foreach (VoteRecord vote in votes)
        {
            if (vote.Instance > lastDecided)
            {
                kept.Add(vote);
            }
            else if (vote.Kind == MessageType.Stop && (stop is null || vote.Regency > stop.Regency))
            {
                stop = vote;
            }
        }

        if (stop is not null && !kept.Exists(v => v.Kind == MessageType.Stop && v.Regency >= stop.Regency))
        {
            kept.Insert(0, stop);
        }

        return kept;
    }
}
