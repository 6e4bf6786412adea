namespace SmartChain.Consensus;

/// <summary>
/// Suspicion on evidence (issue 14): a leader that lies in some of its messages while requests still finish before the
/// request timeout is never suspected by the timer. A correct replica never sends a message that is evidence
/// (docs/consensus.md, "Bounded and proven fields"), so evidence against the current leader is this replica's own proof
/// that the leader is Byzantine: it asks for the next regency at once, as the timer would. That is one STOP; the others
/// join only with f+1 of them, so a Byzantine non-leader, which can make evidence only against itself (links
/// authenticate the sender), can never move a correct leader.
/// </summary>
public sealed partial class ReplicaCore
{
    /// <summary>
    /// Replica <paramref name="from"/> sent a consensus frame that its authenticated link delivered intact but that does
    /// not decode. A correct replica never sends one (one codec, the genesis limits), so it is evidence against the
    /// sender like any other; the driver reports it at most once per peer and tick, whatever the flood.
    /// </summary>
    public void Malformed(int from, string detail)
    {
        if (!_view.Contains(from) || from == Id)
        {
            return;
        }

        Reject(from, "malformed", detail, evidence: true);
    }

    private void SuspectOnEvidence(int from)
    {
        // Once per regency, and only by a member in ordering (an observer or a replica at a view barrier suspects nobody).
        if (!IsMember || _barrier is not null || from == Id || from != Leader || _stopSent > Regency)
        {
            return;
        }

        Count("evidence");
        SendStop(Regency + 1);
    }
}
